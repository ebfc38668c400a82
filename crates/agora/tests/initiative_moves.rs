//! An initiative's content moving with it across nodes, through its archive: its group moves as
//! an account does (`Move`), then its archive (updates, members, petitions with their whole
//! logs) is imported into the new initiative. Each petition's log there begins with the leaves
//! its old node signed, checked against the checkpoint that node serves, and goes on; `agora
//! petition verify` holds on the new node; the old addresses redirect; the old node takes no
//! more signatures. Forged, tampered and misdirected archives are refused.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, User, encoded, eventually, in_days, petition_view, sign};
use reqwest::Method;
use serde_json::{Value, json};
use std::io::{Read, Write};

async fn upload(node: &Node, user: &User, fields: &[(&str, &str)], data: Vec<u8>) -> (u16, Value) {
    let file = ("initiative.zip", "application/zip");
    common::upload_import(node, user, fields, file, data).await
}

/// Imports an initiative's archive into `handle` and waits for the end; gives its final state.
async fn imported(node: &Node, user: &User, handle: &str, data: Vec<u8>) -> Value {
    let fields = [("type", "initiative"), ("initiative", handle)];
    let (status, started) = upload(node, user, &fields, data).await;
    assert_eq!(status, 202, "{started}");
    let path = format!("/api/v1/imports/{}", started["id"]);
    eventually(60, "the import ends", || async {
        let (_, state) = node.get_json(&path, Some(&user.token)).await;
        (state["status"] == "done").then_some(state)
    })
    .await
}

