//! What the inbox refuses when the node is read as an attacker would: each scenario names the
//! defect it closes. Refusals say why with a reason code, never with what another server
//! answered, and store nothing.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node,
    peer::Peer,
    signing::{Signed, cavage_headers, post_signed},
};
use serde_json::{Value, json};

/// A node, a simulated remote server whose actor `gargron` holds the key of the node's local
/// account `keyholder` (so the test can sign as it), and that key.
async fn node_and_peer() -> (Node, Peer, String) {
    let a = Node::start().await;
    a.user("alice").await;
    a.user("keyholder").await;
    let (private_pem, public_pem) = a.keys("keyholder");
    let peer = Peer::start("gargron", &public_pem).await;
    (a, peer, private_pem)
}

fn follow(peer: &Peer, actor: &str, n: u32, target: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.url(&format!("/activities/follow-{n}")),
        "type": "Follow",
        "actor": actor,
        "object": target,
    }))
    .unwrap()
}

/// POSTs a body with the given headers; answers the status and the JSON body.
async fn post_with(a: &Node, url: &str, body: &[u8], headers: Vec<(&str, String)>) -> (u16, Value) {
    let mut request = a.http.post(url).body(body.to_vec());
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn actor_row_exists(a: &Node, ap_id: &str) -> bool {
    let db = a.db();
    let mut conn = db.get().unwrap();
    agora_db::actors::by_ap_id(&mut conn, ap_id)
        .unwrap()
        .is_some()
}

/// Defect 3: the node was an open proxy, quoting in its answers what it fetched.
#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_gives_its_reason_and_never_what_the_other_server_said() {
    let (a, peer, key) = node_and_peer().await;
    let secret = "INTERNAL-ONLY-9f2c";
    let not_an_actor = peer.url("/users/secret");
    peer.publish(
        "/users/secret",
        json!({"id": not_an_actor, "type": "Note", "content": secret}),
    );
    let target = a.url("/users/alice");
    let inbox = a.url("/users/alice/inbox");
    let body = follow(&peer, &not_an_actor, 1, &target);
    let headers = cavage_headers(
        &inbox,
        &body,
        &Signed::new(&format!("{not_an_actor}#main-key"), &key),
    );
    let (status, answer) = post_with(&a, &inbox, &body, headers).await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(answer["reason"], "actor_unavailable", "{answer}");
    let text = answer.to_string();
    assert!(!text.contains(secret), "the fetched body leaked: {text}");
    assert!(
        !text.contains("log in"),
        "a server is not told to log in: {text}"
    );

    // The same through the lookups a user can trigger.
    let user = a.user("reader").await;
    let lookup = format!(
        "/api/v1/accounts/lookup?acct={}",
        not_an_actor.replace(':', "%3A").replace('/', "%2F")
    );
    let (status, answer) = a.get_json(&lookup, Some(&user.token)).await;
    assert!(status >= 400, "{answer}");
    assert!(!answer.to_string().contains(secret), "{answer}");
    let (status, answer) = a
        .post_json(
            "/api/v1/follows",
            Some(&user.token),
            &json!({"target": not_an_actor}),
        )
        .await;
    assert!(status >= 400, "{answer}");
    assert!(!answer.to_string().contains(secret), "{answer}");
    let page = common::html(
        &a.http,
        a.url(&format!(
            "/remote?acct={}",
            not_an_actor.replace(':', "%3A")
        )),
    )
    .await;
    assert!(!page.contains(secret), "{page}");
}

/// Defect 4: a document fetched for one actor may state another id (or redirect to one).
#[tokio::test(flavor = "multi_thread")]
async fn the_fetched_actor_must_be_the_one_the_activity_names() {
    let (a, peer, key) = node_and_peer().await;
    let mallory = peer.url("/users/mallory");
    // Served at mallory's address, the document says it is gargron.
    let mut doc: Value = reqwest::get(&peer.actor)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    doc["preferredUsername"] = json!("gargron");
    peer.publish("/users/mallory", doc);
    let inbox = a.url("/users/alice/inbox");
    let body = follow(&peer, &mallory, 2, &a.url("/users/alice"));
    let headers = cavage_headers(
        &inbox,
        &body,
        &Signed::new(&format!("{mallory}#main-key"), &key),
    );
    let (status, answer) = post_with(&a, &inbox, &body, headers).await;
    assert_eq!(
        (status, answer["reason"].as_str()),
        (401, Some("actor_id_mismatch")),
        "{answer}"
    );
    let follow_id = peer.url("/activities/follow-2");
    let db = a.db();
    let mut conn = db.get().unwrap();
    assert!(
        agora_db::follows::by_ap_id(&mut conn, &follow_id)
            .unwrap()
            .is_none(),
        "no follow was stored"
    );
}

