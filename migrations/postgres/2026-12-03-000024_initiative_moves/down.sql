-- The moved petitions go with their petitions.
DROP TABLE moved_petitions;
ALTER TABLE imports DROP COLUMN initiative_id;
ALTER TABLE exports DROP COLUMN initiative_id;
