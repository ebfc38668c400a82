//! The moderation desk: the queue, one report with its context, and decisions.

use super::{
    GROUND_MAX, REASON_MAX, TARGET_MAX, actions, notices, one_of, report_by_id, text_field,
};
use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn, events, secrets};
use agora_core::{
    ErrorKind,
    report::{Action, Category, ReportStatus},
};
use agora_db::reports::{self, Decision, QueueFilter, Report};

/// The actions this node carries out so far; the others are refused, not recorded without
/// effect.
pub const AVAILABLE_ACTIONS: &[Action] = &[
    Action::Dismiss,
    Action::Hide,
    Action::Delete,
    Action::Limit,
    Action::Suspend,
    Action::BlockActor,
    Action::BlockDomain,
    Action::Label,
];
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
        return Err(ServiceError::invalid("status", "open, decided or appealed"));
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

/// A report as the desk shows it: with the earlier reports on the same account, and the
/// appeal of its decision.
#[derive(Debug, Clone)]
pub struct DeskReport {
    /// The report.
    pub report: Report,
    /// Earlier reports on the same account, newest first.
    pub earlier: Vec<Report>,
    /// The appeal of its decision, when the decision did something.
    pub appeal: Option<agora_db::appeals::Appeal>,
}

/// A report for a moderator, with the earlier reports on the same account and its appeal.
pub async fn for_moderator(ctx: &Context, who: &SignedIn, id: i64) -> ServiceResult<DeskReport> {
    require_moderator(who)?;
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let report = report_by_id(conn, id)?;
            let earlier = match report.target_actor_id {
                Some(actor) => reports::on_actor(conn, actor, report.id, EARLIER_MAX)?,
                None => Vec::new(),
            };
            let appeal = agora_db::appeals::of(conn, id)?;
            Ok(DeskReport {
                report,
                earlier,
                appeal,
            })
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
    /// With `label`: `disputed` or `commercial`.
    pub label: Option<String>,
    /// With `disputed`: the fact-check.
    pub link: Option<String>,
}

/// Decides an open report with one of `AVAILABLE_ACTIONS`, carries it out, and tells the
/// reported account (its statement of reasons), the local reporter and the server the report
/// came from.
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
    let label = match action {
        Action::Label => Some(crate::signage::label_choice(
            request.label.as_deref(),
            request.link.as_deref(),
        )?),
        _ => None,
    };
    let ground = match request.ground {
        Some(g) => Some(text_field("ground", &g, 0, GROUND_MAX)?).filter(|g| !g.is_empty()),
        None => None,
    };
    let by = who.actor.id;
    let (node, base) = (
        ctx.config.instance.name.clone(),
        ctx.urls.base().to_string(),
    );
    let appeal_token = secrets::new_token();
    let decided = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Report> {
                let exists = report_by_id(conn, id)?;
                if exists.decided_at.is_some() {
                    return Err(decided_already());
                }
                actions::check(conn, &exists, action, label.as_ref())?;
                let decision = Decision {
                    action: action.as_str(),
                    reason: &reason,
                    ground: ground.as_deref(),
                    by,
                    status: ReportStatus::Decided.as_str(),
                };
                if !reports::decide(conn, exists.id, &decision)? {
                    return Err(decided_already());
                }
                let report = reports::by_id(conn, id)?;
                actions::apply(conn, &report, action, label.as_ref())?;
                if action != Action::Dismiss {
                    agora_db::appeals::open(conn, id, &secrets::hash_token(&appeal_token))?;
                    notices::statement_of_reasons(conn, &report, &node, &base, &appeal_token)?;
                }
                notices::decision_notice(conn, &report, &node, &base)?;
                // A report another server sent: it hears what was decided, and why.
                if report.sender_id.is_some() && report.flag.is_some() {
                    events::queue(
                        conn,
                        &events::FederationEvent::ReportResolved { report_id: id },
                    )?;
                }
                Ok(report)
            })
        })
        .await?;
    if action != Action::Dismiss {
        // A hidden petition, or one whose author is suspended, leaves the kept pages.
        ctx.petition_views.changed_all();
    }
    if action == Action::BlockDomain {
        crate::federation_policy::reload(ctx).await?;
    }
    Ok(decided)
}

fn decided_already() -> ServiceError {
    ServiceError::new(ErrorKind::Conflict, "this report has been decided already")
}

/// Assigns a report to the calling moderator (`mine`), or to nobody.
pub async fn assign(ctx: &Context, who: &SignedIn, id: i64, mine: bool) -> ServiceResult<Report> {
    require_moderator(who)?;
    let to = mine.then_some(who.actor.id);
    ctx.db
        .run(move |conn| -> ServiceResult<Report> {
            report_by_id(conn, id)?;
            reports::assign(conn, id, to)?;
            Ok(reports::by_id(conn, id)?)
        })
        .await
}
