ALTER TABLE actors DROP COLUMN kind_set_by;
ALTER TABLE actors DROP COLUMN kind_verified_at;
