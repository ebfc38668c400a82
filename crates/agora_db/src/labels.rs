//! Labels on content, set by moderators or the detector; removed ones are kept.

use crate::{
    DbConn,
    error::DbResult,
    schema::labels::{self, dsl},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A label row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = labels)]
pub struct LabelRow {
    /// Row id.
    pub id: i64,
    /// `post`, `initiative` or `petition`.
    pub target_kind: String,
    /// What it is on.
    pub target_ap_id: String,
    /// `disputed`, `commercial`, `artificial_virality`.
    pub label: String,
    /// `moderator` or `detector`.
    pub source: String,
    /// Why.
    pub reason: String,
    /// A fact-check.
    pub link: Option<String>,
    /// The moderator who set it.
    pub set_by: Option<i64>,
    /// The report whose decision set it.
    pub report_id: Option<i64>,
    /// The moderator who confirmed the detector's label.
    pub confirmed_by: Option<i64>,
    /// When.
    pub confirmed_at: Option<NaiveDateTime>,
    /// The moderator who removed it.
    pub removed_by: Option<i64>,
    /// When.
    pub removed_at: Option<NaiveDateTime>,
    /// When it was set.
    pub created_at: NaiveDateTime,
}

/// A new label.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = labels)]
pub struct NewLabel {
    /// `post`, `initiative` or `petition`.
    pub target_kind: String,
    /// What it is on.
    pub target_ap_id: String,
    /// The label.
    pub label: String,
    /// Who set it.
    pub source: String,
    /// Why.
    pub reason: String,
    /// A fact-check.
    pub link: Option<String>,
    /// The moderator.
    pub set_by: Option<i64>,
    /// The report.
    pub report_id: Option<i64>,
    /// Now.
    pub created_at: NaiveDateTime,
}

/// Sets a label; false when the same label is already on the same thing.
pub fn set(conn: &mut DbConn, label: &NewLabel) -> DbResult<bool> {
    let inserted = crate::on_backend!(conn, |conn| diesel::insert_into(labels::table)
        .values(label)
        .on_conflict_do_nothing()
        .execute(conn))?;
    Ok(inserted == 1)
}

/// The labels in force on these things.
pub fn live_on(conn: &mut DbConn, ap_ids: &[String]) -> DbResult<Vec<LabelRow>> {
    if ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(dsl::labels
        .filter(dsl::target_ap_id.eq_any(ap_ids))
        .filter(dsl::removed_at.is_null())
        .order(dsl::id.asc())
        .select(LabelRow::as_select())
        .load(conn)?)
}

/// A label by row id.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<LabelRow> {
    Ok(dsl::labels
        .find(id)
        .select(LabelRow::as_select())
        .first(conn)?)
}

/// The labels in force, newest first, the detector's unconfirmed ones first when `pending`.
pub fn live(conn: &mut DbConn, pending_only: bool, limit: i64) -> DbResult<Vec<LabelRow>> {
    let mut query = dsl::labels
        .filter(dsl::removed_at.is_null())
        .order(dsl::id.desc())
        .limit(limit)
        .select(LabelRow::as_select())
        .into_boxed();
    if pending_only {
        query = query
            .filter(dsl::confirmed_at.is_null())
            .filter(dsl::source.eq(agora_core::signage::LabelSource::Detector.as_str()));
    }
    Ok(query.load(conn)?)
}

/// A moderator confirms a label; false when it was removed or confirmed already.
pub fn confirm(conn: &mut DbConn, id: i64, by: i64) -> DbResult<bool> {
    let changed = diesel::update(
        dsl::labels
            .find(id)
            .filter(dsl::removed_at.is_null())
            .filter(dsl::confirmed_at.is_null()),
    )
    .set((
        dsl::confirmed_by.eq(Some(by)),
        dsl::confirmed_at.eq(Some(crate::now())),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Removes a label (kept for the record); false when it was removed already.
pub fn remove(conn: &mut DbConn, id: i64, by: Option<i64>) -> DbResult<bool> {
    let changed = diesel::update(dsl::labels.find(id).filter(dsl::removed_at.is_null()))
        .set((
            dsl::removed_by.eq(by),
            dsl::removed_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Removes the label a report's decision set (an appeal reversed it).
pub fn remove_of_report(conn: &mut DbConn, report_id: i64) -> DbResult<()> {
    diesel::update(
        dsl::labels
            .filter(dsl::report_id.eq(report_id))
            .filter(dsl::removed_at.is_null()),
    )
    .set(dsl::removed_at.eq(Some(crate::now())))
    .execute(conn)?;
    Ok(())
}

/// The labels set in `[from, to)`: (label, source, confirmed, removed).
pub fn set_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> DbResult<Vec<(String, String, bool, bool)>> {
    let rows: Vec<(String, String, Option<NaiveDateTime>, Option<NaiveDateTime>)> = dsl::labels
        .filter(dsl::created_at.ge(from))
        .filter(dsl::created_at.lt(to))
        .select((dsl::label, dsl::source, dsl::confirmed_at, dsl::removed_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(l, s, c, r)| (l, s, c.is_some(), r.is_some()))
        .collect())
}
