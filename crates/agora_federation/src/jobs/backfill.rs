//! The `backfill` job: when a local user starts following a remote group, read the first page of the
//! group's outbox and take in the announces listed there, as Lemmy does, so its followers see
//! what the group said lately and not only what comes next.
//!
//! The outbox is fetched from the group's own server, so its announces carry the same trust
//! as announces delivered by that server: objects on other hosts are fetched from their origin
//! by the `Announce` handler.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::{
    activities::announce, config::FederationData, error::FederationError, objects::actor::DbActor,
    protocol::activities::Incoming,
};
use activitypub_federation::fetch::fetch_object_http;
use agora_service::events::Backfill;
use serde_json::Value;
use url::Url;

/// Most announces taken from one outbox.
const MAX_ITEMS: usize = 20;

#[async_trait::async_trait]
impl Runner for Backfill {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        backfill(self.group_id, data)
            .await
            .map(|()| Done::Finished)
            .map_err(retry)
    }
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
        let Ok(activity) = Incoming::parse(item) else {
            continue;
        };
        if activity.kind != "Announce"
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
