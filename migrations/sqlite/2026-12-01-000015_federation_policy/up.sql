-- Moderators' live federation rules, on top of the configuration's: block, allow (for an
-- allowlist node), silence, reject_media, reject_reports.
CREATE TABLE domain_policies (
    domain TEXT NOT NULL,
    policy TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (domain, policy)
);
-- Every change of the federation policy, for the public moderation log: a rule set or lifted,
-- or the mode changed (the last mode change is the mode in effect).
CREATE TABLE federation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- set, lifted, mode.
    change TEXT NOT NULL,
    -- The domain of a rule; none for a change of mode.
    domain TEXT,
    -- The rule's policy, or the new mode.
    policy TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    -- The report whose decision made the change (block_domain).
    report_id BIGINT REFERENCES reports (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX federation_log_time ON federation_log (created_at);
