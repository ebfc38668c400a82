//! `Follow`: a remote actor asks to follow a local one.

use super::local_actor;
use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::activities::{Activity, ActivityKind},
};
use agora_service::model::Actor;

/// Records the follow; the service accepts it (queuing `Accept`) unless approval is manual.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let target_id = activity.object_id().ok_or_else(|| {
        FederationError::refused(Reason::MalformedActivity, "Follow without object")
    })?;
    let target = local_actor(data, &target_id).await?;
    agora_service::follows::receive_follow(
        data.app_data(),
        &actor.row,
        &target.row,
        activity.id.as_str(),
    )
    .await?;
    Ok(())
}

/// An activity about a follow (`Accept`, `Reject`, `Undo`) from `sender` to `recipient`,
/// with the `Follow` inline, as Mastodon expects it.
pub fn about_follow(
    kind: ActivityKind,
    id: &str,
    follow_ap_id: &str,
    (follower, target): (&Actor, &Actor),
    sender: &Actor,
    recipient: &Actor,
) -> Result<Activity, FederationError> {
    Ok(Activity::new(
        kind,
        id,
        &sender.ap_id,
        follow(follow_ap_id, follower, target)?.to_value()?,
        vec![recipient.ap_id.clone()],
    )?)
}

/// The `Follow` a local actor sends to follow `target`, with the follow's stored id.
pub fn follow(id: &str, follower: &Actor, target: &Actor) -> Result<Activity, FederationError> {
    Ok(Activity::new(
        ActivityKind::Follow,
        id,
        &follower.ap_id,
        serde_json::Value::String(target.ap_id.clone()),
        Vec::new(),
    )?)
}
