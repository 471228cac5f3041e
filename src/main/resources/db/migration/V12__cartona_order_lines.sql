-- What Cartona has as each order's lines (pieces per internal_product_id): recorded from what Cartona sends and from what
-- this service told it, so a quantity a person changes in Odoo is sent to Cartona once, and Cartona's own edit is not sent back.
CREATE TABLE cartona_order_lines (
    hashed_id  VARCHAR(128)  NOT NULL,
    account    VARCHAR(40)   NOT NULL,
    lines      VARCHAR(4000) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_cartona_order_lines PRIMARY KEY (hashed_id, account)
);
