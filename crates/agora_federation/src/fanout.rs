//! Fan-out: a queued [`FederationEvent`] becomes one activity and one delivery job per remote
//! inbox (shared inboxes first, so each server gets one request).

use crate::{
    config::FederationData,
    delivery::Delivery,
    error::FederationError,
    objects::note::to_note,
    protocol::{activities::Outgoing, context::with_context},
};
use agora_db::{
    actors::{self, Actor},
    follows,
    jobs::NewJob,
    posts,
};
use agora_service::events::{DELIVER, FederationEvent};
use serde_json::{Value, json};

/// The delivery jobs an event turns into. Pure planning: the worker queues them and removes
/// the event in one transaction, so a crash never sends an event twice or loses it.
pub async fn plan(
    event: FederationEvent,
    data: &FederationData,
) -> Result<Vec<NewJob>, FederationError> {
    let urls = data.urls.clone();
    let (activity, signer, inboxes) = data
        .db
        .run(
            move |conn| -> Result<(Value, String, Vec<String>), FederationError> {
                let new_id = |kind: &str| urls.activity(kind, &uuid::Uuid::new_v4().to_string());
                Ok(match event {
                    FederationEvent::PostCreated { post_id }
                    | FederationEvent::PostUpdated { post_id } => {
                        let (post, author) =
                            posts::by_id(conn, post_id)?.ok_or(agora_db::DbError::NotFound)?;
                        let created = matches!(event, FederationEvent::PostCreated { .. });
                        let note = serde_json::to_value(to_note(&post, &author)?)?;
                        let kind = if created { "Create" } else { "Update" };
                        let mut inboxes = follows::remote_follower_inboxes(conn, author.id)?;
                        inboxes.extend(parent_author_inbox(conn, post.in_reply_to.as_deref())?);
                        // A Create's id is stable (the outbox lists the same one); edits get fresh ids.
                        let id = if created {
                            format!("{}/activity", post.ap_id)
                        } else {
                            new_id(kind)
                        };
                        let published = Some(post.updated.unwrap_or(post.published).and_utc());
                        let activity = Outgoing::public(
                            id,
                            kind,
                            &author.ap_id,
                            author.followers_url.as_deref(),
                            note,
                            published,
                        );
                        (serde_json::to_value(activity)?, author.ap_id, inboxes)
                    }
                    FederationEvent::PostDeleted { post_id } => {
                        let (post, author) =
                            posts::by_id(conn, post_id)?.ok_or(agora_db::DbError::NotFound)?;
                        let mut inboxes = follows::remote_follower_inboxes(conn, author.id)?;
                        inboxes.extend(parent_author_inbox(conn, post.in_reply_to.as_deref())?);
                        let tombstone = json!({ "id": post.ap_id, "type": "Tombstone" });
                        let activity = Outgoing::public(
                            new_id("Delete"),
                            "Delete",
                            &author.ap_id,
                            author.followers_url.as_deref(),
                            tombstone,
                            None,
                        );
                        (serde_json::to_value(activity)?, author.ap_id, inboxes)
                    }
                    FederationEvent::ActorUpdated { actor_id } => {
                        let actor = actors::by_id(conn, actor_id)?;
                        let inboxes = follows::remote_follower_inboxes(conn, actor.id)?;
                        let document =
                            serde_json::to_value(crate::objects::actor::document(&actor)?)?;
                        let published = Some(actor.last_refreshed_at.and_utc());
                        let activity = Outgoing::public(
                            new_id("Update"),
                            "Update",
                            &actor.ap_id,
                            actor.followers_url.as_deref(),
                            document,
                            published,
                        );
                        (serde_json::to_value(activity)?, actor.ap_id, inboxes)
                    }
                    FederationEvent::FollowRequested { follow_id } => {
                        let follow =
                            follows::by_id(conn, follow_id)?.ok_or(agora_db::DbError::NotFound)?;
                        let (follower, target) = (
                            actors::by_id(conn, follow.follower_id)?,
                            actors::by_id(conn, follow.target_id)?,
                        );
                        let activity = follow_object(&follow.ap_id, &follower, &target);
                        (activity, follower.ap_id, vec![target.inbox])
                    }
                    FederationEvent::FollowAccepted { follow_id } => {
                        let follow =
                            follows::by_id(conn, follow_id)?.ok_or(agora_db::DbError::NotFound)?;
                        let (follower, target) = (
                            actors::by_id(conn, follow.follower_id)?,
                            actors::by_id(conn, follow.target_id)?,
                        );
                        answer(
                            "Accept",
                            new_id("Accept"),
                            &follow.ap_id,
                            &follower,
                            &target,
                        )
                    }
                    FederationEvent::FollowRejected {
                        follow_ap_id,
                        follower_id,
                        target_id,
                    } => {
                        let (follower, target) = (
                            actors::by_id(conn, follower_id)?,
                            actors::by_id(conn, target_id)?,
                        );
                        answer(
                            "Reject",
                            new_id("Reject"),
                            &follow_ap_id,
                            &follower,
                            &target,
                        )
                    }
                    FederationEvent::FollowUndone {
                        follow_ap_id,
                        follower_id,
                        target_id,
                    } => {
                        let (follower, target) = (
                            actors::by_id(conn, follower_id)?,
                            actors::by_id(conn, target_id)?,
                        );
                        let activity = Outgoing {
                            id: new_id("Undo"),
                            kind: "Undo",
                            actor: follower.ap_id.clone(),
                            to: vec![target.ap_id.clone()],
                            cc: vec![],
                            published: None,
                            object: follow_object(&follow_ap_id, &follower, &target),
                        };
                        (
                            serde_json::to_value(activity)?,
                            follower.ap_id,
                            vec![target.inbox],
                        )
                    }
                })
            },
        )
        .await?;
    let activity = with_context(activity);
    let mut jobs = Vec::with_capacity(inboxes.len());
    let mut seen = std::collections::BTreeSet::new();
    for inbox in inboxes {
        if data.urls.is_local(&inbox) || !seen.insert(inbox.clone()) {
            continue;
        }
        let Ok(url) = url::Url::parse(&inbox) else {
            continue;
        };
        let domain = agora_core::urls::authority(&url);
        if domain
            .as_deref()
            .is_some_and(|d| data.config.is_domain_blocked(d))
        {
            continue;
        }
        let delivery = Delivery {
            activity: activity.clone(),
            actor: signer.clone(),
            inbox,
        };
        jobs.push(NewJob {
            kind: DELIVER.into(),
            payload: serde_json::to_string(&delivery)?,
            target_domain: domain,
        });
    }
    agora_core::metrics::METRICS
        .deliveries
        .with_label_values(&["queued"])
        .inc_by(jobs.len() as u64);
    Ok(jobs)
}

fn follow_object(id: &str, follower: &Actor, target: &Actor) -> Value {
    json!({ "id": id, "type": "Follow", "actor": follower.ap_id, "object": target.ap_id })
}

fn answer(
    kind: &'static str,
    id: String,
    follow_ap_id: &str,
    follower: &Actor,
    target: &Actor,
) -> (Value, String, Vec<String>) {
    let activity = json!({
        "id": id,
        "type": kind,
        "actor": target.ap_id,
        "to": [follower.ap_id],
        "object": follow_object(follow_ap_id, follower, target),
    });
    (activity, target.ap_id.clone(), vec![follower.inbox.clone()])
}

/// The inbox of the author of the post answered, when remote, so the author sees the reply.
fn parent_author_inbox(
    conn: &mut agora_db::DbConn,
    parent: Option<&str>,
) -> Result<Option<String>, FederationError> {
    let Some(parent) = parent else {
        return Ok(None);
    };
    Ok(posts::by_ap_id(conn, parent)?
        .filter(|(_, author)| !author.local)
        .map(|(_, author)| author.delivery_inbox().to_string()))
}
