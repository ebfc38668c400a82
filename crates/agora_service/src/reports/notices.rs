//! What people are told of a decision, by e-mail in French and English: the reported local
//! account its statement of reasons (what was decided, on what, why, on what ground, and how
//! to appeal), the local reporter its decision notice, and the appellant the outcome.

use crate::mail::{self, Mail};
use agora_db::{DbConn, appeals::Appeal, error::DbResult, reports::Report, users};

/// Where the reported account reads its decisions and appeals.
pub const DECISIONS_PATH: &str = "/moderation/decisions";

/// Queues the statement of reasons for the reported account, when it is ours and has an
/// address.
pub(crate) fn statement_of_reasons(
    conn: &mut DbConn,
    report: &Report,
    node: &str,
    base: &str,
    appeal_token: &str,
) -> DbResult<()> {
    let Some(to) = address_of(conn, report.target_actor_id)? else {
        return Ok(());
    };
    let action = report.action.as_deref().unwrap_or_default();
    let reason = report.reason.as_deref().unwrap_or_default();
    let ground = report.ground.as_deref().unwrap_or("—");
    // The token opens the appeal form even to an account that can no longer sign in.
    let link = format!(
        "{base}{DECISIONS_PATH}/{}/appeal?token={appeal_token}",
        report.id
    );
    mail::queue(
        conn,
        &Mail {
            to,
            subject: format!("{node}: moderation decision / décision de modération"),
            body: format!(
                "The moderators of {node} decided about your {kind} {target}.\n\
                 Decision: {action}\nCategory: {category}\nReason: {reason}\nGround: {ground}\n\
                 You may appeal once; another moderator will decide: {link}\n\n\
                 La modération de {node} a pris une décision sur votre contenu {target}.\n\
                 Décision : {action}\nCatégorie : {category}\nMotif : {reason}\nFondement : {ground}\n\
                 Vous pouvez faire appel une fois ; un autre modérateur décidera : {link}\n",
                kind = report.target_kind,
                target = report.target_ap_id,
                category = report.category,
            ),
        },
    )
}

/// Queues the decision notice for the local reporter.
pub(crate) fn decision_notice(
    conn: &mut DbConn,
    report: &Report,
    node: &str,
    base: &str,
) -> DbResult<()> {
    let Some(to) = address_of(conn, report.reporter_id)? else {
        return Ok(());
    };
    let action = report.action.as_deref().unwrap_or_default();
    let reason = report.reason.as_deref().unwrap_or_default();
    let link = format!("{base}/reports/{}", report.id);
    mail::queue(
        conn,
        &Mail {
            to,
            subject: format!("{node}: your report was decided / votre signalement est traité"),
            body: format!(
                "Your report on {target} was decided.\nDecision: {action}\nReason: {reason}\n{link}\n\n\
                 Votre signalement sur {target} est traité.\nDécision : {action}\nMotif : {reason}\n{link}\n",
                target = report.target_ap_id,
            ),
        },
    )
}

/// Queues the outcome of an appeal for the account that appealed.
pub(crate) fn appeal_outcome(
    conn: &mut DbConn,
    report: &Report,
    appeal: &Appeal,
    node: &str,
    base: &str,
) -> DbResult<()> {
    let Some(to) = address_of(conn, report.target_actor_id)? else {
        return Ok(());
    };
    let outcome = appeal.outcome.as_deref().unwrap_or_default();
    let reason = appeal.reason.as_deref().unwrap_or_default();
    let link = format!("{base}{DECISIONS_PATH}");
    mail::queue(
        conn,
        &Mail {
            to,
            subject: format!("{node}: your appeal was decided / votre appel est tranché"),
            body: format!(
                "Your appeal about {target} was decided by another moderator.\n\
                 Outcome: {outcome}\nReason: {reason}\n{link}\n\n\
                 Votre appel sur {target} a été tranché par un autre modérateur.\n\
                 Issue : {outcome}\nMotif : {reason}\n{link}\n",
                target = report.target_ap_id,
            ),
        },
    )
}

/// The confirmed address of a local account, if it has one.
fn address_of(conn: &mut DbConn, actor_id: Option<i64>) -> DbResult<Option<String>> {
    let Some(actor_id) = actor_id else {
        return Ok(None);
    };
    Ok(users::by_actor(conn, actor_id)?
        .filter(|u| u.email_confirmed_at.is_some())
        .and_then(|u| u.email))
}
