-- An archive of an initiative (its group, updates, petitions with their logs, members), asked
-- for by one of its organizers; none for an account's own archive.
ALTER TABLE exports ADD COLUMN initiative_id BIGINT REFERENCES initiatives (id) ON DELETE CASCADE;
-- The initiative here an initiative archive is imported into; none for an account's imports.
ALTER TABLE imports ADD COLUMN initiative_id BIGINT REFERENCES initiatives (id) ON DELETE CASCADE;

-- A petition that moved here with its initiative: where it was, and the last checkpoint its old
-- node signed for it, checked against the leaves brought here, which begin this log. Anyone can
-- check that checkpoint with the old node's key and see this log extend it.
CREATE TABLE moved_petitions (
    petition_id BIGINT NOT NULL PRIMARY KEY REFERENCES petitions (id) ON DELETE CASCADE,
    -- Its id on the old node.
    former_ap_id TEXT NOT NULL UNIQUE,
    -- Its log there.
    former_log TEXT NOT NULL,
    -- The old node's checkpoint key (signed-note verifier key).
    log_key TEXT NOT NULL,
    -- The old node's last checkpoint (C2SP signed note).
    checkpoint TEXT NOT NULL,
    -- Leaves brought: the checkpoint's size.
    size BIGINT NOT NULL,
    moved_at TIMESTAMP NOT NULL
);
