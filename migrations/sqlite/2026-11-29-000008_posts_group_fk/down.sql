-- Back to the table of 000005, without the reference: 000005's down.sql drops group_id, which
-- SQLite refuses for a column carrying a foreign key.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE posts_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    author_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    source TEXT,
    spoiler_text TEXT,
    in_reply_to TEXT,
    url TEXT,
    local BOOLEAN NOT NULL,
    published TIMESTAMP NOT NULL,
    updated TIMESTAMP,
    deleted_at TIMESTAMP,
    group_id BIGINT,
    pinned_at TIMESTAMP
);
INSERT INTO posts_old (id, ap_id, author_id, content, source, spoiler_text, in_reply_to, url,
    local, published, updated, deleted_at, group_id, pinned_at)
SELECT id, ap_id, author_id, content, source, spoiler_text, in_reply_to, url,
    local, published, updated, deleted_at, group_id, pinned_at FROM posts;
DELETE FROM sqlite_sequence WHERE name = 'posts_old';
INSERT INTO sqlite_sequence (name, seq) SELECT 'posts_old', seq FROM sqlite_sequence WHERE name = 'posts';
DROP TABLE posts;
ALTER TABLE posts_old RENAME TO posts;
CREATE INDEX posts_author_published ON posts (author_id, published);
CREATE INDEX posts_group ON posts (group_id, id);
CREATE INDEX posts_in_reply_to ON posts (in_reply_to);
COMMIT;
PRAGMA foreign_keys = ON;
