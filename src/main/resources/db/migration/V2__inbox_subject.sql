-- Whose personal data an event carries (e.g. ebay-buyer:<username>), so an account deletion can
-- find and scrub that person's events without scanning every payload.
ALTER TABLE inbox_event ADD COLUMN subject VARCHAR(160);
CREATE INDEX ix_inbox_event_subject ON inbox_event (subject);
