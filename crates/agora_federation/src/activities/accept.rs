//! `Accept{Follow}`: a remote actor accepts a local actor's follow.

use crate::{
    config::FederationData,
    error::FederationError,
    objects::actor::DbActor,
    protocol::activities::{Activity, ActivityKind},
};
use agora_service::model::Actor;

/// Marks the follow accepted. The answer must come from the followed actor (the service
/// checks); the follow is found by the id of the `Follow` when given, else by the pair.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    // Accept of something other than a follow (e.g. Lemmy's Accept of a join): nothing to do.
    let Some((follow_id, follower)) = super::follow::answered(&activity) else {
        return Ok(());
    };
    agora_service::follows::receive_accept(
        data.app_data(),
        &actor.row,
        follow_id.as_deref(),
        follower,
    )
    .await?;
    Ok(())
}

/// The `Accept` the followed actor sends to the follower.
pub fn build(
    id: &str,
    follow_ap_id: &str,
    follower: &Actor,
    target: &Actor,
) -> Result<Activity, FederationError> {
    let pair = (follower, target);
    super::follow::about_follow(
        ActivityKind::Accept,
        id,
        follow_ap_id,
        pair,
        target,
        follower,
    )
}
