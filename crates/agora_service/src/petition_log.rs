//! A petition's transparency log, stored: appending leaves in the transaction that changes a
//! signature, and reading back checkpoints and proofs. The format and the proofs are
//! `agora_tlog`'s; the key that signs checkpoints is the node's (`node_keys`).

use crate::{Context, ServiceError, ServiceResult};
use agora_db::{DbConn, DbError, node_keys, petition_log};
use agora_tlog::tlog::{self, HashReader};
use agora_tlog::{Hash, Leaf, LogKey, SignedCheckpoint, hash_from_hex, hash_to_hex};
use std::cell::RefCell;

/// The name under which the checkpoint key is stored.
const CHECKPOINT_KEY: &str = "checkpoints";

/// Reads a petition's stored hashes for the tree functions (which want `&self`).
struct StoredHashes<'a> {
    conn: RefCell<&'a mut DbConn>,
    petition_id: i64,
}

impl HashReader for StoredHashes<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        let wanted: Vec<i64> = indexes.iter().map(|&i| i as i64).collect();
        let rows = petition_log::read_hashes(*self.conn.borrow_mut(), self.petition_id, &wanted)
            .map_err(|_| tlog::Error::IndexesNotInTree)?;
        indexes
            .iter()
            .map(|&i| {
                rows.iter()
                    .find(|(idx, _)| *idx == i as i64)
                    .and_then(|(_, h)| hash_from_hex(h))
                    .ok_or(tlog::Error::IndexesNotInTree)
            })
            .collect()
    }
}

fn tree_error(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::internal(format!("petition log: {e}"))
}

/// Appends a leaf to a petition's log; gives its index. Call inside the write transaction
/// that changes the signature, after the petition's lock.
pub fn append(conn: &mut DbConn, petition_id: i64, leaf: &Leaf) -> ServiceResult<i64> {
    append_many(conn, petition_id, std::slice::from_ref(leaf))
}

/// The stored hashes, and those computed for leaves not stored yet (indexes from `first`).
struct PendingHashes<'a> {
    stored: StoredHashes<'a>,
    first: u64,
    added: RefCell<Vec<Hash>>,
}

impl HashReader for PendingHashes<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        let added = self.added.borrow();
        let from_db: Vec<u64> = indexes
            .iter()
            .copied()
            .filter(|&i| i < self.first)
            .collect();
        let stored = if from_db.is_empty() {
            Vec::new()
        } else {
            self.stored.read_hashes(&from_db)?
        };
        let mut stored = stored.into_iter();
        indexes
            .iter()
            .map(|&i| {
                if i < self.first {
                    stored.next().ok_or(tlog::Error::IndexesNotInTree)
                } else {
                    usize::try_from(i - self.first)
                        .ok()
                        .and_then(|k| added.get(k).copied())
                        .ok_or(tlog::Error::IndexesNotInTree)
                }
            })
            .collect()
    }
}

