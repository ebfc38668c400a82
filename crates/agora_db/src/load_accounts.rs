//! Accounts for load tests, written a few hundred per statement: the viral benchmark on
//! PostgreSQL needs 400 000 of them, and seven round trips each took seven minutes.

use crate::{
    DbConn, DbError,
    actors::ActorForm,
    error::DbResult,
    schema::{actors, sessions, users},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;

/// Rows per statement: far below both backends' limits on bound values (an actor has about
/// twenty columns).
const ROWS: usize = 500;

/// One confirmed account with one session.
pub struct LoadAccount {
    /// Its actor.
    pub actor: ActorForm,
    /// Its confirmed e-mail address.
    pub email: String,
    /// The hash of its session's token.
    pub token_hash: String,
    /// The session's CSRF token.
    pub csrf: String,
}

/// What every account of the batch shares.
pub struct Shared<'a> {
    /// The password hash.
    pub password_hash: &'a str,
    /// The role.
    pub role: &'a str,
    /// The session kind.
    pub session_kind: &'a str,
    /// When the sessions expire.
    pub expires_at: NaiveDateTime,
}

/// Inserts the accounts, confirmed and approved, with their actors and sessions.
pub fn insert(conn: &mut DbConn, accounts: &[LoadAccount], shared: &Shared) -> DbResult<()> {
    let now = crate::now();
    for chunk in accounts.chunks(ROWS) {
        let actor_rows: Vec<_> = chunk
            .iter()
            .map(|a| (&a.actor, actors::created_at.eq(now)))
            .collect();
        let made: Vec<(String, i64)> =
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(actors::table)
                .values(actor_rows)
                .returning((actors::ap_id, actors::id))
                .get_results(c))?;
        let actor_ids: HashMap<String, i64> = made.into_iter().collect();
        let id_of = |a: &LoadAccount| {
            actor_ids
                .get(&a.actor.ap_id)
                .copied()
                .ok_or_else(|| DbError::Task("a new actor came back without its id".into()))
        };
        let user_rows = chunk
            .iter()
            .map(|a| {
                Ok((
                    users::actor_id.eq(id_of(a)?),
                    users::email.eq(Some(a.email.as_str())),
                    users::email_confirmed_at.eq(Some(now)),
                    users::password_hash.eq(shared.password_hash),
                    users::role.eq(shared.role),
                    users::approved.eq(true),
                    users::created_at.eq(now),
                ))
            })
            .collect::<DbResult<Vec<_>>>()?;
        let made: Vec<(i64, i64)> =
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(users::table)
                .values(user_rows)
                .returning((users::actor_id, users::id))
                .get_results(c))?;
        let user_ids: HashMap<i64, i64> = made.into_iter().collect();
        let session_rows = chunk
            .iter()
            .map(|a| {
                let user = user_ids
                    .get(&id_of(a)?)
                    .copied()
                    .ok_or_else(|| DbError::Task("a new user came back without its id".into()))?;
                Ok((
                    sessions::user_id.eq(user),
                    sessions::token_hash.eq(a.token_hash.as_str()),
                    sessions::kind.eq(shared.session_kind),
                    sessions::csrf_token.eq(a.csrf.as_str()),
                    sessions::created_at.eq(now),
                    sessions::expires_at.eq(shared.expires_at),
                ))
            })
            .collect::<DbResult<Vec<_>>>()?;
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(sessions::table)
            .values(session_rows)
            .execute(c))?;
    }
    Ok(())
}
