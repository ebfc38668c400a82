//! The `backfill` job: when a local user starts following a remote group, read the first page
//! of the group's outbox and take in the announces listed there, as Lemmy does, so its
//! followers see what the group said lately and not only what comes next; and read who
//! moderates it (Lemmy publishes them in `attributedTo`, a collection of people).
//!
//! The outbox is fetched from the group's own server, so its announces carry the same trust
//! as announces delivered by that server: objects on other hosts are fetched from their origin
//! by the `Announce` handler.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::{
    activities::announce,
    config::FederationData,
    error::FederationError,
    objects::actor::DbActor,
    protocol::activities::{Activity, ActivityKind},
};
use activitypub_federation::fetch::{fetch_object_http, object_id::ObjectId};
use agora_core::urls::authority;
use agora_service::events::Backfill;
use serde_json::Value;
use url::Url;

/// Most announces taken from one outbox.
const MAX_ITEMS: usize = 20;

#[async_trait::async_trait]
impl Runner for Backfill {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        if let Err(e) = moderators(self.group_id, data).await {
            // Only shown on the group's page: its outbox matters more.
            tracing::info!(group = self.group_id, error = %e, "group moderators not read");
        }
        backfill(self.group_id, data)
            .await
            .map(|()| Done::Finished)
            .map_err(retry)
    }
}

/// Most moderators read from one group.
const MAX_MODERATORS: usize = 20;

/// Reads who moderates a remote group: the collection its `attributedTo` (or `moderators`)
/// names, on the group's own server, and each person in it, also from there.
async fn moderators(group_id: i64, data: &FederationData) -> Result<(), FederationError> {
    let row = data
        .db
        .run(move |conn| agora_db::actors::by_id(conn, group_id))
        .await?;
    if row.local || !row.is_group() {
        return Ok(());
    }
    let group_url = Url::parse(&row.ap_id)?;
    let same_host = |u: &Url| authority(u) == authority(&group_url);
    let document = fetch_object_http::<_, Value>(&group_url, data)
        .await?
        .object;
    let Some(collection) = ["attributedTo", "moderators"]
        .iter()
        .filter_map(|field| document.get(*field).and_then(Value::as_str))
        .filter_map(|u| Url::parse(u).ok())
        .find(|u| same_host(u))
    else {
        return Ok(());
    };
    let collection = fetch_object_http::<_, Value>(&collection, data)
        .await?
        .object;
    let ids: Vec<Url> = collection
        .get("orderedItems")
        .or_else(|| collection.get("items"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(crate::protocol::id_of)
        .filter_map(|id| Url::parse(id).ok())
        .filter(|id| same_host(id))
        .take(MAX_MODERATORS)
        .collect();
    let mut people = Vec::with_capacity(ids.len());
    for id in ids {
        match ObjectId::<DbActor>::from(id)
            .dereference(&data.reset_request_count())
            .await
        {
            Ok(person) => people.push(person.row.id),
            Err(e) => tracing::info!(error = %e, "a group moderator could not be read"),
        }
    }
    agora_service::initiatives::set_remote_moderators(data.app_data(), group_id, people).await?;
    Ok(())
}

/// Reads the outbox of a remote group and processes its recent announces.
async fn backfill(group_id: i64, data: &FederationData) -> Result<(), FederationError> {
    let row = data
        .db
        .run(move |conn| agora_db::actors::by_id(conn, group_id))
        .await?;
    let Some(outbox) = row
        .outbox
        .clone()
        .filter(|_| !row.local && row.deleted_at.is_none())
    else {
        return Ok(());
    };
    let collection = fetch_object_http::<_, Value>(&Url::parse(&outbox)?, data)
        .await?
        .object;
    let page = match collection.get("first") {
        Some(Value::String(first)) => {
            fetch_object_http::<_, Value>(&Url::parse(first)?, data)
                .await?
                .object
        }
        Some(first @ Value::Object(_)) => first.clone(),
        _ => collection,
    };
    let items = page
        .get("orderedItems")
        .or_else(|| page.get("items"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let group = DbActor::new(row)?;
    let mut taken = 0;
    // Newest first in an outbox: taken oldest first, as they happened.
    for item in items.into_iter().take(MAX_ITEMS).rev() {
        let Ok(activity) = Activity::parse(item) else {
            continue;
        };
        if activity.kind != ActivityKind::Announce
            || activity.actor_id().as_ref().map(Url::as_str) != Some(group.row.ap_id.as_str())
        {
            continue;
        }
        // Each announce may fetch an object and its author: a fresh request budget each.
        let data = data.reset_request_count();
        match announce::receive(activity, group.clone(), &data).await {
            Ok(()) => taken += 1,
            Err(e) => tracing::info!(group = %group.row.ap_id, error = %e, "backfill item skipped"),
        }
    }
    tracing::info!(group = %group.row.ap_id, taken, "group backfilled");
    Ok(())
}
