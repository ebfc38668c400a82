ALTER TABLE actors DROP COLUMN moved_at;
