//! The Merkle tree over a log's leaves: hashes stored as Go's sumdb stores them (each leaf
//! adds its hash and those of the subtrees it completes, never changing an earlier one), the
//! proofs drawn from them, and the count a sequence of leaves proves.

use crate::{Commitment, Event, Leaf, LogError};
use std::collections::BTreeSet;
use tlog_tiles::tlog::{self, Hash, HashReader};

/// A whole tree in memory: what a verifier rebuilds from the leaves it fetched, and what tests
/// compare the node's stored tree with.
#[derive(Default)]
pub struct MemoryTree {
    hashes: Vec<Hash>,
    size: u64,
}

impl HashReader for MemoryTree {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        indexes
            .iter()
            .map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.hashes.get(i).copied())
                    .ok_or(tlog::Error::IndexesNotInTree)
            })
            .collect()
    }
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> MemoryTree {
        MemoryTree::default()
    }

    /// Appends a leaf's bytes; gives the hashes to store, in order after the existing ones.
    pub fn append(&mut self, leaf: &[u8]) -> Result<Vec<Hash>, LogError> {
        let added = tlog::stored_hashes(self.size, leaf, self)?;
        self.hashes.extend_from_slice(&added);
        self.size += 1;
        Ok(added)
    }

    /// How many leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root of the tree made of the first `size` leaves.
    pub fn root(&self, size: u64) -> Result<Hash, LogError> {
        Ok(tlog::tree_hash(size, self)?)
    }

    /// The proof that leaf `index` is in the tree of `size` leaves.
    pub fn inclusion(&self, index: u64, size: u64) -> Result<Vec<Hash>, LogError> {
        Ok(tlog::prove_record(size, index, self)?)
    }

    /// The proof that the tree of `old` leaves is a prefix of the tree of `new` leaves.
    pub fn consistency(&self, old: u64, new: u64) -> Result<Vec<Hash>, LogError> {
        Ok(tlog::prove_tree(new, old, self)?)
    }
}

/// Checks that `leaf` is leaf `index` of the tree of `size` leaves whose root is `root`.
pub fn check_inclusion(
    proof: &[Hash],
    size: u64,
    root: Hash,
    index: u64,
    leaf: &[u8],
) -> Result<(), LogError> {
    Ok(tlog::check_record(
        &proof.to_vec(),
        size,
        root,
        index,
        tlog::record_hash(leaf),
    )?)
}

/// Checks that the tree of `old` leaves with root `old_root` is a prefix of the tree of
/// `new` leaves with root `new_root`: nothing was removed or rewritten in between.
pub fn check_consistency(
    proof: &[Hash],
    new: u64,
    new_root: Hash,
    old: u64,
    old_root: Hash,
) -> Result<(), LogError> {
    Ok(tlog::check_tree(
        &proof.to_vec(),
        new,
        new_root,
        old,
        old_root,
    )?)
}

/// The number of signatures standing after these leaves, in order: each `sign` adds one,
/// each `withdraw` or `invalidate` removes the signature it commits to. A withdrawal of
/// nothing, or a second `sign` for a standing commitment, is an inconsistency.
pub fn count_of<'a>(leaves: impl IntoIterator<Item = &'a Leaf>) -> Result<u64, LogError> {
    let mut standing: BTreeSet<Commitment> = BTreeSet::new();
    for (index, leaf) in leaves.into_iter().enumerate() {
        let index = index as u64;
        match leaf.event {
            Event::Sign => {
                if !standing.insert(leaf.commitment) {
                    return Err(LogError::Inconsistent {
                        index,
                        why: "a signature counted twice",
                    });
                }
            }
            Event::Withdraw | Event::Invalidate => {
                if !standing.remove(&leaf.commitment) {
                    return Err(LogError::Inconsistent {
                        index,
                        why: "the end of a signature that does not stand",
                    });
                }
            }
        }
    }
    Ok(standing.len() as u64)
}

/// A hash in the hex form our JSON carries.
pub fn hash_to_hex(h: &Hash) -> String {
    hex::encode(h.0)
}

