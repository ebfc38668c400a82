-- Account deletion. A signature outlives its signer: on a closed petition it stays, anonymised,
-- so the count and the log stay valid; signer_id becomes nullable and is cleared, not cascaded.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE petition_signatures_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    signer_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    origin TEXT NOT NULL,
    vote_ap_id TEXT,
    show_name BOOLEAN NOT NULL,
    salt TEXT NOT NULL,
    commitment TEXT NOT NULL,
    leaf_index BIGINT,
    signed_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP,
    invalidated_at TIMESTAMP,
    client_addr TEXT
);
INSERT INTO petition_signatures_new (id, petition_id, signer_id, origin, vote_ap_id, show_name,
    salt, commitment, leaf_index, signed_at, withdrawn_at, invalidated_at, client_addr)
SELECT id, petition_id, signer_id, origin, vote_ap_id, show_name,
    salt, commitment, leaf_index, signed_at, withdrawn_at, invalidated_at, client_addr
FROM petition_signatures;
DELETE FROM sqlite_sequence WHERE name = 'petition_signatures_new';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'petition_signatures_new', seq FROM sqlite_sequence WHERE name = 'petition_signatures';
DROP TABLE petition_signatures;
ALTER TABLE petition_signatures_new RENAME TO petition_signatures;
CREATE UNIQUE INDEX petition_signatures_standing ON petition_signatures (petition_id, signer_id)
    WHERE withdrawn_at IS NULL AND invalidated_at IS NULL;
CREATE UNIQUE INDEX petition_signatures_vote ON petition_signatures (vote_ap_id, petition_id);
CREATE INDEX petition_signatures_signer ON petition_signatures (signer_id);
CREATE INDEX petition_signatures_shown ON petition_signatures (petition_id, id)
    WHERE show_name AND leaf_index IS NOT NULL AND withdrawn_at IS NULL AND invalidated_at IS NULL;

-- When the account's owner asked for its deletion to happen; cleared when they cancel.
ALTER TABLE users ADD COLUMN deletion_due_at TIMESTAMP;

-- What was here and is gone, by a keyed hash of its address: the old address answers
-- 410 Gone and a handle is never given to someone else, yet no row names the person.
CREATE TABLE tombstones (
    id_hash TEXT NOT NULL PRIMARY KEY,
    former_type TEXT NOT NULL,
    deleted_at TIMESTAMP NOT NULL
);
COMMIT;
PRAGMA foreign_keys = ON;
