//! Web sessions and API tokens (stored as SHA-256 hashes), and e-mail confirmation tokens.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::{
        email_tokens,
        sessions::{self, dsl},
    },
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A session or API token row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    /// Row id.
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// SHA-256 of the secret the client holds.
    pub token_hash: String,
    /// `web` (cookie) or `api` (bearer token).
    pub kind: String,
    /// Anti-forgery token for forms posted in this session.
    pub csrf_token: String,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// After this the session is refused.
    pub expires_at: NaiveDateTime,
}

/// Stores a new session.
pub fn insert(
    conn: &mut DbConn,
    user_id: i64,
    token_hash: &str,
    kind: &str,
    csrf_token: &str,
    expires_at: NaiveDateTime,
) -> DbResult<Session> {
    Ok(diesel::insert_into(sessions::table)
        .values((
            dsl::user_id.eq(user_id),
            dsl::token_hash.eq(token_hash),
            dsl::kind.eq(kind),
            dsl::csrf_token.eq(csrf_token),
            dsl::created_at.eq(crate::now()),
            dsl::expires_at.eq(expires_at),
        ))
        .returning(dsl::id)
        .get_result::<i64>(conn)
        .and_then(|id| {
            dsl::sessions
                .find(id)
                .select(Session::as_select())
                .first(conn)
        })?)
}

/// The unexpired session with this token hash, with its account and the account's actor:
/// one query, as every authenticated request asks it.
pub fn valid_with_account(
    conn: &mut DbConn,
    token_hash: &str,
) -> DbResult<Option<(Session, crate::users::User, crate::actors::Actor)>> {
    use crate::schema::{actors, users};
    // Not `valid_with_accounts` with one hash: diesel never caches a statement with an `IN`
    // list, and on SQLite, where every signed-in request runs this, parsing the join again
    // each time halved the viral petition's signatures (docs/benchmarks.md, session 7).
    dsl::sessions
        .inner_join(users::table.inner_join(actors::table))
        .filter(dsl::token_hash.eq(token_hash))
        .filter(dsl::expires_at.gt(crate::now()))
        .select((
            Session::as_select(),
            crate::users::User::as_select(),
            crate::actors::Actor::as_select(),
        ))
        .first(conn)
        .optional()
        .map_err(Into::into)
}

/// The unexpired sessions of many token hashes at once, each with its user and actor, in no
/// particular order (hashes without a session are left out).
pub fn valid_with_accounts(
    conn: &mut DbConn,
    token_hashes: &[String],
) -> DbResult<Vec<(Session, crate::users::User, crate::actors::Actor)>> {
    use crate::schema::{actors, users};
    Ok(dsl::sessions
        .inner_join(users::table.inner_join(actors::table))
        .filter(dsl::token_hash.eq_any(token_hashes))
        .filter(dsl::expires_at.gt(crate::now()))
        .select((
            Session::as_select(),
            crate::users::User::as_select(),
            crate::actors::Actor::as_select(),
        ))
        .load(conn)?)
}

/// Ends one session.
pub fn delete_by_hash(conn: &mut DbConn, token_hash: &str) -> DbResult<()> {
    diesel::delete(dsl::sessions.filter(dsl::token_hash.eq(token_hash))).execute(conn)?;
    Ok(())
}

/// Ends every session of a user (a suspension).
pub fn delete_all(conn: &mut DbConn, user_id: i64) -> DbResult<()> {
    diesel::delete(dsl::sessions.filter(dsl::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}

/// Ends every session of a user except one (after a password change).
pub fn delete_others(conn: &mut DbConn, user_id: i64, keep_hash: &str) -> DbResult<()> {
    diesel::delete(
        dsl::sessions
            .filter(dsl::user_id.eq(user_id))
            .filter(dsl::token_hash.ne(keep_hash)),
    )
    .execute(conn)?;
    Ok(())
}

/// Stores an e-mail confirmation token.
pub fn insert_email_token(
    conn: &mut DbConn,
    user_id: i64,
    token_hash: &str,
    email: &str,
    expires_at: NaiveDateTime,
) -> DbResult<()> {
    diesel::insert_into(email_tokens::table)
        .values((
            email_tokens::user_id.eq(user_id),
            email_tokens::token_hash.eq(token_hash),
            email_tokens::email.eq(email),
            email_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Consumes an unexpired e-mail token: returns (user id, address) and deletes it.
pub fn take_email_token(conn: &mut DbConn, token_hash: &str) -> DbResult<Option<(i64, String)>> {
    crate::write_transaction(conn, |conn| {
        let found: Option<(i64, String)> = email_tokens::table
            .filter(email_tokens::token_hash.eq(token_hash))
            .filter(email_tokens::expires_at.gt(crate::now()))
            .select((email_tokens::user_id, email_tokens::email))
            .first(conn)
            .map_err(Into::into)
            .found()?;
        diesel::delete(email_tokens::table.filter(email_tokens::token_hash.eq(token_hash)))
            .execute(conn)?;
        Ok(found)
    })
}
