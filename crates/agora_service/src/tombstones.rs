//! Addresses of what was deleted here (accounts, posts, petitions), kept as a hash keyed with a
//! secret of the node: the old address answers 410 Gone with a `Tombstone` and a handle is
//! never given to another person, yet nothing stored names what was there (a plain hash of a
//! handle would be reversed by trying names).

use crate::{Context, ServiceResult};
use agora_db::{DbConn, error::DbResult, node_keys, tombstones};
use sha2::{Digest, Sha256};

pub use tombstones::Tombstone;

/// The name of the node key that salts the hashes.
const KEY: &str = "tombstones";

/// The node's secret for these hashes, made on first use.
fn secret(conn: &mut DbConn) -> DbResult<String> {
    Ok(match node_keys::get(conn, KEY)? {
        Some(key) => key.secret,
        None => node_keys::insert_or_get(conn, KEY, &crate::secrets::new_token(), "")?.secret,
    })
}

fn digest(secret: &str, address: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(secret.as_bytes());
    hasher.update([0]);
    hasher.update(address.as_bytes());
    hex::encode(hasher.finalize())
}

/// Buries addresses as gone `former_type`s, in the caller's transaction.
pub(crate) fn bury(conn: &mut DbConn, addresses: &[String], former_type: &str) -> DbResult<()> {
    let secret = secret(conn)?;
    let hashes: Vec<String> = addresses.iter().map(|a| digest(&secret, a)).collect();
    tombstones::insert_many(conn, &hashes, former_type)
}

/// Whether something at this address of ours was deleted.
pub(crate) fn find(conn: &mut DbConn, address: &str) -> DbResult<Option<Tombstone>> {
    let hash = digest(&secret(conn)?, address);
    tombstones::get(conn, &hash)
}

/// The tombstone at an address of this node, if what was there was deleted.
pub async fn at(ctx: &Context, address: &str) -> ServiceResult<Option<Tombstone>> {
    let address = address.to_string();
    Ok(ctx.db.run(move |conn| find(conn, &address)).await?)
}
