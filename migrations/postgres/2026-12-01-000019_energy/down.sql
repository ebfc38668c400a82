DROP TABLE energy_days;
ALTER TABLE petitions DROP COLUMN delivered_inboxes;
ALTER TABLE petitions DROP COLUMN payload_bytes;
ALTER TABLE posts DROP COLUMN delivered_inboxes;
ALTER TABLE posts DROP COLUMN payload_bytes;
