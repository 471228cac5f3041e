-- eBay's getInventoryItems takes a page number as `offset` and links the next page itself: a backfill
-- resumes from that link. next_offset is kept (the items read before the next page) but no longer read.
ALTER TABLE catalog_backfill ADD COLUMN next_page VARCHAR(2000);
