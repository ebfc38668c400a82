-- Petitions: this node's, and other servers' that someone here signed (a remote one keeps
-- what its Question said, to vote on it and show it).
CREATE TABLE petitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    local BOOLEAN NOT NULL,
    -- Who it is attributed to: a person, or an initiative's group (votes go to its inbox).
    author_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    -- The local account that wrote it (an organizer, for an initiative's petition).
    created_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    -- Free text, or the id of a public body's account (then also target_actor_id).
    target TEXT NOT NULL,
    target_actor_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    deadline TIMESTAMP NOT NULL,
    -- JSON array of counts, ascending.
    milestones TEXT NOT NULL DEFAULT '[]',
    signature_policy TEXT NOT NULL,
    -- JSON array of host names (policy trusted_instances).
    trusted_instances TEXT NOT NULL DEFAULT '[]',
    -- Whether signers may choose to show their pseudonym.
    public_names BOOLEAN NOT NULL,
    -- draft, open, closed, answered.
    status TEXT NOT NULL,
    -- The one option's text as its server wrote it: a vote must name it exactly.
    option_name TEXT NOT NULL,
    -- Another server's count as its Question last said (votersCount).
    remote_count BIGINT NOT NULL DEFAULT 0,
    -- The highest milestone already announced.
    milestone_reached BIGINT NOT NULL DEFAULT 0,
    response TEXT,
    response_at TIMESTAMP,
    closed_at TIMESTAMP,
    -- Set when the count moved and followers are owed an Update{Question}; cleared when it
    -- is built: changes in between share one update.
    update_due_at TIMESTAMP,
    -- Another server's petition: where its log is (`transparencyLog`), when it has one.
    transparency_log TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX petitions_author ON petitions (author_id);
CREATE INDEX petitions_open_deadline ON petitions (status, deadline);

-- One row per signature ever made; a withdrawn or invalidated one stays, marked.
CREATE TABLE petition_signatures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    signer_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    -- The signer's server (ours for local signers): counts by origin.
    origin TEXT NOT NULL,
    -- The remote vote's id (Create{Note}), to answer its retries once.
    vote_ap_id TEXT,
    show_name BOOLEAN NOT NULL,
    -- The signer's secret in their receipt, and the commitment in the log.
    salt TEXT NOT NULL,
    commitment TEXT NOT NULL,
    -- Its sign leaf, once counted (a local signer's e-mail confirmed, a remote vote verified).
    leaf_index BIGINT,
    signed_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP,
    invalidated_at TIMESTAMP,
    -- A local signer's address (IPv4, or IPv6 /64), kept for moderators to invalidate a
    -- fraudulent range; never shown or sent.
    client_addr TEXT
);
-- One standing signature per signer and petition.
CREATE UNIQUE INDEX petition_signatures_standing ON petition_signatures (petition_id, signer_id)
    WHERE withdrawn_at IS NULL AND invalidated_at IS NULL;
-- Vote id first: a `Delete` names only the vote, not its petition.
CREATE UNIQUE INDEX petition_signatures_vote ON petition_signatures (vote_ap_id, petition_id);
CREATE INDEX petition_signatures_signer ON petition_signatures (signer_id);

-- Moderators' bulk invalidations: who, why, by which criteria, how many. Each signature
-- invalidated also leaves an `invalidate` leaf in the log.
CREATE TABLE petition_invalidations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    moderator_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    -- JSON: the origin, time window and address range chosen.
    criteria TEXT NOT NULL,
    invalidated BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX petition_invalidations_petition ON petition_invalidations (petition_id);

-- The log, insert-only: each leaf's bytes, and the tree's stored hashes (Go's sumdb layout:
-- hash number i of the log is never rewritten once written).
CREATE TABLE petition_log_leaves (
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    idx BIGINT NOT NULL,
    leaf TEXT NOT NULL,
    PRIMARY KEY (petition_id, idx)
);
CREATE TABLE petition_log_hashes (
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    idx BIGINT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (petition_id, idx)
);

-- As a witness of another node's petition: what we last saw of its log, its key pinned on
-- first sight, and the evidence when it showed us two histories.
CREATE TABLE petition_witnessing (
    petition_id BIGINT NOT NULL PRIMARY KEY REFERENCES petitions (id) ON DELETE CASCADE,
    log_key TEXT NOT NULL,
    size BIGINT NOT NULL,
    checkpoint TEXT NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    fork TEXT,
    fork_at TIMESTAMP
);

-- As a log: the latest cosignature of each witness on our petitions' checkpoints.
CREATE TABLE petition_cosignatures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    witness TEXT NOT NULL,
    size BIGINT NOT NULL,
    signature TEXT NOT NULL,
    cosigned_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX petition_cosignatures_witness ON petition_cosignatures (petition_id, witness);

-- The node's own keys other than its actors' (the Ed25519 key that signs checkpoints).
CREATE TABLE node_keys (
    name TEXT NOT NULL PRIMARY KEY,
    secret TEXT NOT NULL,
    public TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
