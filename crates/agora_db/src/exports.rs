//! Archives of an account's data: their state while a job builds them, and where they are.

use crate::{
    DbConn,
    error::DbResult,
    schema::exports::{self, dsl},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An export row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = exports)]
pub struct Export {
    /// Row id.
    pub id: i64,
    /// The account.
    pub user_id: i64,
    /// `queued`, `building`, `ready` or `failed`.
    pub status: String,
    /// 0 to 100.
    pub progress: i32,
    /// The archive's file name under `{data_dir}/exports`.
    pub file: Option<String>,
    /// Its size in bytes.
    pub size: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// When it was asked for.
    pub created_at: NaiveDateTime,
    /// When it was ready, or failed.
    pub finished_at: Option<NaiveDateTime>,
    /// The initiative archived, for an initiative's archive (its organizer asked); none for
    /// the account's own.
    pub initiative_id: Option<i64>,
}

/// Records a request of an account's archive, or of an initiative's; gives its id.
pub fn insert(
    conn: &mut DbConn,
    user_id: i64,
    initiative_id: Option<i64>,
    status: &str,
) -> DbResult<i64> {
    Ok(diesel::insert_into(exports::table)
        .values((
            dsl::user_id.eq(user_id),
            dsl::initiative_id.eq(initiative_id),
            dsl::status.eq(status),
            dsl::created_at.eq(crate::now()),
        ))
        .returning(dsl::id)
        .get_result(conn)?)
}

/// An export by id.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<Export> {
    Ok(dsl::exports
        .find(id)
        .select(Export::as_select())
        .first(conn)?)
}

/// An account's exports of its own data (none of an initiative's), newest first.
pub fn of_user(conn: &mut DbConn, user_id: i64, limit: i64) -> DbResult<Vec<Export>> {
    Ok(dsl::exports
        .filter(dsl::user_id.eq(user_id))
        .filter(dsl::initiative_id.is_null())
        .order(dsl::id.desc())
        .limit(limit)
        .select(Export::as_select())
        .load(conn)?)
}

/// Moves an export along: its status and progress.
pub fn progress(conn: &mut DbConn, id: i64, status: &str, progress: i32) -> DbResult<()> {
    diesel::update(dsl::exports.find(id))
        .set((dsl::status.eq(status), dsl::progress.eq(progress)))
        .execute(conn)?;
    Ok(())
}

/// Records the end of a build: the file and its size, or why it failed.
pub fn finish(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    file: Option<&str>,
    size: Option<i64>,
    error: Option<&str>,
) -> DbResult<()> {
    diesel::update(dsl::exports.find(id))
        .set((
            dsl::status.eq(status),
            dsl::progress.eq(if file.is_some() { 100 } else { 0 }),
            dsl::file.eq(file),
            dsl::size.eq(size),
            dsl::error.eq(error),
            dsl::finished_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    Ok(())
}

/// The archives of an initiative asked for by one account, newest first.
pub fn of_initiative(
    conn: &mut DbConn,
    user_id: i64,
    initiative_id: i64,
    limit: i64,
) -> DbResult<Vec<Export>> {
    Ok(dsl::exports
        .filter(dsl::user_id.eq(user_id))
        .filter(dsl::initiative_id.eq(initiative_id))
        .order(dsl::id.desc())
        .limit(limit)
        .select(Export::as_select())
        .load(conn)?)
}
