//! What an account keeps out of its sight: accounts it blocks or mutes, servers it blocks.

use crate::{
    DbConn,
    actors::Actor,
    error::DbResult,
    schema::{account_filters::dsl, actors},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A block of an account.
pub const BLOCK: &str = "block";
/// A mute of an account.
pub const MUTE: &str = "mute";
/// A block of a whole server.
pub const DOMAIN_BLOCK: &str = "domain_block";

/// A filter row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::account_filters)]
pub struct Filter {
    /// Row id.
    pub id: i64,
    /// The account that set it: local, or another server's whose `Block` of an account here
    /// we received.
    pub actor_id: i64,
    /// [`BLOCK`], [`MUTE`] or [`DOMAIN_BLOCK`].
    pub kind: String,
    /// The account blocked or muted.
    pub target_id: Option<i64>,
    /// The server blocked.
    pub domain: Option<String>,
    /// A mute that hides notifications too.
    pub hide_notifications: bool,
    /// When it was set.
    pub created_at: NaiveDateTime,
}

/// Blocks or mutes an account; setting it again changes only `hide_notifications`. Gives
/// whether it is new.
pub fn set_on_account(
    conn: &mut DbConn,
    actor_id: i64,
    kind: &str,
    target_id: i64,
    hide_notifications: bool,
) -> DbResult<bool> {
    let existing: Option<i64> = dsl::account_filters
        .filter(dsl::actor_id.eq(actor_id))
        .filter(dsl::kind.eq(kind))
        .filter(dsl::target_id.eq(target_id))
        .select(dsl::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        diesel::update(dsl::account_filters.find(id))
            .set(dsl::hide_notifications.eq(hide_notifications))
            .execute(conn)?;
        return Ok(false);
    }
    diesel::insert_into(dsl::account_filters)
        .values((
            dsl::actor_id.eq(actor_id),
            dsl::kind.eq(kind),
            dsl::target_id.eq(Some(target_id)),
            dsl::hide_notifications.eq(hide_notifications),
            dsl::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Blocks a server. Gives whether it is new.
pub fn set_on_domain(conn: &mut DbConn, actor_id: i64, domain: &str) -> DbResult<bool> {
    let existing: i64 = dsl::account_filters
        .filter(dsl::actor_id.eq(actor_id))
        .filter(dsl::domain.eq(domain))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Ok(false);
    }
    diesel::insert_into(dsl::account_filters)
        .values((
            dsl::actor_id.eq(actor_id),
            dsl::kind.eq(DOMAIN_BLOCK),
            dsl::domain.eq(Some(domain)),
            dsl::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Lifts one of an account's filters of a kind. Gives whether there was one.
pub fn remove(conn: &mut DbConn, actor_id: i64, kind: &str, id: i64) -> DbResult<bool> {
    Ok(diesel::delete(
        dsl::account_filters
            .filter(dsl::id.eq(id))
            .filter(dsl::kind.eq(kind))
            .filter(dsl::actor_id.eq(actor_id)),
    )
    .execute(conn)?
        > 0)
}

/// Lifts an account's block or mute of another account, by that account. Gives whether there
/// was one.
pub fn remove_on_account(
    conn: &mut DbConn,
    actor_id: i64,
    kind: &str,
    target_id: i64,
) -> DbResult<bool> {
    Ok(diesel::delete(
        dsl::account_filters
            .filter(dsl::actor_id.eq(actor_id))
            .filter(dsl::kind.eq(kind))
            .filter(dsl::target_id.eq(target_id)),
    )
    .execute(conn)?
        > 0)
}

/// One of an account's filters of a kind, with the account it names (none for a server).
pub fn one(
    conn: &mut DbConn,
    actor_id: i64,
    kind: &str,
    id: i64,
) -> DbResult<Option<(Filter, Option<Actor>)>> {
    let found: Option<Filter> = dsl::account_filters
        .filter(dsl::id.eq(id))
        .filter(dsl::kind.eq(kind))
        .filter(dsl::actor_id.eq(actor_id))
        .select(Filter::as_select())
        .first(conn)
        .optional()?;
    let Some(filter) = found else {
        return Ok(None);
    };
    let target = match filter.target_id {
        Some(t) => Some(crate::actors::by_id(conn, t)?),
        None => None,
    };
    Ok(Some((filter, target)))
}

/// The inboxes of the other servers' accounts that block `target_id` (their `Block` came
/// here), one per address: they are told when it moves, as its followers are.
pub fn blockers_inboxes(conn: &mut DbConn, target_id: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String, Option<String>)> = dsl::account_filters
        .inner_join(actors::table.on(actors::id.eq(dsl::actor_id)))
        .filter(dsl::target_id.eq(target_id))
        .filter(dsl::kind.eq(BLOCK))
        .filter(actors::local.eq(false))
        .select((actors::inbox, actors::shared_inbox))
        .load(conn)?;
    Ok(crate::actors::one_inbox_each(rows))
}

/// An account's blocks or mutes of accounts, with those accounts, oldest first.
pub fn on_accounts(conn: &mut DbConn, actor_id: i64, kind: &str) -> DbResult<Vec<(Filter, Actor)>> {
    Ok(dsl::account_filters
        .inner_join(actors::table.on(actors::id.nullable().eq(dsl::target_id)))
        .filter(dsl::actor_id.eq(actor_id))
        .filter(dsl::kind.eq(kind))
        .order(dsl::id.asc())
        .select((Filter::as_select(), Actor::as_select()))
        .load(conn)?)
}

/// An account's blocked servers, oldest first.
pub fn on_domains(conn: &mut DbConn, actor_id: i64) -> DbResult<Vec<Filter>> {
    Ok(dsl::account_filters
        .filter(dsl::actor_id.eq(actor_id))
        .filter(dsl::kind.eq(DOMAIN_BLOCK))
        .order(dsl::id.asc())
        .select(Filter::as_select())
        .load(conn)?)
}

/// Whether `actor_id` blocks `other` (the account, or its server).
pub fn blocks(conn: &mut DbConn, actor_id: i64, other: &Actor) -> DbResult<bool> {
    let n: i64 = dsl::account_filters
        .filter(dsl::actor_id.eq(actor_id))
        .filter(
            dsl::kind
                .eq(BLOCK)
                .and(dsl::target_id.eq(other.id))
                .or(dsl::kind
                    .eq(DOMAIN_BLOCK)
                    .and(dsl::domain.eq(&other.domain))),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The blocks and mutes of `from` (an account that moved) set again on `to` (where it moved),
/// as Mastodon carries them over. Gives how many.
pub fn carry_over(conn: &mut DbConn, from: i64, to: i64) -> DbResult<usize> {
    let filters: Vec<Filter> = dsl::account_filters
        .filter(dsl::target_id.eq(from))
        .select(Filter::as_select())
        .load(conn)?;
    for f in &filters {
        set_on_account(conn, f.actor_id, &f.kind, to, f.hide_notifications)?;
    }
    Ok(filters.len())
}
