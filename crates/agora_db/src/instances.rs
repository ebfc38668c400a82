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
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed delivery; marks the server dead after `dead_after` consecutive failures.
/// Returns whether it is now dead.
pub fn record_failure(conn: &mut DbConn, domain: &str, dead_after: i32) -> DbResult<bool> {
    ensure(conn, domain)?;
    let now = crate::now();
    let failures: i32 = diesel::update(dsl::instances.filter(dsl::domain.eq(domain)))
        .set((
            dsl::failure_count.eq(dsl::failure_count + 1),
            dsl::last_failure_at.eq(Some(now)),
        ))
        .returning(dsl::failure_count)
        .get_result(conn)?;
    if failures >= dead_after {
        diesel::update(
            dsl::instances
                .filter(dsl::domain.eq(domain))
                .filter(dsl::dead_since.is_null()),
        )
        .set(dsl::dead_since.eq(Some(now)))
        .execute(conn)?;
        return Ok(true);
    }
    Ok(false)
}
