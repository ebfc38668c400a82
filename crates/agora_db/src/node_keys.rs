//! The node's own keys other than its actors' (the Ed25519 key that signs checkpoints).

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::node_keys::dsl,
};
use diesel::prelude::*;

/// A stored key: its signed-note encodings.
#[derive(Debug, Clone, Queryable)]
pub struct NodeKey {
    /// What it is for.
    pub name: String,
    /// Never served.
    pub secret: String,
    /// Published.
    pub public: String,
    /// When it was made.
    pub created_at: chrono::NaiveDateTime,
}

/// The key with this name, if made.
pub fn get(conn: &mut DbConn, name: &str) -> DbResult<Option<NodeKey>> {
    dsl::node_keys
        .filter(dsl::name.eq(name))
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Stores a key unless one has this name already (two processes starting at once keep the
/// first); gives the one stored.
pub fn insert_or_get(
    conn: &mut DbConn,
    name: &str,
    secret: &str,
    public: &str,
) -> DbResult<NodeKey> {
    if let Some(key) = get(conn, name)? {
        return Ok(key);
    }
    let inserted = diesel::insert_into(dsl::node_keys)
        .values((
            dsl::name.eq(name),
            dsl::secret.eq(secret),
            dsl::public.eq(public),
            dsl::created_at.eq(crate::now()),
        ))
        .execute(conn)
        .map_err(crate::DbError::from);
    match inserted {
        Ok(_) | Err(crate::DbError::UniqueViolation) => {
            get(conn, name)?.ok_or(crate::DbError::NotFound)
        }
        Err(e) => Err(e),
    }
}
