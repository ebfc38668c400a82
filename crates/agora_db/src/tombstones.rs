//! What was here and is gone, kept as a keyed hash of its address (the service computes it):
//! the address answers 410 Gone and is never given again, and no row names what it was.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::tombstones::dsl,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A buried address.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::tombstones)]
pub struct Tombstone {
    /// The keyed hash of the address.
    pub id_hash: String,
    /// What it was: `Person`, `Note`, `Question`.
    pub former_type: String,
    /// When it went.
    pub deleted_at: NaiveDateTime,
}

/// Buries addresses (already buried ones stay as they were).
pub fn insert_many(conn: &mut DbConn, hashes: &[String], former_type: &str) -> DbResult<()> {
    let now = crate::now();
    for chunk in hashes.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|h| {
                (
                    dsl::id_hash.eq(h.as_str()),
                    dsl::former_type.eq(former_type),
                    dsl::deleted_at.eq(now),
                )
            })
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(dsl::tombstones)
            .values(&rows)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// The tombstone of an address, by its hash.
pub fn get(conn: &mut DbConn, id_hash: &str) -> DbResult<Option<Tombstone>> {
    dsl::tombstones
        .filter(dsl::id_hash.eq(id_hash))
        .select(Tombstone::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}
