//! Embedded migrations, one set per backend, kept equivalent (a test compares the two lists).

use crate::{
    connection::DbConn,
    error::{DbError, DbResult},
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// Migrations for SQLite.
pub const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
/// Migrations for PostgreSQL.
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Applies every pending migration for the connection's backend; returns how many ran.
pub fn run(conn: &mut DbConn) -> DbResult<usize> {
    let ran = match conn {
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES).map(|v| v.len()),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE).map(|v| v.len()),
    }
    .map_err(|e| DbError::Setup(format!("migration failed: {e}")))?;
    if ran > 0 {
        tracing::info!(ran, "database migrations applied");
    }
    Ok(ran)
}

#[cfg(test)]
mod tests {
    use diesel_migrations::MigrationHarness;
    use std::collections::BTreeSet;

    fn names(dir: &str) -> BTreeSet<String> {
        std::fs::read_dir(format!(
            "{}/../../migrations/{dir}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("migrations folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
    }

    /// The SQLite rebuild of `initiatives` (000006) keeps every row, tag and member of a
    /// database made before it, and leaves foreign keys enforced.
    #[test]
    fn upgrading_sqlite_keeps_initiatives_tags_and_members() {
        use diesel::{Connection, RunQueryDsl, connection::SimpleConnection};
        let dir = std::env::temp_dir().join(format!("agora-migrate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("old.sqlite3");
        let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).expect("db");
        conn.batch_execute("PRAGMA foreign_keys = ON;")
            .expect("pragma");
        for _ in 0..5 {
            conn.run_next_migration(super::SQLITE)
                .expect("an old migration");
        }
        conn.batch_execute(
            "INSERT INTO actors (id, ap_id, actor_type, username, domain, inbox, public_key_pem, local, created_at, last_refreshed_at)
               VALUES (1, 'http://h/users/a', 'Person', 'a', 'h', 'http://h/users/a/inbox', 'k', TRUE, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
                      (2, 'http://h/initiatives/g', 'Group', 'g', 'h', 'http://h/initiatives/g/inbox', 'k', TRUE, '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             INSERT INTO users (id, actor_id, password_hash, created_at) VALUES (1, 1, 'x', '2026-01-01 00:00:00');
             INSERT INTO initiatives (id, actor_id, goals, created_by, created_at, updated_at)
               VALUES (7, 2, 'goals', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             INSERT INTO initiative_tags (initiative_id, tag) VALUES (7, 'ecologie');
             INSERT INTO initiative_members (initiative_id, actor_id, role, added_at)
               VALUES (7, 1, 'organizer', '2026-01-01 00:00:00');",
        )
        .expect("rows of the old schema");
        conn.run_pending_migrations(super::SQLITE)
            .expect("the new migrations");
        let count = |conn: &mut diesel::SqliteConnection, sql: &str| -> i64 {
            #[derive(diesel::QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            diesel::sql_query(sql)
                .get_result::<N>(conn)
                .expect("a count")
                .n
        };
        assert_eq!(
            count(
                &mut conn,
                "SELECT COUNT(*) AS n FROM initiatives WHERE id = 7 AND created_by = 1"
            ),
            1
        );
        assert_eq!(
            count(&mut conn, "SELECT COUNT(*) AS n FROM initiative_tags"),
            1
        );
        assert_eq!(
            count(&mut conn, "SELECT COUNT(*) AS n FROM initiative_members"),
            1
        );
        assert_eq!(
            count(
                &mut conn,
                "SELECT COUNT(*) AS n FROM pragma_foreign_key_check"
            ),
            0
        );
        assert_eq!(
            count(
                &mut conn,
                "SELECT foreign_keys AS n FROM pragma_foreign_keys"
            ),
            1
        );
        // A remote initiative (no creator) is now possible, and cascades still work.
        conn.batch_execute(
            "INSERT INTO initiatives (actor_id, created_at, updated_at) VALUES (1, '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             DELETE FROM initiatives WHERE id = 7;",
        )
        .expect("a remote initiative");
        assert_eq!(
            count(&mut conn, "SELECT COUNT(*) AS n FROM initiative_tags"),
            0
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite = names("sqlite");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, names("postgres"));
    }
}
