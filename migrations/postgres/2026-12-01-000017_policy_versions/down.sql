ALTER TABLE users DROP COLUMN terms_accepted;
DROP TABLE policy_versions;
