//! Fixed-window counters for brute-force limits, stored so a restart does not reset them.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::rate_limits::dsl,
};
use chrono::Duration;
use diesel::prelude::*;

/// Counts one hit on `key` in a window of `window`; returns whether it stays within `limit`.
/// The increment is one atomic statement, so concurrent hits (several processes on
/// PostgreSQL) are all counted; a new key inserted by two requests at once is retried.
pub fn hit(conn: &mut DbConn, key: &str, window: Duration, limit: i32) -> DbResult<bool> {
    let attempt = |conn: &mut DbConn| -> DbResult<i32> {
        let now = crate::now();
        let counted: Option<i32> = diesel::update(
            dsl::rate_limits
                .filter(dsl::key.eq(key))
                .filter(dsl::window_start.gt(now - window)),
        )
        .set(dsl::count.eq(dsl::count + 1))
        .returning(dsl::count)
        .get_result(conn)
        .map_err(Into::into)
        .found()?;
        if let Some(count) = counted {
            return Ok(count);
        }
        // No row, or its window is over: start a new window.
        // Only a row whose window is over restarts; one another request just created stays.
        let restarted = diesel::update(
            dsl::rate_limits
                .filter(dsl::key.eq(key))
                .filter(dsl::window_start.le(now - window)),
        )
        .set((dsl::count.eq(1), dsl::window_start.eq(now)))
        .execute(conn)?;
        if restarted == 0 {
            diesel::insert_into(dsl::rate_limits)
                .values((
                    dsl::key.eq(key),
                    dsl::window_start.eq(now),
                    dsl::count.eq(1),
                ))
                .execute(conn)?;
        }
        Ok(1)
    };
    let count = match attempt(conn) {
        Err(crate::DbError::UniqueViolation) => attempt(conn)?,
        other => other?,
    };
    Ok(count <= limit)
}

/// Whether `key` is over `limit` in its current window, without counting a hit.
pub fn exceeded(conn: &mut DbConn, key: &str, window: Duration, limit: i32) -> DbResult<bool> {
    let row: Option<(chrono::NaiveDateTime, i32)> = dsl::rate_limits
        .filter(dsl::key.eq(key))
        .select((dsl::window_start, dsl::count))
        .first(conn)
        .map_err(Into::into)
        .found()?;
    Ok(matches!(row, Some((start, count)) if crate::now() - start < window && count >= limit))
}

/// Takes one hit back from `key` (an attempt that turned out fine).
pub fn refund(conn: &mut DbConn, key: &str) -> DbResult<()> {
    diesel::update(
        dsl::rate_limits
            .filter(dsl::key.eq(key))
            .filter(dsl::count.gt(0)),
    )
    .set(dsl::count.eq(dsl::count - 1))
    .execute(conn)?;
    Ok(())
}