/// Appends leaves to a petition's log, in order; gives the index of the first. The tree's
/// new hashes are computed in memory, each leaf's from those of the leaves before it, and
/// stored with the leaves in a few statements. Call inside the write transaction that
/// changes the signatures, after the petition's lock.
pub fn append_many(conn: &mut DbConn, petition_id: i64, new: &[Leaf]) -> ServiceResult<i64> {
    let size = petition_log::size(conn, petition_id)?;
    // Leaves and stored hashes are written together, so the hashes of `size` leaves are
    // exactly the first `stored_hash_count(size)`.
    let first_hash = tlog::stored_hash_count(size as u64);
    let mut texts = Vec::with_capacity(new.len());
    let added = {
        let reader = PendingHashes {
            stored: StoredHashes {
                conn: RefCell::new(&mut *conn),
                petition_id,
            },
            first: first_hash,
            added: RefCell::new(Vec::with_capacity(new.len() * 2)),
        };
        for (i, leaf) in new.iter().enumerate() {
            let bytes = leaf.to_bytes();
            let hashes =
                tlog::stored_hashes(size as u64 + i as u64, &bytes, &reader).map_err(tree_error)?;
            reader.added.borrow_mut().extend(hashes);
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        reader.added.into_inner()
    };
    let added: Vec<String> = added.iter().map(hash_to_hex).collect();
    petition_log::append_many(conn, petition_id, size, &texts, first_hash as i64, &added)?;
    Ok(size)
}

/// How many leaves a petition's log holds.
pub async fn size(ctx: &Context, petition_id: i64) -> ServiceResult<i64> {
    Ok(ctx
        .db
        .run(move |conn| petition_log::size(conn, petition_id))
        .await?)
}

/// The root of the first `size` leaves.
fn root(conn: &mut DbConn, petition_id: i64, size: i64) -> ServiceResult<Hash> {
    let reader = StoredHashes {
        conn: RefCell::new(conn),
        petition_id,
    };
    tlog::tree_hash(size as u64, &reader).map_err(tree_error)
}

/// Whether our log of `petition_id` has `size` leaves or more, with `root` as the root of
/// its first `size` (a checkpoint a witness cosigned must be one we issued).
pub async fn has_root(
    ctx: &Context,
    petition_id: i64,
    size: i64,
    root: Hash,
) -> ServiceResult<bool> {
    ctx.db
        .run(move |conn| -> ServiceResult<bool> {
            let current = petition_log::size(conn, petition_id)?;
            Ok(size <= current && self::root(conn, petition_id, size)? == root)
        })
        .await
}

/// The node's checkpoint key, made on first use.
pub async fn key(ctx: &Context) -> ServiceResult<LogKey> {
    let name = ctx.config.instance.domain.clone();
    let found = ctx
        .db
        .run(move |conn| node_keys::get(conn, CHECKPOINT_KEY))
        .await?;
    let stored = match found {
        Some(k) => k,
        None => {
            let fresh = LogKey::generate(&name).map_err(tree_error)?;
            ctx.db
                .run(move |conn| {
                    node_keys::insert_or_get(conn, CHECKPOINT_KEY, &fresh.secret, &fresh.public)
                })
                .await?
        }
    };
    Ok(LogKey {
        secret: stored.secret,
        public: stored.public,
    })
}

/// A petition's latest checkpoint, signed by the node.
pub async fn checkpoint(ctx: &Context, petition_id: i64) -> ServiceResult<SignedCheckpoint> {
    let key = key(ctx).await?;
    let (size, root) = ctx
        .db
        .run(move |conn| -> ServiceResult<_> {
            let size = petition_log::size(conn, petition_id)?;
            Ok((size, root(conn, petition_id, size)?))
        })
        .await?;
    let log = ctx.urls.petition_log(petition_id);
    let origin = agora_tlog::origin_of(&log);
    key.sign(origin, size as u64, root).map_err(tree_error)
}

/// An inclusion proof: leaf `index` in the tree of `size` leaves.
#[derive(Debug, Clone)]
pub struct Inclusion {
    /// The leaf's bytes.
    pub leaf: String,
    /// The tree size the proof is for.
    pub size: i64,
    /// The root of that tree.
    pub root: String,
    /// The hashes of the proof, hex.
    pub proof: Vec<String>,
}

/// Proves leaf `index` is in the log of `size` leaves (the current size when `None`).
pub async fn inclusion(
    ctx: &Context,
    petition_id: i64,
    index: i64,
    size: Option<i64>,
) -> ServiceResult<Inclusion> {
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let current = petition_log::size(conn, petition_id)?;
            let size = size.unwrap_or(current);
            if index < 0 || size <= index || size > current {
                return Err(ServiceError::invalid(
                    "index",
                    format!("the log has {current} leaves"),
                ));
            }
            let leaf = petition_log::leaves(conn, petition_id, index, 1)?
                .pop()
                .map(|(_, l)| l)
                .ok_or(DbError::NotFound)?;
            let root = root(conn, petition_id, size)?;
            let reader = StoredHashes {
                conn: RefCell::new(conn),
                petition_id,
            };
            let proof =
                tlog::prove_record(size as u64, index as u64, &reader).map_err(tree_error)?;
            Ok(Inclusion {
                leaf,
                size,
                root: hash_to_hex(&root),
                proof: proof.iter().map(hash_to_hex).collect(),
            })
        })
        .await
}

/// Proves the log of `old` leaves is a prefix of the log of `new` leaves (the current size
/// when `None`); gives both roots and the proof, hex.
pub async fn consistency(
    ctx: &Context,
    petition_id: i64,
    old: i64,
    new: Option<i64>,
) -> ServiceResult<(i64, String, String, Vec<String>)> {
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let current = petition_log::size(conn, petition_id)?;
            let new = new.unwrap_or(current);
            if old < 1 || new < old || new > current {
                return Err(ServiceError::invalid(
                    "from",
                    format!("sizes must satisfy 1 ≤ from ≤ to ≤ {current}"),
                ));
            }
            let old_root = root(conn, petition_id, old)?;
            let new_root = root(conn, petition_id, new)?;
            let reader = StoredHashes {
                conn: RefCell::new(conn),
                petition_id,
            };
            let proof = tlog::prove_tree(new as u64, old as u64, &reader).map_err(tree_error)?;
            Ok((
                new,
                hash_to_hex(&old_root),
                hash_to_hex(&new_root),
                proof.iter().map(hash_to_hex).collect(),
            ))
        })
        .await
}

/// Leaves from `start`, at most `limit`, each with its index.
pub async fn leaves(
    ctx: &Context,
    petition_id: i64,
    start: i64,
    limit: i64,
) -> ServiceResult<Vec<(i64, String)>> {
    let start = start.max(0);
    let limit = limit.clamp(1, 1000);
    Ok(ctx
        .db
        .run(move |conn| petition_log::leaves(conn, petition_id, start, limit))
        .await?)
}
