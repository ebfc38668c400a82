-- Reports: filed here (by an account, or by a visitor) or received from another server as a
-- `Flag`. The reporter is known to moderators only: never shown, never sent.
CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    -- The `Flag`'s id: the one received, or the one we sent when forwarding the report.
    flag_ap_id TEXT UNIQUE,
    -- The reporting server's host (ours for a report filed here).
    origin TEXT NOT NULL,
    -- The local account that filed it.
    reporter_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    -- An incoming `Flag`'s actor (a server's instance actor, a Lemmy person).
    sender_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    -- A visitor's address (IPv4, or an IPv6 /64), for the rate limits only.
    client_addr TEXT,
    -- account, post, initiative, petition.
    target_kind TEXT NOT NULL,
    -- The reported thing's ActivityPub id.
    target_ap_id TEXT NOT NULL,
    -- The account answerable for it (itself, the author, the initiative's group).
    target_actor_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    -- Other objects the report names (a Mastodon `Flag`'s statuses): JSON array of ids.
    objects TEXT NOT NULL DEFAULT '[]',
    category TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    -- The reporter asked that the server the content comes from be told.
    forward BOOLEAN NOT NULL DEFAULT FALSE,
    -- The reported content as it was when reported (JSON).
    snapshot TEXT NOT NULL,
    -- open, decided.
    status TEXT NOT NULL,
    assigned_to BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    action TEXT,
    reason TEXT,
    ground TEXT,
    decided_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    decided_at TIMESTAMP,
    -- A report we forwarded: what the other server decided (its `Resolve{Flag}`).
    remote_action TEXT,
    remote_reason TEXT,
    remote_decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reports_queue ON reports (status, created_at);
CREATE INDEX reports_target_actor ON reports (target_actor_id);
CREATE INDEX reports_reporter ON reports (reporter_id);
