//! `Reject{Follow}`: a remote actor refuses a local actor's follow, or ends an accepted one.

use crate::{
    config::FederationData,
    error::FederationError,
    objects::actor::DbActor,
    protocol::activities::{Activity, ActivityKind},
};
use agora_service::model::Actor;

/// Removes the follow. The answer must come from the followed actor (the service checks); the
/// follow is found by the id of the `Follow` when given, else by the pair.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let Some((follow_id, follower)) = super::follow::answered(&activity) else {
        return Ok(());
    };
    agora_service::follows::receive_reject(
        data.app_data(),
        &actor.row,
        follow_id.as_deref(),
        follower,
    )
    .await?;
    Ok(())
}

/// The `Reject` the followed actor sends to the follower.
pub fn build(
    id: &str,
    follow_ap_id: &str,
    follower: &Actor,
    target: &Actor,
) -> Result<Activity, FederationError> {
    let pair = (follower, target);
    super::follow::about_follow(
        ActivityKind::Reject,
        id,
        follow_ap_id,
        pair,
        target,
        follower,
    )
}
