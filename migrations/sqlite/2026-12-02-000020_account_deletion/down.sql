PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE tombstones;
ALTER TABLE users DROP COLUMN deletion_due_at;
DELETE FROM petition_signatures WHERE signer_id IS NULL;
CREATE TABLE petition_signatures_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    signer_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
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
INSERT INTO petition_signatures_old SELECT * FROM petition_signatures;
DROP TABLE petition_signatures;
ALTER TABLE petition_signatures_old RENAME TO petition_signatures;
CREATE UNIQUE INDEX petition_signatures_standing ON petition_signatures (petition_id, signer_id)
    WHERE withdrawn_at IS NULL AND invalidated_at IS NULL;
CREATE UNIQUE INDEX petition_signatures_vote ON petition_signatures (vote_ap_id, petition_id);
CREATE INDEX petition_signatures_signer ON petition_signatures (signer_id);
CREATE INDEX petition_signatures_shown ON petition_signatures (petition_id, id)
    WHERE show_name AND leaf_index IS NOT NULL AND withdrawn_at IS NULL AND invalidated_at IS NULL;
COMMIT;
PRAGMA foreign_keys = ON;
