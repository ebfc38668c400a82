-- When another server says its account was created (the actor's `published`): how the
-- virality detector tells a days-old account from an old one.
ALTER TABLE actors ADD COLUMN published_at TIMESTAMP;
-- Labels on posts, initiatives and petitions: disputed and commercial (set by a moderator),
-- artificial_virality (set by the detector, confirmed or removed by a moderator). Removed
-- labels are kept, for the yearly report.
CREATE TABLE labels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- post, initiative, petition.
    target_kind TEXT NOT NULL,
    target_ap_id TEXT NOT NULL,
    -- disputed, commercial, artificial_virality.
    label TEXT NOT NULL,
    -- moderator, detector.
    source TEXT NOT NULL,
    -- Why, in words (the detector writes its figures).
    reason TEXT NOT NULL,
    -- A fact-check, for disputed.
    link TEXT,
    set_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    report_id BIGINT REFERENCES reports (id) ON DELETE SET NULL,
    confirmed_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    confirmed_at TIMESTAMP,
    removed_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    removed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX labels_live ON labels (target_ap_id, label) WHERE removed_at IS NULL;
CREATE INDEX labels_time ON labels (created_at);
-- Boosts, likes and replies other servers' accounts made of our posts and petitions, for the
-- virality detector.
CREATE TABLE interactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    object_ap_id TEXT NOT NULL,
    -- boost, like, reply.
    kind TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    actor_domain TEXT NOT NULL,
    -- The actor's own creation date, when its server says it.
    actor_published TIMESTAMP,
    activity_ap_id TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX interactions_object ON interactions (object_ap_id, created_at);
