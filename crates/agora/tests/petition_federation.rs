//! Petitions across servers: votes in Mastodon's exact shape counted once whatever the order,
//! the signature policy, followers seeing the count move in few updates, and a user signing
//! another node's petition from home.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, User, in_days, peer::Peer, signing};
use reqwest::Method;
use serde_json::{Value, json};

async fn petition(node: &Node, user: &User, policy: Value) -> Value {
    let body = json!({
        "title": "Free water fountains in parks",
        "text": "Summers are hot.",
        "target": "Conseil municipal",
        "deadline": in_days(20),
    });
    node.start_petition(user, body, policy).await
}

async fn verified(node: &Node, id: &Value) -> i64 {
    let (_, view) = node
        .get_json(&format!("/api/v1/petitions/{id}"), None)
        .await;
    view["signatures"]["verified"].as_i64().unwrap()
}

/// A remote voter as Mastodon is one: a `Person` whose votes are notes with fragment ids.
/// A simulated server following `target` on `a`, with the key of a fresh user of `keys_from`.
async fn watcher(a: &Node, keys_from: &Node, target: &str) -> Peer {
    let (private, public) = keys_from.keys_of_new_user("watcher").await;
    let peer = Peer::start("watcher", &public).await;
    a.remote_follow(&peer, &private, target, 1).await;
    peer
}

struct Voter {
    peer: Peer,
    key: String,
}

impl Voter {
    async fn start(keys_from: &Node, name: &str) -> Voter {
        let (private, public) = keys_from.keys_of_new_user(name).await;
        Voter {
            peer: Peer::start("voter", &public).await,
            key: private,
        }
    }

    /// Mastodon's vote (`ActivityPub::VoteSerializer`): `Create` of a `Note` with the option's
    /// name, `inReplyTo` the poll, to the poll's author, no content.
    fn vote(&self, n: u32, petition: &str, author: &str, option: &str) -> Value {
        common::mastodon::vote(&self.peer.actor, n, petition, author, option)
    }

    fn undo(&self, n: u32, petition: &str, author: &str) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}#votes/{n}/undo", self.peer.actor),
            "type": "Undo",
            "actor": self.peer.actor,
            "to": author,
            "object": self.vote(n, petition, author, "Sign"),
        })
    }

    async fn send(&self, node: &Node, inbox: &str, activity: &Value) -> u16 {
        signing::post_signed(
            &node.http,
            inbox,
            activity.to_string().as_bytes(),
            &signing::Signed::new(&self.peer.key_id, &self.key),
        )
        .await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn mastodon_shaped_votes_count_once_whatever_their_order() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.confirmed_user("alice").await;
    let p = petition(&a, &alice, json!({"signature_policy": "fediverse"})).await;
    let uri = p["uri"].as_str().unwrap();
    let inbox = format!("{}/inbox", alice.uri);
    let voter = Voter::start(&b, "v1").await;

    let vote = voter.vote(1, uri, &alice.uri, "Sign");
    assert_eq!(voter.send(&a, &inbox, &vote).await, 202);
    // Mastodon retries; a replay of the same activity counts once.
    assert_eq!(voter.send(&a, &inbox, &vote).await, 202);
    // Another vote of the same actor (a new id) is the same signature.
    let again = voter.vote(2, uri, &alice.uri, "Sign");
    assert_eq!(voter.send(&a, &inbox, &again).await, 202);
    assert_eq!(verified(&a, &p["id"]).await, 1);
    let (_, view) = a
        .get_json(&format!("/api/v1/petitions/{}", p["id"]), None)
        .await;
    assert_eq!(
        view["signatures"]["by_origin"],
        json!([{ "origin": voter.peer.domain, "verified": 1, "unverified": 0 }])
    );

    // Its Undo withdraws, once.
    let undo = voter.undo(1, uri, &alice.uri);
    assert_eq!(voter.send(&a, &inbox, &undo).await, 202);
    assert_eq!(voter.send(&a, &inbox, &undo).await, 202);
    assert_eq!(verified(&a, &p["id"]).await, 0);

    // Out of order: the Undo of vote 7 arrives before vote 7, which then stays withdrawn.
    let early_undo = voter.undo(7, uri, &alice.uri);
    assert_eq!(voter.send(&a, &inbox, &early_undo).await, 202);
    let late = voter.vote(7, uri, &alice.uri, "Sign");
    assert_eq!(voter.send(&a, &inbox, &late).await, 202);
    assert_eq!(verified(&a, &p["id"]).await, 0);

    // A fresh vote signs again; Delete of its note withdraws it.
    let fresh = voter.vote(8, uri, &alice.uri, "Signer");
    assert_eq!(voter.send(&a, &inbox, &fresh).await, 202);
    assert_eq!(verified(&a, &p["id"]).await, 1);
    let delete = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#delete-8", voter.peer.actor),
        "type": "Delete",
        "actor": voter.peer.actor,
        "object": format!("{}#votes/8", voter.peer.actor),
    });
    assert_eq!(voter.send(&a, &inbox, &delete).await, 202);
    assert_eq!(verified(&a, &p["id"]).await, 0);

    // The log proves what the page says: four signs and withdrawals, none standing.
    let (_, view) = a
        .get_json(&format!("/api/v1/petitions/{}", p["id"]), None)
        .await;
    assert_eq!(view["log_size"], 4, "{view}");
}

