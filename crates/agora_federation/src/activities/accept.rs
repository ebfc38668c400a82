//! `Accept{Follow}` and `Reject{Follow}`: a remote actor answers a local actor's follow. The
//! two answers share this file because they differ only in the service call: one rule, once.

use crate::{
    config::FederationData,
    error::FederationError,
    objects::actor::DbActor,
    protocol::{
        activities::{Activity, ActivityKind},
        id_of,
    },
};
use agora_service::model::Actor;

/// Marks the follow accepted, or removes it when rejected. The answer must come from the
/// followed actor; the follow is found by the id of the `Follow` when given, else by the pair.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
    accepted: bool,
) -> Result<(), FederationError> {
    if activity.object_type().is_some_and(|t| t != "Follow") {
        // Accept of something other than a follow (e.g. Lemmy's Accept of a join): nothing to do.
        return Ok(());
    }
    let follow_id = activity.object_id().map(|u| u.to_string());
    // The follower named in an inline Follow: the service finds it among ours.
    let follower = activity.object.get("actor").and_then(id_of);
    let ctx = data.app_data();
    if accepted {
        agora_service::follows::receive_accept(ctx, &actor.row, follow_id.as_deref(), follower)
            .await?;
    } else {
        agora_service::follows::receive_reject(ctx, &actor.row, follow_id.as_deref(), follower)
            .await?;
    }
    Ok(())
}

/// `Accept` or `Reject` of a follow: sent by the followed actor to the follower.
pub fn answer(
    kind: ActivityKind,
    id: &str,
    follow_ap_id: &str,
    follower: &Actor,
    target: &Actor,
) -> Result<Activity, FederationError> {
    let pair = (follower, target);
    super::follow::about_follow(kind, id, follow_ap_id, pair, target, follower)
}
