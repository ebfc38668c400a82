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
    // An account that moves, and the account it moves to, which already names it.
    let mover = node.confirmed_user("mover").await;
    let target = node.confirmed_user("mover2").await;
    let (status, body) = node
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/accounts/me",
            &target.token,
            Some(&serde_json::json!({"also_known_as": [mover.acct]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // An organizer whose initiative moves to another of hers, with an update and a petition.
    let orga = node.confirmed_user("orga").await;
    node.initiative(&orga, "jardin_ancien", "Jardin ancien")
        .await;
    node.initiative(&orga, "jardin_neuf", "Jardin neuf").await;
    let (status, body) = node
        .post_json(
            "/api/v1/initiatives/jardin_ancien/updates",
            Some(&orga.token),
            &serde_json::json!({"content": "Assemblée jeudi."}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let petition = node
        .start_petition(
            &orga,
            serde_json::json!({"title": "Des bancs au jardin", "text": "Pour s'asseoir.",
                               "target": "Mairie", "deadline": common::in_days(30)}),
            serde_json::json!({"initiative": "jardin_ancien"}),
        )
        .await;
    let out = tokio::process::Command::new("node")
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-reporter=spec",
            "initiatives.test.mjs",
            "petitions.test.mjs",
            "reports.test.mjs",
            "data.test.mjs",
        ])
        .current_dir(&dir)
        .env("AGORA_BASE_URL", node.url(""))
        .env("AGORA_USER", "alice")
        .env("AGORA_PASSWORD", "correct horse battery")
        .env("AGORA_MODERATOR", "modo")
        .env("AGORA_MOVER", "mover")
        .env("AGORA_MOVE_TARGET", "mover2")
        .env("AGORA_ORGANIZER", "orga")
        .env(
            "AGORA_MOVING_PETITION",
            format!("/petitions/{}", petition["id"]),
        )
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
        report.contains("pass 9"),
        "every browser test ran:\n{report}"
    );
}
