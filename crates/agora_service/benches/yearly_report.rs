//! How long the yearly transparency report takes over a busy year: 100 000 reports (four in
//! five decided), counted from the rows as the page does each time it is read.
//!
//! `cargo bench -p agora_service --bench yearly_report` (SQLite in a temporary folder), or with
//! `AGORA_BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/agora_bench_report` on PostgreSQL
//! (the database must exist and be empty; it is left with the rows).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use agora_service::{load_test, transparency};
use criterion::{Criterion, criterion_group, criterion_main};

/// Reports in the measured year.
const REPORTS: usize = 100_000;
/// The year they are in.
const YEAR: i32 = 2025;

fn yearly_report(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (ctx, dir) = load_test::bench_context("report").expect("the database");
    let started = std::time::Instant::now();
    runtime
        .block_on(load_test::seed_reports(&ctx, YEAR, REPORTS))
        .expect("the year's reports");
    eprintln!("{REPORTS} reports written in {:?}", started.elapsed());
    let report = runtime
        .block_on(transparency::yearly(&ctx, YEAR))
        .expect("the report");
    assert_eq!(report.reports, REPORTS as i64);
    let mut group = c.benchmark_group("yearly_report");
    group.sample_size(10);
    group.bench_function("100000_reports", |b| {
        b.iter(|| {
            runtime
                .block_on(transparency::yearly(&ctx, YEAR))
                .expect("the report")
        });
    });
    group.bench_function("100000_reports_csv", |b| {
        b.iter(|| {
            runtime
                .block_on(transparency::yearly(&ctx, YEAR))
                .expect("the report")
                .to_csv()
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, yearly_report);
criterion_main!(benches);
