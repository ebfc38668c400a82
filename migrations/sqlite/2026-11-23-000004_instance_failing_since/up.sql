-- A server is dead only after failing for a while, not after a burst of failed jobs.
ALTER TABLE instances ADD COLUMN failing_since TIMESTAMP;
