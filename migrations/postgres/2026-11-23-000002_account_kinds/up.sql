-- Who set an account's kind and when: verified kinds are granted by an administrator.
ALTER TABLE actors ADD COLUMN kind_verified_at TIMESTAMP;
ALTER TABLE actors ADD COLUMN kind_set_by BIGINT;
