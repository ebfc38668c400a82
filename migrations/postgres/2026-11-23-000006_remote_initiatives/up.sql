-- The directory lists the initiatives of other nodes this one knows: their rows have no local
-- creator. Their civic fields come from their Group document.
ALTER TABLE initiatives ALTER COLUMN created_by DROP NOT NULL;
