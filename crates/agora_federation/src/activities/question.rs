//! `Create{Question}` and `Update{Question}`: a petition of ours reaches its author's
//! followers when it is published, and its count as it moves. The update never changes the
//! `Question`'s `updated` (Mastodon would take it as an edit and reset its votes). Received
//! from another server, a one-option `Question` is stored as its petition (and, when it has
//! a transparency log, witnessed); the post it also is goes on as any post.

use crate::{config::FederationData, objects::actor::DbActor};
use crate::{
    error::FederationError,
    protocol::{
        activities::{Activity, ActivityKind},
        question::Question,
    },
};
use agora_service::model::Actor;

/// Stores another server's petition from its `Create` or `Update`. Anything that is not a
/// one-option `Question` by the activity's actor is left to the post handlers.
pub async fn receive(
    activity: &Activity,
    actor: &DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let Ok(question) = serde_json::from_value::<Question>(activity.object.clone()) else {
        return Ok(());
    };
    if question.kind != "Question"
        || question.one_of.len() != 1
        || question.author() != Some(actor.row.ap_id.as_str())
        || data.urls.is_local(question.id.as_str())
    {
        return Ok(());
    }
    let remote = crate::objects::question::to_remote(&question);
    agora_service::petitions::store_remote(data.app_data(), &actor.row, remote).await?;
    Ok(())
}

/// The `Create` of a petition, with a stable id (`{petition}/activity`).
pub fn create(question: &Question, author: &Actor) -> Result<Activity, FederationError> {
    Ok(Activity::public(
        ActivityKind::Create,
        &format!("{}/activity", question.id),
        &author.ap_id,
        author.followers_url.as_deref(),
        serde_json::to_value(question)?,
        question.published,
    )?)
}

/// An `Update` carrying the petition with its current count.
pub fn update(id: &str, question: &Question, author: &Actor) -> Result<Activity, FederationError> {
    Ok(Activity::public(
        ActivityKind::Update,
        id,
        &author.ap_id,
        author.followers_url.as_deref(),
        serde_json::to_value(question)?,
        Some(chrono::Utc::now()),
    )?)
}
