DROP TABLE imported_records;
DROP INDEX posts_imported;
ALTER TABLE posts DROP COLUMN imported_from;
