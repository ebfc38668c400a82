//! `Delete`: a remote post, or the remote actor itself, is gone.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::{
        activities::{Activity, ActivityKind},
        note::Tombstone,
    },
};
use agora_service::model::Actor;

/// Marks the post (or the actor) deleted. Unknown objects are fine: nothing to do.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let object_id = activity.object_id().ok_or_else(|| {
        FederationError::refused(Reason::MalformedActivity, "Delete without object")
    })?;
    if object_id.as_str() == actor.row.ap_id {
        agora_service::deletion::erase_remote(data.app_data(), &actor.row).await?;
        return Ok(());
    }
    // The note of a vote: the signature it made is withdrawn.
    let ctx = data.app_data();
    if agora_service::petitions::receive_vote_withdrawal(ctx, &actor.row, object_id.as_str(), None)
        .await?
    {
        return Ok(());
    }
    agora_service::posts::delete_remote(
        data.app_data(),
        &actor.row,
        object_id.as_str(),
        Some(activity.raw),
    )
    .await?;
    Ok(())
}

/// The `Delete` of a local post: its `Tombstone`, to the author's followers and the public.
pub fn delete_post(
    id: &str,
    author: &Actor,
    post_ap_id: &str,
) -> Result<Activity, FederationError> {
    Ok(Activity::public(
        ActivityKind::Delete,
        id,
        &author.ap_id,
        author.followers_url.as_deref(),
        serde_json::to_value(Tombstone::of(post_ap_id))?,
        None,
    )?)
}

/// The `Delete` of a deleted local account, as Mastodon sends it: the actor deletes itself, to
/// the public, with the id `{actor}#delete`.
pub fn delete_actor(actor: &str) -> Result<Activity, FederationError> {
    Ok(Activity::public(
        ActivityKind::Delete,
        &format!("{actor}#delete"),
        actor,
        None,
        serde_json::Value::String(actor.to_string()),
        None,
    )?)
}
