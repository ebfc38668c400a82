//! Imports of Mastodon's CSVs: the import, and one row per line of its file.

use crate::{
    DbConn,
    error::DbResult,
    schema::{import_rows, imports},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An import.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = imports)]
pub struct Import {
    /// Row id.
    pub id: i64,
    /// The account importing.
    pub user_id: i64,
    /// `following`, `blocks`, `mutes` or `domain_blocks`.
    pub kind: String,
    /// `queued`, `running` or `done`.
    pub status: String,
    /// Lines in the file.
    pub total: i64,
    /// Lines handled so far.
    pub processed: i64,
    /// Lines that failed.
    pub failed: i64,
    /// When it was asked for.
    pub created_at: NaiveDateTime,
    /// When it ended.
    pub finished_at: Option<NaiveDateTime>,
    /// The initiative here an initiative's archive is imported into.
    pub initiative_id: Option<i64>,
}

/// One line of an import.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_rows)]
pub struct ImportRow {
    /// The import.
    pub import_id: i64,
    /// Its line (from 1).
    pub line: i64,
    /// An account address or a domain.
    pub value: String,
    /// A mute that hides notifications too.
    pub hide_notifications: bool,
    /// `pending`, `done` or `failed`.
    pub state: String,
    /// Why it failed.
    pub error: Option<String>,
}

/// A line as parsed, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRow {
    /// Its line (from 1).
    pub line: i64,
    /// An account address or a domain.
    pub value: String,
    /// A mute that hides notifications too.
    pub hide_notifications: bool,
}

/// Stores an import and its lines; gives its id.
pub fn insert(
    conn: &mut DbConn,
    user_id: i64,
    initiative_id: Option<i64>,
    kind: &str,
    rows: &[NewRow],
) -> DbResult<i64> {
    let id: i64 = diesel::insert_into(imports::table)
        .values((
            imports::user_id.eq(user_id),
            imports::initiative_id.eq(initiative_id),
            imports::kind.eq(kind),
            imports::status.eq("queued"),
            imports::total.eq(rows.len() as i64),
            imports::created_at.eq(crate::now()),
        ))
        .returning(imports::id)
        .get_result(conn)?;
    for chunk in rows.chunks(500) {
        let values: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    import_rows::import_id.eq(id),
                    import_rows::line.eq(r.line),
                    import_rows::value.eq(r.value.as_str()),
                    import_rows::hide_notifications.eq(r.hide_notifications),
                    import_rows::state.eq("pending"),
                )
            })
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(import_rows::table)
            .values(&values)
            .execute(c))?;
    }
    Ok(id)
}

/// An import by id.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<Import> {
    Ok(imports::table
        .find(id)
        .select(Import::as_select())
        .first(conn)?)
}

/// An account's imports, newest first.
pub fn of_user(conn: &mut DbConn, user_id: i64, limit: i64) -> DbResult<Vec<Import>> {
    Ok(imports::table
        .filter(imports::user_id.eq(user_id))
        .order(imports::id.desc())
        .limit(limit)
        .select(Import::as_select())
        .load(conn)?)
}

/// The next lines still to handle, in file order.
pub fn pending(conn: &mut DbConn, import_id: i64, limit: i64) -> DbResult<Vec<ImportRow>> {
    Ok(import_rows::table
        .filter(import_rows::import_id.eq(import_id))
        .filter(import_rows::state.eq("pending"))
        .order(import_rows::line.asc())
        .limit(limit)
        .select(ImportRow::as_select())
        .load(conn)?)
}

/// The lines that failed, in file order.
pub fn failures(conn: &mut DbConn, import_id: i64, limit: i64) -> DbResult<Vec<ImportRow>> {
    Ok(import_rows::table
        .filter(import_rows::import_id.eq(import_id))
        .filter(import_rows::state.eq("failed"))
        .order(import_rows::line.asc())
        .limit(limit)
        .select(ImportRow::as_select())
        .load(conn)?)
}

/// Records a line's outcome (`None`: done; `Some(why)`: failed) and the import's counts.
pub fn finish_row(
    conn: &mut DbConn,
    import_id: i64,
    line: i64,
    error: Option<&str>,
) -> DbResult<()> {
    let changed = diesel::update(
        import_rows::table
            .filter(import_rows::import_id.eq(import_id))
            .filter(import_rows::line.eq(line))
            .filter(import_rows::state.eq("pending")),
    )
    .set((
        import_rows::state.eq(if error.is_some() { "failed" } else { "done" }),
        import_rows::error.eq(error),
    ))
    .execute(conn)?;
    if changed > 0 {
        let failed = i64::from(error.is_some());
        diesel::update(imports::table.find(import_id))
            .set((
                imports::status.eq("running"),
                imports::processed.eq(imports::processed + 1),
                imports::failed.eq(imports::failed + failed),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks an import done.
pub fn close(conn: &mut DbConn, import_id: i64) -> DbResult<()> {
    diesel::update(imports::table.find(import_id))
        .set((
            imports::status.eq("done"),
            imports::finished_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    Ok(())
}
