//! `Update`: an edited post, or a changed actor profile.

use super::create::store_note;
use crate::{
    config::FederationData, error::FederationError, objects::actor::DbActor,
    protocol::activities::Activity,
};
use activitypub_federation::fetch::object_id::ObjectId;

/// Applies the edit of a known post, or refreshes the actor when it updates itself.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    if let Some(id) = activity
        .object_id()
        .filter(|id| id.as_str() == actor.row.ap_id)
    {
        // Re-fetch rather than trust the inline copy: the document at the id is authoritative.
        ObjectId::<DbActor>::from(id)
            .dereference_forced(data)
            .await?;
        return Ok(());
    }
    store_note(activity, actor, data, false).await
}
