-- What a post or petition of ours cost to send: the size of the activity that carried it and
-- how many inboxes received it (its own fan-out and its initiative's announces).
ALTER TABLE posts ADD COLUMN payload_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN delivered_inboxes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN payload_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN delivered_inboxes BIGINT NOT NULL DEFAULT 0;
-- What the node measured of itself, per day (UTC): bytes in and out over HTTP, deliveries,
-- CPU time, database size.
CREATE TABLE energy_days (
    day TEXT NOT NULL PRIMARY KEY,
    bytes_in BIGINT NOT NULL DEFAULT 0,
    bytes_out BIGINT NOT NULL DEFAULT 0,
    deliveries BIGINT NOT NULL DEFAULT 0,
    cpu_ms BIGINT NOT NULL DEFAULT 0,
    db_bytes BIGINT NOT NULL DEFAULT 0
);
