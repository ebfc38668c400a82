//! `Follow`: a remote actor asks to follow a local one.

use super::local_actor;
use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::activities::Activity,
};

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
