//! Reports that cross servers: a `Flag` another server sends lands in the same queue as ours,
//! with its origin; a report of ours on another server's content goes there as a `Flag`; each
//! side hears the other's decision (`Resolve{Flag}`).

use super::{report_by_id, target};
use crate::{Context, ServiceError, ServiceResult};
use agora_core::{
    ErrorKind,
    report::{Action, Category, ReportStatus, TargetKind},
};
use agora_db::{
    DbConn,
    actors::{self, Actor},
    rate_limits,
    reports::{self, Report, ReportForm},
};
use chrono::Duration;

/// Longest comment accepted from another server: Mastodon's limit on what it sends.
pub const REMOTE_COMMENT_MAX: usize = 5000;
/// Objects one incoming `Flag` may name.
pub const FLAG_OBJECTS_MAX: usize = 100;
/// Reports one server may send per hour: enough for a busy server, not a flood.
pub const SERVER_REPORTS_PER_HOUR: i32 = 120;
/// Longest reason accepted with another server's decision.
const REMOTE_REASON_MAX: usize = 5000;
/// What another server's decision is called when it does not say (Lemmy's `Resolve`).
pub const RESOLVED: &str = "resolved";

/// A `Flag` as another server sent it.
#[derive(Debug, Clone)]
pub struct IncomingFlag {
    /// The activity's id.
    pub ap_id: String,
    /// What it names: accounts, posts, petitions (ours and others').
    pub objects: Vec<String>,
    /// Our `category`, when the sender is a node that speaks it.
    pub category: Option<String>,
    /// The comment (`content`, or Lemmy's `summary`).
    pub comment: String,
    /// The activity as received, for the `Resolve` that answers it.
    pub raw: serde_json::Value,
}

/// Another server's text as we keep it: at most `max` characters, control characters dropped
/// but line breaks and tabs.
fn printable(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .take(max)
        .collect()
}

/// Files a `Flag` from another server in the queue. A category we do not know, or none (as
/// Mastodon sends), is `not_specified_notice`.
pub async fn receive_flag(
    ctx: &Context,
    sender: &Actor,
    flag: IncomingFlag,
) -> ServiceResult<Report> {
    if flag.objects.is_empty() || flag.objects.len() > FLAG_OBJECTS_MAX {
        return Err(ServiceError::invalid(
            "object",
            format!("1 to {FLAG_OBJECTS_MAX} objects"),
        ));
    }
    let comment = flag.comment.trim().to_string();
    if comment.chars().count() > REMOTE_COMMENT_MAX {
        return Err(ServiceError::invalid(
            "content",
            format!("at most {REMOTE_COMMENT_MAX} characters"),
        ));
    }
    let comment = printable(&comment, REMOTE_COMMENT_MAX);
    let category = flag
        .category
        .as_deref()
        .and_then(Category::parse)
        .unwrap_or(Category::NotSpecified);
    let domain = ctx.config.instance.domain.to_ascii_lowercase();
    let urls = ctx.urls.clone();
    let sender = sender.clone();
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Report> {
                if let Some(known) = reports::by_flag(conn, &flag.ap_id)? {
                    return Ok(known);
                }
                let found = ours_named(conn, &flag.objects, &urls, &domain)?;
                let limit_key = format!("report:server:{}", sender.domain);
                if !rate_limits::hit(
                    conn,
                    &limit_key,
                    Duration::hours(1),
                    SERVER_REPORTS_PER_HOUR,
                )? {
                    return Err(ServiceError::new(
                        ErrorKind::RateLimited,
                        "too many reports from this server for now",
                    ));
                }
                let form = ReportForm {
                    flag_ap_id: Some(flag.ap_id.clone()),
                    origin: sender.domain.to_ascii_lowercase(),
                    reporter_id: None,
                    sender_id: Some(sender.id),
                    client_addr: None,
                    target_kind: found.kind.as_str().into(),
                    target_ap_id: found.ap_id,
                    target_actor_id: Some(found.answerable.id),
                    objects: serde_json::to_string(&flag.objects)
                        .map_err(ServiceError::internal)?,
                    category: category.as_str().into(),
                    comment,
                    forward: false,
                    snapshot: found.snapshot.to_string(),
                    status: ReportStatus::Open.as_str().into(),
                    created_at: agora_db::now(),
                    flag: Some(flag.raw.to_string()),
                };
                Ok(reports::insert(conn, &form)?)
            })
        })
        .await
}

