//! The `federate` job: a [`Federate`] event becomes its activities and one delivery job per
//! remote inbox ([`crate::fanout`]), queued in the transaction that removes the event, so a
//! crash neither loses the event nor sends it twice. The activities' ids derive from the
//! event's id: were the fan-out to run twice, receivers would see the same ids.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::{config::FederationData, fanout};
use agora_service::{
    events::{Federate, FederationEvent},
    jobs,
};

#[async_trait::async_trait]
impl Runner for Federate {
    async fn run(self, lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        let counted = carries_content(&self.event);
        let deliveries = match fanout::plan(self, data).await {
            Ok(d) => d,
            // The object vanished (deleted before the fan-out, its author's account with it):
            // nothing to send.
            Err(e) if e.kind() == agora_core::ErrorKind::NotFound => return Ok(Done::Finished),
            Err(e) => return Err(retry(e)),
        };
        let (id, worker) = (lease.job_id, lease.worker.clone());
        let queued = deliveries.len() as u64;
        let held = data
            .db
            .run(move |conn| {
                agora_db::write_transaction(conn, |conn| -> Result<bool, agora_db::DbError> {
                    if !agora_db::jobs::complete(conn, id, &worker)? {
                        // Another worker holds the event now; it will queue them.
                        return Ok(false);
                    }
                    jobs::enqueue(conn, &deliveries)?;
                    // What carrying the post or petition costs, for its energy label.
                    if let Some(first) = deliveries.first().filter(|_| counted)
                        && let Some(object) = carried_id(&first.activity)
                    {
                        let bytes = serde_json::to_vec(&first.activity).map_or(0, |b| b.len());
                        let inboxes = deliveries.len() as i64;
                        if !agora_db::posts::add_delivery(conn, &object, bytes as i64, inboxes)? {
                            agora_db::petitions::add_delivery(
                                conn,
                                &object,
                                bytes as i64,
                                inboxes,
                            )?;
                        }
                    }
                    Ok(true)
                })
            })
            .await
            .map_err(retry)?;
        if held {
            agora_core::metrics::METRICS
                .deliveries
                .with_label_values(&["queued"])
                .inc_by(queued);
        }
        Ok(Done::Removed)
    }
}

/// Whether an event carries a post or petition of ours to other servers for the first time
/// (its publication, or its initiative's announce of it): what its energy label counts.
fn carries_content(event: &FederationEvent) -> bool {
    matches!(
        event,
        FederationEvent::PostCreated { .. }
            | FederationEvent::PetitionPublished { .. }
            | FederationEvent::GroupAnnounced {
                with_object: true,
                ..
            }
    )
}

/// The post or petition an activity carries: the object of its `Create`, or of the `Create`
/// it announces.
fn carried_id(activity: &serde_json::Value) -> Option<String> {
    let object = activity.get("object")?;
    let inner = match object.get("type").and_then(serde_json::Value::as_str) {
        Some("Create") => object.get("object")?,
        _ => object,
    };
    crate::protocol::id_of(inner).map(str::to_string)
}