/// Defect 7: each badly signed POST made the node refetch the actor it names.
#[tokio::test(flavor = "multi_thread")]
async fn badly_signed_posts_do_not_make_the_node_refetch_their_actor() {
    let (a, peer, _) = node_and_peer().await;
    let wrong_key = a.keys("alice").0;
    let inbox = a.url("/inbox");
    for n in 0..5 {
        let body = follow(&peer, &peer.actor, 10 + n, &a.url("/users/alice"));
        let status = post_signed(
            &a.http,
            &inbox,
            &body,
            &Signed::new(&peer.key_id, &wrong_key),
        )
        .await;
        assert_eq!(status, 401);
    }
    assert_eq!(
        peer.fetches("/users/gargron"),
        1,
        "fetched once to verify, then not again for every forged POST"
    );
}

/// Defect 11: an actor's outbox, collections and shared inbox must be on its own host.
#[tokio::test(flavor = "multi_thread")]
async fn an_actor_whose_endpoints_point_elsewhere_is_refused() {
    let (a, peer, key) = node_and_peer().await;
    let target = a.url("/users/alice");
    for (n, field) in ["outbox", "followers", "following", "sharedInbox"]
        .into_iter()
        .enumerate()
    {
        let name = format!("sneaky{n}");
        let id = peer.url(&format!("/users/{name}"));
        let mut doc: Value = reqwest::get(&peer.actor)
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        doc["id"] = json!(id);
        doc["inbox"] = json!(format!("{id}/inbox"));
        doc["publicKey"]["id"] = json!(format!("{id}#main-key"));
        doc["publicKey"]["owner"] = json!(id);
        if field == "sharedInbox" {
            doc["endpoints"] = json!({"sharedInbox": "http://127.0.0.2:9/inbox"});
        } else {
            doc[field] = json!("http://victim.example/collection");
        }
        peer.publish(&format!("/users/{name}"), doc);
        let inbox = a.url("/users/alice/inbox");
        let body = follow(&peer, &id, 20 + n as u32, &target);
        let headers = cavage_headers(&inbox, &body, &Signed::new(&format!("{id}#main-key"), &key));
        let (status, answer) = post_with(&a, &inbox, &body, headers).await;
        assert_eq!(
            (status, answer["reason"].as_str()),
            (400, Some("endpoint_host_mismatch")),
            "{field}: {answer}"
        );
        assert!(
            !actor_row_exists(&a, &id),
            "{field}: the actor was not stored"
        );
    }
}

/// Defect 9: a POST signed for another server, replayed to us within the date window.
#[tokio::test(flavor = "multi_thread")]
async fn a_request_signed_for_another_server_is_not_accepted_here() {
    let (a, peer, key) = node_and_peer().await;
    let b = Node::start().await;
    b.user("alice").await;
    let body = follow(&peer, &peer.actor, 30, &a.url("/users/alice"));
    // Signed for B's inbox (Host: B), then sent to A.
    let headers = cavage_headers(&b.url("/inbox"), &body, &Signed::new(&peer.key_id, &key));
    let (status, answer) = post_with(&a, &a.url("/inbox"), &body, headers).await;
    assert_eq!(
        (status, answer["reason"].as_str()),
        (401, Some("wrong_host")),
        "{answer}"
    );
    // The same request, signed for A, goes in.
    let headers = cavage_headers(&a.url("/inbox"), &body, &Signed::new(&peer.key_id, &key));
    let (status, answer) = post_with(&a, &a.url("/inbox"), &body, headers).await;
    assert_eq!(status, 202, "{answer}");
}
