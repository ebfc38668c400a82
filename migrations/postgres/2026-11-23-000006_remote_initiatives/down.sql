DELETE FROM initiatives WHERE created_by IS NULL;
ALTER TABLE initiatives ALTER COLUMN created_by SET NOT NULL;