#[tokio::test(flavor = "multi_thread")]
async fn votes_the_policy_or_the_option_refuse_are_not_counted() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.confirmed_user("alice").await;
    let voter = Voter::start(&b, "v1").await;
    let inbox = format!("{}/inbox", alice.uri);
    let local_only = petition(&a, &alice, json!({})).await;
    let trusted_elsewhere = petition(
        &a,
        &alice,
        json!({"signature_policy": "trusted_instances", "trusted_instances": ["trusted.example"]}),
    )
    .await;
    let trusted_here = petition(
        &a,
        &alice,
        json!({"signature_policy": "trusted_instances", "trusted_instances": [voter.peer.domain]}),
    )
    .await;
    let open = petition(&a, &alice, json!({"signature_policy": "fediverse"})).await;
    for (n, p) in [(1, &local_only), (2, &trusted_elsewhere)] {
        let vote = voter.vote(n, p["uri"].as_str().unwrap(), &alice.uri, "Sign");
        assert_eq!(
            voter.send(&a, &inbox, &vote).await,
            403,
            "{}",
            p["signature_policy"]
        );
        assert_eq!(verified(&a, &p["id"]).await, 0);
    }
    let vote = voter.vote(3, trusted_here["uri"].as_str().unwrap(), &alice.uri, "Sign");
    assert_eq!(voter.send(&a, &inbox, &vote).await, 202);
    assert_eq!(verified(&a, &trusted_here["id"]).await, 1);
    // Another option's text is not a signature.
    let wrong = voter.vote(4, open["uri"].as_str().unwrap(), &alice.uri, "Maybe");
    assert_eq!(voter.send(&a, &inbox, &wrong).await, 400);
    // A vote attributed to someone else than its sender.
    let mut forged = voter.vote(5, open["uri"].as_str().unwrap(), &alice.uri, "Sign");
    forged["object"]["attributedTo"] = json!(a.url("/users/alice"));
    assert_eq!(voter.send(&a, &inbox, &forged).await, 403);
    // An unknown petition.
    let nowhere = voter.vote(6, &a.url("/petitions/999"), &alice.uri, "Sign");
    assert_eq!(voter.send(&a, &inbox, &nowhere).await, 404);
    assert_eq!(verified(&a, &open["id"]).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn followers_elsewhere_get_the_petition_and_a_few_updates_of_its_count() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.confirmed_user("alice").await;
    let watcher = watcher(&a, &b, &alice.uri).await;

    let p = petition(&a, &alice, json!({"signature_policy": "fediverse"})).await;
    let uri = p["uri"].as_str().unwrap().to_string();
    let create = common::eventually(30, "Create{Question}", || async {
        watcher
            .received()
            .into_iter()
            .find(|x| x["type"] == "Create" && x["object"]["type"] == "Question")
    })
    .await;
    assert_eq!(create["object"]["id"], uri);
    assert_eq!(create["object"]["votersCount"], 0);

    // A burst of twelve signatures.
    let inbox = format!("{}/inbox", alice.uri);
    let mut voters = Vec::new();
    for i in 0..12 {
        voters.push(Voter::start(&b, &format!("v{i}")).await);
    }
    for v in &voters {
        assert_eq!(
            v.send(&a, &inbox, &v.vote(1, &uri, &alice.uri, "Sign"))
                .await,
            202
        );
    }
    let last = common::eventually(30, "an Update with the whole count", || async {
        watcher
            .received()
            .into_iter()
            .filter(|x| x["type"] == "Update" && x["object"]["id"] == uri.as_str())
            .find(|x| x["object"]["votersCount"] == 12)
    })
    .await;
    assert!(last["object"].get("updated").is_none(), "{last}");
    let updates = watcher
        .received()
        .into_iter()
        .filter(|x| x["type"] == "Update" && x["object"]["id"] == uri.as_str())
        .count();
    assert!(updates < 12 / 2, "{updates} updates for 12 signatures");
    // What left the node names no signer and no address, and neither does its log: the
    // privacy capture.
    let everything = serde_json::to_string(&watcher.received()).unwrap();
    let log = a.log();
    for v in &voters {
        assert!(!everything.contains(&v.peer.actor), "{everything}");
        assert!(!log.contains(&v.peer.actor), "a signer in the log:\n{log}");
    }
    assert!(!everything.contains("example.org"), "{everything}");
    assert!(
        !log.contains("example.org"),
        "an address in the log:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn users_of_two_other_nodes_sign_from_home_and_one_withdraws() {
    let (a, b, c) = (
        Node::start().await,
        Node::start().await,
        Node::start().await,
    );
    let alice = a.confirmed_user("alice").await;
    let bob = b.confirmed_user("bob").await;
    let carol = c.confirmed_user("carol").await;
    let p = petition(&a, &alice, json!({"signature_policy": "fediverse"})).await;
    let encoded = common::encoded(p["uri"].as_str().unwrap());

    // Bob's node fetches the petition by its URI and shows what its server says.
    let (status, seen) = b
        .get_json(&format!("/api/v1/petitions/{encoded}"), Some(&bob.token))
        .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["local"], false);
    assert_eq!(seen["uri"], p["uri"]);
    assert_eq!(seen["title"], "Free water fountains in parks");

    // Bob signs from B, Carol from C, each by the petition's URI.
    let path = format!("/api/v1/petitions/{encoded}/signatures");
    for (node, user) in [(&b, &bob), (&c, &carol)] {
        let (status, signed) = node.send_json(Method::POST, &path, &user.token, None).await;
        assert_eq!(status, 200, "{signed}");
    }
    common::eventually(30, "both votes counted on A", || async {
        (verified(&a, &p["id"]).await == 2).then_some(())
    })
    .await;
    let (_, view) = a
        .get_json(&format!("/api/v1/petitions/{}", p["id"]), None)
        .await;
    let mut origins: Vec<_> = view["signatures"]["by_origin"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["origin"].as_str().unwrap().to_string())
        .collect();
    origins.sort();
    let mut expected = vec![b.domain.clone(), c.domain.clone()];
    expected.sort();
    assert_eq!(origins, expected);

    let (status, _) = b.send_json(Method::DELETE, &path, &bob.token, None).await;
    assert_eq!(status, 204);
    common::eventually(30, "bob's withdrawal on A", || async {
        (verified(&a, &p["id"]).await == 1).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_petition_closes_at_its_deadline_across_a_restart_and_says_so() {
    let mut a = Node::start_with(&[("AGORA_LIMITS__PETITION_MIN_DURATION_SECS", "2")]).await;
    let b = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    let watcher = watcher(&a, &b, &alice.uri).await;
    let deadline = (chrono::Utc::now() + chrono::Duration::seconds(4)).to_rfc3339();
    let p = petition(
        &a,
        &alice,
        json!({"deadline": deadline, "signature_policy": "fediverse"}),
    )
    .await;
    let id = p["id"].clone();
    let path = format!("/api/v1/petitions/{id}/signatures");
    let (status, _) = a.send_json(Method::POST, &path, &bob.token, None).await;
    assert_eq!(status, 200);
    // The node is killed before the deadline and comes back after it: the closing job is in
    // the database, and runs.
    a.kill9();
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    a.launch().await;
    let view = common::eventually(30, "closed", || async {
        let (_, view) = a.get_json(&format!("/api/v1/petitions/{id}"), None).await;
        (view["status"] == "closed").then_some(view)
    })
    .await;
    assert_eq!(view["signatures"]["verified"], 1);
    let last = common::eventually(30, "the final Update", || async {
        watcher
            .received()
            .into_iter()
            .find(|x| x["type"] == "Update" && x["object"]["closed"].is_string())
    })
    .await;
    assert_eq!(last["object"]["votersCount"], 1);
    assert_eq!(last["object"]["status"], "closed");
    // Bob did not choose to be shown: nothing sent, and no log line, names him or his address.
    let everything = serde_json::to_string(&watcher.received()).unwrap();
    assert!(!everything.contains(&bob.uri), "{everything}");
    assert!(!everything.contains("bob@example.org"), "{everything}");
    let log = a.log();
    assert!(
        !log.contains(&bob.uri) && !log.contains("bob@example.org"),
        "{log}"
    );
    // Frozen: no signature, no withdrawal.
    let carol = a.confirmed_user("carol").await;
    let (status, _) = a.send_json(Method::POST, &path, &carol.token, None).await;
    assert_eq!(status, 409);
    let (status, _) = a.send_json(Method::DELETE, &path, &bob.token, None).await;
    assert_eq!(status, 409);
}

#[tokio::test(flavor = "multi_thread")]
async fn organizers_publish_a_draft_and_close_early_and_nobody_else_can() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    let p = petition(&a, &alice, json!({"draft": true})).await;
    let id = &p["id"];
    let publish = format!("/api/v1/petitions/{id}/publish");
    let close = format!("/api/v1/petitions/{id}/close");
    assert_eq!(
        a.send_json(Method::POST, &publish, &bob.token, None)
            .await
            .0,
        404
    );
    let (status, view) = a
        .send_json(Method::POST, &publish, &alice.token, None)
        .await;
    assert_eq!(
        (status, view["status"].as_str()),
        (200, Some("open")),
        "{view}"
    );
    assert_eq!(
        a.send_json(Method::POST, &publish, &alice.token, None)
            .await
            .0,
        409
    );
    assert_eq!(
        a.send_json(Method::POST, &close, &bob.token, None).await.0,
        403
    );
    let (status, view) = a.send_json(Method::POST, &close, &alice.token, None).await;
    assert_eq!(
        (status, view["status"].as_str()),
        (200, Some("closed")),
        "{view}"
    );
    // Its Question says so both ways: `closed`, and an `endTime` that is then, not the deadline.
    let ap = "application/activity+json";
    let question = common::json_as(&a.http, p["uri"].as_str().unwrap(), ap).await;
    assert!(question["closed"].is_string(), "{question}");
    assert_eq!(question["endTime"], question["closed"], "{question}");
    let ended =
        chrono::DateTime::parse_from_rfc3339(question["endTime"].as_str().unwrap()).unwrap();
    assert!(ended <= chrono::Utc::now(), "{question}");
    assert_eq!(
        a.send_json(Method::POST, &close, &alice.token, None)
            .await
            .0,
        409
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn another_node_witnesses_the_log_cosigns_it_and_catches_a_second_history() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.confirmed_user("alice").await;
    let bob = b.confirmed_user("bob").await;
    let p = petition(&a, &alice, json!({})).await;
    let id = p["id"].clone();
    let encoded = common::encoded(p["uri"].as_str().unwrap());
    let sign = |name: &'static str| {
        let a = &a;
        let id = id.clone();
        async move {
            let user = a.confirmed_user(name).await;
            let path = format!("/api/v1/petitions/{id}/signatures");
            assert_eq!(
                a.send_json(Method::POST, &path, &user.token, None).await.0,
                200
            );
        }
    };
    let witnessed_at = |size: i64| {
        let (a, id) = (&a, id.clone());
        async move {
            common::eventually(30, &format!("B's cosignature at size {size}"), || async {
                let (_, view) = a.get_json(&format!("/api/v1/petitions/{id}"), None).await;
                (view["witnesses"][0]["size"] == size).then_some(view)
            })
            .await
        }
    };
    sign("s1").await;
    // Bob's node hears of the petition (he looks at it): it checks the log and cosigns.
    let seen = b
        .get_json(&format!("/api/v1/petitions/{encoded}"), Some(&bob.token))
        .await;
    assert_eq!(seen.0, 200, "{}", seen.1);
    let view = witnessed_at(1).await;
    assert_eq!(view["witnesses"][0]["witness"], b.domain);
    // More signatures; the next check extends the first.
    sign("s2").await;
    b.get_json(&format!("/api/v1/petitions/{encoded}"), Some(&bob.token))
        .await;
    witnessed_at(2).await;
    let (_, on_b) = b
        .get_json(&format!("/api/v1/petitions/{encoded}"), Some(&bob.token))
        .await;
    assert_eq!(on_b["witnessed"]["fork"], false, "{on_b}");

    // A rewrites its history: the log starts again with another signature.
    let pid = id.as_i64().unwrap();
    a.tamper(&format!(
        "DELETE FROM petition_log_leaves WHERE petition_id = {pid}"
    ));
    a.tamper(&format!(
        "DELETE FROM petition_log_hashes WHERE petition_id = {pid}"
    ));
    a.tamper(&format!(
        "DELETE FROM petition_signatures WHERE petition_id = {pid}"
    ));
    sign("s3").await;
    b.get_json(&format!("/api/v1/petitions/{encoded}"), Some(&bob.token))
        .await;
    let forks = common::eventually(30, "the fork on B's witnessing page", || async {
        let r = b
            .http
            .get(b.url("/about/witnessing"))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        (!body["forks"].as_array().unwrap().is_empty()).then_some(body)
    })
    .await;
    assert_eq!(forks["forks"][0]["petition"], p["uri"]);
    assert!(
        forks["forks"][0]["seen"]
            .as_str()
            .unwrap()
            .contains("\n2\n"),
        "{forks}"
    );
    // What B saw next (the emptied log, or the new one) is smaller: a second history.
    let contradiction = forks["forks"][0]["contradiction"].as_str().unwrap();
    assert!(
        !contradiction.contains("\n2\n") && contradiction.contains("\n\n\u{2014} "),
        "{forks}"
    );
    let (_, on_b) = b
        .get_json(&format!("/api/v1/petitions/{encoded}"), Some(&bob.token))
        .await;
    assert_eq!(on_b["witnessed"]["fork"], true, "{on_b}");
    let html = common::html(&b.http, b.url("/about/witnessing")).await;
    assert!(html.contains("Free water fountains in parks"), "{html}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_log_takes_only_real_cosignatures_of_its_own_checkpoints() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.confirmed_user("alice").await;
    let p = petition(&a, &alice, json!({})).await;
    let log = p["transparency_log"].as_str().unwrap().to_string();
    let post = |body: Value| {
        let (a, log) = (&a, log.clone());
        async move {
            a.http
                .post(format!("{log}/cosignatures"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(post(json!({})).await, 400);
    assert_eq!(
        post(json!({"checkpoint": "x", "cosignature": "y"})).await,
        400
    );
    // A checkpoint of ours with a cosignature line naming B, not signed by B's key.
    let note = common::html(&a.http, format!("{log}/checkpoint")).await;
    let forged = agora_tlog::LogKey::generate(&b.domain).unwrap();
    let body = note.split("\n\n").next().unwrap().to_string() + "\n";
    let line = forged.cosign(&body, 1_790_000_000).unwrap();
    assert_eq!(
        post(json!({"checkpoint": note, "cosignature": line})).await,
        401
    );
    let (_, view) = a
        .get_json(&format!("/api/v1/petitions/{}", p["id"]), None)
        .await;
    assert_eq!(view["witnesses"], json!([]));
}
