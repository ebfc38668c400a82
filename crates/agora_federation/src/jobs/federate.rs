//! The `federate` job: a [`Federate`] event becomes its activities and one delivery job per
//! remote inbox ([`crate::fanout`]), queued in the transaction that removes the event, so a
//! crash neither loses the event nor sends it twice. The activities' ids derive from the
//! event's id: were the fan-out to run twice, receivers would see the same ids.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::{FederationError, config::FederationData, fanout};
use agora_service::{events::Federate, jobs};

#[async_trait::async_trait]
impl Runner for Federate {
    async fn run(self, lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        let deliveries = match fanout::plan(self, data).await {
            Ok(d) => d,
            // The object vanished (deleted before the fan-out): nothing to send.
            Err(FederationError::Db(agora_db::DbError::NotFound)) => return Ok(Done::Finished),
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
