-- Resumable catalog backfills, one row per kind ('ebay-listings'): where the next page starts and
-- what the run has done so far, written after every page. Portable SQL (H2 and PostgreSQL).
CREATE TABLE catalog_backfill (
    name            VARCHAR(64)   PRIMARY KEY,
    state           VARCHAR(16)   NOT NULL,
    next_offset     INTEGER       NOT NULL,
    pages           INTEGER       NOT NULL,
    total           INTEGER,
    items_read      INTEGER       NOT NULL,
    already_in_odoo INTEGER       NOT NULL,
    queued          INTEGER       NOT NULL,
    unlisted        INTEGER       NOT NULL,
    interruptions   INTEGER       NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(2000)
);
