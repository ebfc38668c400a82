//! `Like`: someone liked one of our posts or petitions. Not shown yet; counted by the
//! artificial-virality detector.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::activities::Activity,
};
use agora_core::signage::InteractionKind;

/// Records the like for the detector; likes of other servers' objects are acknowledged.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let object = activity.object_id().ok_or_else(|| {
        FederationError::refused(Reason::MalformedActivity, "Like without object")
    })?;
    agora_service::signage::interaction(
        data.app_data(),
        &actor.row,
        object.as_str(),
        InteractionKind::Like,
        activity.id.as_str(),
    )
    .await?;
    Ok(())
}
