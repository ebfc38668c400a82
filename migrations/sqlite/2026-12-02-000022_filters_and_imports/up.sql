-- What an account keeps out of its sight: accounts it blocks or mutes, servers it blocks.
CREATE TABLE account_filters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    -- block, mute or domain_block.
    kind TEXT NOT NULL,
    -- The account blocked or muted.
    target_id BIGINT REFERENCES actors (id) ON DELETE CASCADE,
    -- The server blocked.
    domain TEXT,
    -- A mute that also hides notifications (Mastodon's column).
    hide_notifications BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX account_filters_target ON account_filters (actor_id, kind, target_id)
    WHERE target_id IS NOT NULL;
CREATE UNIQUE INDEX account_filters_domain ON account_filters (actor_id, domain)
    WHERE domain IS NOT NULL;

-- Imports of Mastodon's CSVs: one row per line, each done once, so a restart resumes and the
-- report says which lines failed and why.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- following, blocks, mutes or domain_blocks.
    kind TEXT NOT NULL,
    -- queued, running, done.
    status TEXT NOT NULL,
    total BIGINT NOT NULL,
    processed BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX imports_user ON imports (user_id, id);
CREATE TABLE import_rows (
    import_id BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    -- The line's place in the file (from 1, the header not counted).
    line BIGINT NOT NULL,
    -- An account address or a domain.
    value TEXT NOT NULL,
    hide_notifications BOOLEAN NOT NULL DEFAULT FALSE,
    -- pending, done or failed.
    state TEXT NOT NULL,
    error TEXT,
    PRIMARY KEY (import_id, line)
);
