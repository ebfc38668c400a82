//! Appeals of moderators' decisions: one per decision that did something, made with it,
//! filled once by the reported account, decided by another moderator.

use crate::{
    DbConn,
    error::DbResult,
    schema::appeals::{self, dsl},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An appeal row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = appeals)]
pub struct Appeal {
    /// The report whose decision it is about.
    pub report_id: i64,
    /// The hash of the token of the appeal link in the statement of reasons.
    pub token_hash: String,
    /// What the account wrote, once it appealed.
    pub text: Option<String>,
    /// When it appealed.
    pub appealed_at: Option<NaiveDateTime>,
    /// `upheld` or `reversed`.
    pub outcome: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The moderator who decided it.
    pub decided_by: Option<i64>,
    /// When.
    pub decided_at: Option<NaiveDateTime>,
}

/// Opens the appeal of a decision, with the hash of its link's token.
pub fn open(conn: &mut DbConn, report_id: i64, token_hash: &str) -> DbResult<()> {
    diesel::insert_into(appeals::table)
        .values((dsl::report_id.eq(report_id), dsl::token_hash.eq(token_hash)))
        .execute(conn)?;
    Ok(())
}

/// The appeal of a report's decision, if the decision can be appealed.
pub fn of(conn: &mut DbConn, report_id: i64) -> DbResult<Option<Appeal>> {
    Ok(dsl::appeals
        .find(report_id)
        .select(Appeal::as_select())
        .first(conn)
        .optional()?)
}

/// The appeals of several reports.
pub fn of_many(conn: &mut DbConn, report_ids: &[i64]) -> DbResult<Vec<Appeal>> {
    Ok(dsl::appeals
        .filter(dsl::report_id.eq_any(report_ids))
        .select(Appeal::as_select())
        .load(conn)?)
}

/// Records the account's appeal; false when it appealed already (once only).
pub fn file(conn: &mut DbConn, report_id: i64, text: &str) -> DbResult<bool> {
    let changed = diesel::update(
        dsl::appeals
            .find(report_id)
            .filter(dsl::appealed_at.is_null()),
    )
    .set((
        dsl::text.eq(Some(text)),
        dsl::appealed_at.eq(Some(crate::now())),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Records the decision on an appeal; false when there is no appeal waiting.
pub fn decide(
    conn: &mut DbConn,
    report_id: i64,
    outcome: &str,
    reason: &str,
    by: i64,
) -> DbResult<bool> {
    let changed = diesel::update(
        dsl::appeals
            .find(report_id)
            .filter(dsl::appealed_at.is_not_null())
            .filter(dsl::decided_at.is_null()),
    )
    .set((
        dsl::outcome.eq(Some(outcome)),
        dsl::reason.eq(Some(reason)),
        dsl::decided_by.eq(Some(by)),
        dsl::decided_at.eq(Some(crate::now())),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// What the yearly report reads of an appeal: its outcome, when it was made, when decided.
pub type AppealTimes = (Option<String>, NaiveDateTime, Option<NaiveDateTime>);

/// The appeals made in `[from, to)`.
pub fn made_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> DbResult<Vec<AppealTimes>> {
    Ok(dsl::appeals
        .filter(dsl::appealed_at.ge(from))
        .filter(dsl::appealed_at.lt(to))
        .select((
            dsl::outcome,
            dsl::appealed_at.assume_not_null(),
            dsl::decided_at,
        ))
        .load(conn)?)
}
