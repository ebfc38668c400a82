//! Importing Mastodon's CSVs, written as Mastodon writes them (`app/models/export.rb`: the
//! follows and mutes with their header line, blocks and blocked servers without) and as its
//! import form also takes them (a bare list of addresses): follows are asked on the other node,
//! blocks and mutes applied, each failing line reported with its reason; importing again
//! changes nothing; the next archive carries the blocks and mutes.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, User, eventually};
use reqwest::multipart::Form;
use serde_json::Value;
use std::io::Read;

async fn upload(node: &Node, user: &User, kind: &str, name: &str, data: Vec<u8>) -> (u16, Value) {
    common::upload_import(node, user, &[("type", kind)], (name, "text/csv"), data).await
}

/// Uploads and waits for the import to end; gives its final state.
async fn imported(node: &Node, user: &User, kind: &str, name: &str, data: &str) -> Value {
    let (status, started) = upload(node, user, kind, name, data.as_bytes().to_vec()).await;
    assert_eq!(status, 202, "{started}");
    let path = format!("/api/v1/imports/{}", started["id"]);
    eventually(60, "the import ends", || async {
        let (_, state) = node.get_json(&path, Some(&user.token)).await;
        (state["status"] == "done").then_some(state)
    })
    .await
}

async fn followed(node: &Node, user: &User) -> Vec<String> {
    let (_, list) = node.get_json("/api/v1/follows", Some(&user.token)).await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| f["target"]["acct"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn mastodons_csvs_import_in_the_background_once_with_a_report_of_failures() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    for name in ["bob", "carol", "dave", "erin"] {
        b.user(name).await;
    }
    let host = &b.domain;

    // following_accounts.csv as Mastodon exports it, with two lines that cannot be followed.
    let following = format!(
        "Account address,Show boosts,Notify on new posts,Languages\n\
         bob@{host},true,false,\n\
         carol@{host},true,true,\"en,fr\"\n\
         nobody@{host},true,false,\n\
         not an address,true,false,\n"
    );
    let done = imported(
        &a,
        &alice,
        "following",
        "following_accounts.csv",
        &following,
    )
    .await;
    assert_eq!(
        (
            done["total"].as_i64(),
            done["processed"].as_i64(),
            done["failed"].as_i64()
        ),
        (Some(4), Some(4), Some(2)),
        "{done}"
    );
    let failures = done["failures"].as_array().unwrap();
    assert_eq!(failures[0]["line"], 3, "{done}");
    assert_eq!(failures[0]["value"], format!("nobody@{host}"));
    assert_eq!(failures[0]["error"], "no such account on its server");
    assert_eq!(failures[1]["line"], 4);
    assert_eq!(
        failures[1]["error"],
        "not an account address (@name@server)"
    );
    let expected = [format!("@bob@{host}"), format!("@carol@{host}")];
    eventually(30, "both follows accepted", || async {
        let list = followed(&a, &alice).await;
        expected.iter().all(|e| list.contains(e)).then_some(())
    })
    .await;
    // The same file again: nothing new, nothing lost.
    let again = imported(
        &a,
        &alice,
        "following",
        "following_accounts.csv",
        &following,
    )
    .await;
    assert_eq!(again["failed"], 2);
    assert_eq!(followed(&a, &alice).await.len(), 2);
    // A bare list, as Mastodon's form also takes: blank lines skipped, a leading @ dropped.
    let bare = format!("dave@{host}\n\n@erin@{host}\n");
    let done = imported(&a, &alice, "following", "follows.csv", &bare).await;
    assert_eq!(
        (done["total"].as_i64(), done["failed"].as_i64()),
        (Some(2), Some(0)),
        "{done}"
    );
    eventually(30, "four follows", || async {
        (followed(&a, &alice).await.len() == 4).then_some(())
    })
    .await;

    // blocked_accounts.csv (no header): the follow ends.
    let done = imported(
        &a,
        &alice,
        "blocks",
        "blocked_accounts.csv",
        &format!("bob@{host}\n"),
    )
    .await;
    assert_eq!(done["failed"], 0, "{done}");
    let (_, blocks) = a.get_json("/api/v1/blocks", Some(&alice.token)).await;
    assert_eq!(
        blocks[0]["account"]["acct"],
        format!("@bob@{host}"),
        "{blocks}"
    );
    assert!(!followed(&a, &alice).await.contains(&format!("@bob@{host}")));
    // muted_accounts.csv (with its header).
    let mutes = format!("Account address,Hide notifications\ncarol@{host},true\n");
    imported(&a, &alice, "mutes", "muted_accounts.csv", &mutes).await;
    let (_, muted) = a.get_json("/api/v1/mutes", Some(&alice.token)).await;
    assert_eq!(
        muted[0]["account"]["acct"],
        format!("@carol@{host}"),
        "{muted}"
    );
    assert_eq!(muted[0]["hide_notifications"], true);
    // blocked_domains.csv (no header).
    imported(
        &a,
        &alice,
        "domain_blocks",
        "blocked_domains.csv",
        "Spam.Example\n",
    )
    .await;
    let (_, domains) = a
        .get_json("/api/v1/domain_blocks", Some(&alice.token))
        .await;
    assert_eq!(domains[0]["domain"], "spam.example", "{domains}");

    // The next archive carries them, in Mastodon's files.
    let (_, asked) = a
        .post_json("/api/v1/export", Some(&alice.token), &serde_json::json!({}))
        .await;
    eventually(60, "the archive", || async {
        let (_, e) = a
            .get_json(
                &format!("/api/v1/export/{}", asked["id"]),
                Some(&alice.token),
            )
            .await;
        (e["status"] == "ready").then_some(())
    })
    .await;
    let bytes = a
        .http
        .get(a.url(&format!("/api/v1/export/{}/archive", asked["id"])))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    assert_eq!(read("blocked_accounts.csv"), format!("bob@{host}\n"));
    assert_eq!(
        read("muted_accounts.csv"),
        format!("Account address,Hide notifications\ncarol@{host},true\n")
    );
    assert_eq!(read("blocked_domains.csv"), "spam.example\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_hostile_and_oversized_imports_are_refused_and_store_nothing() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let csv = b"someone@example.org\n".to_vec();
    // The wrong type, no type, no file, an empty file, a file of another kind, not UTF-8.
    assert_eq!(
        upload(&a, &alice, "bookmarks", "x.csv", csv.clone())
            .await
            .0,
        400
    );
    assert_eq!(upload(&a, &alice, "", "x.csv", csv.clone()).await.0, 400);
    assert_eq!(
        upload(&a, &alice, "following", "x.csv", b"\n\n".to_vec())
            .await
            .0,
        400
    );
    let domains = b"#domain\nspam.example\n".to_vec();
    assert_eq!(
        upload(&a, &alice, "following", "x.csv", domains).await.0,
        400
    );
    assert_eq!(
        upload(&a, &alice, "following", "x.csv", vec![0xff, 0xfe, 0x00])
            .await
            .0,
        400
    );
    // 20 001 lines: over Mastodon's limit.
    let many: String = (0..20_001).map(|i| format!("u{i}@example.org\n")).collect();
    let (status, body) = upload(&a, &alice, "following", "x.csv", many.into_bytes()).await;
    assert_eq!(status, 400, "{body}");
    // Over 4 MB: refused as it comes.
    let huge = vec![b'a'; 5 * 1024 * 1024];
    assert_eq!(upload(&a, &alice, "following", "x.csv", huge).await.0, 413);
    // Without a token.
    let r = a
        .http
        .post(a.url("/api/v1/imports"))
        .multipart(Form::new().text("type", "following"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Nothing was stored; someone else's import is not there for anyone else.
    {
        use diesel::prelude::*;
        let db = a.db();
        let mut conn = db.get().unwrap();
        let n: i64 = agora_db::schema::imports::table
            .count()
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(n, 0);
    }
    let bob = a.user("bob").await;
    let (status, started) = upload(&a, &bob, "following", "x.csv", csv).await;
    assert_eq!(status, 202);
    let (status, _) = a
        .get_json(
            &format!("/api/v1/imports/{}", started["id"]),
            Some(&alice.token),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_archive_exported_here_is_restored_on_another_node_as_history() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    a.user("carol").await;
    a.user("dave").await;
    for text in ["Premier message", "Deuxième message", "Troisième"] {
        a.post(&alice, text).await;
    }
    a.follow(&alice, &bob.acct).await;
    let host = &a.domain;
    let (status, _) = a
        .post_json(
            "/api/v1/blocks",
            Some(&alice.token),
            &serde_json::json!({"target": format!("@carol@{host}")}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = a
        .post_json(
            "/api/v1/mutes",
            Some(&alice.token),
            &serde_json::json!({"target": format!("@dave@{host}"), "hide_notifications": true}),
        )
        .await;
    assert_eq!(status, 200);
    a.initiative(&alice, "jardins", "Jardins partagés").await;
    let petition = a
        .start_petition(
            &bob,
            serde_json::json!({"title": "Des bancs", "text": "Pour s'asseoir.", "target": "Mairie", "deadline": common::in_days(30)}),
            serde_json::json!({}),
        )
        .await;
    let (status, receipt) = a
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/petitions/{}/signatures", petition["id"]),
            &alice.token,
            Some(&serde_json::json!({})),
        )
        .await;
    assert_eq!(status, 200, "{receipt}");
    let zip = a.archive(&alice, "/api/v1/export").await;

    // On another node, a new account, which bob follows, restores it.
    let newer = b.user("alice2").await;
    a.follow(&bob, &newer.acct).await;
    a.wait_accepted(&bob).await;
    let (status, started) = upload(&b, &newer, "archive", "archive.zip", zip.clone()).await;
    assert_eq!(status, 202, "{started}");
    let path = format!("/api/v1/imports/{}", started["id"]);
    let done = eventually(60, "the archive restored", || async {
        let (_, state) = b.get_json(&path, Some(&newer.token)).await;
        (state["status"] == "done").then_some(state)
    })
    .await;
    assert_eq!(done["failed"], 0, "{done}");
    // Its posts, dated as they were, marked as restored, and sent nowhere.
    let posts: Vec<Value> = b
        .timeline(&newer)
        .await
        .into_iter()
        .filter(|p| p["imported_from"].is_string())
        .collect();
    assert_eq!(posts.len(), 3, "{posts:?}");
    assert!(
        posts
            .iter()
            .any(|p| p["content"].as_str().unwrap().contains("Deuxième message"))
    );
    assert!(posts.iter().all(|p| {
        p["imported_from"]
            .as_str()
            .unwrap()
            .starts_with(&a.url("/posts/"))
    }));
    // Bob's node gets what the account posts now, and never got the restored posts: it holds
    // only its own copy.
    let fresh = b.post(&newer, "Nouveau message").await;
    let fresh_uri = fresh["uri"].as_str().unwrap().to_string();
    eventually(30, "bob's node has the new post", || async {
        let db = a.db();
        let mut conn = db.get().unwrap();
        agora_db::posts::by_ap_id(&mut conn, &fresh_uri).unwrap()
    })
    .await;
    let needle = "Deuxième message".to_string();
    let copies = a
        .db()
        .run(move |conn| agora_db::data_map::holding(conn, &needle))
        .await
        .unwrap();
    assert_eq!(
        copies.iter().find(|f| f.table == "posts").map(|f| f.rows),
        Some(1),
        "{copies:?}"
    );
    // Its follows asked, its blocks and mutes applied.
    eventually(30, "bob followed from the new node", || async {
        let (_, list) = b.get_json("/api/v1/follows", Some(&newer.token)).await;
        list.to_string().contains(&bob.uri).then_some(())
    })
    .await;
    let (_, blocks) = b.get_json("/api/v1/blocks", Some(&newer.token)).await;
    assert_eq!(
        blocks[0]["account"]["acct"],
        format!("@carol@{host}"),
        "{blocks}"
    );
    let (_, mutes) = b.get_json("/api/v1/mutes", Some(&newer.token)).await;
    assert_eq!(mutes[0]["hide_notifications"], true, "{mutes}");
    // Its civic records, the signature with the receipt that still proves it on its node.
    let (_, records) = b
        .get_json("/api/v1/imports/records", Some(&newer.token))
        .await;
    let kinds: Vec<&str> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"initiative") && kinds.contains(&"signature"),
        "{records}"
    );
    let signature = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "signature")
        .unwrap();
    assert_eq!(
        signature["data"]["commitment"], receipt["receipt"]["commitment"],
        "{signature} vs {receipt}"
    );

    // Restored again: nothing twice.
    let (status, again) = upload(&b, &newer, "archive", "archive.zip", zip).await;
    assert_eq!(status, 202);
    let path = format!("/api/v1/imports/{}", again["id"]);
    eventually(60, "restored again", || async {
        let (_, state) = b.get_json(&path, Some(&newer.token)).await;
        (state["status"] == "done").then_some(())
    })
    .await;
    let restored = b
        .timeline(&newer)
        .await
        .into_iter()
        .filter(|p| p["imported_from"].is_string())
        .count();
    assert_eq!(restored, 3);
    let (_, again_records) = b
        .get_json("/api/v1/imports/records", Some(&newer.token))
        .await;
    assert_eq!(
        again_records.as_array().unwrap().len(),
        records.as_array().unwrap().len()
    );

    // Not an archive; an archive with nothing to restore.
    assert_eq!(
        upload(&b, &newer, "archive", "x.zip", b"PK not really".to_vec())
            .await
            .0,
        400
    );
    let mut empty = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    empty
        .start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut empty, b"hello").unwrap();
    let empty = empty.finish().unwrap().into_inner();
    assert_eq!(upload(&b, &newer, "archive", "x.zip", empty).await.0, 400);
}
