//! Ids of activities already received, so a redelivered activity is processed once.

use crate::{DbConn, DbError, error::DbResult, schema::received_activities::dsl};
use diesel::prelude::*;

/// Whether the activity id was already processed.
pub fn seen(conn: &mut DbConn, ap_id: &str) -> DbResult<bool> {
    let n: i64 = dsl::received_activities
        .filter(dsl::ap_id.eq(ap_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Records an activity id; returns false when it was already there.
pub fn record(conn: &mut DbConn, ap_id: &str) -> DbResult<bool> {
    match diesel::insert_into(dsl::received_activities)
        .values((dsl::ap_id.eq(ap_id), dsl::received_at.eq(crate::now())))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(e) => match DbError::from(e) {
            DbError::UniqueViolation => Ok(false),
            other => Err(other),
        },
    }
}
