//! The `witness_petition` job: checks another node's petition log against what this node saw
//! last, cosigns it and sends the cosignature ([`crate::witness`]). Queued each time the node
//! hears of the petition (its `Question` arrives or is fetched).

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::{config::FederationData, witness};
use agora_service::witness::WitnessPetition;

#[async_trait::async_trait]
impl Runner for WitnessPetition {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        let outcome = witness::witness(self.petition_id, data)
            .await
            .map_err(retry)?;
        tracing::info!(
            petition = self.petition_id,
            ?outcome,
            "petition log witnessed"
        );
        Ok(Done::Finished)
    }
}
