PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
-- Foreign keys are off: the children of the rows removed are removed by hand.
DELETE FROM initiative_tags WHERE initiative_id IN (SELECT id FROM initiatives WHERE created_by IS NULL);
DELETE FROM initiative_members WHERE initiative_id IN (SELECT id FROM initiatives WHERE created_by IS NULL);
DELETE FROM initiatives WHERE created_by IS NULL;
CREATE TABLE initiatives_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    goals TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    place_name TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO initiatives_old SELECT * FROM initiatives;
DROP TABLE initiatives;
ALTER TABLE initiatives_old RENAME TO initiatives;
CREATE INDEX initiatives_updated ON initiatives (updated_at);
COMMIT;
PRAGMA foreign_keys = ON;
