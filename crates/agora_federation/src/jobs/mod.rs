//! The job worker: claims due jobs from the database queue and runs them concurrently, each
//! by the [`Runner`] of its kind, one file per kind: [`federate`] (an event becomes activities
//! and deliveries), [`deliver`] (one signed POST), [`backfill`] (a followed group's outbox),
//! [`mail`], [`probe_software`] (which software a server runs), [`close_petition`] (a
//! petition at its deadline), [`witness_petition`] (another node's petition log checked and
//! cosigned), [`build_export`] (an account's archive), [`delete_account`] (an account at the
//! end of its grace period), [`run_import`] (the lines of an import). Adding a kind: its payload implements `agora_service::jobs::Job`,
//! its runner goes in a new file here, and [`run_job`] names it.
//!
//! A job is leased when claimed and leased again when it starts; while it runs, its lease is
//! renewed. Only the holder of the lease completes or reschedules it: a worker that stalled
//! past its lease finds the job taken over and leaves it to its new holder.

pub mod backfill;
pub mod build_export;
pub mod close_petition;
pub mod delete_account;
pub mod deliver;
pub mod federate;
pub mod mail;
pub mod probe_software;
pub mod run_import;
pub mod witness_petition;

use crate::config::FederationData;
use activitypub_federation::config::FederationConfig;
use agora_core::metrics::METRICS;
use agora_db::jobs as queue;
use agora_service::{
    Context,
    jobs::{Job, JobKind},
};
use chrono::{Duration, NaiveDateTime};
use std::time::Duration as StdDuration;

/// What a job needs to run: the federation data and the lease it runs under.
pub struct Lease {
    /// The job's row id.
    pub job_id: i64,
    /// Who holds it.
    pub worker: String,
    /// Tries so far, this one included.
    pub attempt: i32,
}

/// How a job kind runs.
#[async_trait::async_trait]
pub trait Runner: Job {
    /// Does the work.
    async fn run(self, lease: &Lease, data: &FederationData) -> Result<Done, JobFailure>;
}

/// A job that ran to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// The worker removes it from the queue.
    Finished,
    /// The runner removed it itself, in the transaction of its effect (the fan-out queues its
    /// deliveries and removes its event together).
    Removed,
}

/// Why a job did not finish.
#[derive(Debug)]
pub enum JobFailure {
    /// Retry later: at the given time, or after the back-off.
    Retry {
        /// Why, kept on the row.
        reason: String,
        /// When, if the runner knows better than the back-off.
        at: Option<NaiveDateTime>,
    },
    /// Never retry (a payload that cannot be read, a blocked server).
    Permanent(String),
}

/// A failure worth another try after the back-off.
pub fn retry(reason: impl ToString) -> JobFailure {
    JobFailure::Retry {
        reason: reason.to_string(),
        at: None,
    }
}

