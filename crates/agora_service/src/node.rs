//! The node as a whole: what NodeInfo and the operations endpoints report about it.

use crate::{Context, ServiceResult};

/// What NodeInfo publishes about the node's use.
#[derive(Clone, Copy, Debug)]
pub struct Usage {
    /// Local accounts.
    pub users: i64,
    /// Posts written here.
    pub local_posts: i64,
}

/// The node's usage counts.
pub async fn usage(ctx: &Context) -> ServiceResult<Usage> {
    Ok(ctx
        .db
        .run(|conn| {
            Ok::<_, agora_db::DbError>(Usage {
                users: agora_db::users::count(conn)?,
                local_posts: agora_db::posts::count_local(conn)?,
            })
        })
        .await?)
}

/// How many jobs wait in the queue (deliveries and the rest).
pub async fn queue_depth(ctx: &Context) -> ServiceResult<i64> {
    Ok(ctx.db.run(agora_db::jobs::count).await?)
}

/// Whether the database answers a query.
pub async fn check_database(ctx: &Context) -> ServiceResult<()> {
    ctx.db.run(agora_db::users::count).await?;
    Ok(())
}
