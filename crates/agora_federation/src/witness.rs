//! Witnessing other nodes' petition logs, and taking other nodes' cosignatures of ours.
//!
//! As a witness: fetch the log's latest checkpoint, check its signature with the node's key
//! (from its NodeInfo, pinned on first sight), check it extends the last checkpoint seen (a
//! consistency proof), cosign it (C2SP `tlog-cosignature`) and send the cosignature to the
//! log. A checkpoint that does not extend the last one is proof the node showed two
//! histories: it is recorded, with both notes, and shown on this node's pages.
//!
//! As a log: a cosignature is kept only if it is by the node named in it (its key from its
//! NodeInfo) and on a checkpoint of ours, at a size our log has, with our root at that size.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    http,
};
use agora_service::{initiative_moves::FetchedCheckpoint, petition_log, witness};
use agora_tlog::{SignedCheckpoint, check_consistency, hash_from_hex, verify_cosignature};
use serde_json::{Value, json};
use url::Url;

/// Largest checkpoint or proof read.
const MAX_BYTES: usize = 64 * 1024;

/// What one check of a log found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Witnessed {
    /// Consistent (or first seen), and cosigned.
    Cosigned {
        /// The checkpoint's size.
        size: u64,
    },
    /// The node showed two histories; the evidence is kept.
    Forked,
}

/// The checkpoint key a node publishes in its NodeInfo (`metadata.transparencyLogKey`).
pub async fn published_key(origin: &Url) -> Result<String, FederationError> {
    let index = http::get_json(
        &origin.join("/.well-known/nodeinfo")?,
        "application/json",
        MAX_BYTES,
    )
    .await?;
    let href = index
        .get("links")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| l.get("href").and_then(Value::as_str))
        .filter_map(|h| Url::parse(h).ok())
        .find(|h| h.path().ends_with("/2.1") && h.origin() == origin.origin())
        .ok_or_else(|| FederationError::Other("no NodeInfo 2.1 on the server".into()))?;
    let nodeinfo = http::get_json(&href, "application/json", MAX_BYTES).await?;
    nodeinfo
        .pointer("/metadata/transparencyLogKey")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| FederationError::Other("the server publishes no transparencyLogKey".into()))
}

/// The latest checkpoint a log serves, unchecked, with the key its server's NodeInfo
/// publishes (a moving petition's, checked by `initiative_moves::check_log`).
pub async fn checkpoint_of(log: &str) -> Result<FetchedCheckpoint, FederationError> {
    let log = Url::parse(log)?;
    let key = published_key(&log).await?;
    let note = http::get_bytes(
        &Url::parse(&format!("{log}/checkpoint"))?,
        "text/plain",
        MAX_BYTES,
    )
    .await?;
    Ok(FetchedCheckpoint { key, note })
}

/// Checks a remote petition's log against what we saw last, and cosigns it.
pub async fn witness(
    petition_id: i64,
    data: &FederationData,
) -> Result<Witnessed, FederationError> {
    let ctx = data.app_data();
    let (petition, seen) = witness::watched(ctx, petition_id).await?;
    let log = petition
        .transparency_log
        .as_deref()
        .filter(|_| !petition.local)
        .ok_or_else(|| FederationError::Other("no log to witness".into()))?;
    let log = Url::parse(log)?;
    let key = match &seen {
        Some(s) => s.log_key.clone(),
        None => published_key(&log).await?,
    };
    let note = http::get_bytes(
        &Url::parse(&format!("{log}/checkpoint"))?,
        "text/plain",
        MAX_BYTES,
    )
    .await?;
    let checkpoint = SignedCheckpoint::verify(&note, &key)
        .map_err(|e| FederationError::Other(format!("checkpoint of {log}: {e}")))?;
    if checkpoint.origin != agora_tlog::origin_of(log.as_str()) {
        return Err(FederationError::Other(format!(
            "checkpoint of another log: {}",
            checkpoint.origin
        )));
    }
    if let Some(old) = &seen {
        let previous = SignedCheckpoint::verify(old.checkpoint.as_bytes(), &key)
            .map_err(|e| FederationError::Other(format!("our stored checkpoint: {e}")))?;
        if !extends(&log, &previous, &checkpoint).await? {
            witness::caught(ctx, petition_id, &checkpoint.text()).await?;
            return Ok(Witnessed::Forked);
        }
    }
    witness::accept(
        ctx,
        petition_id,
        &key,
        checkpoint.size as i64,
        &checkpoint.text(),
    )
    .await?;
    // Our cosignature, with our checkpoint key, sent to the log.
    let ours = petition_log::key(ctx).await?;
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let line = ours
        .cosign(&checkpoint.body(), now)
        .map_err(|e| FederationError::Other(e.to_string()))?;
    let target = Url::parse(&format!("{log}/cosignatures"))?;
    let status = http::post_json(
        &target,
        &json!({ "checkpoint": checkpoint.text(), "cosignature": line }),
    )
    .await?;
    if !(200..300).contains(&status) {
        tracing::info!(%target, status, "the log did not take our cosignature");
    }
    Ok(Witnessed::Cosigned {
        size: checkpoint.size,
    })
}

