-- A post addressed to a group (an initiative's update, or a reply in its thread): the group
-- announces it to its followers. Pinned posts of a group form its `featured` collection.
-- No REFERENCES here: SQLite cannot drop a column that carries a foreign key (down.sql).
ALTER TABLE posts ADD COLUMN group_id BIGINT;
ALTER TABLE posts ADD COLUMN pinned_at TIMESTAMP;
CREATE INDEX posts_group ON posts (group_id, id);
CREATE INDEX posts_in_reply_to ON posts (in_reply_to);
-- Avatar (`icon`) and banner (`image`) of an actor: a file under /media for local actors,
-- the remote server's address for others.
ALTER TABLE actors ADD COLUMN icon_url TEXT;
ALTER TABLE actors ADD COLUMN image_url TEXT;
