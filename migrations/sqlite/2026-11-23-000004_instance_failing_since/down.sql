ALTER TABLE instances DROP COLUMN failing_since;