/// The most precise thing of ours a `Flag` names: a post or a petition before its author, an
/// account or initiative otherwise. Other servers' objects are passed over.
fn ours_named(
    conn: &mut DbConn,
    objects: &[String],
    urls: &agora_core::urls::Urls,
    domain: &str,
) -> ServiceResult<target::Found> {
    let mut actor = None;
    for id in objects.iter().filter(|id| urls.is_local(id)) {
        match target::find_target(conn, id, domain) {
            Ok(found) if matches!(found.kind, TargetKind::Post | TargetKind::Petition) => {
                return Ok(found);
            }
            Ok(found) => {
                actor.get_or_insert(found);
            }
            Err(e) if e.kind == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    actor.ok_or_else(|| {
        ServiceError::new(ErrorKind::NotFound, "the report names nothing of this node")
    })
}

/// What another server decided on a report we forwarded, as its `Resolve` says.
#[derive(Debug, Clone)]
pub struct IncomingResolve {
    /// The id of our `Flag` it answers.
    pub flag_id: String,
    /// Our `decision` term, when the other server is a node that speaks it.
    pub action: Option<String>,
    /// Why, when it says.
    pub reason: String,
}

/// Records another server's decision on a report we forwarded to it; only the server the
/// report went to may answer it.
pub async fn receive_resolve(
    ctx: &Context,
    sender: &Actor,
    resolve: IncomingResolve,
) -> ServiceResult<()> {
    let action = resolve
        .action
        .as_deref()
        .and_then(Action::parse)
        .map_or(RESOLVED, Action::as_str);
    let reason = printable(resolve.reason.trim(), REMOTE_REASON_MAX);
    let sender_domain = sender.domain.to_ascii_lowercase();
    ctx.db
        .run(move |conn| -> ServiceResult<()> {
            let report = reports::by_flag(conn, &resolve.flag_id)?
                .filter(|r| r.forward && r.sender_id.is_none())
                .ok_or_else(|| ServiceError::not_found("report"))?;
            let told = report
                .target_actor_id
                .map(|id| actors::by_id(conn, id))
                .transpose()?
                .map(|a| a.domain.to_ascii_lowercase());
            if told.as_deref() != Some(sender_domain.as_str()) {
                return Err(ServiceError::forbidden(
                    "only the server a report went to may resolve it",
                ));
            }
            Ok(reports::set_remote_decision(
                conn, report.id, action, &reason,
            )?)
        })
        .await
}

/// A report of ours to forward: the report, the account answerable on the other server, and
/// the group it was posted in, if any (Lemmy takes reports addressed to the community).
pub struct Forwarded {
    /// The report.
    pub report: Report,
    /// The answerable account (the author, the group, or the account itself).
    pub answerable: Actor,
    /// The remote group of the reported post.
    pub group: Option<Actor>,
}

/// What the fan-out sends for a forwarded report.
pub fn forwarded(conn: &mut DbConn, report_id: i64) -> ServiceResult<Forwarded> {
    let report = report_by_id(conn, report_id)?;
    let answerable = report
        .target_actor_id
        .map(|id| actors::by_id(conn, id))
        .transpose()?
        .ok_or_else(|| ServiceError::not_found("account"))?;
    let group = match agora_db::posts::by_ap_id(conn, &report.target_ap_id)? {
        Some((post, _)) => post.group_id.map(|g| actors::by_id(conn, g)).transpose()?,
        None => None,
    };
    Ok(Forwarded {
        report,
        answerable,
        group,
    })
}

/// What the fan-out sends for a decided report of another server: the report and the actor
/// that sent it.
pub fn resolved(conn: &mut DbConn, report_id: i64) -> ServiceResult<(Report, Actor)> {
    let report = report_by_id(conn, report_id)?;
    let sender = report
        .sender_id
        .map(|id| actors::by_id(conn, id))
        .transpose()?
        .ok_or_else(|| ServiceError::not_found("account"))?;
    Ok((report, sender))
}
