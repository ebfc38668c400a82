-- posts.group_id names the group actor a post is addressed to. PostgreSQL has enforced that
-- since 000005; SQLite could not add the reference to an existing column, so the table is
-- rebuilt with it: same columns in the same order, same defaults and indexes (posts has no
-- trigger and no table references it).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
-- Nothing checked group_id until now: a post naming an actor that is gone loses its group,
-- as it could not have been stored on PostgreSQL.
UPDATE posts SET group_id = NULL
WHERE group_id IS NOT NULL AND group_id NOT IN (SELECT id FROM actors);
CREATE TABLE posts_new (
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
    group_id BIGINT REFERENCES actors (id),
    pinned_at TIMESTAMP
);
INSERT INTO posts_new (id, ap_id, author_id, content, source, spoiler_text, in_reply_to, url,
    local, published, updated, deleted_at, group_id, pinned_at)
SELECT id, ap_id, author_id, content, source, spoiler_text, in_reply_to, url,
    local, published, updated, deleted_at, group_id, pinned_at FROM posts;
-- Post ids are in post addresses: keep the AUTOINCREMENT counter, so that the id of a deleted
-- post is never given again (the copy alone would restart it from the highest id left).
DELETE FROM sqlite_sequence WHERE name = 'posts_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'posts_new', seq FROM sqlite_sequence WHERE name = 'posts';
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX posts_author_published ON posts (author_id, published);
CREATE INDEX posts_group ON posts (group_id, id);
CREATE INDEX posts_in_reply_to ON posts (in_reply_to);
COMMIT;
PRAGMA foreign_keys = ON;
