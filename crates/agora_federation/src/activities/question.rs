//! `Create{Question}` and `Update{Question}`: a petition of ours reaches its author's
//! followers when it is published, and its count as it moves. The update never changes the
//! `Question`'s `updated` (Mastodon would take it as an edit and reset its votes).

use crate::{
    error::FederationError,
    protocol::{
        activities::{Activity, ActivityKind},
        question::Question,
    },
};
use agora_service::model::Actor;

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
