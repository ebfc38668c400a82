-- Archives of an account's data, built by a background job (it survives restarts) and kept
-- under the data directory until the next one.
CREATE TABLE exports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- queued, building, ready, failed.
    status TEXT NOT NULL,
    -- 0 to 100.
    progress INTEGER NOT NULL DEFAULT 0,
    -- The archive's file name under {data_dir}/exports.
    file TEXT,
    size BIGINT,
    error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX exports_user ON exports (user_id, created_at);
