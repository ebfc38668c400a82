//! Appeals: the reported account asks once for a decision to be looked at again; another
//! moderator than the one who decided upholds or reverses it, and a reversal undoes it.

use super::{
    REASON_MAX, actions, desk::require_moderator, notices, one_of, report_by_id, text_field,
};
use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn, secrets};
use agora_core::{
    ErrorKind,
    report::{Action, AppealOutcome, ReportStatus},
};
use agora_db::{
    appeals::{self, Appeal},
    reports::{self, Report},
};

/// Decisions about one's content the decisions page lists at most.
const DECISIONS_MAX: i64 = 100;
/// Longest appeal.
pub const APPEAL_MAX: usize = 2000;

/// A decision that did something to an account's content, with its appeal.
#[derive(Debug, Clone)]
pub struct DecisionOnMe {
    /// The report and its decision.
    pub report: Report,
    /// Its appeal: not made yet, made, or decided.
    pub appeal: Option<Appeal>,
}

/// The decisions that did something to the signed-in account's content, newest first.
pub async fn decisions_about_me(ctx: &Context, who: &SignedIn) -> ServiceResult<Vec<DecisionOnMe>> {
    let me = who.actor.id;
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let decided =
                reports::decisions_about(conn, me, Action::Dismiss.as_str(), DECISIONS_MAX)?;
            let ids: Vec<i64> = decided.iter().map(|r| r.id).collect();
            let mut appeals = appeals::of_many(conn, &ids)?;
            Ok(decided
                .into_iter()
                .map(|report| {
                    let appeal = appeals
                        .iter()
                        .position(|a| a.report_id == report.id)
                        .map(|i| appeals.swap_remove(i));
                    DecisionOnMe { report, appeal }
                })
                .collect())
        })
        .await
}

/// Who appeals: the signed-in reported account, or whoever holds the link of its statement
/// of reasons (a suspended account cannot sign in).
#[derive(Clone, Copy)]
pub enum AppealRequest<'a> {
    /// Signed in.
    Account(&'a SignedIn),
    /// The token of the link.
    Token(&'a str),
}

/// The decision `id` as the reported account may see it, if `by` may.
pub async fn decision_for_appeal(
    ctx: &Context,
    by: AppealRequest<'_>,
    id: i64,
) -> ServiceResult<DecisionOnMe> {
    let found = ctx
        .db
        .run(move |conn| -> ServiceResult<_> {
            let report = report_by_id(conn, id)?;
            let appeal = appeals::of(conn, id)?;
            Ok((report, appeal))
        })
        .await?;
    let (report, appeal) = found;
    let allowed = match by {
        AppealRequest::Account(who) => report.target_actor_id == Some(who.actor.id),
        AppealRequest::Token(token) => appeal
            .as_ref()
            .is_some_and(|a| secrets::constant_time_eq(&a.token_hash, &secrets::hash_token(token))),
    };
    // Only a decision that did something has an appeal.
    if !allowed || appeal.is_none() {
        return Err(ServiceError::not_found("decision"));
    }
    Ok(DecisionOnMe { report, appeal })
}

/// The reported account appeals a decision, once.
pub async fn appeal(
    ctx: &Context,
    by: AppealRequest<'_>,
    id: i64,
    text: &str,
) -> ServiceResult<DecisionOnMe> {
    let text = text_field("appeal", text, 1, APPEAL_MAX)?;
    decision_for_appeal(ctx, by, id).await?;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<DecisionOnMe> {
                if !appeals::file(conn, id, &text)? {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "this decision has been appealed already",
                    ));
                }
                reports::set_status(conn, id, ReportStatus::Appealed.as_str())?;
                Ok(DecisionOnMe {
                    report: reports::by_id(conn, id)?,
                    appeal: appeals::of(conn, id)?,
                })
            })
        })
        .await
}

/// Another moderator decides an appeal: `upheld` leaves the decision, `reversed` undoes it.
pub async fn decide_appeal(
    ctx: &Context,
    who: &SignedIn,
    id: i64,
    outcome: &str,
    reason: &str,
) -> ServiceResult<DecisionOnMe> {
    require_moderator(who)?;
    let outcome = AppealOutcome::parse(outcome.trim()).ok_or_else(|| {
        ServiceError::invalid(
            "outcome",
            one_of(AppealOutcome::ALL.iter().map(|o| o.as_str())),
        )
    })?;
    let reason = text_field("reason", reason, 1, REASON_MAX)?;
    let by = who.actor.id;
    let (node, base) = (
        ctx.config.instance.name.clone(),
        ctx.urls.base().to_string(),
    );
    let decided = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<DecisionOnMe> {
                let report = report_by_id(conn, id)?;
                if report.status != ReportStatus::Appealed.as_str() {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "no appeal waits on this report",
                    ));
                }
                if report.decided_by == Some(by) {
                    return Err(ServiceError::forbidden(
                        "another moderator than the one who decided must decide the appeal",
                    ));
                }
                if !appeals::decide(conn, id, outcome.as_str(), &reason, by)? {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "this appeal has been decided already",
                    ));
                }
                reports::set_status(conn, id, ReportStatus::Decided.as_str())?;
                if outcome == AppealOutcome::Reversed
                    && let Some(action) = report.action.as_deref().and_then(Action::parse)
                {
                    actions::revert(conn, &report, action)?;
                }
                let report = reports::by_id(conn, id)?;
                let appeal = appeals::of(conn, id)?;
                if let Some(appeal) = &appeal {
                    notices::appeal_outcome(conn, &report, appeal, &node, &base)?;
                }
                Ok(DecisionOnMe { report, appeal })
            })
        })
        .await?;
    if outcome == AppealOutcome::Reversed {
        ctx.petition_views.changed_all();
        crate::federation_policy::reload(ctx).await?;
    }
    Ok(decided)
}
