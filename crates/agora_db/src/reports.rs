//! Reports: filed here or received from other servers, and what moderators decided.

use crate::{
    DbConn,
    error::DbResult,
    schema::reports::{self, dsl},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A report row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reports)]
pub struct Report {
    /// Row id.
    pub id: i64,
    /// The `Flag`'s id: received, or sent when forwarded.
    pub flag_ap_id: Option<String>,
    /// The reporting server's host (ours for a report filed here).
    pub origin: String,
    /// The local account that filed it.
    pub reporter_id: Option<i64>,
    /// An incoming `Flag`'s actor.
    pub sender_id: Option<i64>,
    /// A visitor's address, for the rate limits only.
    pub client_addr: Option<String>,
    /// What it is about (`agora_core::report::TargetKind`).
    pub target_kind: String,
    /// The reported thing's ActivityPub id.
    pub target_ap_id: String,
    /// The account answerable for it.
    pub target_actor_id: Option<i64>,
    /// Other objects named (JSON array of ids).
    pub objects: String,
    /// The category (`agora_core::report::Category`).
    pub category: String,
    /// The reporter's comment.
    pub comment: String,
    /// Whether the reporter asked that the content's server be told.
    pub forward: bool,
    /// The content as it was when reported (JSON).
    pub snapshot: String,
    /// `open` or `decided`.
    pub status: String,
    /// The moderator it is assigned to.
    pub assigned_to: Option<i64>,
    /// What was decided (`agora_core::report::Action`).
    pub action: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The legal or terms ground.
    pub ground: Option<String>,
    /// Who decided.
    pub decided_by: Option<i64>,
    /// When.
    pub decided_at: Option<NaiveDateTime>,
    /// A forwarded report: what the other server decided.
    pub remote_action: Option<String>,
    /// And why.
    pub remote_reason: Option<String>,
    /// And when we heard it.
    pub remote_decided_at: Option<NaiveDateTime>,
    /// When it was filed or received.
    pub created_at: NaiveDateTime,
    /// The `Flag` that crossed servers (JSON), as received or as sent.
    pub flag: Option<String>,
}

/// A new report.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportForm {
    /// The received `Flag`'s id.
    pub flag_ap_id: Option<String>,
    /// The reporting server's host.
    pub origin: String,
    /// The local account that filed it.
    pub reporter_id: Option<i64>,
    /// An incoming `Flag`'s actor.
    pub sender_id: Option<i64>,
    /// A visitor's address.
    pub client_addr: Option<String>,
    /// What it is about.
    pub target_kind: String,
    /// The reported thing's ActivityPub id.
    pub target_ap_id: String,
    /// The account answerable for it.
    pub target_actor_id: Option<i64>,
    /// Other objects named (JSON array).
    pub objects: String,
    /// The category.
    pub category: String,
    /// The comment.
    pub comment: String,
    /// Tell the content's server.
    pub forward: bool,
    /// The content as it was (JSON).
    pub snapshot: String,
    /// `open`.
    pub status: String,
    /// Now.
    pub created_at: NaiveDateTime,
    /// The `Flag` received, or the one to send (JSON).
    pub flag: Option<String>,
}

/// A moderator's decision.
pub struct Decision<'a> {
    /// The action.
    pub action: &'a str,
    /// Why.
    pub reason: &'a str,
    /// The legal or terms ground.
    pub ground: Option<&'a str>,
    /// Who decided.
    pub by: i64,
    /// The status the report takes.
    pub status: &'a str,
}

/// What the queue shows: each filter applies when given.
#[derive(Debug, Default, Clone)]
pub struct QueueFilter {
    /// `open` or `decided`.
    pub status: Option<String>,
    /// A category.
    pub category: Option<String>,
    /// The reporting server's host.
    pub origin: Option<String>,
    /// The reported thing's id, or the answerable account's.
    pub target: Option<String>,
    /// Assigned to this moderator (actor id); `Some(None)`: to nobody.
    pub assigned: Option<Option<i64>>,
}

