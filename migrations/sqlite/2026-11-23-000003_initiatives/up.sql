-- Citizen initiatives: each is a Group actor (name and description live on the actor).
CREATE TABLE initiatives (
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
CREATE INDEX initiatives_updated ON initiatives (updated_at);

CREATE TABLE initiative_tags (
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (initiative_id, tag)
);
CREATE INDEX initiative_tags_tag ON initiative_tags (tag);

CREATE TABLE initiative_members (
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (initiative_id, actor_id)
);
