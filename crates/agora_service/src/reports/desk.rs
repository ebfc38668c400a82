//! The moderation desk: the queue, one report with its context, and decisions.

use super::{GROUND_MAX, REASON_MAX, TARGET_MAX, one_of, report_by_id, text_field};
use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn, events};
use agora_core::{
    ErrorKind,
    report::{Action, Category, ReportStatus},
};
use agora_db::reports::{self, Decision, QueueFilter, Report};

/// The actions this node carries out so far; the others are refused, not recorded without
/// effect.
pub const AVAILABLE_ACTIONS: &[Action] = &[Action::Dismiss];
/// Reports the queue shows at once.
const QUEUE_MAX: i64 = 200;
/// Earlier reports on the same account shown beside one.
const EARLIER_MAX: i64 = 20;

/// Moderators and administrators only.
pub(crate) fn require_moderator(who: &SignedIn) -> ServiceResult<()> {
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
                // A report another server sent: it hears what was decided, and why.
                if exists.sender_id.is_some() && exists.flag.is_some() {
                    events::queue(
                        conn,
                        &events::FederationEvent::ReportResolved { report_id: id },
                    )?;
                }
                Ok(reports::by_id(conn, id)?)
            })
        })
        .await
}
