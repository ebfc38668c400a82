//! The transparency log of a petition.
//!
//! Every signature, withdrawal and invalidation appends a [`Leaf`] to the petition's log. A
//! leaf commits to its signer with a salted hash and never names them; the salt goes to the
//! signer in their receipt, so they alone can show a leaf is theirs. The log is an RFC 6962
//! Merkle tree (Go's sumdb `tlog` layout, from the `tlog_tiles` crate): the node stores its
//! hashes insert-only and serves proofs from them; [`Checkpoint`]s are C2SP signed notes
//! (`tlog-checkpoint`) that tools made for Go's checksum database read as they are.

pub mod checkpoint;
pub mod cosignature;
pub mod leaf;
pub mod tree;

pub use checkpoint::{LogKey, SignedCheckpoint, origin_of};
pub use cosignature::verify_cosignature;
pub use leaf::{Commitment, Event, Leaf, Salt};
pub use tlog_tiles::tlog::{self, HASH_SIZE, Hash};
pub use tree::{
    MemoryTree, check_consistency, check_inclusion, count_of, hash_from_hex, hash_to_hex,
};

/// Why a log, a proof or a checkpoint does not hold.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// A leaf is not in our format.
    #[error("malformed leaf: {0}")]
    MalformedLeaf(String),
    /// A checkpoint or its signature is not in the C2SP format.
    #[error("malformed checkpoint: {0}")]
    MalformedCheckpoint(String),
    /// The checkpoint is not signed by the key given.
    #[error("the checkpoint's signature does not verify: {0}")]
    BadSignature(String),
    /// A key is not in the signed-note format.
    #[error("malformed key: {0}")]
    MalformedKey(String),
    /// An inclusion or consistency proof does not hold.
    #[error("proof does not verify: {0}")]
    BadProof(String),
    /// The leaves do not make a valid history (a withdrawal of no signature, a signature
    /// counted twice).
    #[error("inconsistent history at leaf {index}: {why}")]
    Inconsistent {
        /// The leaf at fault.
        index: u64,
        /// What is wrong with it.
        why: &'static str,
    },
}

impl From<tlog_tiles::tlog::Error> for LogError {
    fn from(e: tlog_tiles::tlog::Error) -> Self {
        LogError::BadProof(e.to_string())
    }
}
