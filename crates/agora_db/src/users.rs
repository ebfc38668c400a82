//! Local accounts: credentials, role and the link to their `Person` actor.

use crate::{
    DbConn,
    actors::Actor,
    error::{DbResult, OptionalExt},
    schema::{
        actors,
        users::{self, dsl},
    },
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A local account row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// The account's actor.
    pub actor_id: i64,
    /// The confirmed address (unique); never shown or federated.
    pub email: Option<String>,
    /// When the address was confirmed.
    pub email_confirmed_at: Option<NaiveDateTime>,
    /// The address given and not confirmed yet (not unique: holding an address is proven by
    /// confirming it).
    pub unconfirmed_email: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// `user`, `moderator` or `admin`.
    pub role: String,
    /// False while a sign-up waits for approval.
    pub approved: bool,
    /// Chosen interface language.
    pub locale: Option<String>,
    /// Sign-up time.
    pub created_at: NaiveDateTime,
    /// The version of the terms of service the account accepted (0: none).
    pub terms_accepted: i32,
    /// When the owner's requested deletion happens; `None` when none is pending.
    pub deletion_due_at: Option<NaiveDateTime>,
}

/// Fields of a new account.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct UserForm {
    /// The actor created with it.
    pub actor_id: i64,
    /// E-mail address, if given, until it is confirmed.
    pub unconfirmed_email: Option<String>,
    /// Argon2id hash.
    pub password_hash: String,
    /// Role.
    pub role: String,
    /// Approved at once?
    pub approved: bool,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// The version of the terms accepted on signing up (0 when none was in effect).
    pub terms_accepted: i32,
}

/// Inserts an account.
pub fn insert(conn: &mut DbConn, form: &UserForm) -> DbResult<User> {
    let id: i64 = diesel::insert_into(users::table)
        .values(form)
        .returning(dsl::id)
        .get_result(conn)?;
    by_id(conn, id)
}

/// The account with this id.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<User> {
    Ok(dsl::users.find(id).select(User::as_select()).first(conn)?)
}

/// The account and actor of a local username.
pub fn by_username(conn: &mut DbConn, username: &str) -> DbResult<Option<(User, Actor)>> {
    users::table
        .inner_join(actors::table)
        .filter(actors::username.eq(username))
        .filter(actors::local.eq(true))
        .filter(actors::deleted_at.is_null())
        .select((User::as_select(), Actor::as_select()))
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// The account of an actor, when the actor is a local person.
pub fn by_actor(conn: &mut DbConn, actor_id: i64) -> DbResult<Option<User>> {
    dsl::users
        .filter(dsl::actor_id.eq(actor_id))
        .select(User::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Whether an account holds this address, confirmed.
pub fn email_taken(conn: &mut DbConn, email: &str) -> DbResult<bool> {
    let n: i64 = dsl::users
        .filter(dsl::email.eq(email))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether an account waits for the confirmation of this address, or holds it confirmed.
pub fn email_claimed(conn: &mut DbConn, email: &str) -> DbResult<bool> {
    let n: i64 = dsl::users
        .filter(dsl::email.eq(email).or(dsl::unconfirmed_email.eq(email)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Replaces the password hash.
pub fn set_password_hash(conn: &mut DbConn, id: i64, hash: &str) -> DbResult<()> {
    diesel::update(dsl::users.find(id))
        .set(dsl::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

/// Sets the role.
pub fn set_role(conn: &mut DbConn, id: i64, role: &str) -> DbResult<()> {
    diesel::update(dsl::users.find(id))
        .set(dsl::role.eq(role))
        .execute(conn)?;
    Ok(())
}

/// Approves a pending sign-up.
pub fn approve(conn: &mut DbConn, id: i64) -> DbResult<()> {
    diesel::update(dsl::users.find(id))
        .set(dsl::approved.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Records a confirmed e-mail address.
/// Fails with `UniqueViolation` when another account confirmed the address first.
pub fn confirm_email(conn: &mut DbConn, id: i64, email: &str) -> DbResult<()> {
    diesel::update(dsl::users.find(id))
        .set((
            dsl::email.eq(Some(email)),
            dsl::email_confirmed_at.eq(Some(crate::now())),
            dsl::unconfirmed_email.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets the interface language.
pub fn set_locale(conn: &mut DbConn, id: i64, locale: Option<&str>) -> DbResult<()> {
    diesel::update(dsl::users.find(id))
        .set(dsl::locale.eq(locale))
        .execute(conn)?;
    Ok(())
}

/// Counts accounts (for NodeInfo).
pub fn count(conn: &mut DbConn) -> DbResult<i64> {
    Ok(dsl::users.count().get_result(conn)?)
}

/// Accounts waiting for approval, oldest first.
pub fn pending(conn: &mut DbConn) -> DbResult<Vec<(User, Actor)>> {
    Ok(users::table
        .inner_join(actors::table)
        .filter(dsl::approved.eq(false))
        .order(dsl::id.asc())
        .select((User::as_select(), Actor::as_select()))
        .load(conn)?)
}

/// Records that an account accepted a version of the terms.
pub fn accept_terms(conn: &mut DbConn, id: i64, version: i32) -> DbResult<()> {
    diesel::update(dsl::users.find(id))
        .set(dsl::terms_accepted.eq(version))
        .execute(conn)?;
    Ok(())
}

/// Sets (or with `None` clears) the time the account is to be deleted.
pub fn set_deletion_due(conn: &mut DbConn, id: i64, at: Option<NaiveDateTime>) -> DbResult<()> {
    diesel::update(dsl::users.find(id))
        .set(dsl::deletion_due_at.eq(at))
        .execute(conn)?;
    Ok(())
}
