//! What a moderator's decision does to what was reported, and how an appeal that reverses it
//! undoes it. Each runs inside the transaction that records the decision.

use crate::{
    ServiceError, ServiceResult,
    events::{self, FederationEvent},
    signage::LabelChoice,
};
use agora_core::{
    ErrorKind,
    report::{Action, TargetKind},
};
use agora_db::{
    DbConn,
    actors::{self, Actor, Restriction},
    posts,
    reports::Report,
    sessions,
};

/// Whether `action` can be taken on this report, before anything is written: a clear refusal
/// otherwise.
pub(crate) fn check(
    conn: &mut DbConn,
    report: &Report,
    action: Action,
    label: Option<&LabelChoice>,
) -> ServiceResult<()> {
    let kind = TargetKind::parse(&report.target_kind).unwrap_or(TargetKind::Account);
    let answerable = answerable(conn, report)?;
    let refuse = |why: &str| Err(ServiceError::invalid("action", why.to_string()));
    match action {
        Action::Dismiss => Ok(()),
        Action::Hide if !matches!(kind, TargetKind::Post | TargetKind::Petition) => {
            refuse("only a post or a petition can be hidden; limit or suspend an account")
        }
        Action::Delete if kind != TargetKind::Post => {
            refuse("only a post can be deleted; hide a petition, suspend an account")
        }
        Action::Hide | Action::Delete => Ok(()),
        Action::Limit | Action::Suspend if !answerable.local || answerable.is_node_actor() => {
            refuse("only an account of this node can be limited or suspended; block a remote one")
        }
        Action::Limit | Action::Suspend => Ok(()),
        Action::BlockActor | Action::BlockDomain if answerable.local => {
            refuse("an account of this node is suspended, not blocked")
        }
        Action::BlockActor | Action::BlockDomain => Ok(()),
        Action::Label if kind == TargetKind::Account => {
            refuse("a post, an initiative or a petition is labelled, not an account")
        }
        Action::Label if label.is_none() => {
            Err(ServiceError::invalid("label", "disputed or commercial"))
        }
        Action::Label => Ok(()),
    }
}

/// The account answerable for what was reported.
fn answerable(conn: &mut DbConn, report: &Report) -> ServiceResult<Actor> {
    let id = report
        .target_actor_id
        .ok_or_else(|| ServiceError::new(ErrorKind::Conflict, "the reported account is gone"))?;
    Ok(actors::by_id(conn, id)?)
}

/// The reported post, when the report is about one.
fn post_of(conn: &mut DbConn, report: &Report) -> ServiceResult<posts::Post> {
    posts::by_ap_id(conn, &report.target_ap_id)?
        .map(|(post, _)| post)
        .ok_or_else(|| ServiceError::new(ErrorKind::Conflict, "the reported post is gone"))
}

/// Carries out `action` (already checked).
pub(crate) fn apply(
    conn: &mut DbConn,
    report: &Report,
    action: Action,
    label: Option<&LabelChoice>,
) -> ServiceResult<()> {
    if let (Action::Label, Some(choice)) = (action, label) {
        let kind = TargetKind::parse(&report.target_kind).unwrap_or(TargetKind::Post);
        let reason = report.reason.as_deref().unwrap_or_default();
        return crate::signage::set_for_report(
            conn,
            kind,
            &report.target_ap_id,
            choice,
            reason,
            report.decided_by,
            report.id,
        );
    }
    set(conn, report, action, Some(agora_db::now()))
}

/// Undoes `action`, after an appeal reversed it. A deleted local post comes back here; the
/// copies other servers deleted stay deleted (no fediverse server restores a post).
pub(crate) fn revert(conn: &mut DbConn, report: &Report, action: Action) -> ServiceResult<()> {
    set(conn, report, action, None)
}

fn set(
    conn: &mut DbConn,
    report: &Report,
    action: Action,
    at: Option<chrono::NaiveDateTime>,
) -> ServiceResult<()> {
    let kind = TargetKind::parse(&report.target_kind).unwrap_or(TargetKind::Account);
    match action {
        Action::Dismiss => {}
        // Only a reversal comes here: the label the decision set is removed.
        Action::Label => agora_db::labels::remove_of_report(conn, report.id)?,
        Action::BlockDomain => {
            let actor = answerable(conn, report)?;
            crate::federation_policy::block_for_report(
                conn,
                &actor.domain.to_ascii_lowercase(),
                report.reason.as_deref().unwrap_or_default(),
                report.decided_by,
                report.id,
                at.is_none(),
            )?;
        }
        Action::Hide if kind == TargetKind::Petition => {
            let (petition, _) = agora_db::petitions::by_ap_id(conn, &report.target_ap_id)?
                .ok_or_else(|| {
                    ServiceError::new(ErrorKind::Conflict, "the reported petition is gone")
                })?;
            agora_db::petitions::set_hidden(conn, petition.id, at)?;
        }
        Action::Hide => {
            let post = post_of(conn, report)?;
            posts::set_hidden(conn, post.id, at)?;
        }
        Action::Delete => {
            let post = post_of(conn, report)?;
            posts::set_removed(conn, post.id, at)?;
            // Other servers delete their copies of a post of ours.
            if post.local && at.is_some() {
                events::queue(conn, &FederationEvent::PostDeleted { post_id: post.id })?;
            }
        }
        Action::Limit | Action::Suspend | Action::BlockActor => {
            let actor = answerable(conn, report)?;
            let restriction = match action {
                Action::Limit => Restriction::Limited,
                Action::Suspend => Restriction::Suspended,
                _ => Restriction::Blocked,
            };
            actors::restrict(conn, actor.id, restriction, at)?;
            if restriction == Restriction::Suspended
                && at.is_some()
                && let Some(user) = agora_db::users::by_actor(conn, actor.id)?
            {
                sessions::delete_all(conn, user.id)?;
            }
        }
    }
    Ok(())
}