/// Whether `new` extends `old`: the same tree when the size is the same, a consistency proof
/// that holds when it grew, and never a smaller tree.
async fn extends(
    log: &Url,
    old: &SignedCheckpoint,
    new: &SignedCheckpoint,
) -> Result<bool, FederationError> {
    if new.size < old.size {
        return Ok(false);
    }
    if new.size == old.size || old.size == 0 {
        return Ok(new.size != old.size || new.root == old.root);
    }
    let url = Url::parse(&format!(
        "{log}/consistency?from={}&to={}",
        old.size, new.size
    ))?;
    let proof = http::get_json(&url, "application/json", MAX_BYTES).await?;
    let hashes: Option<Vec<_>> = proof
        .get("proof")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|h| h.as_str().and_then(hash_from_hex))
                .collect()
        })
        .unwrap_or(None);
    let Some(hashes) = hashes else {
        return Ok(false);
    };
    Ok(check_consistency(&hashes, new.size, new.root, old.size, old.root).is_ok())
}

/// Takes a witness's cosignature of one of our checkpoints: `{"checkpoint", "cosignature"}`.
pub async fn receive_cosignature(
    petition_id: i64,
    body: &Value,
    data: &FederationData,
) -> Result<(), FederationError> {
    let malformed = |why: &str| FederationError::refused(Reason::MalformedObject, why.to_string());
    let note = body
        .get("checkpoint")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("no checkpoint"))?;
    let line = body
        .get("cosignature")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("no cosignature"))?;
    if note.len() > MAX_BYTES || line.len() > 1024 {
        return Err(malformed("too large"));
    }
    let ctx = data.app_data();
    let ours = petition_log::key(ctx).await?;
    let checkpoint = SignedCheckpoint::verify(note.as_bytes(), &ours.public)
        .map_err(|_| malformed("not a checkpoint of this node"))?;
    let log = ctx.urls.petition_log(petition_id);
    let origin = agora_tlog::origin_of(&log);
    if checkpoint.origin != origin
        || !petition_log::has_root(ctx, petition_id, checkpoint.size as i64, checkpoint.root)
            .await?
    {
        return Err(malformed("not a checkpoint of this petition's log"));
    }
    let witness = line
        .trim_end()
        .strip_prefix("\u{2014} ")
        .and_then(|rest| rest.split(' ').next())
        .filter(|name| agora_core::handle::is_valid_domain(name))
        .ok_or_else(|| malformed("the cosignature names no server"))?
        .to_string();
    if data.federation_policy().refuses(&witness) {
        return Err(FederationError::refused(
            Reason::BlockedDomain,
            format!("{witness} is blocked here"),
        ));
    }
    let scheme = if data.config.federation.allow_private_addresses {
        "http"
    } else {
        "https"
    };
    let key = published_key(&Url::parse(&format!("{scheme}://{witness}/"))?)
        .await
        .map_err(|e| e.fetch_failed(Reason::RemoteUnavailable))?;
    let time = verify_cosignature(line, &checkpoint.body(), &key)
        .map_err(|e| FederationError::refused(Reason::SignatureInvalid, e.to_string()))?;
    let at = chrono::DateTime::from_timestamp(time as i64, 0)
        .ok_or_else(|| malformed("bad time"))?
        .naive_utc();
    witness::store_cosignature(ctx, petition_id, &witness, checkpoint.size as i64, line, at)
        .await?;
    Ok(())
}