/// Runs the worker until the process ends.
///
/// Up to `federation.delivery_concurrency` jobs run at once, and a slot that frees is filled
/// again without waiting for the others: one slow server holds one slot, not the whole queue.
/// Each job is a task of its own, so signing and parsing spread over the cores.
pub async fn run(config: FederationConfig<Context>) {
    let data = config.to_request_data();
    let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let concurrency = data.config.federation.delivery_concurrency;
    // Claiming is a write: done for a few free slots at once, not for each one that frees.
    let refill_at = (concurrency / 8).max(1);
    let lease = lease_length(&data);
    if data.db.backend() == agora_db::connection::Backend::Sqlite {
        // Only one process uses a SQLite file, so leases left by a killed run are ours to free.
        match data.db.run(queue::release_all).await {
            Ok(n) if n > 0 => tracing::info!(released = n, "released jobs leased before a restart"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot release old leases"),
        }
    }
    let mut running = tokio::task::JoinSet::new();
    loop {
        let free = concurrency - running.len();
        let mut claimed_none = false;
        if free >= refill_at || running.is_empty() {
            let id = worker.clone();
            let claimed = data
                .db
                .run(move |conn| {
                    if queue::any_due(conn)? {
                        queue::claim(conn, &id, free as i64, lease)
                    } else {
                        Ok(Vec::new())
                    }
                })
                .await;
            match claimed {
                Ok(batch) => {
                    claimed_none = batch.is_empty();
                    for job in batch {
                        let data = data.reset_request_count();
                        let lease = Lease {
                            job_id: job.id,
                            worker: worker.clone(),
                            attempt: job.attempts,
                        };
                        running.spawn(async move { run_job(job, lease, &data).await });
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot claim jobs");
                    claimed_none = true;
                }
            }
        }
        if running.is_empty() {
            if let Ok(n) = data.db.run(queue::count).await {
                METRICS.delivery_queue_depth.set(n);
            }
            tokio::time::sleep(StdDuration::from_millis(200)).await;
            continue;
        }
        // Wait for a job to end; with free slots and an empty queue, look again in a while
        // for jobs that came due.
        let idle_poll = StdDuration::from_millis(200);
        if claimed_none || running.len() + refill_at > concurrency {
            tokio::select! {
                _ = running.join_next() => {}
                _ = tokio::time::sleep(idle_poll), if claimed_none => {}
            }
        }
        while running.try_join_next().is_some() {}
    }
}

/// A lease outlives the longest request (the request timeout) with room to spare.
fn lease_length(data: &FederationData) -> Duration {
    Duration::seconds((data.config.federation.request_timeout_secs as i64) * 2 + 10)
}

/// Runs one claimed job by the runner of its kind.
async fn run_job(job: queue::Job, lease: Lease, data: &FederationData) {
    match JobKind::parse(&job.kind) {
        Some(JobKind::Federate) => {
            execute::<agora_service::events::Federate>(job, lease, data).await
        }
        Some(JobKind::Deliver) => execute::<deliver::Delivery>(job, lease, data).await,
        Some(JobKind::Backfill) => {
            execute::<agora_service::events::Backfill>(job, lease, data).await
        }
        Some(JobKind::Mail) => execute::<agora_service::mail::Mail>(job, lease, data).await,
        Some(JobKind::ProbeSoftware) => {
            execute::<agora_service::instances::ProbeSoftware>(job, lease, data).await
        }
        Some(JobKind::ClosePetition) => {
            execute::<agora_service::petitions::ClosePetition>(job, lease, data).await
        }
        Some(JobKind::WitnessPetition) => {
            execute::<agora_service::witness::WitnessPetition>(job, lease, data).await
        }
        Some(JobKind::BuildExport) => {
            execute::<agora_service::export::BuildExport>(job, lease, data).await
        }
        Some(JobKind::RunImport) => {
            execute::<agora_service::imports::RunImport>(job, lease, data).await
        }
        Some(JobKind::DeleteAccount) => {
            execute::<agora_service::deletion::DeleteAccount>(job, lease, data).await
        }
        None => {
            tracing::warn!(job = job.id, kind = %job.kind, "unknown job kind: dropped");
            finish(&lease, data, Ok(Done::Finished), i32::MAX, &job.kind).await;
        }
    }
}

/// Leases the job again now that it starts (it may have waited in its batch), runs it while
/// renewing the lease, and records the outcome if the lease is still ours.
async fn execute<J: Runner>(job: queue::Job, lease: Lease, data: &FederationData) {
    let length = lease_length(data);
    // A job that waited in its batch has used part of the lease it was claimed with: lease it
    // again before it starts. One that starts at once keeps its claim (no write on the hot
    // path of deliveries).
    let fresh = job
        .locked_until
        .is_some_and(|until| until - agora_db::now() > length * 2 / 3);
    if !fresh && !renew(&lease, data, length).await {
        tracing::info!(
            job = lease.job_id,
            "lease lost before the job started; left to its holder"
        );
        return;
    }
    let result = match serde_json::from_str::<J>(&job.payload) {
        Err(e) => Err(JobFailure::Permanent(format!("unreadable payload: {e}"))),
        Ok(payload) => {
            let work = payload.run(&lease, data);
            tokio::pin!(work);
            let mut heartbeat =
                tokio::time::interval((length / 3).to_std().unwrap_or(StdDuration::from_secs(5)));
            heartbeat.tick().await;
            loop {
                tokio::select! {
                    result = &mut work => break result,
                    _ = heartbeat.tick() => {
                        if !renew(&lease, data, length).await {
                            tracing::warn!(job = lease.job_id, "lease lost while running");
                        }
                    }
                }
            }
        }
    };
    finish(&lease, data, result, J::MAX_ATTEMPTS, J::KIND.as_str()).await;
}

async fn renew(lease: &Lease, data: &FederationData, length: Duration) -> bool {
    let (id, worker) = (lease.job_id, lease.worker.clone());
    let until = agora_db::now() + length;
    match data
        .db
        .run(move |conn| queue::renew(conn, id, &worker, until))
        .await
    {
        Ok(held) => held,
        Err(e) => {
            tracing::error!(job = id, error = %e, "cannot renew a lease");
            false
        }
    }
}

/// Completes, reschedules or gives up the job, as its holder.
async fn finish(
    lease: &Lease,
    data: &FederationData,
    result: Result<Done, JobFailure>,
    max_attempts: i32,
    kind: &str,
) {
    let (id, worker) = (lease.job_id, lease.worker.clone());
    let recorded = match result {
        Ok(Done::Removed) => Ok(true),
        Ok(Done::Finished) => {
            data.db
                .run(move |conn| queue::complete(conn, id, &worker))
                .await
        }
        Err(JobFailure::Permanent(reason)) => {
            tracing::warn!(job = id, %kind, %reason, "job dropped");
            data.db
                .run(move |conn| queue::complete(conn, id, &worker))
                .await
        }
        Err(JobFailure::Retry { reason, .. }) if lease.attempt >= max_attempts => {
            tracing::warn!(job = id, %kind, %reason, attempts = lease.attempt, "job given up");
            if kind == JobKind::Deliver.as_str() {
                METRICS.deliveries.with_label_values(&["given_up"]).inc();
            }
            data.db
                .run(move |conn| queue::complete(conn, id, &worker))
                .await
        }
        Err(JobFailure::Retry { reason, at }) => {
            tracing::info!(job = id, %kind, %reason, attempts = lease.attempt, "job will be retried");
            let base = data.config.federation.retry_base_secs;
            let at = at.unwrap_or_else(|| agora_db::now() + queue::backoff(lease.attempt, base));
            data.db
                .run(move |conn| queue::reschedule(conn, id, &worker, at, &reason))
                .await
        }
    };
    match recorded {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!(job = id, %kind, "job taken over by another worker; its outcome is theirs")
        }
        Err(e) => {
            tracing::error!(job = id, error = %e, "cannot record job outcome; its lease will expire and it will run again")
        }
    }
}
