DROP TABLE tombstones;
ALTER TABLE users DROP COLUMN deletion_due_at;
DELETE FROM petition_signatures WHERE signer_id IS NULL;
ALTER TABLE petition_signatures DROP CONSTRAINT petition_signatures_signer_id_fkey;
ALTER TABLE petition_signatures ADD CONSTRAINT petition_signatures_signer_id_fkey
    FOREIGN KEY (signer_id) REFERENCES actors (id) ON DELETE CASCADE;
ALTER TABLE petition_signatures ALTER COLUMN signer_id SET NOT NULL;
