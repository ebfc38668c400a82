//! The civic data an archive brought to an account (initiatives organised, petitions written,
//! signatures with their receipts, reports filed), kept as the archive gave it.

use crate::{DbConn, error::DbResult, schema::imported_records::dsl};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A record.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::imported_records)]
pub struct ImportedRecord {
    /// Row id.
    pub id: i64,
    /// The account.
    pub user_id: i64,
    /// `initiative`, `petition`, `signature` or `report`.
    pub kind: String,
    /// The record, as JSON.
    pub data: String,
    /// Its SHA-256.
    pub digest: String,
    /// When it was imported.
    pub imported_at: NaiveDateTime,
}

/// Keeps a record unless the account has it already. Gives whether it is new.
pub fn keep(
    conn: &mut DbConn,
    user_id: i64,
    kind: &str,
    data: &str,
    digest: &str,
) -> DbResult<bool> {
    let n: i64 = dsl::imported_records
        .filter(dsl::user_id.eq(user_id))
        .filter(dsl::digest.eq(digest))
        .count()
        .get_result(conn)?;
    if n > 0 {
        return Ok(false);
    }
    diesel::insert_into(dsl::imported_records)
        .values((
            dsl::user_id.eq(user_id),
            dsl::kind.eq(kind),
            dsl::data.eq(data),
            dsl::digest.eq(digest),
            dsl::imported_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// An account's records, oldest first.
pub fn of_user(conn: &mut DbConn, user_id: i64) -> DbResult<Vec<ImportedRecord>> {
    Ok(dsl::imported_records
        .filter(dsl::user_id.eq(user_id))
        .order(dsl::id.asc())
        .select(ImportedRecord::as_select())
        .load(conn)?)
}
