//! Boosts, likes and replies other servers' accounts made of our posts and petitions: what the
//! artificial-virality detector reads.

use crate::{
    DbConn,
    error::DbResult,
    schema::interactions::{self, dsl},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A new interaction.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = interactions)]
pub struct NewInteraction {
    /// Our post or petition.
    pub object_ap_id: String,
    /// `boost`, `like` or `reply`.
    pub kind: String,
    /// Who.
    pub actor_id: i64,
    /// Their server.
    pub actor_domain: String,
    /// When their server says their account was created.
    pub actor_published: Option<NaiveDateTime>,
    /// The activity (a retry records nothing new).
    pub activity_ap_id: String,
    /// When it arrived.
    pub created_at: NaiveDateTime,
}

/// Records an interaction; false when the activity was recorded already.
pub fn record(conn: &mut DbConn, new: &NewInteraction) -> DbResult<bool> {
    let inserted = crate::on_backend!(conn, |conn| diesel::insert_into(interactions::table)
        .values(new)
        .on_conflict_do_nothing()
        .execute(conn))?;
    Ok(inserted == 1)
}

/// The interactions with an object since `since`: (actor id, domain, actor published).
pub fn since(
    conn: &mut DbConn,
    object_ap_id: &str,
    since: NaiveDateTime,
) -> DbResult<Vec<(i64, String, Option<NaiveDateTime>)>> {
    Ok(dsl::interactions
        .filter(dsl::object_ap_id.eq(object_ap_id))
        .filter(dsl::created_at.ge(since))
        .select((dsl::actor_id, dsl::actor_domain, dsl::actor_published))
        .load(conn)?)
}
