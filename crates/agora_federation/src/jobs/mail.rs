//! The `mail` job: one message through SMTP, or into `{data_dir}/mail` without a server.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::config::FederationData;
use agora_service::mail::{self, Mail, MailError};

#[async_trait::async_trait]
impl Runner for Mail {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        match mail::send(data.app_data(), &self).await {
            Ok(()) => Ok(Done::Finished),
            Err(MailError::Build(e)) => Err(JobFailure::Permanent(e)),
            Err(e) => Err(retry(e)),
        }
    }
}
