//! The `close_petition` job: at its deadline a petition closes by itself (the service checks
//! the deadline, so an early or repeated run does nothing), and its followers get the final
//! count. Queued when the petition opens; in the database queue, so it survives restarts.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::config::FederationData;
use agora_service::petitions::{ClosePetition, Closing, close_due};

#[async_trait::async_trait]
impl Runner for ClosePetition {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        match close_due(data.app_data(), self.petition_id)
            .await
            .map_err(retry)?
        {
            Closing::Closed | Closing::Nothing => Ok(Done::Finished),
            Closing::NotYet(at) => Err(JobFailure::Retry {
                reason: "the deadline moved".into(),
                at: Some(at),
            }),
        }
    }
}
