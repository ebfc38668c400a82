//! Activities received and processed, recorded so a redelivery is processed once. Every inbox
//! POST ends with this write; those ending at the same moment are one statement in one
//! transaction (`agora_db::batch`), not one write transaction each queued behind SQLite's
//! single writer.

use crate::{Context, ServiceError, ServiceResult};
use agora_db::{Bulk, DbConn, activities};

/// The id of an activity processed.
pub(crate) struct Received(String);

impl Bulk for Received {
    type Out = ();
    type Error = ServiceError;

    fn run_all(
        conn: &mut DbConn,
        received: Vec<Received>,
    ) -> Result<Vec<ServiceResult<()>>, ServiceError> {
        let ids: Vec<String> = received.into_iter().map(|r| r.0).collect();
        activities::record_many(conn, &ids)?;
        Ok(ids.iter().map(|_| Ok(())).collect())
    }
}

/// Records that the activity `id` was processed; returns once it is stored.
pub async fn record(ctx: &Context, id: String) -> ServiceResult<()> {
    ctx.received.run(Received(id)).await
}
