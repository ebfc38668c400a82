//! Petitions that moved here with their initiative: where each was, and the last checkpoint its
//! old node signed, which the leaves brought here were checked against.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::moved_petitions::{self, dsl},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A moved petition's provenance.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = moved_petitions)]
pub struct MovedPetition {
    /// The petition here.
    pub petition_id: i64,
    /// Its id on the old node.
    pub former_ap_id: String,
    /// Its log on the old node.
    pub former_log: String,
    /// The old node's checkpoint key (signed-note verifier key).
    pub log_key: String,
    /// The old node's last checkpoint of it (C2SP signed note).
    pub checkpoint: String,
    /// The leaves brought: that checkpoint's size.
    pub size: i64,
    /// When it came.
    pub moved_at: NaiveDateTime,
}

/// Records where a petition came from.
pub fn insert(conn: &mut DbConn, moved: &MovedPetition) -> DbResult<()> {
    diesel::insert_into(moved_petitions::table)
        .values(moved)
        .execute(conn)?;
    Ok(())
}

/// Where a petition came from, when it moved here.
pub fn of_petition(conn: &mut DbConn, petition_id: i64) -> DbResult<Option<MovedPetition>> {
    dsl::moved_petitions
        .find(petition_id)
        .select(MovedPetition::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// The petition here that was at `former_ap_id` on its old node.
pub fn by_former(conn: &mut DbConn, former_ap_id: &str) -> DbResult<Option<i64>> {
    dsl::moved_petitions
        .filter(dsl::former_ap_id.eq(former_ap_id))
        .select(dsl::petition_id)
        .first(conn)
        .map_err(Into::into)
        .found()
}
