//! `Undo{Follow}`: a remote follower leaves; `Undo` of a vote withdraws a signature (see
//! `vote`); `Undo{Block}` lifts a block (see `block`). Other undone types are acknowledged.

use crate::{
    config::FederationData,
    error::FederationError,
    objects::actor::DbActor,
    protocol::{
        activities::{Activity, ActivityKind},
        id_of,
    },
};
use agora_service::follows::UndoneFollow;
use agora_service::model::Actor;

/// Removes the follow. The undone `Follow` may be inline (Mastodon) or only its id.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    if super::vote::receive_undo(&activity, &actor, data).await? {
        return Ok(());
    }
    if activity.object_type() == Some("Block") {
        return super::block::receive_undo(&activity, &actor, data).await;
    }
    let undone = match (
        activity.object_type(),
        activity.object.get("object").and_then(id_of),
    ) {
        (Some("Follow"), Some(target)) => UndoneFollow::Target(target.to_string()),
        (Some(_), _) => return Ok(()),
        (None, _) => match activity.object_id() {
            Some(follow) => UndoneFollow::Follow(follow.to_string()),
            None => return Ok(()),
        },
    };
    agora_service::follows::receive_undo_follow(data.app_data(), &actor.row, undone).await?;
    Ok(())
}

/// The `Undo{Follow}` a local actor sends when it stops following `target`.
pub fn undo_follow(
    id: &str,
    follow_ap_id: &str,
    follower: &Actor,
    target: &Actor,
) -> Result<Activity, FederationError> {
    let pair = (follower, target);
    let kind = ActivityKind::Undo;
    super::follow::about_follow(kind, id, follow_ap_id, pair, follower, target)
}
