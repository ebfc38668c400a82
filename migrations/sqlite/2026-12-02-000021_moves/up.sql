-- When an actor moved (it names its new account in moved_to): one move per 30 days for ours,
-- and another server's repeated Move of the same account is ignored for 7 days.
ALTER TABLE actors ADD COLUMN moved_at TIMESTAMP;