/// Stores a report.
pub fn insert(conn: &mut DbConn, form: &ReportForm) -> DbResult<Report> {
    let id: i64 = diesel::insert_into(reports::table)
        .values(form)
        .returning(dsl::id)
        .get_result(conn)?;
    by_id(conn, id)
}

/// A report by row id.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<Report> {
    Ok(dsl::reports
        .find(id)
        .select(Report::as_select())
        .first(conn)?)
}

/// The queue, oldest first, at most `limit`.
pub fn queue(conn: &mut DbConn, filter: &QueueFilter, limit: i64) -> DbResult<Vec<Report>> {
    let mut query = dsl::reports.select(Report::as_select()).into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(dsl::status.eq(status.clone()));
    }
    if let Some(category) = &filter.category {
        query = query.filter(dsl::category.eq(category.clone()));
    }
    if let Some(origin) = &filter.origin {
        query = query.filter(dsl::origin.eq(origin.clone()));
    }
    if let Some(target) = &filter.target {
        query = query.filter(dsl::target_ap_id.eq(target.clone()));
    }
    match filter.assigned {
        Some(Some(moderator)) => query = query.filter(dsl::assigned_to.eq(moderator)),
        Some(None) => query = query.filter(dsl::assigned_to.is_null()),
        None => {}
    }
    Ok(query
        .order((dsl::created_at.asc(), dsl::id.asc()))
        .limit(limit)
        .load(conn)?)
}

/// Earlier reports on the same answerable account, newest first, at most `limit`.
pub fn on_actor(
    conn: &mut DbConn,
    actor_id: i64,
    except: i64,
    limit: i64,
) -> DbResult<Vec<Report>> {
    Ok(dsl::reports
        .filter(dsl::target_actor_id.eq(actor_id))
        .filter(dsl::id.ne(except))
        .order(dsl::id.desc())
        .limit(limit)
        .select(Report::as_select())
        .load(conn)?)
}

/// A report by the id of its `Flag`.
pub fn by_flag(conn: &mut DbConn, flag_ap_id: &str) -> DbResult<Option<Report>> {
    Ok(dsl::reports
        .filter(dsl::flag_ap_id.eq(flag_ap_id))
        .select(Report::as_select())
        .first(conn)
        .optional()?)
}

