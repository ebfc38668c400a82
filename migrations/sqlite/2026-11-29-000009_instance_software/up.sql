-- What software a server runs (NodeInfo `software.name`, lower case; empty when it would not
-- say), and when we asked: some need what we send in another form (Lemmy takes an update as a
-- post only as a `Page`).
ALTER TABLE instances ADD COLUMN software TEXT;
ALTER TABLE instances ADD COLUMN software_checked_at TIMESTAMP;
