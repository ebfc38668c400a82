//! Browser tests: Debian's chromium, driven by playwright-core (npm) from `e2e/`, against a
//! real node. Installs what it needs on a fresh machine (chromium with apt when run as root,
//! the locked npm packages with `npm ci`) and fails loudly when it cannot.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::Node;
use std::path::{Path, PathBuf};

fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e")
}

fn chromium() -> PathBuf {
    let path =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    if !path.exists() {
        let status = std::process::Command::new("apt-get")
            .args(["install", "-y", "-q", "chromium"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .expect("chromium is missing and apt-get cannot run: install Debian's chromium");
        assert!(
            status.success(),
            "chromium is missing and `apt-get install chromium` failed (run as root, or install it)"
        );
    }
    assert!(path.exists(), "no chromium at {}", path.display());
    path
}

fn ensure_npm_packages(dir: &Path) {
    if dir.join("node_modules/playwright-core").exists() {
        return;
    }
    let status = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .expect("npm is needed for the browser tests (e2e/)");
    assert!(status.success(), "npm ci in {} failed", dir.display());
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_flows_of_a_citizen() {
    let chromium = chromium();
    let dir = e2e_dir();
    ensure_npm_packages(&dir);
    let node = Node::start().await;
    node.user("alice").await;
    let out = tokio::process::Command::new("node")
        .args(["--test", "--test-reporter=spec", "initiatives.test.mjs"])
        .current_dir(&dir)
        .env("AGORA_BASE_URL", node.url(""))
        .env("AGORA_USER", "alice")
        .env("AGORA_PASSWORD", "correct horse battery")
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
        report.contains("pass 2"),
        "both browser tests ran:\n{report}"
    );
}
