//! Fixed-window counters for brute-force limits, stored so a restart does not reset them.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::rate_limits::dsl,
};
use chrono::Duration;
use diesel::prelude::*;

/// Counts one hit on `key` in a window of `window`; returns whether it stays within `limit`.
pub fn hit(conn: &mut DbConn, key: &str, window: Duration, limit: i32) -> DbResult<bool> {
    conn.transaction(|conn| {
        let now = crate::now();
        let row: Option<(chrono::NaiveDateTime, i32)> = dsl::rate_limits
            .filter(dsl::key.eq(key))
            .select((dsl::window_start, dsl::count))
            .first(conn)
            .map_err(Into::into)
            .found()?;
        let count = match row {
            Some((start, count)) if now - start < window => {
                diesel::update(dsl::rate_limits.filter(dsl::key.eq(key)))
                    .set(dsl::count.eq(count + 1))
                    .execute(conn)?;
                count + 1
            }
            Some(_) => {
                diesel::update(dsl::rate_limits.filter(dsl::key.eq(key)))
                    .set((dsl::count.eq(1), dsl::window_start.eq(now)))
                    .execute(conn)?;
                1
            }
            None => {
                diesel::insert_into(dsl::rate_limits)
                    .values((
                        dsl::key.eq(key),
                        dsl::window_start.eq(now),
                        dsl::count.eq(1),
                    ))
                    .execute(conn)?;
                1
            }
        };
        Ok(count <= limit)
    })
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
