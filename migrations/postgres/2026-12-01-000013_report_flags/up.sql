-- The `Flag` of a report that crossed servers, as received or as sent (JSON): the `Resolve`
-- that answers it carries it back, as Lemmy 1.0 expects.
ALTER TABLE reports ADD COLUMN flag TEXT;
