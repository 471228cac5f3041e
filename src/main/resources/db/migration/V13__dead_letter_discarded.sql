-- An operator may discard a dead letter (nothing to redo: a test order, a listing deleted since):
-- it leaves the open list, and its inbox event stays DEAD as the record of what happened.
ALTER TABLE dead_letter ADD COLUMN discarded_at TIMESTAMP WITH TIME ZONE;
