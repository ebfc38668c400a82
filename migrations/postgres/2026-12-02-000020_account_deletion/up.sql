-- Account deletion. A signature outlives its signer: on a closed petition it stays, anonymised,
-- so the count and the log stay valid; signer_id becomes nullable and is cleared, not cascaded.
ALTER TABLE petition_signatures ALTER COLUMN signer_id DROP NOT NULL;
ALTER TABLE petition_signatures DROP CONSTRAINT petition_signatures_signer_id_fkey;
ALTER TABLE petition_signatures ADD CONSTRAINT petition_signatures_signer_id_fkey
    FOREIGN KEY (signer_id) REFERENCES actors (id) ON DELETE SET NULL;

-- When the account's owner asked for its deletion to happen; cleared when they cancel.
ALTER TABLE users ADD COLUMN deletion_due_at TIMESTAMP;

-- What was here and is gone, by a keyed hash of its address: the old address answers
-- 410 Gone and a handle is never given to someone else, yet no row names the person.
CREATE TABLE tombstones (
    id_hash TEXT NOT NULL PRIMARY KEY,
    former_type TEXT NOT NULL,
    deleted_at TIMESTAMP NOT NULL
);
