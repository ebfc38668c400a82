//! `Move`: an account or group moved to another address (Mastodon's account migration). Its
//! followers here follow the new address instead; ours send it when they move away.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::activities::{Activity, ActivityKind},
};
use activitypub_federation::fetch::object_id::ObjectId;
use agora_service::model::Actor;

/// Checks the move (the actor moves itself; the target, fetched afresh from its server, lists
/// the actor among its aliases) and carries the followers here over.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let object = activity.object_id().ok_or_else(|| {
        FederationError::refused(Reason::MalformedActivity, "Move without object")
    })?;
    if object.as_str() != actor.row.ap_id {
        return Err(FederationError::refused(
            Reason::AuthorMismatch,
            "an actor can only move itself",
        ));
    }
    let target = crate::protocol::id_of(&activity.target)
        .and_then(|t| url::Url::parse(t).ok())
        .ok_or_else(|| {
            FederationError::refused(Reason::MalformedActivity, "Move without target")
        })?;
    let domain = agora_core::urls::authority(&target).unwrap_or_default();
    if data.federation_policy().refuses(&domain) {
        return Err(FederationError::refused(
            Reason::BlockedDomain,
            format!("{domain} is blocked here"),
        ));
    }
    // Its aliases as they are now, not as we last saw them.
    let target = if data.urls.is_local(target.as_str()) {
        crate::activities::local_actor(data, &target).await?
    } else {
        ObjectId::<DbActor>::from(target)
            .dereference_forced(data)
            .await
            .map_err(|e| e.fetch_failed(Reason::ActorUnavailable))?
    };
    agora_service::moves::receive_move(data.app_data(), &actor.row, &target.row).await?;
    Ok(())
}

/// The `Move` of a local actor to `target`, as Mastodon sends it, to its followers.
pub fn move_actor(id: &str, actor: &Actor, target: &str) -> Result<Activity, FederationError> {
    let mut activity = Activity::new(
        ActivityKind::Move,
        id,
        &actor.ap_id,
        serde_json::Value::String(actor.ap_id.clone()),
        actor.followers_url.clone().into_iter().collect(),
    )?;
    activity.target = serde_json::Value::String(target.to_string());
    Ok(activity)
}
