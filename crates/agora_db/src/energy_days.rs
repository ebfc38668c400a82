//! What the node measured of itself, per day.

use crate::{
    DbConn,
    error::DbResult,
    schema::energy_days::{self, dsl},
};
use diesel::prelude::*;

/// One day.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = energy_days)]
pub struct Day {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// HTTP request bodies received.
    pub bytes_in: i64,
    /// HTTP responses and deliveries sent.
    pub bytes_out: i64,
    /// Deliveries to other servers.
    pub deliveries: i64,
    /// CPU time of the process, in milliseconds.
    pub cpu_ms: i64,
    /// The database's size at the last sample.
    pub db_bytes: i64,
}

/// Adds a sample's figures to a day.
pub fn add(conn: &mut DbConn, sample: &Day) -> DbResult<()> {
    crate::on_backend!(conn, |c| diesel::insert_into(energy_days::table)
        .values((
            dsl::day.eq(&sample.day),
            dsl::bytes_in.eq(sample.bytes_in),
            dsl::bytes_out.eq(sample.bytes_out),
            dsl::deliveries.eq(sample.deliveries),
            dsl::cpu_ms.eq(sample.cpu_ms),
            dsl::db_bytes.eq(sample.db_bytes),
        ))
        .on_conflict(dsl::day)
        .do_update()
        .set((
            dsl::bytes_in.eq(dsl::bytes_in + sample.bytes_in),
            dsl::bytes_out.eq(dsl::bytes_out + sample.bytes_out),
            dsl::deliveries.eq(dsl::deliveries + sample.deliveries),
            dsl::cpu_ms.eq(dsl::cpu_ms + sample.cpu_ms),
            dsl::db_bytes.eq(sample.db_bytes),
        ))
        .execute(c))?;
    Ok(())
}

/// The last `n` days measured, oldest first.
pub fn last(conn: &mut DbConn, n: i64) -> DbResult<Vec<Day>> {
    let mut days: Vec<Day> = dsl::energy_days
        .order(dsl::day.desc())
        .limit(n)
        .select(Day::as_select())
        .load(conn)?;
    days.reverse();
    Ok(days)
}

/// The database's size in bytes (PostgreSQL; SQLite's is its file's).
pub fn pg_database_size(conn: &mut DbConn) -> DbResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct Size {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        size: i64,
    }
    match conn {
        crate::DbConn::Pg(c) => Ok(Some(
            diesel::sql_query("SELECT pg_database_size(current_database()) AS size")
                .get_result::<Size>(c)?
                .size,
        )),
        crate::DbConn::Sqlite(_) => Ok(None),
    }
}
