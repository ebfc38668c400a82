//! Background jobs: every side effect that leaves the node (deliveries, e-mail) or may take
//! long (fan-out, backfill) is a row in the database queue, written in the transaction of the
//! change that causes it, and run by the worker (`agora_federation::jobs`).
//!
//! A job kind is a payload type that implements [`Job`] where it is defined; its runner lives
//! in `agora_federation/src/jobs/{kind}.rs`. Every job may run more than once (a worker can
//! die after the effect and before it records it), so each kind says how a second run stays
//! harmless.

use agora_db::{
    DbConn,
    error::DbResult,
    jobs::{self, NewJob},
};
use serde::{Serialize, de::DeserializeOwned};

/// The kinds of job, as the queue names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// A [`crate::events::FederationEvent`] to turn into activities and deliveries.
    Federate,
    /// One signed POST to one inbox.
    Deliver,
    /// Reading the recent announces of a remote group just followed.
    Backfill,
    /// One e-mail.
    Mail,
    /// Asking a server which software it runs.
    ProbeSoftware,
    /// Closing a petition at its deadline.
    ClosePetition,
    /// Checking and cosigning another node's petition log.
    WitnessPetition,
    /// Building an account's archive.
    BuildExport,
    /// Deleting an account at the end of its grace period.
    DeleteAccount,
    /// Handling the lines of an import.
    RunImport,
}

impl JobKind {
    /// Every kind.
    pub const ALL: [JobKind; 10] = [
        JobKind::Federate,
        JobKind::Deliver,
        JobKind::Backfill,
        JobKind::Mail,
        JobKind::ProbeSoftware,
        JobKind::ClosePetition,
        JobKind::WitnessPetition,
        JobKind::BuildExport,
        JobKind::DeleteAccount,
        JobKind::RunImport,
    ];

    /// The name stored in `jobs.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Federate => "federate",
            JobKind::Deliver => "deliver",
            JobKind::Backfill => "backfill",
            JobKind::Mail => "mail",
            JobKind::ProbeSoftware => "probe_software",
            JobKind::ClosePetition => "close_petition",
            JobKind::WitnessPetition => "witness_petition",
            JobKind::BuildExport => "build_export",
            JobKind::DeleteAccount => "delete_account",
            JobKind::RunImport => "run_import",
        }
    }

    /// The kind of a stored name.
    pub fn parse(name: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// A job's payload: what the queue stores, and how the job is retried.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Its kind.
    const KIND: JobKind;
    /// Tries before it is given up; between tries the delay doubles from
    /// `federation.retry_base_secs` up to 12 hours (`agora_db::jobs::backoff`).
    const MAX_ATTEMPTS: i32;

    /// The remote server it concerns, so the worker can hold it back while that server is
    /// down without running it.
    fn target_domain(&self) -> Option<String> {
        None
    }
}

/// Queues jobs to run now, in the caller's transaction.
pub fn enqueue<J: Job>(conn: &mut DbConn, jobs: &[J]) -> DbResult<()> {
    enqueue_at(conn, jobs, agora_db::now())
}

/// Queues jobs to run at `run_at`, in the caller's transaction.
pub fn enqueue_at<J: Job>(
    conn: &mut DbConn,
    jobs: &[J],
    run_at: chrono::NaiveDateTime,
) -> DbResult<()> {
    let rows = jobs
        .iter()
        .map(|job| {
            Ok(NewJob {
                kind: J::KIND.as_str().into(),
                payload: serde_json::to_string(job)
                    .map_err(|e| agora_db::DbError::Setup(format!("job payload: {e}")))?,
                target_domain: job.target_domain(),
            })
        })
        .collect::<DbResult<Vec<_>>>()?;
    jobs::enqueue_at(conn, &rows, run_at)
}

#[cfg(test)]
mod tests {
    use super::JobKind;

    #[test]
    fn kind_names_round_trip() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(JobKind::parse("Deliver"), None);
    }
}
