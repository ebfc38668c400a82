//! `Update`: an edited post, or a changed actor profile.

use super::create::store_note;
use crate::{
    config::FederationData,
    error::FederationError,
    objects::actor::DbActor,
    protocol::activities::{Activity, ActivityKind},
};
use activitypub_federation::fetch::object_id::ObjectId;
use agora_service::model::Actor;

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
    if activity.object_type() == Some("Question") {
        super::question::receive(&activity, &actor, data).await?;
    }
    store_note(activity, actor, data, false).await
}

/// The `Update` of one of our objects (an edited post, a changed profile), sent whole to the
/// actor's followers and the public.
pub fn update(
    id: &str,
    actor: &Actor,
    object: serde_json::Value,
    when: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Activity, FederationError> {
    Ok(Activity::public(
        ActivityKind::Update,
        id,
        &actor.ap_id,
        actor.followers_url.as_deref(),
        object,
        when,
    )?)
}
