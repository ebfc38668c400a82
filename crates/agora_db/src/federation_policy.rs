//! Moderators' live federation rules and the log of every change to the policy.

use crate::{
    DbConn,
    error::DbResult,
    schema::{domain_policies, federation_log},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What the log says happened.
pub mod change {
    /// A rule was set.
    pub const SET: &str = "set";
    /// A rule was lifted.
    pub const LIFTED: &str = "lifted";
    /// The mode changed.
    pub const MODE: &str = "mode";
}

/// A live rule.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = domain_policies)]
pub struct Rule {
    /// The domain.
    pub domain: String,
    /// `block`, `allow`, `silence`, `reject_media`, `reject_reports`.
    pub policy: String,
    /// Why.
    pub reason: String,
    /// The moderator who set it.
    pub set_by: Option<i64>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// One change of the policy.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = federation_log)]
pub struct LogEntry {
    /// Row id.
    pub id: i64,
    /// `set`, `lifted` or `mode`.
    pub change: String,
    /// The domain of a rule.
    pub domain: Option<String>,
    /// The rule's policy, or the new mode.
    pub policy: String,
    /// Why.
    pub reason: String,
    /// The moderator.
    pub set_by: Option<i64>,
    /// The report whose decision made it.
    pub report_id: Option<i64>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A change to record.
pub struct Change<'a> {
    /// `set`, `lifted` or `mode`.
    pub change: &'a str,
    /// The domain of a rule.
    pub domain: Option<&'a str>,
    /// The rule's policy, or the new mode.
    pub policy: &'a str,
    /// Why.
    pub reason: &'a str,
    /// The moderator.
    pub by: Option<i64>,
    /// The report whose decision made it.
    pub report_id: Option<i64>,
}

/// Every live rule.
pub fn rules(conn: &mut DbConn) -> DbResult<Vec<Rule>> {
    Ok(domain_policies::table
        .order((domain_policies::domain, domain_policies::policy))
        .select(Rule::as_select())
        .load(conn)?)
}

/// The mode moderators set last, if they ever did.
pub fn live_mode(conn: &mut DbConn) -> DbResult<Option<String>> {
    Ok(federation_log::table
        .filter(federation_log::change.eq(change::MODE))
        .order(federation_log::id.desc())
        .select(federation_log::policy)
        .first(conn)
        .optional()?)
}

/// Sets a rule and logs it; false when it was set already.
pub fn set(conn: &mut DbConn, c: &Change) -> DbResult<bool> {
    let (Some(domain), now) = (c.domain, crate::now()) else {
        return Ok(false);
    };
    let inserted = crate::on_backend!(conn, |conn| diesel::insert_into(domain_policies::table)
        .values((
            domain_policies::domain.eq(domain),
            domain_policies::policy.eq(c.policy),
            domain_policies::reason.eq(c.reason),
            domain_policies::set_by.eq(c.by),
            domain_policies::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn))?;
    if inserted == 1 {
        log(conn, c)?;
    }
    Ok(inserted == 1)
}

/// Lifts a rule and logs it; false when there was none.
pub fn lift(conn: &mut DbConn, c: &Change) -> DbResult<bool> {
    let Some(domain) = c.domain else {
        return Ok(false);
    };
    let removed = diesel::delete(
        domain_policies::table
            .filter(domain_policies::domain.eq(domain))
            .filter(domain_policies::policy.eq(c.policy)),
    )
    .execute(conn)?;
    if removed == 1 {
        log(conn, c)?;
    }
    Ok(removed == 1)
}

/// Records a change in the log.
pub fn log(conn: &mut DbConn, c: &Change) -> DbResult<()> {
    diesel::insert_into(federation_log::table)
        .values((
            federation_log::change.eq(c.change),
            federation_log::domain.eq(c.domain),
            federation_log::policy.eq(c.policy),
            federation_log::reason.eq(c.reason),
            federation_log::set_by.eq(c.by),
            federation_log::report_id.eq(c.report_id),
            federation_log::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The log, newest first, before row `before` when given, at most `limit`.
pub fn entries(conn: &mut DbConn, before: Option<i64>, limit: i64) -> DbResult<Vec<LogEntry>> {
    let mut query = federation_log::table
        .order(federation_log::id.desc())
        .limit(limit)
        .select(LogEntry::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(federation_log::id.lt(before));
    }
    Ok(query.load(conn)?)
}

/// The policy changes made in `[from, to)`: (change, policy).
pub fn changes_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> DbResult<Vec<(String, String)>> {
    Ok(federation_log::table
        .filter(federation_log::created_at.ge(from))
        .filter(federation_log::created_at.lt(to))
        .select((federation_log::change, federation_log::policy))
        .load(conn)?)
}
