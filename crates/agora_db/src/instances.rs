//! Remote servers and their delivery health: consecutive failures, and dead servers that are
//! retried only rarely.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::instances::{self, dsl},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A remote server's delivery record.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = instances)]
pub struct Instance {
    /// Row id.
    pub id: i64,
    /// Authority (host or host:port).
    pub domain: String,
    /// Failures since the last success.
    pub failure_count: i32,
    /// Last delivery that succeeded.
    pub last_success_at: Option<NaiveDateTime>,
    /// Last delivery that failed.
    pub last_failure_at: Option<NaiveDateTime>,
    /// Since when it counts as dead.
    pub dead_since: Option<NaiveDateTime>,
    /// Start of the current run of failures.
    pub failing_since: Option<NaiveDateTime>,
    /// NodeInfo's `software.name`, lower case; empty when the server would not say.
    pub software: Option<String>,
    /// When the software was asked.
    pub software_checked_at: Option<NaiveDateTime>,
}

/// The record of a server, if any.
pub fn get(conn: &mut DbConn, domain: &str) -> DbResult<Option<Instance>> {
    dsl::instances
        .filter(dsl::domain.eq(domain))
        .select(Instance::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

fn ensure(conn: &mut DbConn, domain: &str) -> DbResult<()> {
    if get(conn, domain)?.is_none() {
        let inserted = diesel::insert_into(instances::table)
            .values((dsl::domain.eq(domain), dsl::failure_count.eq(0)))
            .execute(conn);
        match inserted.map_err(crate::DbError::from) {
            Ok(_) | Err(crate::DbError::UniqueViolation) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Records a successful delivery: the server is alive again.
pub fn record_success(conn: &mut DbConn, domain: &str) -> DbResult<()> {
    ensure(conn, domain)?;
    diesel::update(dsl::instances.filter(dsl::domain.eq(domain)))
        .set((
            dsl::failure_count.eq(0),
            dsl::last_success_at.eq(Some(crate::now())),
            dsl::dead_since.eq(None::<NaiveDateTime>),
            dsl::failing_since.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed delivery. A server is marked dead once it has failed `dead_after` times
/// in a row *and* kept failing for `dead_after_duration`: a burst of queued deliveries failing
/// together during a short outage does not kill it. Returns whether it is now dead.
pub fn record_failure(
    conn: &mut DbConn,
    domain: &str,
    dead_after: i32,
    dead_after_duration: chrono::Duration,
) -> DbResult<bool> {
    ensure(conn, domain)?;
    let now = crate::now();
    diesel::update(dsl::instances.filter(dsl::domain.eq(domain)))
        .set((
            dsl::failure_count.eq(dsl::failure_count + 1),
            dsl::last_failure_at.eq(Some(now)),
        ))
        .execute(conn)?;
    diesel::update(
        dsl::instances
            .filter(dsl::domain.eq(domain))
            .filter(dsl::failing_since.is_null()),
    )
    .set(dsl::failing_since.eq(Some(now)))
    .execute(conn)?;
    let record = get(conn, domain)?.ok_or(crate::DbError::NotFound)?;
    let long_enough = record
        .failing_since
        .is_some_and(|since| now - since >= dead_after_duration);
    if record.failure_count >= dead_after && long_enough {
        diesel::update(
            dsl::instances
                .filter(dsl::domain.eq(domain))
                .filter(dsl::dead_since.is_null()),
        )
        .set(dsl::dead_since.eq(Some(now)))
        .execute(conn)?;
        return Ok(true);
    }
    Ok(record.dead_since.is_some())
}

/// Whether the software of a server is unknown or was asked longer ago than `max_age`.
pub fn software_stale(
    conn: &mut DbConn,
    domain: &str,
    max_age: chrono::Duration,
) -> DbResult<bool> {
    Ok(get(conn, domain)?
        .and_then(|i| i.software_checked_at)
        .is_none_or(|at| crate::now() - at > max_age))
}

/// Records what software a server runs (empty: it would not say).
pub fn set_software(conn: &mut DbConn, domain: &str, software: &str) -> DbResult<()> {
    ensure(conn, domain)?;
    diesel::update(dsl::instances.filter(dsl::domain.eq(domain)))
        .set((
            dsl::software.eq(Some(software)),
            dsl::software_checked_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    Ok(())
}

/// The servers among `domains` known to run `software`.
pub fn running(conn: &mut DbConn, domains: &[String], software: &str) -> DbResult<Vec<String>> {
    if domains.is_empty() {
        return Ok(Vec::new());
    }
    Ok(dsl::instances
        .filter(dsl::domain.eq_any(domains))
        .filter(dsl::software.eq(software))
        .select(dsl::domain)
        .load(conn)?)
}
