//! An account's archive: asked for from the API, built by the worker with its progress, in
//! Mastodon's layout (actor, outbox of `Create`s, likes, bookmarks, the CSVs with Mastodon's
//! headers) plus the civic data (initiatives, petitions, signatures with receipts, reports);
//! and the same from `agora admin export-user`.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, eventually, in_days};
use serde_json::{Value, json};
use std::io::Read;

/// The files of an archive, by name.
fn entries(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().to_string(), text)
        })
        .collect()
}

fn json_of(files: &std::collections::BTreeMap<String, String>, name: &str) -> Value {
    serde_json::from_str(
        files
            .get(name)
            .unwrap_or_else(|| panic!("{name} in the archive")),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_archive_holds_the_account_in_mastodons_layout_and_its_civic_data() {
    let a = Node::start().await;
    let (alice, bob) = (
        a.confirmed_user("alice").await,
        a.confirmed_user("bob").await,
    );
    for text in ["Premier message", "Deuxième message", "Troisième"] {
        a.post(&alice, text).await;
    }
    a.follow(&alice, &bob.acct).await;
    a.initiative(&alice, "jardins", "Jardins partagés").await;
    let mine = a
        .start_petition(
            &alice,
            json!({"title": "Plus de bancs", "text": "Pour s'asseoir.", "target": "Mairie", "deadline": in_days(30)}),
            json!({}),
        )
        .await;
    let theirs = a
        .start_petition(
            &bob,
            json!({"title": "Des arbres", "text": "De l'ombre.", "target": "Mairie", "deadline": in_days(30)}),
            json!({}),
        )
        .await;
    let (status, _) = a
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/petitions/{}/signatures", theirs["id"]),
            &alice.token,
            Some(&json!({})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = a
        .post_json(
            "/api/v1/reports",
            Some(&alice.token),
            &json!({"target": bob.uri, "category": "scams_and_fraud", "comment": "Faux compte"}),
        )
        .await;
    assert_eq!(status, 201);

    // Asked for; built by the worker; a second request the same day is refused.
    let (status, asked) = a
        .post_json("/api/v1/export", Some(&alice.token), &json!({}))
        .await;
    assert_eq!(status, 202, "{asked}");
    let path = format!("/api/v1/export/{}", asked["id"]);
    let ready = eventually(60, "the archive", || async {
        let (_, e) = a.get_json(&path, Some(&alice.token)).await;
        (e["status"] == "ready").then_some(e)
    })
    .await;
    assert_eq!(ready["progress"], 100, "{ready}");
    assert!(ready["size"].as_i64().unwrap() > 500, "{ready}");
    let (status, _) = a.get_json(&path, Some(&bob.token)).await;
    assert_eq!(status, 404, "only its account sees an export");
    let (status, _) = a
        .post_json("/api/v1/export", Some(&alice.token), &json!({}))
        .await;
    assert_eq!(status, 429);
    let r = a
        .http
        .get(a.url(&format!("{path}/archive")))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let files = entries(&r.bytes().await.unwrap());

    // Mastodon's layout.
    let actor = json_of(&files, "actor.json");
    assert_eq!(actor["type"], "Person");
    assert_eq!(actor["preferredUsername"], "alice");
    let outbox = json_of(&files, "outbox.json");
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 3, "{outbox}");
    let first = &outbox["orderedItems"][0];
    assert_eq!(first["type"], "Create");
    assert!(
        first["object"]["content"]
            .as_str()
            .unwrap()
            .contains("Premier message"),
        "{first}"
    );
    assert_eq!(json_of(&files, "likes.json")["type"], "OrderedCollection");
    assert_eq!(json_of(&files, "bookmarks.json")["totalItems"], 0);
    let following: Vec<&str> = files["following_accounts.csv"].lines().collect();
    assert_eq!(
        following[0],
        "Account address,Show boosts,Notify on new posts,Languages"
    );
    assert_eq!(following[1], format!("bob@{},true,false,", a.domain));
    assert_eq!(
        files["muted_accounts.csv"].trim(),
        "Account address,Hide notifications"
    );
    for headerless in [
        "blocked_accounts.csv",
        "blocked_domains.csv",
        "bookmarks.csv",
        "lists.csv",
    ] {
        assert_eq!(files[headerless], "", "{headerless}");
    }

    // The civic data, signatures with what proves them.
    let initiatives = json_of(&files, "civic/initiatives.json");
    assert_eq!(initiatives[0]["handle"], "jardins", "{initiatives}");
    assert_eq!(initiatives[0]["role"], "organizer");
    let petitions = json_of(&files, "civic/petitions.json");
    assert_eq!(petitions[0]["id"], mine["uri"], "{petitions}");
    let signatures = json_of(&files, "civic/signatures.json");
    assert_eq!(signatures[0]["petition"], theirs["uri"], "{signatures}");
    // The receipt the API gives the signer, whole: it still proves the signature in its log.
    let (_, receipt) = a
        .get_json(
            &format!("/api/v1/petitions/{}/signatures", theirs["id"]),
            Some(&alice.token),
        )
        .await;
    let receipt = &receipt["receipt"];
    for field in [
        "petition",
        "transparency_log",
        "salt",
        "commitment",
        "leaf_index",
        "counted",
    ] {
        assert_eq!(signatures[0][field], receipt[field], "{field}: {receipt}");
    }
    let reports = json_of(&files, "civic/reports.json");
    assert_eq!(reports[0]["category"], "scams_and_fraud", "{reports}");
    assert_eq!(reports[0]["comment"], "Faux compte");

    // The web page shows it, ready.
    let web = a.browser_login("alice").await;
    let page = common::html_in(&web, a.url("/settings/export"), "fr").await;
    assert!(page.contains("Prête"), "{page}");
    assert!(
        !page.contains("http-equiv=\"refresh\""),
        "nothing is being built"
    );

    // The command line writes the same archive.
    let out = a.dir.join("alice.zip");
    let run = a
        .command()
        .args(["admin", "export-user", "alice", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("100 %"));
    let cli = entries(&std::fs::read(&out).unwrap());
    assert_eq!(
        cli.keys().collect::<Vec<_>>(),
        files.keys().collect::<Vec<_>>()
    );
    assert_eq!(json_of(&cli, "outbox.json")["totalItems"], 3);
    let run = a
        .command()
        .args(["admin", "export-user", "nobody", "--out"])
        .arg(a.dir.join("nobody.zip"))
        .output()
        .unwrap();
    assert!(!run.status.success());
}