/// Why the failed line of an import's `item` failed.
fn failure_of(import: &Value, item: &str) -> String {
    import["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["value"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{item} "))
        })
        .map(|f| f["error"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no failed {item} line in {import}"))
}

/// The archive with one entry's JSON changed by `edit`.
fn rewritten(archive: &[u8], name: &str, edit: impl Fn(&mut Value)) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let entry = file.name().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if entry == name {
            let mut json: Value = serde_json::from_slice(&bytes).unwrap();
            edit(&mut json);
            bytes = serde_json::to_vec(&json).unwrap();
        }
        out.start_file(entry, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Where an old address sends its reader (its `Location`, not followed).
async fn redirect_of(url: &str, accept: &str) -> (u16, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .get(url)
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status().as_u16(), location)
}

/// Follows one redirect by hand: the `Location` the new node's `/moved` gives.
async fn resolved(url: &str) -> String {
    let (status, location) = redirect_of(url, "text/html").await;
    assert_eq!(status, 301, "{url}");
    location
}

#[tokio::test(flavor = "multi_thread")]
async fn an_initiative_moves_with_its_updates_members_and_petition_logs() {
    let a = Node::start().await;
    let b = Node::start().await;
    let c = Node::start().await;
    let erin = a.confirmed_user("erin").await;
    let gaby = a.confirmed_user("gaby").await;
    let bob = a.confirmed_user("bob").await;
    let dan = a.confirmed_user("dan").await;
    let carol = c.confirmed_user("carol").await;
    let fred = b.confirmed_user("fred").await;
    let gaby2 = b.confirmed_user("gaby2").await;
    let hana = b.confirmed_user("hana").await;

    // On the old node: an initiative with two organizers, an update and a petition signed
    // here and from another node, one signature withdrawn (its log: sign, sign, withdraw, sign).
    a.initiative(&erin, "jardins", "Jardins partagés").await;
    let (status, body) = a
        .post_json(
            "/api/v1/initiatives/jardins/organizers",
            Some(&erin.token),
            &json!({"account": "gaby", "role": "organizer"}),
        )
        .await;
    assert!(status < 300, "{body}");
    let (status, update) = a
        .post_json(
            "/api/v1/initiatives/jardins/updates",
            Some(&erin.token),
            &json!({"content": "Assemblée jeudi au jardin."}),
        )
        .await;
    assert_eq!(status, 201, "{update}");
    let p = a
        .start_petition(
            &erin,
            json!({"title": "Un jardin rue Garibaldi", "text": "Pour le quartier.",
                   "target": "Mairie", "deadline": in_days(30)}),
            json!({"initiative": "jardins", "signature_policy": "fediverse"}),
        )
        .await;
    let id = p["id"].to_string();
    let old_uri = p["uri"].as_str().unwrap().to_string();
    assert_eq!(sign(&a, &bob, &id).await.0, 200);
    assert_eq!(sign(&a, &dan, &id).await.0, 200);
    let (status, _) = a
        .send_json(
            Method::DELETE,
            &format!("/api/v1/petitions/{id}/signatures"),
            &dan.token,
            None,
        )
        .await;
    assert!(status < 300);
    let (status, body) = sign(&c, &carol, &encoded(&old_uri)).await;
    assert_eq!(status, 200, "{body}");
    eventually(30, "carol's signature counted", || async {
        (petition_view(&a, &id).await["signatures"]["verified"] == 2).then_some(())
    })
    .await;

    // The new initiative names the old group; Gaby's account moves too; then the group moves,
    // and the old node takes no more signatures.
    b.initiative(&fred, "jardins2", "Jardins partagés").await;
    let old_group = a.url("/initiatives/jardins");
    let (status, body) = b
        .send_json(
            Method::PATCH,
            "/api/v1/initiatives/jardins2",
            &fred.token,
            Some(&json!({"also_known_as": [old_group]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = b
        .send_json(
            Method::PATCH,
            "/api/v1/accounts/me",
            &gaby2.token,
            Some(&json!({"also_known_as": [gaby.acct]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = a
        .post_json(
            "/api/v1/accounts/me/move",
            Some(&gaby.token),
            &json!({"target": gaby2.acct}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Before the group moves, its archive cannot go into the new initiative.
    let early = a.archive(&erin, "/api/v1/initiatives/jardins/export").await;
    let fields = [("type", "initiative"), ("initiative", "jardins2")];
    let (status, body) = upload(&b, &fred, &fields, early).await;
    assert_eq!(status, 400, "not moved yet: {body}");

    let (status, body) = a
        .post_json(
            "/api/v1/initiatives/jardins/move",
            Some(&erin.token),
            &json!({"target": format!("@jardins2@{}", b.domain)}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let frozen = petition_view(&a, &id).await;
    assert_eq!(frozen["status"], "moved", "{frozen}");
    let (status, body) = sign(&a, &dan, &id).await;
    assert_eq!(status, 409, "no signature after the move: {body}");

    // The archive, asked for again after the move (one a day: a new day is played by the
    // database), carries the log as the old node now serves it.
    a.tamper("UPDATE exports SET created_at = '2000-01-01 00:00:00'");
    let archive = a.archive(&erin, "/api/v1/initiatives/jardins/export").await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive.clone())).unwrap();
    let mut names: Vec<String> = zip.file_names().map(str::to_string).collect();
    names.sort();
    for wanted in [
        "actor.json",
        "outbox.json",
        "initiative/initiative.json",
        "initiative/members.json",
        "initiative/petitions/1.json",
    ] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
    }
    let mut text = String::new();
    zip.by_name("initiative/petitions/1.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let record: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(record["leaves"].as_array().unwrap().len(), 4, "{record}");
    assert_eq!(record["status"], "moved");

    // Refused: by someone who does not organize the new initiative, into an initiative it
    // did not move to, without naming one, and an archive that is not an initiative's.
    let (status, body) = upload(&b, &hana, &fields, archive.clone()).await;
    assert_eq!(status, 403, "{body}");
    b.initiative(&hana, "autre", "Autre").await;
    let elsewhere = [("type", "initiative"), ("initiative", "autre")];
    let (status, body) = upload(&b, &hana, &elsewhere, archive.clone()).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = upload(&b, &fred, &[("type", "initiative")], archive.clone()).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = upload(&b, &fred, &fields, b"not a zip".to_vec()).await;
    assert_eq!(status, 400, "{body}");
    // A petition claimed to be on another server is refused before anything is stored.
    let foreign = rewritten(&archive, "initiative/petitions/1.json", |r| {
        r["log"] = json!("https://elsewhere.example/petitions/1/log");
    });
    let (status, body) = upload(&b, &fred, &fields, foreign).await;
    assert_eq!(status, 400, "{body}");

    // A tampered log (a withdrawal erased) is taken as an import, but its petition is not:
    // the leaves are not those the old node signed.
    let tampered = rewritten(&archive, "initiative/petitions/1.json", |r| {
        let leaves = r["leaves"].as_array_mut().unwrap();
        leaves.remove(2);
    });
    let done = imported(&b, &fred, "jardins2", tampered).await;
    assert_eq!(done["failed"], 2, "{done}");
    let why = failure_of(&done, "petition");
    assert!(why.contains("leaves"), "{why}");
    let (status, _) = b
        .get_json(&format!("/moved?from={}", encoded(&old_uri)), None)
        .await;
    assert_ne!(status, 200);

    // The real archive: everything arrives.
    // Erin's account stayed on the old node: she is the one line that fails, and says why.
    let done = imported(&b, &fred, "jardins2", archive.clone()).await;
    assert_eq!(done["failed"], 1, "{done}");
    let why = failure_of(&done, "member");
    assert!(why.contains("not moved to this node"), "{why}");
    let new_uri = resolved(&b.url(&format!("/moved?from={}", encoded(&old_uri)))).await;
    assert!(new_uri.starts_with(&b.url("/petitions/")), "{new_uri}");
    let moved = petition_view(&b, &encoded(&new_uri)).await;
    assert_eq!(moved["title"], "Un jardin rue Garibaldi");
    assert_eq!(moved["status"], "open");
    assert_eq!(moved["signatures"]["verified"], 2, "{moved}");
    let (_, log) = b
        .http
        .get(format!("{new_uri}/log"))
        .send()
        .await
        .map(|r| (r.status(), r))
        .unwrap();
    let log: Value = log.json().await.unwrap();
    assert_eq!(log["size"], 4, "{log}");
    assert_eq!(log["previous"]["petition"], old_uri.as_str());
    assert_eq!(log["previous"]["size"], 4);
    let old_checkpoint = a
        .http
        .get(format!("{old_uri}/log/checkpoint"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(log["previous"]["checkpoint"], old_checkpoint.as_str());
    // The archive carried the same checkpoint: the old log is frozen since the move.
    assert_eq!(record["checkpoint"], old_checkpoint.as_str());
    let report = b.verify_log(&new_uri);
    assert!(report.contains("2 signatures proved"), "{report}");
    // It goes on here: a new signature extends the log, which still verifies.
    let (status, body) = sign(&b, &hana, &encoded(&new_uri)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        petition_view(&b, &encoded(&new_uri)).await["signatures"]["verified"],
        3
    );
    let report = b.verify_log(&new_uri);
    assert!(report.contains("3 signatures proved"), "{report}");

    // The update came as history; Gaby, whose account moved here, organizes again.
    let (_, updates) = b
        .get_json("/api/v1/initiatives/jardins2/updates", None)
        .await;
    let texts = updates.to_string();
    assert!(texts.contains("Assemblée jeudi au jardin."), "{updates}");
    let (_, group) = b.get_json("/api/v1/initiatives/jardins2", None).await;
    let organizers: Vec<&str> = group["organizers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["username"].as_str().unwrap_or_default())
        .collect();
    assert!(organizers.contains(&"gaby2"), "{group}");

    // The old addresses send readers and servers to the new ones.
    let (status, location) = redirect_of(&old_uri, "text/html").await;
    assert_eq!(status, 301);
    assert_eq!(resolved(&location).await, new_uri);
    let (status, location) = redirect_of(&old_uri, "application/activity+json").await;
    assert_eq!(status, 301);
    assert_eq!(resolved(&location).await, new_uri);
    let old_update = update["uri"].as_str().unwrap();
    let (status, location) = redirect_of(old_update, "text/html").await;
    assert_eq!(status, 301);
    assert!(
        resolved(&location).await.starts_with(&b.url("/posts/")),
        "{location}"
    );
    // The old log stays where it was, for the receipts that name it.
    assert_eq!(
        a.http
            .get(format!("{old_uri}/log"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Importing again brings nothing twice.
    let again = imported(&b, &fred, "jardins2", archive).await;
    assert_eq!(again["failed"], 1, "only Erin's line again: {again}");
    let (_, updates) = b
        .get_json("/api/v1/initiatives/jardins2/updates", None)
        .await;
    assert_eq!(updates.as_array().unwrap().len(), 1, "{updates}");
    assert_eq!(
        petition_view(&b, &encoded(&new_uri)).await["signatures"]["verified"],
        3
    );
}

/// Wrong, hostile and oversized input to the pages and the look-up: nothing changes and each
/// gets a clear refusal.
#[tokio::test(flavor = "multi_thread")]
async fn the_move_and_blocks_pages_and_the_look_up_refuse_bad_input() {
    let a = Node::start().await;
    let erin = a.confirmed_user("erin").await;
    let bob = a.confirmed_user("bob").await;
    a.initiative(&erin, "jardins", "Jardins partagés").await;

    // The look-up of a moved object: not a URL, oversized, unknown.
    let bad = a
        .http
        .get(a.url("/moved?from=nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let long = format!("https://x.example/{}", "a".repeat(3000));
    let r = a
        .http
        .get(a.url(&format!("/moved?from={}", encoded(&long))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = a
        .http
        .get(a.url(&format!(
            "/moved?from={}",
            encoded("https://x.example/petitions/1")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        a.http.get(a.url("/moved")).send().await.unwrap().status(),
        400
    );

    // The move page is the organizers'; its forms want the page's token.
    let web = a.browser_login("bob").await;
    let r = web
        .get(a.url("/initiatives/jardins/move"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let page = common::html(&web, a.url("/settings/blocks")).await;
    let token = common::csrf(&page);
    let r = web
        .post(a.url("/initiatives/jardins/archive"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "not an organizer");
    let organizer = a.browser_login("erin").await;
    let page = common::html(&organizer, a.url("/initiatives/jardins/move")).await;
    assert!(page.contains("Move this initiative"), "{page}");
    let r = organizer
        .post(a.url("/initiatives/jardins/archive"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a forged token");
    let r = organizer
        .post(a.url("/initiatives/jardins/move"))
        .form(&[("csrf", common::csrf(&page).as_str()), ("target", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "no target");
    let (_, group) = a.get_json("/api/v1/initiatives/jardins", None).await;
    assert!(group.get("moved_to").is_none_or(Value::is_null), "{group}");

    // The blocks page: an unknown kind, no target, an oversized one, someone else's block.
    let post = |fields: Vec<(&'static str, String)>| {
        let web = web.clone();
        let url = a.url("/settings/blocks");
        async move { web.post(url).form(&fields).send().await.unwrap().status() }
    };
    let t = || token.clone();
    assert_eq!(
        post(vec![
            ("csrf", t()),
            ("kind", "ban".into()),
            ("target", "x.example".into())
        ])
        .await,
        400
    );
    assert_eq!(
        post(vec![
            ("csrf", t()),
            ("kind", "block".into()),
            ("target", " ".into())
        ])
        .await,
        400
    );
    let huge = "a".repeat(5000);
    assert_eq!(
        post(vec![
            ("csrf", t()),
            ("kind", "domain_block".into()),
            ("target", huge)
        ])
        .await,
        400
    );
    assert_eq!(
        post(vec![
            ("csrf", "forged".into()),
            ("kind", "domain_block".into()),
            ("target", "x.example".into())
        ])
        .await,
        403
    );
    let (_, listed) = a.get_json("/api/v1/domain_blocks", Some(&bob.token)).await;
    assert_eq!(listed, serde_json::json!([]), "nothing was added");
    let (status, mine) = a
        .post_json(
            "/api/v1/domain_blocks",
            Some(&erin.token),
            &json!({"domain": "spam.example"}),
        )
        .await;
    assert_eq!(status, 200, "{mine}");
    let theirs = mine[0]["id"].as_i64().unwrap();
    let r = web
        .post(a.url(&format!("/settings/blocks/domain_block/{theirs}/lift")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "someone else's block");
    let (_, still) = a.get_json("/api/v1/domain_blocks", Some(&erin.token)).await;
    assert_eq!(still.as_array().unwrap().len(), 1);
    // A block added and lifted through the page.
    assert_eq!(
        post(vec![
            ("csrf", t()),
            ("kind", "block".into()),
            ("target", erin.acct.clone())
        ])
        .await,
        303
    );
    let page = common::html(&web, a.url("/settings/blocks")).await;
    assert!(page.contains(&erin.acct), "{page}");
}
