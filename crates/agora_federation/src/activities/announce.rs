//! `Announce` from a group (FEP-1b12): a post of the group's thread, new, edited or deleted,
//! passed on by the group to its followers. Lemmy communities, other Agora nodes'
//! initiatives and Mobilizon groups send it this way; some send `Announce{Note}` alone.
//!
//! The group vouches only for what lives on its own server: an announced object from another
//! host is fetched from its origin, never taken from the announce.

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
use activitypub_federation::fetch::{fetch_object_http, object_id::ObjectId};
use agora_core::{signage::InteractionKind, urls::authority};
use agora_service::model::{Actor, Post};
use agora_service::posts::{Received, Via};
use serde_json::Value;
use url::Url;

/// Stores, edits or removes the announced post when someone here follows the group. Boosts
/// by people (`Announce` from a `Person`) are acknowledged and not shown yet.
pub async fn receive(
    activity: Activity,
    group: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    if !group.row.is_group() {
        // A boost by a person: shown nowhere yet, counted by the virality detector when it is
        // of one of ours.
        if let Some(object) = activity.object_id() {
            agora_service::signage::interaction(
                data.app_data(),
                &group.row,
                object.as_str(),
                InteractionKind::Boost,
                activity.id.as_str(),
            )
            .await?;
        }
        return Ok(());
    }
    // Checked again when the post is stored; here it spares fetching for nobody.
    if !agora_service::follows::followed_here(data.app_data(), &group.row).await? {
        return Ok(());
    }
    let object = activity.object;
    let (kind, target) = match object.get("type").and_then(Value::as_str) {
        // `Announce{Create{Note}}` and the like: what happened to which object.
        Some(kind @ ("Create" | "Update" | "Delete")) => {
            let inner = object.get("object").cloned().unwrap_or(Value::Null);
            (kind.to_string(), inner)
        }
        // `Announce{Note}`, the form for Mastodon.
        Some(kind) if POST_TYPES.contains(&kind) => ("Create".to_string(), object),
        // Votes, follows and other activities of the group: nothing to show.
        Some(_) => return Ok(()),
        // A bare id: the announced post itself.
        None if object.is_string() => ("Create".to_string(), object),
        None => {
            return Err(FederationError::refused(
                Reason::MalformedActivity,
                "Announce without object",
            ));
        }
    };
    let target_id = crate::protocol::id_of(&target)
        .and_then(|id| Url::parse(id).ok())
        .ok_or_else(|| {
            FederationError::refused(Reason::MalformedActivity, "announced object has no id")
        })?;
    if data.urls.is_local(target_id.as_str()) {
        // Our own post coming back through the group: we know it better.
        return Ok(());
    }
    let vouched = authority(&target_id) == authority(&Url::parse(&group.row.ap_id)?);
    if kind == "Delete" {
        if vouched || is_gone(&target_id, data).await? {
            agora_service::posts::remove_from_group(
                data.app_data(),
                &group.row,
                target_id.as_str(),
            )
            .await?;
        }
        return Ok(());
    }
    let document = if vouched && target.is_object() {
        target
    } else {
        match fetch_object_http::<_, Value>(&target_id, data).await {
            Ok(fetched) => fetched.object,
            Err(activitypub_federation::error::Error::ObjectDeleted(_)) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    };
    if !document
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| POST_TYPES.contains(&t))
    {
        return Ok(());
    }
    let note: Note = serde_json::from_value(document).map_err(|e| {
        FederationError::refused(Reason::MalformedObject, format!("not a Note: {e}"))
    })?;
    if !note.is_public() {
        return Ok(());
    }
    let author_id = note
        .author()
        .and_then(|a| Url::parse(a).ok())
        .filter(|a| authority(a) == authority(&note.id))
        .ok_or_else(|| {
            FederationError::refused(
                Reason::AuthorMismatch,
                "the announced post's author is not on the post's server",
            )
        })?;
    let author = ObjectId::<DbActor>::from(author_id)
        .dereference(data)
        .await?;
    let mut remote = from_note(&note);
    remote.group_id = Some(group.row.id);
    let received = if kind == "Update" {
        Received::Update
    } else {
        Received::Create
    };
    // Stored if someone here still follows the group, which then moves up in the directory.
    let via = Via::Group(group.row.id);
    agora_service::posts::store_remote(data.app_data(), &author.row, remote, received, via).await?;
    Ok(())
}

/// Whether the origin says the object no longer exists (410 Gone or a `Tombstone`).
async fn is_gone(id: &Url, data: &FederationData) -> Result<bool, FederationError> {
    match fetch_object_http::<_, Value>(id, data).await {
        Ok(fetched) => Ok(fetched.object.get("type").and_then(Value::as_str) == Some("Tombstone")),
        Err(activitypub_federation::error::Error::ObjectDeleted(_)) => Ok(true),
        // Cannot tell (404 without JSON, unreachable): keep the post rather than trust the group.
        Err(e) => {
            tracing::info!(%id, error = %e, "announced Delete not confirmed by the origin");
            Ok(false)
        }
    }
}

/// The group's `Announce` of the `Create` of an update it published, as listed in its
/// outbox and delivered to its followers (stable id: `{post}/activity/announce`).
pub fn announce_of_create(
    group: &Actor,
    post: &Post,
    create: serde_json::Value,
) -> Result<Activity, FederationError> {
    let id = format!("{}/activity/announce", post.ap_id);
    by_group(group, &id, create, post.published.and_utc())
}

/// A group's public `Announce` of `object` to its followers: how a group passes on what is
/// posted in its thread (FEP-1b12).
pub fn by_group(
    group: &Actor,
    id: &str,
    object: serde_json::Value,
    published: chrono::DateTime<chrono::Utc>,
) -> Result<Activity, FederationError> {
    Ok(Activity::public(
        ActivityKind::Announce,
        id,
        &group.ap_id,
        group.followers_url.as_deref(),
        object,
        Some(published),
    )?)
}
