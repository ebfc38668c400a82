//! The job worker: claims due jobs from the database queue and runs them concurrently —
//! fan-out of federation events, deliveries, e-mail. Each job is safe to run twice: a
//! delivery sent twice is deduplicated by the receiver by activity id.

use crate::{
    config::FederationData,
    delivery::{self, Delivery},
    fanout,
};
use activitypub_federation::config::FederationConfig;
use agora_core::{metrics::METRICS, urls::authority};
use agora_db::{
    instances,
    jobs::{self, Job},
};
use agora_service::{
    Context,
    events::{BACKFILL, DELIVER, FEDERATE, FederationEvent, MAIL},
    mail::{self, Mail},
};
use chrono::Duration;
use futures::StreamExt;
use std::time::Duration as StdDuration;

/// Tries before a delivery is dropped (about four days with the back-off of [`jobs::backoff`]).
pub const MAX_DELIVERY_ATTEMPTS: i32 = 16;
/// Tries before an e-mail or a fan-out is dropped.
pub const MAX_OTHER_ATTEMPTS: i32 = 10;
/// A dead server is tried again this often.
pub const DEAD_RETRY_HOURS: i64 = 24;

/// Runs the worker until the process ends.
pub async fn run(config: FederationConfig<Context>) {
    let data = config.to_request_data();
    let worker_id = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let concurrency = data.config.federation.delivery_concurrency;
    // A lease outlives the longest delivery (request timeout) with room to spare.
    let lease = Duration::seconds((data.config.federation.request_timeout_secs as i64) * 2 + 10);
    if data.db.backend() == agora_db::connection::Backend::Sqlite {
        // Only one process uses a SQLite file, so leases left by a killed run are ours to free.
        match data.db.run(jobs::release_all).await {
            Ok(n) if n > 0 => tracing::info!(released = n, "released jobs leased before a restart"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot release old leases"),
        }
    }
    loop {
        let id = worker_id.clone();
        let claimed = data
            .db
            .run(move |conn| {
                if jobs::any_due(conn)? {
                    jobs::claim(conn, &id, (concurrency * 2) as i64, lease)
                } else {
                    Ok(Vec::new())
                }
            })
            .await;
        let batch = match claimed {
            Ok(batch) => batch,
            Err(e) => {
                tracing::error!(error = %e, "cannot claim jobs");
                tokio::time::sleep(StdDuration::from_secs(1)).await;
                continue;
            }
        };
        if batch.is_empty() {
            if let Ok(n) = data.db.run(jobs::count).await {
                METRICS.delivery_queue_depth.set(n);
            }
            tokio::time::sleep(StdDuration::from_millis(200)).await;
            continue;
        }
        futures::stream::iter(batch)
            .for_each_concurrent(concurrency, |job| {
                let data = data.reset_request_count();
                async move { run_job(job, &data).await }
            })
            .await;
    }
}

async fn run_job(job: Job, data: &FederationData) {
    let result = match job.kind.as_str() {
        DELIVER => run_delivery(&job, data).await,
        FEDERATE => run_fanout(&job, data).await,
        MAIL => run_mail(&job, data).await,
        BACKFILL => run_backfill(&job, data).await,
        other => Err(JobFailure::Permanent(format!("unknown job kind `{other}`"))),
    };
    let id = job.id;
    let outcome = match result {
        Ok(()) => data.db.run(move |conn| jobs::complete(conn, id)).await,
        Err(JobFailure::Permanent(reason)) => {
            tracing::warn!(job = id, kind = %job.kind, %reason, "job dropped");
            data.db.run(move |conn| jobs::complete(conn, id)).await
        }
        Err(JobFailure::Retry { reason, at }) => {
            let max = if job.kind == DELIVER {
                MAX_DELIVERY_ATTEMPTS
            } else {
                MAX_OTHER_ATTEMPTS
            };
            if job.attempts >= max {
                tracing::warn!(job = id, kind = %job.kind, %reason, attempts = job.attempts, "job given up");
                if job.kind == DELIVER {
                    METRICS.deliveries.with_label_values(&["given_up"]).inc();
                }
                data.db.run(move |conn| jobs::complete(conn, id)).await
            } else {
                tracing::info!(job = id, kind = %job.kind, %reason, attempts = job.attempts, "job will be retried");
                let base = data.config.federation.retry_base_secs;
                let at = at.unwrap_or_else(|| agora_db::now() + jobs::backoff(job.attempts, base));
                data.db
                    .run(move |conn| jobs::reschedule(conn, id, at, &reason))
                    .await
            }
        }
    };
    if let Err(e) = outcome {
        tracing::error!(job = id, error = %e, "cannot record job outcome; its lease will expire and it will run again");
    }
}

async fn run_backfill(job: &Job, data: &FederationData) -> Result<(), JobFailure> {
    let group_id = serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()
        .and_then(|p| p["group_id"].as_i64())
        .ok_or_else(|| JobFailure::Permanent("backfill without group_id".into()))?;
    crate::backfill::run(group_id, data).await.map_err(retry)
}

/// Why a job did not finish.
enum JobFailure {
    /// Retry later: at the given time, or after the back-off.
    Retry {
        reason: String,
        at: Option<chrono::NaiveDateTime>,
    },
    /// Never retry (malformed payload).
    Permanent(String),
}

fn retry(reason: impl ToString) -> JobFailure {
    JobFailure::Retry {
        reason: reason.to_string(),
        at: None,
    }
}

async fn run_delivery(job: &Job, data: &FederationData) -> Result<(), JobFailure> {
    let delivery: Delivery =
        serde_json::from_str(&job.payload).map_err(|e| JobFailure::Permanent(e.to_string()))?;
    let domain = job
        .target_domain
        .clone()
        .or_else(|| {
            url::Url::parse(&delivery.inbox)
                .ok()
                .as_ref()
                .and_then(authority)
        })
        .unwrap_or_default();
    if data.config.is_domain_blocked(&domain) {
        return Err(JobFailure::Permanent(format!("{domain} is blocked")));
    }
    // A dead server is tried once a day; its other jobs wait for that try.
    let d = domain.clone();
    let record = data
        .db
        .run(move |conn| instances::get(conn, &d))
        .await
        .map_err(retry)?;
    if let Some(dead_since) = record.as_ref().and_then(|r| r.dead_since) {
        let last_try = record
            .as_ref()
            .and_then(|r| r.last_failure_at)
            .unwrap_or(dead_since);
        let next = last_try + Duration::hours(DEAD_RETRY_HOURS);
        if next > agora_db::now() {
            return Err(JobFailure::Retry {
                reason: format!("{domain} is dead"),
                at: Some(next),
            });
        }
    }
    match delivery::deliver(&delivery, data).await {
        Ok(()) => {
            METRICS.deliveries.with_label_values(&["sent"]).inc();
            if record.is_some_and(|r| r.failure_count > 0) {
                let d = domain.clone();
                data.db
                    .run(move |conn| instances::record_success(conn, &d))
                    .await
                    .map_err(retry)?;
            }
            Ok(())
        }
        Err(e) => {
            METRICS.deliveries.with_label_values(&["failed"]).inc();
            let dead_after = data.config.federation.dead_after_failures;
            let dead_after_duration = Duration::hours(data.config.federation.dead_after_hours);
            let d = domain.clone();
            let dead = data
                .db
                .run(move |conn| {
                    instances::record_failure(conn, &d, dead_after, dead_after_duration)
                })
                .await
                .map_err(retry)?;
            let at = dead.then(|| agora_db::now() + Duration::hours(DEAD_RETRY_HOURS));
            Err(JobFailure::Retry {
                reason: e.to_string(),
                at,
            })
        }
    }
}

async fn run_fanout(job: &Job, data: &FederationData) -> Result<(), JobFailure> {
    let event: FederationEvent =
        serde_json::from_str(&job.payload).map_err(|e| JobFailure::Permanent(e.to_string()))?;
    let deliveries = match fanout::plan(event, data).await {
        Ok(d) => d,
        // The object vanished (e.g. deleted before fan-out): nothing to send.
        Err(crate::FederationError::Db(agora_db::DbError::NotFound)) => return Ok(()),
        Err(e) => return Err(retry(e)),
    };
    let id = job.id;
    // Queue the deliveries and remove the event together: a crash in between loses nothing and
    // sends nothing twice.
    data.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| {
                jobs::enqueue(conn, &deliveries)?;
                jobs::complete(conn, id)
            })
        })
        .await
        .map_err(retry)
}

async fn run_mail(job: &Job, data: &FederationData) -> Result<(), JobFailure> {
    let message: Mail =
        serde_json::from_str(&job.payload).map_err(|e| JobFailure::Permanent(e.to_string()))?;
    match mail::send(data.app_data(), &message).await {
        Ok(()) => Ok(()),
        Err(mail::MailError::Build(e)) => Err(JobFailure::Permanent(e)),
        Err(e) => Err(retry(e)),
    }
}
