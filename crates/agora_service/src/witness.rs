//! The federation witnesses petitions: a node that hears of another Agora node's petition
//! checks each of its checkpoints against the last one it saw and cosigns it, and the node
//! that hosts the petition keeps the cosignatures and shows its witnesses. A node caught
//! showing two histories is recorded with the evidence, for the witness's pages.

use crate::{
    Context, ServiceError, ServiceResult,
    jobs::{Job, JobKind},
};
use agora_db::{
    petitions::{self, Petition},
    witnessing::{self, Witnessing},
};
use serde::{Deserialize, Serialize};

/// Checking another node's petition log and cosigning it. Running it twice checks twice;
/// a checkpoint already seen is cosigned again, which changes nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WitnessPetition {
    /// The remote petition's row id.
    pub petition_id: i64,
}

impl Job for WitnessPetition {
    const KIND: JobKind = JobKind::WitnessPetition;
    const MAX_ATTEMPTS: i32 = 5;
}

/// A remote petition we witness, with what we last saw of it.
pub async fn watched(
    ctx: &Context,
    petition_id: i64,
) -> ServiceResult<(Petition, Option<Witnessing>)> {
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let (petition, _) = petitions::by_id(conn, petition_id)?
                .ok_or_else(|| ServiceError::not_found("petition"))?;
            Ok((petition, witnessing::get(conn, petition_id)?))
        })
        .await
}

/// Records a checkpoint found consistent with the last one seen (the first is taken with its
/// key, which is pinned from then on).
pub async fn accept(
    ctx: &Context,
    petition_id: i64,
    key: &str,
    size: i64,
    note: &str,
) -> ServiceResult<()> {
    let (key, note) = (key.to_string(), note.to_string());
    ctx.db
        .run(move |conn| witnessing::save(conn, petition_id, &key, size, &note))
        .await?;
    ctx.petition_views.changed(petition_id);
    Ok(())
}

/// Records a checkpoint that contradicts what the node showed before.
pub async fn caught(ctx: &Context, petition_id: i64, note: &str) -> ServiceResult<()> {
    let note = note.to_string();
    tracing::warn!(petition_id, "a node showed two histories of a petition log");
    ctx.db
        .run(move |conn| witnessing::record_fork(conn, petition_id, &note))
        .await?;
    ctx.petition_views.changed(petition_id);
    Ok(())
}

/// Every petition whose node we caught showing two histories, with the evidence.
pub async fn forks(ctx: &Context) -> ServiceResult<Vec<(Witnessing, Petition)>> {
    ctx.db
        .run(|conn| -> ServiceResult<_> {
            let mut out = Vec::new();
            for w in witnessing::forks(conn)? {
                if let Some((p, _)) = petitions::by_id(conn, w.petition_id)? {
                    out.push((w, p));
                }
            }
            Ok(out)
        })
        .await
}

/// Keeps a witness's cosignature of one of our checkpoints (checked by the caller).
pub async fn store_cosignature(
    ctx: &Context,
    petition_id: i64,
    witness: &str,
    size: i64,
    line: &str,
    time: chrono::NaiveDateTime,
) -> ServiceResult<()> {
    let (witness, line) = (witness.to_string(), line.to_string());
    ctx.db
        .run(move |conn| {
            witnessing::save_cosignature(conn, petition_id, &witness, size, &line, time)
        })
        .await?;
    ctx.petition_views.changed(petition_id);
    Ok(())
}
