//! Browser tests: Debian's chromium, driven by playwright-core (npm) from `tests/browser/`, against a
//! real node. What it needs (chromium, the locked npm packages) is installed by
//! `bash tests/setup.sh`; without it the test fails and says so.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::Node;
use std::path::{Path, PathBuf};

fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser")
}

fn chromium() -> PathBuf {
    let path =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    assert!(
        path.exists(),
        "no chromium at {}: run `bash tests/setup.sh` (it installs Debian's chromium)",
        path.display()
    );
    path
}

fn ensure_npm_packages(dir: &Path) {
    assert!(
        dir.join("node_modules/playwright-core").exists(),
        "playwright-core is not installed in {}: run `bash tests/setup.sh`",
        dir.display()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_flows_of_a_citizen() {
    let chromium = chromium();
    let dir = e2e_dir();
    ensure_npm_packages(&dir);
    let node = Node::start().await;
    // Confirmed: her petition signature counts at once.
    node.confirmed_user("alice").await;
    // A post to report, and a moderator to decide on it.
    let bob = node.confirmed_user("bob").await;
    let post = node.post(&bob, "Buy my miracle cure").await;
    node.confirmed_user("modo").await;
    node.admin(&["set-role", "modo", "moderator"]);
    let out = tokio::process::Command::new("node")
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-reporter=spec",
            "initiatives.test.mjs",
            "petitions.test.mjs",
            "reports.test.mjs",
        ])
        .current_dir(&dir)
        .env("AGORA_BASE_URL", node.url(""))
        .env("AGORA_USER", "alice")
        .env("AGORA_PASSWORD", "correct horse battery")
        .env("AGORA_MODERATOR", "modo")
        .env("AGORA_REPORTED_POST", format!("/posts/{}", post["id"]))
        .env("CHROMIUM", &chromium)
        .output()
        .await
        .expect("node runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser tests failed:\n{report}");
    assert!(
        report.contains("pass 4"),
        "every browser test ran:\n{report}"
    );
}
