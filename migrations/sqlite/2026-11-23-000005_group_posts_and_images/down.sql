ALTER TABLE actors DROP COLUMN image_url;
ALTER TABLE actors DROP COLUMN icon_url;
DROP INDEX posts_in_reply_to;
DROP INDEX posts_group;
ALTER TABLE posts DROP COLUMN pinned_at;
ALTER TABLE posts DROP COLUMN group_id;
