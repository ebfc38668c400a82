-- The terms of service and the data policy, as the files in the data directory said them,
-- one row per version: the history anyone can read, and the versions users accepted.
CREATE TABLE policy_versions (
    id BIGSERIAL PRIMARY KEY,
    -- terms, data.
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    -- SHA-256 of the content, hex: a file read again unchanged makes no new version.
    digest TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (kind, version)
);
-- The version of the terms each account accepted (0: none yet).
ALTER TABLE users ADD COLUMN terms_accepted INTEGER NOT NULL DEFAULT 0;
