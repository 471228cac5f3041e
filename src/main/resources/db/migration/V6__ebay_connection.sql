-- Connecting the seller to eBay from the admin API (/admin/ebay/connect). Portable SQL (H2 and PostgreSQL).

-- The connected seller: one row ('seller'). The refresh token is sealed with AES-256-GCM under
-- marketbridge.ebay.oauth.token-key: 'v1:' + base64(12-byte nonce + ciphertext + 16-byte tag),
-- additional authenticated data 'marketbridge:ebay_connection:seller'. It is never stored in clear.
CREATE TABLE ebay_connection (
    connection_id            VARCHAR(32)   PRIMARY KEY,
    ebay_user_id             VARCHAR(255),
    refresh_token_sealed     VARCHAR(4000) NOT NULL,
    refresh_token_expires_at TIMESTAMP WITH TIME ZONE,
    scopes                   VARCHAR(2000) NOT NULL,
    connected_by             VARCHAR(255),
    connected_at             TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The OAuth state of each consent started: single use, short-lived, shared by every replica.
CREATE TABLE ebay_oauth_state (
    state      VARCHAR(64) PRIMARY KEY,
    started_by VARCHAR(255),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);

-- What the service registered with eBay for real-time sync (Platform Notification preferences,
-- the Commerce notification destination and each topic's subscription), and how that went.
CREATE TABLE ebay_subscription (
    name       VARCHAR(64)   PRIMARY KEY,
    kind       VARCHAR(16)   NOT NULL,
    state      VARCHAR(16)   NOT NULL,
    remote_id  VARCHAR(255),
    detail     VARCHAR(2000),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
