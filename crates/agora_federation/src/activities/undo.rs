//! `Undo{Follow}`: a remote follower leaves. Other undone types are acknowledged.

use super::local_actor;
use crate::{
    config::FederationData,
    error::FederationError,
    objects::actor::DbActor,
    protocol::{activities::Incoming, id_of},
};

/// Removes the follow. The undone `Follow` may be inline (Mastodon) or only its id.
pub async fn receive(
    activity: Incoming,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let inline_type = activity.object_type();
    let target = match (inline_type, activity.object.get("object").and_then(id_of)) {
        (Some("Follow"), Some(target)) => url::Url::parse(target)?,
        (Some(_), _) => return Ok(()),
        (None, _) => {
            // Only an id: find the follow it names.
            let Some(follow_id) = activity.object_id().map(|u| u.to_string()) else {
                return Ok(());
            };
            let found = data
                .db
                .run(move |conn| agora_db::follows::by_ap_id(conn, &follow_id))
                .await?;
            let Some(follow) = found else { return Ok(()) };
            let row = data
                .db
                .run(move |conn| agora_db::actors::by_id(conn, follow.target_id))
                .await?;
            url::Url::parse(&row.ap_id)?
        }
    };
    let target = local_actor(data, &target).await?;
    agora_service::follows::receive_undo_follow(data.app_data(), &actor.row, &target.row).await?;
    Ok(())
}
