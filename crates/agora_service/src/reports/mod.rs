//! Reports: anyone, signed in or not, reports an account, a post, an initiative or a petition
//! this node knows, local or remote, under one of the DSA categories; moderators work through
//! the queue and decide; the reporter sees the decision and its reason. Who reported is known
//! to moderators only: never shown to others, never sent.

mod actions;
mod appeals;
mod desk;
pub mod notices;
pub mod remote;
mod target;

pub use appeals::{
    APPEAL_MAX, AppealRequest, DecisionOnMe, appeal, decide_appeal, decision_for_appeal,
    decisions_about_me,
};
pub(crate) use desk::require_moderator;
pub use desk::{
    AVAILABLE_ACTIONS, DecisionRequest, DeskReport, assign, decide, for_moderator, queue,
};

use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn, events};
use agora_core::{
    ErrorKind,
    report::{Category, ReportStatus, TargetKind},
};
use agora_db::{
    DbConn, rate_limits,
    reports::{self, Report, ReportForm},
};
use chrono::Duration;

/// Longest comment, as Mastodon's report form.
pub const COMMENT_MAX: usize = 1000;
/// Longest decision reason.
pub const REASON_MAX: usize = 2000;
/// Longest legal or terms ground.
pub const GROUND_MAX: usize = 300;
/// Longest target (a URL or an address).
const TARGET_MAX: usize = 2048;
/// Reports a visitor's address may file per hour.
pub const VISITOR_REPORTS_PER_HOUR: i32 = 5;
/// Reports an account may file per hour.
pub const ACCOUNT_REPORTS_PER_HOUR: i32 = 30;

/// Who files a report.
pub enum Reporter<'a> {
    /// A signed-in account.
    Account(&'a SignedIn),
    /// A visitor, by address (IPv4, or an IPv6 /64).
    Visitor(&'a str),
}

/// A report as its reporter writes it.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// What is reported: its URL, or `@name@host` for an account.
    pub target: String,
    /// A category identifier.
    pub category: String,
    /// An optional comment.
    pub comment: Option<String>,
    /// Also tell the server the content comes from (remote content only).
    pub forward: bool,
}

/// Files a report. Gives the stored report.
pub async fn file(ctx: &Context, reporter: Reporter<'_>, new: NewReport) -> ServiceResult<Report> {
    let category = Category::parse(new.category.trim()).ok_or_else(|| {
        ServiceError::invalid("category", one_of(Category::ALL.iter().map(|c| c.as_str())))
    })?;
    let comment = text_field("comment", &new.comment.unwrap_or_default(), 0, COMMENT_MAX)?;
    let target = target_field(&new.target)?;
    let (reporter_id, client_addr, limit_key, limit) = match reporter {
        Reporter::Account(who) => (
            Some(who.actor.id),
            None,
            format!("report:account:{}", who.actor.id),
            ACCOUNT_REPORTS_PER_HOUR,
        ),
        Reporter::Visitor(addr) => (
            None,
            Some(addr.to_string()),
            format!("report:addr:{addr}"),
            VISITOR_REPORTS_PER_HOUR,
        ),
    };
    let domain = ctx.config.instance.domain.to_ascii_lowercase();
    let flag_id = ctx
        .urls
        .activity("Flag", &uuid::Uuid::new_v4().simple().to_string());
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Report> {
                let found = target::find_target(conn, &target, &domain)?;
                // Only another server can be told.
                let forward = new.forward && !found.answerable.local;
                if !rate_limits::hit(conn, &limit_key, Duration::hours(1), limit)? {
                    return Err(ServiceError::new(
                        ErrorKind::RateLimited,
                        "too many reports for now; try again later",
                    ));
                }
                let form = ReportForm {
                    flag_ap_id: forward.then_some(flag_id),
                    origin: domain.clone(),
                    reporter_id,
                    sender_id: None,
                    client_addr,
                    target_kind: found.kind.as_str().into(),
                    target_ap_id: found.ap_id,
                    target_actor_id: Some(found.answerable.id),
                    objects: "[]".into(),
                    category: category.as_str().into(),
                    comment,
                    forward,
                    snapshot: found.snapshot.to_string(),
                    status: ReportStatus::Open.as_str().into(),
                    created_at: agora_db::now(),
                    flag: None,
                };
                let report = reports::insert(conn, &form)?;
                if forward {
                    events::queue(
                        conn,
                        &events::FederationEvent::ReportForwarded {
                            report_id: report.id,
                        },
                    )?;
                }
                Ok(report)
            })
        })
        .await
}

/// What a report form shows of its target before it is filed.
#[derive(Debug, Clone)]
pub struct Preview {
    /// Account, post, initiative or petition.
    pub kind: TargetKind,
    /// Its ActivityPub id.
    pub ap_id: String,
    /// The account answerable for it, `name@host`.
    pub answerable: String,
    /// The server it comes from, when it is not this one (the form then offers to tell it).
    pub remote_host: Option<String>,
}

/// What a target names, for the report form: the same lookup as filing, nothing stored.
pub async fn preview(ctx: &Context, target: &str) -> ServiceResult<Preview> {
    let target = target_field(target)?;
    let domain = ctx.config.instance.domain.to_ascii_lowercase();
    ctx.db
        .run(move |conn| -> ServiceResult<Preview> {
            let found = target::find_target(conn, &target, &domain)?;
            Ok(Preview {
                kind: found.kind,
                ap_id: found.ap_id,
                answerable: found.answerable.acct(),
                remote_host: (!found.answerable.local).then(|| found.answerable.domain.clone()),
            })
        })
        .await
}

/// A target as typed: a URL or an address, trimmed.
fn target_field(target: &str) -> ServiceResult<String> {
    let target = target.trim();
    if target.is_empty()
        || target.chars().count() > TARGET_MAX
        || target.chars().any(char::is_control)
    {
        return Err(ServiceError::invalid(
            "target",
            "the URL of an account, a post, an initiative or a petition, or @name@host",
        ));
    }
    Ok(target.to_string())
}

/// "one of a, b, c": what a field naming one of a list must hold.
pub(crate) fn one_of<'a>(names: impl Iterator<Item = &'a str>) -> String {
    format!("one of {}", names.collect::<Vec<_>>().join(", "))
}

/// A free text field, trimmed: `min` to `max` characters, no control characters but line
/// breaks and tabs.
pub(crate) fn text_field(field: &str, text: &str, min: usize, max: usize) -> ServiceResult<String> {
    let text = text.trim();
    let n = text.chars().count();
    if n < min || n > max {
        return Err(ServiceError::invalid(
            field,
            format!("{min} to {max} characters"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ServiceError::invalid(field, "no control characters"));
    }
    Ok(text.to_string())
}

/// A report by row id, or 404.
pub(crate) fn report_by_id(conn: &mut DbConn, id: i64) -> ServiceResult<Report> {
    reports::by_id(conn, id).map_err(|e| match e {
        agora_db::DbError::NotFound => ServiceError::not_found("report"),
        other => other.into(),
    })
}

/// A report as its reporter sees it: theirs only.
pub async fn mine(ctx: &Context, who: &SignedIn, id: i64) -> ServiceResult<Report> {
    let me = who.actor.id;
    let report = ctx.db.run(move |conn| report_by_id(conn, id)).await?;
    if report.reporter_id != Some(me) {
        return Err(ServiceError::not_found("report"));
    }
    Ok(report)
}
