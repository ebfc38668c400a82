//! Fixed-window counters for brute-force limits, stored so a restart does not reset them.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::rate_limits::dsl,
};
use chrono::Duration;
use diesel::prelude::*;

/// Counts one hit on `key` in a window of `window`; returns whether it stays within `limit`.
/// One atomic statement (an upsert): concurrent hits, from several processes on PostgreSQL
/// too, are all counted, and a window that is over starts again at this hit.
pub fn hit(conn: &mut DbConn, key: &str, window: Duration, limit: i32) -> DbResult<bool> {
    use diesel::sql_types::{Text, Timestamp};
    #[derive(QueryableByName)]
    struct Counted {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        count: i32,
    }
    let now = crate::now();
    // `$n` numbers the parameters for PostgreSQL and names them for SQLite, which gives a
    // repeated name the same value.
    let counted: Counted = diesel::sql_query(
        "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           count = CASE WHEN rate_limits.window_start > $3 THEN rate_limits.count + 1 ELSE 1 END, \
           window_start = CASE WHEN rate_limits.window_start > $3 \
             THEN rate_limits.window_start ELSE $2 END \
         RETURNING count",
    )
    .bind::<Text, _>(key)
    .bind::<Timestamp, _>(now)
    .bind::<Timestamp, _>(now - window)
    .get_result(conn)?;
    Ok(counted.count <= limit)
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
