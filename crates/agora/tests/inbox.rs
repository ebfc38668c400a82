//! The inbox refuses forged, stale, malformed and oversized activities with the right status,
//! and stores nothing from them.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node,
    signing::{Signed, httpdate, post_rfc9421, post_signed},
};
use serde_json::{Value, json};

fn create(actor: &str, activity_id: &str, object_id: &str, author: &str, content: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": activity_id,
        "type": "Create",
        "actor": actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": object_id,
            "type": "Note",
            "attributedTo": author,
            "content": content,
            "to": ["https://www.w3.org/ns/activitystreams#Public"]
        }
    })
}

fn stored(node: &Node, ap_id: &str) -> bool {
    let db = node.db();
    let mut conn = db.get().unwrap();
    agora_db::posts::by_ap_id(&mut conn, ap_id)
        .unwrap()
        .is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_and_broken_activities_are_refused_and_store_nothing() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    b.user("carol").await;
    a.follow(&alice, &bob.acct).await;
    a.wait_accepted(&alice).await;

    let inbox = a.url("/inbox");
    let bob_key = b.keys("bob").0;
    let key_id = format!("{}#main-key", bob.uri);
    let base = b.url("");
    let note = |n: &str| format!("{base}/posts/forged-{n}");
    let act = |n: &str| format!("{base}/activities/create/{n}");

    // A valid activity from bob is accepted and stored, once even when sent twice.
    let valid = serde_json::to_vec(&create(
        &bob.uri,
        &act("ok"),
        &note("ok"),
        &bob.uri,
        "<p>genuine</p>",
    ))
    .unwrap();
    assert_eq!(
        post_signed(&a.http, &inbox, &valid, &Signed::new(&key_id, &bob_key)).await,
        202
    );
    assert_eq!(
        post_signed(&a.http, &inbox, &valid, &Signed::new(&key_id, &bob_key)).await,
        202
    );
    assert!(stored(&a, &note("ok")));

    // Signed with another key under bob's key id.
    let other_key = a.keys("alice").0;
    let body = serde_json::to_vec(&create(&bob.uri, &act("k"), &note("k"), &bob.uri, "x")).unwrap();
    assert_eq!(
        post_signed(&a.http, &inbox, &body, &Signed::new(&key_id, &other_key)).await,
        401,
        "wrong key"
    );
    assert!(!stored(&a, &note("k")));

    // Key of one actor, activity of another (both on B).
    let body = serde_json::to_vec(&create(
        &format!("{base}/users/carol"),
        &act("o"),
        &note("o"),
        &format!("{base}/users/carol"),
        "x",
    ))
    .unwrap();
    assert_eq!(
        post_signed(&a.http, &inbox, &body, &Signed::new(&key_id, &bob_key)).await,
        401,
        "key owner mismatch"
    );
    assert!(!stored(&a, &note("o")));

    // Object on another host than its actor.
    let foreign = a.url("/posts/forged-host");
    let body = serde_json::to_vec(&create(&bob.uri, &act("h"), &foreign, &bob.uri, "x")).unwrap();
    assert_eq!(
        post_signed(&a.http, &inbox, &body, &Signed::new(&key_id, &bob_key)).await,
        403,
        "object host mismatch"
    );
    assert!(!stored(&a, &foreign));

    // A note attributed to someone else than the actor.
    let body = serde_json::to_vec(&create(
        &bob.uri,
        &act("a"),
        &note("a"),
        &format!("{base}/users/carol"),
        "x",
    ))
    .unwrap();
    assert_eq!(
        post_signed(&a.http, &inbox, &body, &Signed::new(&key_id, &bob_key)).await,
        403,
        "author mismatch"
    );
    assert!(!stored(&a, &note("a")));

    // Stale and future dates (Mastodon accepts 12 hours).
    for (n, offset) in [("stale", -13), ("future", 13)] {
        let body = serde_json::to_vec(&create(&bob.uri, &act(n), &note(n), &bob.uri, "x")).unwrap();
        let mut s = Signed::new(&key_id, &bob_key);
        s.date = httpdate(chrono::Utc::now() + chrono::Duration::hours(offset));
        assert_eq!(
            post_signed(&a.http, &inbox, &body, &s).await,
            401,
            "{n} date"
        );
        assert!(!stored(&a, &note(n)));
    }
    // A date 11 hours old is still fine.
    let body = serde_json::to_vec(&create(
        &bob.uri,
        &act("late"),
        &note("late"),
        &bob.uri,
        "late",
    ))
    .unwrap();
    let mut s = Signed::new(&key_id, &bob_key);
    s.date = httpdate(chrono::Utc::now() - chrono::Duration::hours(11));
    assert_eq!(
        post_signed(&a.http, &inbox, &body, &s).await,
        202,
        "11 h old date"
    );

    // A digest that does not match the body.
    let body = serde_json::to_vec(&create(&bob.uri, &act("d"), &note("d"), &bob.uri, "x")).unwrap();
    let mut s = Signed::new(&key_id, &bob_key);
    s.digest = Some("SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into());
    assert_eq!(
        post_signed(&a.http, &inbox, &body, &s).await,
        401,
        "bad digest"
    );
    assert!(!stored(&a, &note("d")));

    // Oversized body.
    let huge = "x".repeat(1024 * 1024 + 10);
    let body = serde_json::to_vec(&create(
        &bob.uri,
        &act("big"),
        &note("big"),
        &bob.uri,
        &huge,
    ))
    .unwrap();
    assert_eq!(
        post_signed(&a.http, &inbox, &body, &Signed::new(&key_id, &bob_key)).await,
        413,
        "oversized"
    );
    assert!(!stored(&a, &note("big")));

    // Malformed JSON, and JSON that is no activity.
    assert_eq!(
        post_signed(
            &a.http,
            &inbox,
            b"{\"id\": ",
            &Signed::new(&key_id, &bob_key)
        )
        .await,
        400,
        "malformed"
    );
    assert_eq!(
        post_signed(
            &a.http,
            &inbox,
            b"[1, 2, 3]",
            &Signed::new(&key_id, &bob_key)
        )
        .await,
        400,
        "not an activity"
    );

    // RFC 9421 signatures, as Mastodon ≥ 4.5 and Fedify send: good, wrong key, stale.
    let body = serde_json::to_vec(&create(
        &bob.uri,
        &act("r"),
        &note("r"),
        &bob.uri,
        "rfc 9421",
    ))
    .unwrap();
    assert_eq!(
        post_rfc9421(&a.http, &inbox, &body, &key_id, &other_key, 0).await,
        401,
        "rfc 9421, wrong key"
    );
    assert!(!stored(&a, &note("r")));
    assert_eq!(
        post_rfc9421(&a.http, &inbox, &body, &key_id, &bob_key, -13 * 3600).await,
        401,
        "rfc 9421, stale"
    );
    assert!(!stored(&a, &note("r")));
    assert_eq!(
        post_rfc9421(&a.http, &inbox, &body, &key_id, &bob_key, 0).await,
        202,
        "rfc 9421"
    );
    assert!(stored(&a, &note("r")));

    // Unsigned, and a malformed RFC 9421 signature.
    let body = serde_json::to_vec(&create(&bob.uri, &act("u"), &note("u"), &bob.uri, "x")).unwrap();
    let r = a
        .http
        .post(&inbox)
        .header("content-type", "application/activity+json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401, "unsigned");
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["error"], "unauthorized");
    let r = a
        .http
        .post(&inbox)
        .header("signature-input", "sig1=(\"@method\");created=1")
        .header("signature", "sig1=:AAAA:")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401, "malformed rfc 9421");
    assert!(!stored(&a, &note("u")));

    // Only the genuine posts made it to alice.
    let timeline = a.timeline(&alice).await;
    let mut uris: Vec<_> = timeline
        .iter()
        .map(|p| p["uri"].as_str().unwrap().to_string())
        .collect();
    uris.sort();
    assert_eq!(uris, vec![note("late"), note("ok"), note("r")]);

    // Each refusal was counted by reason.
    let metrics = a.metrics().await;
    for reason in [
        "signature_invalid",
        "key_owner_mismatch",
        "object_host_mismatch",
        "author_mismatch",
        "date_skew",
        "digest_mismatch",
        "too_large",
        "malformed_json",
        "signature_missing",
        "signature_malformed",
    ] {
        assert!(
            metrics.contains(&format!("agora_inbox_refused_total{{reason=\"{reason}\"}}")),
            "no metric for {reason}:\n{metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn blocked_domains_get_403_and_nothing_is_stored() {
    let b = Node::start().await;
    let bob = b.user("bob").await;
    let blocked = format!("[\"{}\"]", b.domain);
    let a = Node::start_with(&[("AGORA_FEDERATION__BLOCKED_DOMAINS", &blocked)]).await;
    let alice = a.user("alice").await;

    let key_id = format!("{}#main-key", bob.uri);
    let bob_key = b.keys("bob").0;
    let object = b.url("/posts/from-blocked");
    let body = serde_json::to_vec(&create(
        &bob.uri,
        &b.url("/activities/create/blocked"),
        &object,
        &bob.uri,
        "x",
    ))
    .unwrap();
    assert_eq!(
        post_signed(
            &a.http,
            &a.url("/inbox"),
            &body,
            &Signed::new(&key_id, &bob_key)
        )
        .await,
        403
    );
    assert!(!stored(&a, &object));

    // Following someone on a blocked domain is refused too, without contacting it.
    let (status, err) = a
        .post_json(
            "/api/v1/follows",
            Some(&alice.token),
            &json!({"target": bob.acct}),
        )
        .await;
    assert_eq!(status, 403, "{err}");
    assert_eq!(err["error"], "forbidden");
}
