-- The directory lists the initiatives of other nodes this one knows: their rows have no local
-- creator. Their civic fields come from their Group document.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE initiatives_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    goals TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    place_name TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO initiatives_new SELECT id, actor_id, goals, status, place_name, latitude, longitude,
    created_by, created_at, updated_at FROM initiatives;
DROP TABLE initiatives;
ALTER TABLE initiatives_new RENAME TO initiatives;
CREATE INDEX initiatives_updated ON initiatives (updated_at);
COMMIT;
PRAGMA foreign_keys = ON;
