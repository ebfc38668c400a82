DROP TABLE appeals;
DROP INDEX reports_decided;
ALTER TABLE actors DROP COLUMN blocked_at;
ALTER TABLE actors DROP COLUMN limited_at;
ALTER TABLE actors DROP COLUMN suspended_at;
ALTER TABLE petitions DROP COLUMN hidden_at;
ALTER TABLE posts DROP COLUMN hidden_at;
