-- The eBay category of each listing: the default category import brings in only the branches
-- that hold the seller's listings. Portable SQL (H2 and PostgreSQL).
ALTER TABLE ebay_listing ADD COLUMN category_id VARCHAR(32);
CREATE INDEX ix_ebay_listing_category ON ebay_listing (category_id);
