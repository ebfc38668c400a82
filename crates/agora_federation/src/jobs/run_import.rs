//! The `run_import` job: an import's lines in file order, a few at once — each account found on
//! its server (WebFinger), then followed, blocked or muted; each server blocked; an archive's
//! posts restored and its records kept; a moving initiative's updates, members (seen afresh on
//! their server) and petitions (their logs checked against the checkpoint their old node serves)
//! — and each line's outcome recorded with the reason of a failure. A restart resumes at the
//! first line not handled.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::{config::FederationData, error::FederationError};
use agora_core::ErrorKind;
use agora_service::imports::{self, Found, Importer, Lookup, RunImport};
use futures::StreamExt;

/// Lines read at a time.
const BATCH: i64 = 20;
/// Lines handled at once (each may wait on another server).
const AT_ONCE: usize = 4;

#[async_trait::async_trait]
impl Runner for RunImport {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        let ctx = data.app_data();
        let id = self.import_id;
        loop {
            let next = imports::next_lines(ctx, id, BATCH).await.map_err(retry)?;
            let Some((who, rows)) = next.filter(|(_, rows)| !rows.is_empty()) else {
                return Ok(Done::Finished);
            };
            let outcomes: Vec<(i64, Option<String>)> = futures::stream::iter(rows)
                .map(|row| {
                    let who = &who;
                    async move { (row.line, line(data, who, &row).await) }
                })
                .buffer_unordered(AT_ONCE)
                .collect()
                .await;
            for (line, failure) in outcomes {
                imports::record(ctx, id, line, failure)
                    .await
                    .map_err(retry)?;
            }
        }
    }
}

/// Handles one line; `Some(why)` when it failed.
async fn line(
    data: &FederationData,
    who: &Importer,
    row: &agora_service::model::ImportRow,
) -> Option<String> {
    let found = match imports::lookup_of(who.kind, row) {
        Lookup::Nothing => Found::default(),
        Lookup::Account { address, fresh } => {
            let resolved = if fresh {
                crate::resolve::actor_fresh(&address, data).await
            } else {
                crate::resolve::actor(&address, data).await
            };
            match resolved {
                Ok(found) => Found {
                    account: Some(found.row),
                    ..Found::default()
                },
                Err(e) => return Some(why(&e)),
            }
        }
        Lookup::Checkpoint { log } => match crate::witness::checkpoint_of(&log).await {
            Ok(checkpoint) => Found {
                checkpoint: Some(checkpoint),
                ..Found::default()
            },
            Err(e) => {
                tracing::info!(%log, error = %e, "the old node's checkpoint could not be read");
                return Some(
                    "the petition's old node could not be reached to confirm its log".into(),
                );
            }
        },
    };
    imports::apply(data.app_data(), who, row, &found)
        .await
        .err()
        .map(|e| e.detail)
}

/// What the account's owner reads of a failed look-up: the kind of failure, never what the
/// other server answered.
fn why(e: &FederationError) -> String {
    match e.kind() {
        ErrorKind::NotFound => "no such account on its server",
        ErrorKind::BadRequest | ErrorKind::InvalidField => "not an account address (@name@server)",
        ErrorKind::Forbidden => "refused here (a blocked server or address)",
        _ => "its server could not be reached",
    }
    .to_string()
}
