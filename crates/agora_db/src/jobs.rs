//! The database-backed job queue: deliveries and other side effects survive restarts and
//! crashes, and several processes on one PostgreSQL share it without running a job twice.
//!
//! A worker *claims* due jobs by setting a lease (`locked_until`); a finished job is deleted,
//! a failed one is rescheduled. A job whose worker died is claimed again once its lease ends.

use crate::{
    DbConn,
    error::DbResult,
    schema::jobs::{self, dsl},
};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// A queued job.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub struct Job {
    /// Row id.
    pub id: i64,
    /// What to do: `deliver`, `federate`, `mail`…
    pub kind: String,
    /// JSON arguments.
    pub payload: String,
    /// Remote server concerned (deliveries), to skip dead servers cheaply.
    pub target_domain: Option<String>,
    /// Not before this time.
    pub run_at: NaiveDateTime,
    /// Tries so far (counted at claim time).
    pub attempts: i32,
    /// Lease end while a worker holds it.
    pub locked_until: Option<NaiveDateTime>,
    /// Worker holding it.
    pub locked_by: Option<String>,
    /// Why the last try failed.
    pub last_error: Option<String>,
    /// When queued.
    pub created_at: NaiveDateTime,
}

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// Kind.
    pub kind: String,
    /// JSON arguments.
    pub payload: String,
    /// Remote server concerned.
    pub target_domain: Option<String>,
}

/// Queues jobs to run now.
pub fn enqueue(conn: &mut DbConn, new: &[NewJob]) -> DbResult<()> {
    enqueue_at(conn, new, crate::now())
}

/// Queues jobs to run at `run_at`, not before.
pub fn enqueue_at(conn: &mut DbConn, new: &[NewJob], run_at: NaiveDateTime) -> DbResult<()> {
    let now = crate::now();
    let rows: Vec<_> = new
        .iter()
        .map(|j| {
            (
                dsl::kind.eq(&j.kind),
                dsl::payload.eq(&j.payload),
                dsl::target_domain.eq(&j.target_domain),
                dsl::run_at.eq(run_at),
                dsl::attempts.eq(0),
                dsl::created_at.eq(now),
            )
        })
        .collect();
    // One statement per row: multi-row VALUES is not available on diesel's MultiBackend.
    conn.transaction(|conn| {
        for row in rows {
            diesel::insert_into(jobs::table).values(row).execute(conn)?;
        }
        Ok(())
    })
}

