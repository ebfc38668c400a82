-- What moderators' decisions do. A hidden post or petition is kept (evidence, appeal) and
-- shown to nobody; a suspended local account cannot sign in and its content is shown to
-- nobody; a limited one is left out of directories and its new followers wait for approval;
-- a blocked remote actor's activities are refused and its content is shown to nobody.
ALTER TABLE posts ADD COLUMN hidden_at TIMESTAMP;
ALTER TABLE petitions ADD COLUMN hidden_at TIMESTAMP;
ALTER TABLE actors ADD COLUMN suspended_at TIMESTAMP;
ALTER TABLE actors ADD COLUMN limited_at TIMESTAMP;
ALTER TABLE actors ADD COLUMN blocked_at TIMESTAMP;
CREATE INDEX reports_decided ON reports (decided_at);
-- The appeal of a decision that did something: made with the decision (a suspended account
-- cannot sign in, so its statement of reasons carries a link with a token, of which only the
-- hash is kept), filled once by the reported account, decided by another moderator.
CREATE TABLE appeals (
    report_id BIGINT NOT NULL PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    text TEXT,
    appealed_at TIMESTAMP,
    -- upheld, reversed.
    outcome TEXT,
    reason TEXT,
    decided_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    decided_at TIMESTAMP
);
