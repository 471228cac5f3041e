-- What each channel last accepted per SKU: only differences are pushed, and a reconciliation
-- re-asserts everything so a lost or falsely acknowledged push heals.
CREATE TABLE channel_state (
    channel      VARCHAR(16)    NOT NULL,
    sku          VARCHAR(128)   NOT NULL,
    price        DECIMAL(16, 4) NOT NULL,
    quantity     INTEGER        NOT NULL,
    content_hash VARCHAR(64)    NOT NULL,
    pushed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    -- sku first: lookups are "sku IN (a page of SKUs) AND channel = ?", which H2 serves from the key only this way
    CONSTRAINT pk_channel_state PRIMARY KEY (sku, channel)
);
CREATE INDEX ix_ebay_listing_sku ON ebay_listing (sku);
