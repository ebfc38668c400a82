DROP TABLE interactions;
DROP TABLE labels;
ALTER TABLE actors DROP COLUMN published_at;
