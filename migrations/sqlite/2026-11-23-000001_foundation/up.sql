-- Actors: every Person, Group and Application this node knows, local or remote.
CREATE TABLE actors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    actor_type TEXT NOT NULL,
    username TEXT NOT NULL,
    domain TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    url TEXT,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    outbox TEXT,
    followers_url TEXT,
    following_url TEXT,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    local BOOLEAN NOT NULL,
    account_kind TEXT NOT NULL DEFAULT 'citizen',
    manually_approves_followers BOOLEAN NOT NULL DEFAULT FALSE,
    also_known_as TEXT NOT NULL DEFAULT '[]',
    moved_to TEXT,
    created_at TIMESTAMP NOT NULL,
    last_refreshed_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE UNIQUE INDEX actors_username_domain ON actors (username, domain);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    email TEXT UNIQUE,
    email_confirmed_at TIMESTAMP,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'user',
    approved BOOLEAN NOT NULL DEFAULT TRUE,
    locale TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE email_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE posts (
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
    deleted_at TIMESTAMP
);
CREATE INDEX posts_author_published ON posts (author_id, published);

CREATE TABLE follows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    follower_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX follows_pair ON follows (follower_id, target_id);
CREATE INDEX follows_target ON follows (target_id, state);

CREATE TABLE received_activities (
    ap_id TEXT PRIMARY KEY NOT NULL,
    received_at TIMESTAMP NOT NULL
);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    target_domain TEXT,
    run_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    locked_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at);

CREATE TABLE instances (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    domain TEXT NOT NULL UNIQUE,
    failure_count INTEGER NOT NULL DEFAULT 0,
    last_success_at TIMESTAMP,
    last_failure_at TIMESTAMP,
    dead_since TIMESTAMP
);

CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    window_start TIMESTAMP NOT NULL,
    count INTEGER NOT NULL
);
