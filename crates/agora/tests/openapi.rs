//! The OpenAPI document describes the API a client can generate code from: it is kept as a
//! snapshot (`docs/openapi.json`), and schemathesis (PyPI, installed by `tests/setup.sh`)
//! checks a real node against it — declared parameters, schemas that accept what the API
//! accepts and refuse what it refuses, documented statuses, and no 5xx.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::Node;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

async fn node() -> (Node, String) {
    let a = Node::start_with(&[
        ("AGORA_LIMITS__SIGNUPS_PER_HOUR", "100000"),
        ("AGORA_LIMITS__LOGIN_FAILURES_PER_15MIN", "100000"),
        ("AGORA_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_15MIN", "100000"),
    ])
    .await;
    let user = a.user("schema").await;
    (a, user.token)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_document_is_the_one_in_docs() {
    let (a, _) = node().await;
    let (status, served) = a.get_json("/api/openapi.json", None).await;
    assert_eq!(status, 200);
    let served = serde_json::to_string_pretty(&served).unwrap() + "\n";
    let snapshot = repo().join("docs/openapi.json");
    if std::env::var_os("AGORA_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &served).unwrap();
    }
    let kept = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        kept == served,
        "the API document changed: review it, then run \
         `AGORA_UPDATE_SNAPSHOTS=1 cargo test --workspace --test openapi` to keep it in docs/openapi.json"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn schemathesis_finds_no_schema_error_and_no_server_error() {
    let (a, token) = node().await;
    let report = a.dir.join("schemathesis-report");
    let out = tokio::process::Command::new("schemathesis")
        .arg("--config-file")
        .arg(repo().join("tests/schemathesis.toml"))
        .args(["--no-color", "run"])
        .arg(a.url("/api/openapi.json"))
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args([
            "--max-examples",
            "5",
            "--seed",
            "1",
            "--generation-database",
            "none",
        ])
        .arg("--report-dir")
        .arg(&report)
        .current_dir(&a.dir)
        .output()
        .await
        .unwrap_or_else(|e| {
            panic!("schemathesis is not installed ({e}): run `bash tests/setup.sh`")
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
