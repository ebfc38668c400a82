-- posts.group_id has referenced actors (id) here since 000005 (posts_group_id_fkey); this
-- migration gives SQLite the same reference. Nothing changes on PostgreSQL: the statement is
-- there because an empty migration is an error.
SELECT 1;
