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

    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite = names("sqlite");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, names("postgres"));
    }
}
