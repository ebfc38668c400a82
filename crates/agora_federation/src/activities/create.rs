//! `Create{Note}`: a remote post.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::{
        actor::DbActor,
        note::{POST_TYPES, from_note},
    },
    protocol::{
        activities::{Activity, ActivityKind},
        note::Note,
    },
};
use agora_core::signage::InteractionKind;
use agora_service::model::{Actor, Post};
use agora_service::posts::{Received, Via};

/// Stores the post when someone here can see it (the service decides, in the transaction that
/// stores it); other posts are acknowledged and dropped.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    // A poll vote (Mastodon's form) signs one of our petitions; it is not a post.
    if let Some(vote) = super::vote::vote_of(&activity.object) {
        return super::vote::receive(vote, actor, data).await;
    }
    if activity.object_type() == Some("Question") {
        super::question::receive(&activity, &actor, data).await?;
    }
    store_note(activity, actor, data, true).await
}

/// Shared by `Create` and `Update`: parse, check authorship, and store or edit.
pub(crate) async fn store_note(
    mut activity: Activity,
    actor: DbActor,
    data: &FederationData,
    is_create: bool,
) -> Result<(), FederationError> {
    if !activity
        .object_type()
        .is_some_and(|t| POST_TYPES.contains(&t))
    {
        return Ok(());
    }
    let note: Note = serde_json::from_value(activity.object.clone()).map_err(|e| {
        FederationError::refused(Reason::MalformedObject, format!("not a Note: {e}"))
    })?;
    if note.author() != Some(actor.row.ap_id.as_str()) {
        return Err(FederationError::refused(
            Reason::AuthorMismatch,
            "attributedTo differs from the activity's actor",
        ));
    }
    if !note.is_public() {
        // Posts are public here (no visibility model yet): a followers-only post or a direct
        // message is acknowledged and not stored, rather than shown to everyone.
        tracing::debug!(id = %note.id, "non-public post not stored");
        return Ok(());
    }
    let mut remote = from_note(&note);
    remote.activity = Some(std::mem::take(&mut activity.raw));
    let received = if is_create {
        Received::Create
    } else {
        Received::Update
    };
    let answered = remote.in_reply_to.clone().filter(|_| is_create);
    agora_service::posts::store_remote(data.app_data(), &actor.row, remote, received, Via::Author)
        .await?;
    // A reply to one of ours counts for the virality detector.
    if let Some(parent) = answered {
        agora_service::signage::interaction(
            data.app_data(),
            &actor.row,
            &parent,
            InteractionKind::Reply,
            activity.id.as_str(),
        )
        .await?;
    }
    Ok(())
}

/// The `Create` of a local post. Its id is stable (`{post}/activity`): the outbox and the
/// delivery carry the same one.
pub fn create_activity(
    post: &Post,
    author: &Actor,
    note: serde_json::Value,
) -> Result<Activity, FederationError> {
    let mut create = Activity::public(
        ActivityKind::Create,
        &format!("{}/activity", post.ap_id),
        &author.ap_id,
        author.followers_url.as_deref(),
        note,
        Some(post.published.and_utc()),
    )?;
    create
        .cc
        .extend(note_audience(&create.object).map(str::to_string));
    Ok(create)
}

fn note_audience(note: &serde_json::Value) -> Option<&str> {
    note.get("audience").and_then(serde_json::Value::as_str)
}
