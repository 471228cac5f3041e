-- The statuses sent to Cartona for each order (the `synced` acknowledgement among them): each is sent once,
-- and recorded only after Cartona took it, so a failed send is sent again.
CREATE TABLE cartona_order_status (
    account   VARCHAR(40)  NOT NULL,
    hashed_id VARCHAR(128) NOT NULL,
    status    VARCHAR(40)  NOT NULL,
    sent_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_cartona_order_status PRIMARY KEY (hashed_id, account, status)
);
