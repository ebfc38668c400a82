//! The `delete_account` job: at the end of its grace period, an account is deleted
//! (`agora_service::deletion`), unless its owner cancelled.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::config::FederationData;
use agora_service::deletion::{self, DeleteAccount};

#[async_trait::async_trait]
impl Runner for DeleteAccount {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        deletion::run_due(data.app_data(), self.user_id)
            .await
            .map_err(retry)?;
        Ok(Done::Finished)
    }
}
