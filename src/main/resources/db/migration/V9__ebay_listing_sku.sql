-- Every SKU an active eBay listing sells, with the listing's item id: listings made in Seller Hub or with the
-- Trading API have no Inventory API offer, so their price and quantity go out with Trading ReviseInventoryStatus,
-- by item id (and the variation's SKU in a multi-variation listing). Written by listing imports and by the read of
-- the seller's active listings (GetMyeBaySelling); a listing that ends takes its rows with it. Portable SQL.
CREATE TABLE ebay_listing_sku (
    sku       VARCHAR(255) PRIMARY KEY,
    item_id   VARCHAR(32)  NOT NULL,
    variation BOOLEAN      NOT NULL,
    currency  VARCHAR(3),
    seen_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_ebay_listing_sku_item ON ebay_listing_sku (item_id);

-- The backfill reads the active listings after the inventory: the next GetMyeBaySelling page (NULL: not begun),
-- and what that read found.
ALTER TABLE catalog_backfill ADD COLUMN active_page INTEGER;
ALTER TABLE catalog_backfill ADD COLUMN active_read INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE catalog_backfill ADD COLUMN active_queued INTEGER DEFAULT 0 NOT NULL;
