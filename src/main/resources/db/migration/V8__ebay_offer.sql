-- The eBay offer each SKU's price and quantity are pushed to (EbayChannelConnector). Portable SQL (H2 and PostgreSQL).

-- Resolved once per SKU with getOffers and kept, so a restart does not look up a whole catalog again.
-- offer_id NULL: the SKU had no published offer on the marketplace at resolved_at; looked up again after
-- marketbridge.ebay.push.no-offer-recheck. A resolved offer is kept until eBay says it no longer exists.
CREATE TABLE ebay_offer (
    sku            VARCHAR(255) PRIMARY KEY,
    offer_id       VARCHAR(64),
    marketplace_id VARCHAR(32)  NOT NULL,
    currency       VARCHAR(3),
    resolved_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
