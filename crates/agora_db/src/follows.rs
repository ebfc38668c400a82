//! Follow relations between actors, with their state.

use crate::{
    DbConn,
    actors::Actor,
    error::{DbResult, OptionalExt},
    schema::{
        actors,
        follows::{self, dsl},
    },
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The follow waits for the target's answer.
pub const PENDING: &str = "pending";
/// The target accepted.
pub const ACCEPTED: &str = "accepted";

/// A follow row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = follows)]
pub struct Follow {
    /// Row id.
    pub id: i64,
    /// Id of the `Follow` activity.
    pub ap_id: String,
    /// Who follows.
    pub follower_id: i64,
    /// Who is followed.
    pub target_id: i64,
    /// `pending` or `accepted`.
    pub state: String,
    /// When asked.
    pub created_at: NaiveDateTime,
}

/// Records a follow request, or returns the existing one for the same pair (its id and state
/// stay as they were, so a repeated `Follow` is harmless).
pub fn insert_or_get(
    conn: &mut DbConn,
    ap_id: &str,
    follower_id: i64,
    target_id: i64,
    state: &str,
) -> DbResult<(Follow, bool)> {
    crate::write_transaction(conn, |conn| {
        if let Some(existing) = by_pair(conn, follower_id, target_id)? {
            return Ok((existing, false));
        }
        let id: i64 = diesel::insert_into(follows::table)
            .values((
                dsl::ap_id.eq(ap_id),
                dsl::follower_id.eq(follower_id),
                dsl::target_id.eq(target_id),
                dsl::state.eq(state),
                dsl::created_at.eq(crate::now()),
            ))
            .returning(dsl::id)
            .get_result(conn)?;
        let row = by_id(conn, id)?.ok_or(crate::DbError::NotFound)?;
        Ok((row, true))
    })
}

/// The follow between two actors, if any.
pub fn by_pair(conn: &mut DbConn, follower_id: i64, target_id: i64) -> DbResult<Option<Follow>> {
    dsl::follows
        .filter(dsl::follower_id.eq(follower_id))
        .filter(dsl::target_id.eq(target_id))
        .select(Follow::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// A follow by row id.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<Option<Follow>> {
    dsl::follows
        .find(id)
        .select(Follow::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// A follow by the id of its `Follow` activity.
pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> DbResult<Option<Follow>> {
    dsl::follows
        .filter(dsl::ap_id.eq(ap_id))
        .select(Follow::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Sets the state of a follow.
pub fn set_state(conn: &mut DbConn, id: i64, state: &str) -> DbResult<()> {
    diesel::update(dsl::follows.find(id))
        .set(dsl::state.eq(state))
        .execute(conn)?;
    Ok(())
}

/// Removes a follow.
pub fn delete(conn: &mut DbConn, id: i64) -> DbResult<()> {
    diesel::delete(dsl::follows.find(id)).execute(conn)?;
    Ok(())
}

/// The accepted followers of an actor, oldest first, paged by follow row id.
pub fn followers(
    conn: &mut DbConn,
    target_id: i64,
    after_id: i64,
    limit: i64,
) -> DbResult<Vec<(Follow, Actor)>> {
    Ok(follows::table
        .inner_join(actors::table.on(actors::id.eq(dsl::follower_id)))
        .filter(dsl::target_id.eq(target_id))
        .filter(dsl::state.eq(ACCEPTED))
        .filter(dsl::id.gt(after_id))
        .order(dsl::id.asc())
        .limit(limit)
        .select((Follow::as_select(), Actor::as_select()))
        .load(conn)?)
}

/// The followers on this node of an actor (accepted), oldest first.
pub fn local_followers(conn: &mut DbConn, target_id: i64) -> DbResult<Vec<(Follow, Actor)>> {
    Ok(follows::table
        .inner_join(actors::table.on(actors::id.eq(dsl::follower_id)))
        .filter(dsl::target_id.eq(target_id))
        .filter(dsl::state.eq(ACCEPTED))
        .filter(actors::local.eq(true))
        .order(dsl::id.asc())
        .select((Follow::as_select(), Actor::as_select()))
        .load(conn)?)
}

/// The actors of one server that an actor follows or is followed by (any state), each once.
pub fn counterparts_on(conn: &mut DbConn, actor_id: i64, domain: &str) -> DbResult<Vec<Actor>> {
    let mut found: Vec<Actor> = follows::table
        .inner_join(
            actors::table.on(actors::id
                .eq(dsl::target_id)
                .and(dsl::follower_id.eq(actor_id))
                .or(actors::id
                    .eq(dsl::follower_id)
                    .and(dsl::target_id.eq(actor_id)))),
        )
        .filter(actors::domain.eq(domain))
        .select(Actor::as_select())
        .load(conn)?;
    found.sort_by_key(|a| a.id);
    found.dedup_by_key(|a| a.id);
    Ok(found)
}

/// The actors an actor follows (accepted), oldest first, paged by follow row id.
pub fn following(
    conn: &mut DbConn,
    follower_id: i64,
    after_id: i64,
    limit: i64,
) -> DbResult<Vec<(Follow, Actor)>> {
    Ok(follows::table
        .inner_join(actors::table.on(actors::id.eq(dsl::target_id)))
        .filter(dsl::follower_id.eq(follower_id))
        .filter(dsl::state.eq(ACCEPTED))
        .filter(dsl::id.gt(after_id))
        .order(dsl::id.asc())
        .limit(limit)
        .select((Follow::as_select(), Actor::as_select()))
        .load(conn)?)
}

/// Follow requests waiting for an actor's answer.
pub fn pending_for(conn: &mut DbConn, target_id: i64) -> DbResult<Vec<(Follow, Actor)>> {
    Ok(follows::table
        .inner_join(actors::table.on(actors::id.eq(dsl::follower_id)))
        .filter(dsl::target_id.eq(target_id))
        .filter(dsl::state.eq(PENDING))
        .order(dsl::id.asc())
        .select((Follow::as_select(), Actor::as_select()))
        .load(conn)?)
}

/// Counts accepted followers.
pub fn count_followers(conn: &mut DbConn, target_id: i64) -> DbResult<i64> {
    Ok(dsl::follows
        .filter(dsl::target_id.eq(target_id))
        .filter(dsl::state.eq(ACCEPTED))
        .count()
        .get_result(conn)?)
}

/// Counts accepted followings.
pub fn count_following(conn: &mut DbConn, follower_id: i64) -> DbResult<i64> {
    Ok(dsl::follows
        .filter(dsl::follower_id.eq(follower_id))
        .filter(dsl::state.eq(ACCEPTED))
        .count()
        .get_result(conn)?)
}

/// The distinct delivery inboxes of an actor's remote accepted followers (shared inbox when
/// their server has one), so one request reaches each server once.
pub fn remote_follower_inboxes(conn: &mut DbConn, target_id: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String, Option<String>)> = follows::table
        .inner_join(actors::table.on(actors::id.eq(dsl::follower_id)))
        .filter(dsl::target_id.eq(target_id))
        .filter(dsl::state.eq(ACCEPTED))
        .filter(actors::local.eq(false))
        .filter(actors::deleted_at.is_null())
        .select((actors::inbox, actors::shared_inbox))
        .load(conn)?;
    Ok(crate::actors::one_inbox_each(rows))
}

/// Whether any local actor follows this actor (accepted).
pub fn has_local_follower(conn: &mut DbConn, target_id: i64) -> DbResult<bool> {
    let n: i64 = follows::table
        .inner_join(actors::table.on(actors::id.eq(dsl::follower_id)))
        .filter(dsl::target_id.eq(target_id))
        .filter(dsl::state.eq(ACCEPTED))
        .filter(actors::local.eq(true))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Everything an actor follows or asked to follow, newest first.
pub fn outgoing(conn: &mut DbConn, follower_id: i64) -> DbResult<Vec<(Follow, Actor)>> {
    Ok(follows::table
        .inner_join(actors::table.on(actors::id.eq(dsl::target_id)))
        .filter(dsl::follower_id.eq(follower_id))
        .order(dsl::id.desc())
        .limit(1000)
        .select((Follow::as_select(), Actor::as_select()))
        .load(conn)?)
}
