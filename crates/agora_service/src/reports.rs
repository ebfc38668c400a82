//! Reports: anyone, signed in or not, reports an account, a post, an initiative or a petition
//! this node knows, local or remote, under one of the DSA categories; moderators work through
//! the queue and decide; the reporter sees the decision and its reason. Who reported is known
//! to moderators only: never shown to others, never sent.

use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn};
use agora_core::{
    ErrorKind,
    actor_type::ActorType,
    report::{Action, Category, ReportStatus, TargetKind},
};
use agora_db::{
    DbConn,
    actors::Actor,
    rate_limits,
    reports::{self, Decision, QueueFilter, Report, ReportForm},
};
use chrono::Duration;
use serde_json::json;

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
/// The actions this node carries out so far; the others are refused, not recorded without
/// effect.
pub const AVAILABLE_ACTIONS: &[Action] = &[Action::Dismiss];
/// Reports the queue shows at once.
const QUEUE_MAX: i64 = 200;
/// Earlier reports on the same account shown beside one.
const EARLIER_MAX: i64 = 20;

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

/// What a report is about, as found here.
struct Found {
    kind: TargetKind,
    ap_id: String,
    answerable: Actor,
    snapshot: serde_json::Value,
}

/// Files a report. Gives the stored report.
pub async fn file(ctx: &Context, reporter: Reporter<'_>, new: NewReport) -> ServiceResult<Report> {
    let category = Category::parse(new.category.trim()).ok_or_else(|| {
        ServiceError::invalid("category", one_of(Category::ALL.iter().map(|c| c.as_str())))
    })?;
    let comment = text_field("comment", &new.comment.unwrap_or_default(), 0, COMMENT_MAX)?;
    let target = new.target.trim().to_string();
    if target.is_empty()
        || target.chars().count() > TARGET_MAX
        || target.chars().any(char::is_control)
    {
        return Err(ServiceError::invalid(
            "target",
            "the URL of an account, a post, an initiative or a petition, or @name@host",
        ));
    }
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
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Report> {
                let found = find_target(conn, &target, &domain)?;
                if !rate_limits::hit(conn, &limit_key, Duration::hours(1), limit)? {
                    return Err(ServiceError::new(
                        ErrorKind::RateLimited,
                        "too many reports for now; try again later",
                    ));
                }
                let form = ReportForm {
                    flag_ap_id: None,
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
                    // Only another server can be told.
                    forward: new.forward && !found.answerable.local,
                    snapshot: found.snapshot.to_string(),
                    status: ReportStatus::Open.as_str().into(),
                    created_at: agora_db::now(),
                };
                Ok(reports::insert(conn, &form)?)
            })
        })
        .await
}

/// "one of a, b, c": what a field naming one of a list must hold.
fn one_of<'a>(names: impl Iterator<Item = &'a str>) -> String {
    format!("one of {}", names.collect::<Vec<_>>().join(", "))
}

