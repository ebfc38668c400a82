//! How long an account's archive takes, and how big it is, for an active account: 10 000
//! posts and 1 000 signatures (each with its receipt), written as the export job writes it.
//!
//! `cargo bench -p agora_federation --bench export` (SQLite in a temporary folder), or with
//! `AGORA_BENCH_DATABASE=postgres://…/agora_bench_export` (an empty database) on PostgreSQL.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use agora_service::load_test;
use criterion::{Criterion, criterion_group, criterion_main};

/// Posts of the account.
const POSTS: usize = 10_000;
/// Its signatures.
const SIGNATURES: usize = 1_000;

fn export(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (ctx, dir) = load_test::bench_context("export").expect("the database");
    let user = runtime
        .block_on(load_test::seed_archive(&ctx, "archived", POSTS, SIGNATURES))
        .expect("the account");
    let out = dir.join("archive.zip");
    let size = runtime
        .block_on(agora_federation::archive::write(&ctx, user, &out, |_| {}))
        .expect("the archive");
    // The archive holds them all: every post in the outbox, every receipt.
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(&out).expect("the archive")).expect("a zip");
    let read = |zip: &mut zip::ZipArchive<std::fs::File>, name: &str| -> serde_json::Value {
        serde_json::from_reader(zip.by_name(name).expect(name)).expect("JSON")
    };
    assert_eq!(read(&mut zip, "outbox.json")["totalItems"], POSTS);
    assert_eq!(
        read(&mut zip, "civic/signatures.json")
            .as_array()
            .map(Vec::len),
        Some(SIGNATURES)
    );
    eprintln!(
        "archive of {POSTS} posts and {SIGNATURES} signatures: {size} bytes ({:.1} MB)",
        size as f64 / 1e6
    );
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.bench_function("10000_posts_1000_signatures", |b| {
        b.iter(|| {
            runtime
                .block_on(agora_federation::archive::write(&ctx, user, &out, |_| {}))
                .expect("the archive")
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, export);
criterion_main!(benches);
