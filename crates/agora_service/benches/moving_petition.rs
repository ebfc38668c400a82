//! How long the new node takes to check a moving petition's log before it takes it: 100 000
//! signatures (and 10 000 withdrawals) checked against the checkpoint its old node signed, as
//! `initiative_moves::check_log` does for each petition of an initiative's archive — every leaf
//! parsed strictly, the tree rebuilt, the root and the count compared.
//!
//! `cargo bench -p agora_service --bench moving_petition`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use agora_service::initiative_moves::{FetchedCheckpoint, OriginTally, PetitionRecord, check_log};
use agora_tlog::{Commitment, Event, Leaf, LogKey, MemoryTree, Salt};
use criterion::{Criterion, criterion_group, criterion_main};

/// Signatures in the log.
const SIGNATURES: usize = 100_000;
/// Of which withdrawn.
const WITHDRAWN: usize = 10_000;
const LOG: &str = "https://old.example/petitions/7/log";

fn record() -> (PetitionRecord, FetchedCheckpoint) {
    let at = "2026-11-30T10:00:00Z".parse().unwrap();
    let leaf = |event, n: usize| {
        let leaf = Leaf {
            event,
            at,
            commitment: Commitment::new(Salt(rand_salt(n)), &format!("https://x.example/u/{n}")),
        };
        String::from_utf8(leaf.to_bytes()).unwrap()
    };
    let mut leaves: Vec<String> = (0..SIGNATURES).map(|n| leaf(Event::Sign, n)).collect();
    leaves.extend((0..WITHDRAWN).map(|n| leaf(Event::Withdraw, n)));
    let mut tree = MemoryTree::new();
    for l in &leaves {
        tree.append(l.as_bytes()).unwrap();
    }
    let key = LogKey::generate("old.example").unwrap();
    let checkpoint = key
        .sign(
            agora_tlog::origin_of(LOG),
            tree.size(),
            tree.root(tree.size()).unwrap(),
        )
        .unwrap();
    let now = chrono::Utc::now();
    let record = PetitionRecord {
        id: "https://old.example/petitions/7".into(),
        title: "Un jardin".into(),
        text: "<p>Pour le quartier.</p>".into(),
        target: "Mairie".into(),
        deadline: now,
        milestones: vec![],
        signature_policy: "fediverse".into(),
        trusted_instances: vec![],
        public_names: true,
        status: "moved".into(),
        response: None,
        response_at: None,
        closed_at: None,
        created_at: now,
        log: LOG.into(),
        checkpoint: String::from_utf8(checkpoint.note.clone()).unwrap(),
        tallies: vec![OriginTally {
            origin: "old.example".into(),
            verified: (SIGNATURES - WITHDRAWN) as i64,
        }],
        leaves,
    };
    let fetched = FetchedCheckpoint {
        key: key.public,
        note: checkpoint.note,
    };
    (record, fetched)
}

/// A distinct salt per signer, without a random source.
fn rand_salt(n: usize) -> [u8; 16] {
    let mut salt = [0u8; 16];
    salt[..8].copy_from_slice(&(n as u64).to_le_bytes());
    salt
}

fn moving_petition(c: &mut Criterion) {
    let (record, fetched) = record();
    let bytes: usize = record.leaves.iter().map(String::len).sum();
    eprintln!("{} leaves, {bytes} bytes", record.leaves.len());
    let mut group = c.benchmark_group("moving_petition");
    group.sample_size(10);
    group.bench_function("check_log_110000_leaves", |b| {
        b.iter(|| {
            let (leaves, checkpoint) = check_log(&record, &fetched).expect("the log holds");
            assert_eq!(leaves.len(), SIGNATURES + WITHDRAWN);
            checkpoint
        });
    });
    group.finish();
}

criterion_group!(benches, moving_petition);
criterion_main!(benches);