/// Records what the other server decided on a report we forwarded to it.
pub fn set_remote_decision(conn: &mut DbConn, id: i64, action: &str, reason: &str) -> DbResult<()> {
    diesel::update(dsl::reports.find(id))
        .set((
            dsl::remote_action.eq(Some(action)),
            dsl::remote_reason.eq(Some(reason)),
            dsl::remote_decided_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves a report to another status (appealed, decided again).
pub fn set_status(conn: &mut DbConn, id: i64, status: &str) -> DbResult<()> {
    diesel::update(dsl::reports.find(id))
        .set(dsl::status.eq(status))
        .execute(conn)?;
    Ok(())
}

/// Assigns a report to a moderator, or to nobody.
pub fn assign(conn: &mut DbConn, id: i64, to: Option<i64>) -> DbResult<()> {
    diesel::update(dsl::reports.find(id))
        .set(dsl::assigned_to.eq(to))
        .execute(conn)?;
    Ok(())
}

/// The decisions on an account's content that did something (not dismissals), newest first.
pub fn decisions_about(
    conn: &mut DbConn,
    actor_id: i64,
    dismissed: &str,
    limit: i64,
) -> DbResult<Vec<Report>> {
    Ok(dsl::reports
        .filter(dsl::target_actor_id.eq(actor_id))
        .filter(dsl::decided_at.is_not_null())
        .filter(dsl::action.ne(dismissed))
        .order(dsl::decided_at.desc())
        .limit(limit)
        .select(Report::as_select())
        .load(conn)?)
}

/// Decisions that did something, newest first, at most `limit` (the public moderation log).
pub fn acted(conn: &mut DbConn, dismissed: &str, limit: i64) -> DbResult<Vec<Report>> {
    Ok(dsl::reports
        .filter(dsl::decided_at.is_not_null())
        .filter(dsl::action.ne(dismissed))
        .order((dsl::decided_at.desc(), dsl::id.desc()))
        .limit(limit)
        .select(Report::as_select())
        .load(conn)?)
}

/// Records a decision on an open report; false when it was decided already.
pub fn decide(conn: &mut DbConn, id: i64, decision: &Decision) -> DbResult<bool> {
    let changed = diesel::update(dsl::reports.find(id).filter(dsl::decided_at.is_null()))
        .set((
            dsl::status.eq(decision.status),
            dsl::action.eq(Some(decision.action)),
            dsl::reason.eq(Some(decision.reason)),
            dsl::ground.eq(decision.ground),
            dsl::decided_by.eq(Some(decision.by)),
            dsl::decided_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// What the yearly report reads of one report.
#[derive(Debug, Clone, Queryable)]
pub struct YearRow {
    /// Row id.
    pub id: i64,
    /// Category.
    pub category: String,
    /// The reporting server's host.
    pub origin: String,
    /// What was decided.
    pub action: Option<String>,
    /// When it came.
    pub created_at: NaiveDateTime,
    /// When it was decided.
    pub decided_at: Option<NaiveDateTime>,
}

/// The reports received in `[from, to)`.
pub fn received_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> DbResult<Vec<YearRow>> {
    Ok(dsl::reports
        .filter(dsl::created_at.ge(from))
        .filter(dsl::created_at.lt(to))
        .select((
            dsl::id,
            dsl::category,
            dsl::origin,
            dsl::action,
            dsl::created_at,
            dsl::decided_at,
        ))
        .load(conn)?)
}

/// The actions of the decisions taken in `[from, to)`.
pub fn actions_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> DbResult<Vec<String>> {
    Ok(dsl::reports
        .filter(dsl::decided_at.ge(from))
        .filter(dsl::decided_at.lt(to))
        .filter(dsl::action.is_not_null())
        .select(dsl::action.assume_not_null())
        .load(conn)?)
}

/// The year of the first report, if any.
pub fn first_created(conn: &mut DbConn) -> DbResult<Option<NaiveDateTime>> {
    Ok(dsl::reports
        .select(diesel::dsl::min(dsl::created_at))
        .first(conn)?)
}

/// A report as a load test writes it, decided or not.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = reports)]
pub struct SeededReport {
    /// The reporting server's host.
    pub origin: String,
    /// What it is about.
    pub target_kind: String,
    /// The reported thing's id.
    pub target_ap_id: String,
    /// The account answerable for it.
    pub target_actor_id: Option<i64>,
    /// The category.
    pub category: String,
    /// The content as it was.
    pub snapshot: String,
    /// `open` or `decided`.
    pub status: String,
    /// What was decided.
    pub action: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// When it was decided.
    pub decided_at: Option<NaiveDateTime>,
    /// When it came.
    pub created_at: NaiveDateTime,
}

/// Stores many reports at once (load tests).
pub fn insert_many(conn: &mut DbConn, rows: &[SeededReport]) -> DbResult<usize> {
    let mut n = 0;
    // SQLite binds at most 32 766 parameters per statement.
    for chunk in rows.chunks(1_000) {
        n += crate::on_backend!(conn, |c| diesel::insert_into(reports::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(n)
}

/// The reports an account filed, oldest first.
pub fn by_reporter(conn: &mut DbConn, actor_id: i64) -> DbResult<Vec<Report>> {
    Ok(dsl::reports
        .filter(dsl::reporter_id.eq(Some(actor_id)))
        .order(dsl::id.asc())
        .select(Report::as_select())
        .load(conn)?)
}