/// Claims up to `limit` due jobs for `worker` with a lease of `lease`, oldest first.
/// On PostgreSQL rows locked by another process are skipped (`FOR UPDATE SKIP LOCKED`), so two
/// processes never claim the same job; on SQLite writers are serialised by the database itself.
pub fn claim(conn: &mut DbConn, worker: &str, limit: i64, lease: Duration) -> DbResult<Vec<Job>> {
    let now = crate::now();
    let until = now + lease;
    let due = dsl::run_at
        .le(now)
        .and(dsl::locked_until.is_null().or(dsl::locked_until.lt(now)));
    // The same statements on both backends; only the row locking differs, and diesel's
    // `for_update` exists for PostgreSQL alone, hence the macro rather than a generic function.
    macro_rules! lease {
        ($conn:expr, $ids:expr) => {
            if !$ids.is_empty() {
                diesel::update(dsl::jobs.filter(dsl::id.eq_any(&$ids)))
                    .set((
                        dsl::locked_until.eq(Some(until)),
                        dsl::locked_by.eq(Some(worker)),
                        dsl::attempts.eq(dsl::attempts + 1),
                    ))
                    .execute($conn)?;
            }
        };
    }
    let ids: Vec<i64> = match conn {
        DbConn::Pg(pg) => pg.transaction(|pg| {
            let ids: Vec<i64> = dsl::jobs
                .filter(due)
                .order(dsl::run_at.asc())
                .limit(limit)
                .select(dsl::id)
                .for_update()
                .skip_locked()
                .load(pg)?;
            lease!(pg, ids);
            Ok::<_, diesel::result::Error>(ids)
        })?,
        DbConn::Sqlite(lite) => lite.immediate_transaction(|lite| {
            let ids: Vec<i64> = dsl::jobs
                .filter(due)
                .order(dsl::run_at.asc())
                .limit(limit)
                .select(dsl::id)
                .load(lite)?;
            lease!(lite, ids);
            Ok::<_, diesel::result::Error>(ids)
        })?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(dsl::jobs
        .filter(dsl::id.eq_any(&ids))
        .order(dsl::id.asc())
        .select(Job::as_select())
        .load(conn)?)
}

/// Whether any job is due and unleased: a read, so an idle worker polls without taking
/// SQLite's write lock.
pub fn any_due(conn: &mut DbConn) -> DbResult<bool> {
    let now = crate::now();
    // EXISTS stops at the first due job; an idle worker polls this often.
    Ok(diesel::select(diesel::dsl::exists(
        dsl::jobs
            .filter(dsl::run_at.le(now))
            .filter(dsl::locked_until.is_null().or(dsl::locked_until.lt(now))),
    ))
    .get_result(conn)?)
}

/// Extends the lease of a job `worker` holds until `until`. `false` when it holds it no more
/// (its lease ran out and another worker claimed it): the job is no longer this worker's.
pub fn renew(conn: &mut DbConn, id: i64, worker: &str, until: NaiveDateTime) -> DbResult<bool> {
    Ok(
        diesel::update(dsl::jobs.find(id).filter(dsl::locked_by.eq(worker)))
            .set(dsl::locked_until.eq(Some(until)))
            .execute(conn)?
            == 1,
    )
}

/// Deletes a finished job, if `worker` still holds it; `false` otherwise (another worker took
/// it over after this one's lease ran out, and that one decides).
pub fn complete(conn: &mut DbConn, id: i64, worker: &str) -> DbResult<bool> {
    Ok(diesel::delete(dsl::jobs.find(id).filter(dsl::locked_by.eq(worker))).execute(conn)? == 1)
}

/// Releases a failed job that `worker` holds to run again at `run_at`, keeping why it failed;
/// `false` when the worker no longer holds it.
pub fn reschedule(
    conn: &mut DbConn,
    id: i64,
    worker: &str,
    run_at: NaiveDateTime,
    error: &str,
) -> DbResult<bool> {
    Ok(
        diesel::update(dsl::jobs.find(id).filter(dsl::locked_by.eq(worker)))
            .set((
                dsl::run_at.eq(run_at),
                dsl::locked_until.eq(None::<NaiveDateTime>),
                dsl::locked_by.eq(None::<String>),
                dsl::last_error.eq(Some(error)),
            ))
            .execute(conn)?
            == 1,
    )
}

/// Releases every lease: used at start-up on SQLite, where only one process uses the file,
/// so leases left by a killed process need not wait to expire.
pub fn release_all(conn: &mut DbConn) -> DbResult<usize> {
    Ok(
        diesel::update(dsl::jobs.filter(dsl::locked_until.is_not_null()))
            .set((
                dsl::locked_until.eq(None::<NaiveDateTime>),
                dsl::locked_by.eq(None::<String>),
            ))
            .execute(conn)?,
    )
}

/// Jobs waiting, of every kind.
pub fn count(conn: &mut DbConn) -> DbResult<i64> {
    Ok(dsl::jobs.count().get_result(conn)?)
}

/// Jobs waiting of one kind (`deliver`, `federate`…).
pub fn count_by_kind(conn: &mut DbConn, kind: &str) -> DbResult<i64> {
    Ok(dsl::jobs
        .filter(dsl::kind.eq(kind))
        .count()
        .get_result(conn)?)
}

/// The earliest `run_at` of any job, for the worker's sleep.
pub fn next_run_at(conn: &mut DbConn) -> DbResult<Option<NaiveDateTime>> {
    Ok(dsl::jobs
        .select(diesel::dsl::min(dsl::run_at))
        .first(conn)?)
}

/// Exponential back-off for the `attempt`-th failure: `base`, 2×, 4×… capped at 12 h. With a
/// base of 30 s and 16 tries a delivery keeps being retried for about four days.
pub fn backoff(attempt: i32, base_secs: i64) -> Duration {
    let exp = attempt.clamp(1, 30) - 1;
    let secs = base_secs.max(1).saturating_mul(1i64 << exp.min(20));
    Duration::seconds(secs.min(12 * 3600))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_grows_then_caps() {
        assert_eq!(backoff(1, 30).num_seconds(), 30);
        assert_eq!(backoff(2, 30).num_seconds(), 60);
        assert_eq!(backoff(5, 30).num_seconds(), 480);
        assert_eq!(backoff(20, 30).num_seconds(), 12 * 3600);
        let total: i64 = (1..=16).map(|a| backoff(a, 30).num_seconds()).sum();
        assert!(total > 3 * 24 * 3600 && total < 6 * 24 * 3600, "{total}");
    }
}