/// A free text field, trimmed: `min` to `max` characters, no control characters but line
/// breaks and tabs.
fn text_field(field: &str, text: &str, min: usize, max: usize) -> ServiceResult<String> {
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

/// Finds what a report names among what this node knows: an account by address or id, or a
/// post, a petition or an initiative by id; with the account answerable for it and a copy
/// of what it says now.
fn find_target(conn: &mut DbConn, target: &str, our_domain: &str) -> ServiceResult<Found> {
    let unknown = || {
        ServiceError::new(
            ErrorKind::NotFound,
            "nothing this node knows has this address",
        )
    };
    if !target.starts_with("http://") && !target.starts_with("https://") {
        let (name, host) = agora_core::handle::parse_acct(target)
            .map(|(n, h)| (n.to_string(), h.to_ascii_lowercase()))
            .or_else(|| {
                let name = target.trim_start_matches('@');
                (!name.is_empty() && !name.contains('@'))
                    .then(|| (name.to_string(), our_domain.to_string()))
            })
            .ok_or_else(unknown)?;
        let actor = agora_db::actors::by_username_domain(conn, &name, &host)?
            .filter(|a| a.deleted_at.is_none())
            .ok_or_else(unknown)?;
        return account_or_initiative(conn, actor);
    }
    if let Some((post, author)) = agora_db::posts::by_ap_id(conn, target)?
        && post.deleted_at.is_none()
    {
        return Ok(Found {
            kind: TargetKind::Post,
            ap_id: post.ap_id.clone(),
            snapshot: json!({
                "type": "post",
                "id": post.ap_id,
                "author": author.ap_id,
                "content": post.content,
                "spoiler_text": post.spoiler_text,
                "published": post.published.and_utc().to_rfc3339(),
            }),
            answerable: author,
        });
    }
    if let Some((petition, author)) = agora_db::petitions::by_ap_id(conn, target)?
        && petition.status != agora_core::petition::PetitionStatus::Draft.as_str()
    {
        return Ok(Found {
            kind: TargetKind::Petition,
            ap_id: petition.ap_id.clone(),
            snapshot: json!({
                "type": "petition",
                "id": petition.ap_id,
                "author": author.ap_id,
                "title": petition.title,
                "text": petition.text,
                "target": petition.target,
            }),
            answerable: author,
        });
    }
    let actor = agora_db::actors::by_ap_id(conn, target)?
        .filter(|a| a.deleted_at.is_none())
        .ok_or_else(unknown)?;
    account_or_initiative(conn, actor)
}

fn account_or_initiative(conn: &mut DbConn, actor: Actor) -> ServiceResult<Found> {
    let kind = if actor.actor_type == ActorType::Group.as_str()
        || agora_db::initiatives::by_actor(conn, actor.id)?.is_some()
    {
        TargetKind::Initiative
    } else {
        TargetKind::Account
    };
    Ok(Found {
        kind,
        ap_id: actor.ap_id.clone(),
        snapshot: json!({
            "type": kind.as_str(),
            "id": actor.ap_id,
            "address": actor.acct(),
            "name": actor.display_name,
            "summary": actor.summary,
        }),
        answerable: actor,
    })
}

/// A report by row id, or 404.
fn report_by_id(conn: &mut DbConn, id: i64) -> ServiceResult<Report> {
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

/// Moderators and administrators only.
fn require_moderator(who: &SignedIn) -> ServiceResult<()> {
    match who.kind_setter() {
        Some(_) => Ok(()),
        None => Err(ServiceError::forbidden(
            "moderators and administrators only",
        )),
    }
}

/// The queue, oldest first, filtered (moderators).
pub async fn queue(
    ctx: &Context,
    who: &SignedIn,
    filter: QueueFilter,
) -> ServiceResult<Vec<Report>> {
    require_moderator(who)?;
    if let Some(status) = &filter.status
        && ReportStatus::parse(status).is_none()
    {
        return Err(ServiceError::invalid("status", "open or decided"));
    }
    if let Some(category) = &filter.category
        && Category::parse(category).is_none()
    {
        return Err(ServiceError::invalid("category", "not a report category"));
    }
    for (field, value) in [("origin", &filter.origin), ("target", &filter.target)] {
        if let Some(v) = value
            && (v.chars().count() > TARGET_MAX || v.chars().any(char::is_control))
        {
            return Err(ServiceError::invalid(field, "not an address"));
        }
    }
    Ok(ctx
        .db
        .run(move |conn| reports::queue(conn, &filter, QUEUE_MAX))
        .await?)
}

/// A report for a moderator, with the earlier reports on the same account.
pub async fn for_moderator(
    ctx: &Context,
    who: &SignedIn,
    id: i64,
) -> ServiceResult<(Report, Vec<Report>)> {
    require_moderator(who)?;
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let report = report_by_id(conn, id)?;
            let earlier = match report.target_actor_id {
                Some(actor) => reports::on_actor(conn, actor, report.id, EARLIER_MAX)?,
                None => Vec::new(),
            };
            Ok((report, earlier))
        })
        .await
}

/// A moderator's decision as asked for.
#[derive(Debug, Clone)]
pub struct DecisionRequest {
    /// An action identifier.
    pub action: String,
    /// Why: told to the reporter and, later, to the reported account.
    pub reason: String,
    /// The legal or terms ground.
    pub ground: Option<String>,
}

/// Decides an open report with one of `AVAILABLE_ACTIONS`.
pub async fn decide(
    ctx: &Context,
    who: &SignedIn,
    id: i64,
    request: DecisionRequest,
) -> ServiceResult<Report> {
    require_moderator(who)?;
    let action = Action::parse(request.action.trim()).ok_or_else(|| {
        ServiceError::invalid("action", one_of(Action::ALL.iter().map(|a| a.as_str())))
    })?;
    if !AVAILABLE_ACTIONS.contains(&action) {
        return Err(ServiceError::invalid(
            "action",
            format!("{} is not available on this node yet", action.as_str()),
        ));
    }
    let reason = text_field("reason", &request.reason, 1, REASON_MAX)?;
    let ground = match request.ground {
        Some(g) => Some(text_field("ground", &g, 0, GROUND_MAX)?).filter(|g| !g.is_empty()),
        None => None,
    };
    let by = who.actor.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Report> {
                let decision = Decision {
                    action: action.as_str(),
                    reason: &reason,
                    ground: ground.as_deref(),
                    by,
                    status: ReportStatus::Decided.as_str(),
                };
                let exists = report_by_id(conn, id)?;
                if !reports::decide(conn, exists.id, &decision)? {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "this report has been decided already",
                    ));
                }
                Ok(reports::by_id(conn, id)?)
            })
        })
        .await
}