/// A hash from its hex form.
pub fn hash_from_hex(s: &str) -> Option<Hash> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(Hash(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Salt;
    use chrono::{TimeZone, Utc};

    fn leaf(event: Event, who: u8) -> Leaf {
        Leaf {
            event,
            at: Utc.timestamp_opt(1_790_000_000, 0).single().expect("time"),
            commitment: Commitment::new(Salt([who; 16]), "https://a.example/users/x"),
        }
    }

    #[test]
    fn proofs_hold_for_every_leaf_and_every_pair_of_sizes() {
        let mut tree = MemoryTree::new();
        let leaves: Vec<Leaf> = (0..37).map(|i| leaf(Event::Sign, i)).collect();
        for l in &leaves {
            tree.append(&l.to_bytes()).expect("append");
        }
        for size in 1..=tree.size() {
            let root = tree.root(size).expect("root");
            for index in 0..size {
                let proof = tree.inclusion(index, size).expect("proof");
                let bytes = leaves[index as usize].to_bytes();
                check_inclusion(&proof, size, root, index, &bytes).expect("inclusion");
                // The same proof does not vouch for another leaf.
                let other = leaves[((index + 1) % 37) as usize].to_bytes();
                assert!(check_inclusion(&proof, size, root, index, &other).is_err());
            }
            for old in 1..=size {
                let proof = tree.consistency(old, size).expect("proof");
                let old_root = tree.root(old).expect("root");
                check_consistency(&proof, size, root, old, old_root).expect("consistency");
            }
        }
    }

    #[test]
    fn a_rewritten_history_is_not_consistent_with_the_first() {
        let mut honest = MemoryTree::new();
        let mut forked = MemoryTree::new();
        for i in 0..10 {
            honest
                .append(&leaf(Event::Sign, i).to_bytes())
                .expect("append");
            // The fork drops the fourth signature and goes on.
            if i != 3 {
                forked
                    .append(&leaf(Event::Sign, i).to_bytes())
                    .expect("append");
            }
        }
        let old_root = honest.root(5).expect("root");
        let proof = forked.consistency(5, 9).expect("proof");
        let new_root = forked.root(9).expect("root");
        assert!(check_consistency(&proof, 9, new_root, 5, old_root).is_err());
    }

    #[test]
    fn the_count_is_signs_minus_ends_and_a_bad_history_is_named() {
        let history = [
            leaf(Event::Sign, 1),
            leaf(Event::Sign, 2),
            leaf(Event::Withdraw, 1),
            leaf(Event::Sign, 3),
            leaf(Event::Invalidate, 3),
            leaf(Event::Sign, 4),
        ];
        assert_eq!(count_of(&history).expect("valid"), 2);
        let twice = [leaf(Event::Sign, 1), leaf(Event::Sign, 1)];
        assert!(matches!(
            count_of(&twice),
            Err(LogError::Inconsistent { index: 1, .. })
        ));
        let orphan = [leaf(Event::Withdraw, 9)];
        assert!(count_of(&orphan).is_err());
    }

    /// The test vectors of Certificate Transparency's reference implementation
    /// (`merkle_tree_test.cc`, also in Go's `sumdb/tlog` `TestCertificateTransparency`): the
    /// same leaves must give the same roots here, or our logs are not RFC 6962 logs.
    #[test]
    fn roots_match_certificate_transparency_s_vectors() {
        let leaves = [
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f",
        ];
        let mut tree = MemoryTree::new();
        for l in leaves {
            tree.append(&hex::decode(l).expect("hex")).expect("append");
        }
        let root = |n| hash_to_hex(&tree.root(n).expect("root"));
        assert_eq!(
            root(1),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
        assert_eq!(
            root(8),
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
        );
    }

    #[test]
    fn the_empty_tree_has_rfc_6962_s_root() {
        let tree = MemoryTree::new();
        assert_eq!(
            hash_to_hex(&tree.root(0).expect("root")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
