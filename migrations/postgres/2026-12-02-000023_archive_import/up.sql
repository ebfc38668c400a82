-- A post restored from an archive: its id where it was first published. Such a post is
-- history, never delivered again.
ALTER TABLE posts ADD COLUMN imported_from TEXT;
CREATE UNIQUE INDEX posts_imported ON posts (author_id, imported_from)
    WHERE imported_from IS NOT NULL;

-- The civic data an archive brought (initiatives organised, petitions written, signatures with
-- their receipts, reports filed), kept as the archive gave it: history of the account, each
-- signature still provable in its petition's log where it was made.
CREATE TABLE imported_records (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- initiative, petition, signature or report.
    kind TEXT NOT NULL,
    -- The record, as JSON.
    data TEXT NOT NULL,
    -- Its SHA-256 (hex): the same record imported twice is kept once.
    digest TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX imported_records_once ON imported_records (user_id, digest);
