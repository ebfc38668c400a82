//! Ids of activities already received, so a redelivered activity is processed once.

use crate::{DbConn, error::DbResult, schema::received_activities::dsl};
use diesel::prelude::*;

/// Whether the activity id was already processed.
pub fn seen(conn: &mut DbConn, ap_id: &str) -> DbResult<bool> {
    let n: i64 = dsl::received_activities
        .filter(dsl::ap_id.eq(ap_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Records many activity ids at once (ids already there are left as they are).
pub fn record_many(conn: &mut DbConn, ap_ids: &[String]) -> DbResult<()> {
    let now = crate::now();
    for chunk in ap_ids.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|id| (dsl::ap_id.eq(id.as_str()), dsl::received_at.eq(now)))
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(
            dsl::received_activities
        )
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(c))?;
    }
    Ok(())
}
