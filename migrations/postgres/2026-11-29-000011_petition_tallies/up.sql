-- Standing signatures per petition, origin and state, changed in the transaction that changes
-- a signature: a petition's page reads a few rows instead of grouping all its signatures.
CREATE TABLE petition_tallies (
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    -- Counted: in the log.
    verified BIGINT NOT NULL,
    -- Waiting for the signer's e-mail confirmation.
    unverified BIGINT NOT NULL,
    PRIMARY KEY (petition_id, origin)
);
INSERT INTO petition_tallies (petition_id, origin, verified, unverified)
SELECT petition_id, origin,
       SUM(CASE WHEN leaf_index IS NULL THEN 0 ELSE 1 END),
       SUM(CASE WHEN leaf_index IS NULL THEN 1 ELSE 0 END)
FROM petition_signatures
WHERE withdrawn_at IS NULL AND invalidated_at IS NULL
GROUP BY petition_id, origin;

-- The signers shown on a petition's page, oldest first, without reading the others.
CREATE INDEX petition_signatures_shown ON petition_signatures (petition_id, id)
    WHERE show_name AND leaf_index IS NOT NULL AND withdrawn_at IS NULL AND invalidated_at IS NULL;
