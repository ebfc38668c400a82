//! Fetching remote objects: private and loopback addresses, explicit ports and odd schemes are
//! refused before any request unless `federation.allow_private_addresses` is on.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::Node;
use serde_json::json;

/// Requests a node has served so far, from its own metrics (the metrics request itself is
/// counted after it is answered).
async fn served(node: &Node) -> u64 {
    let text = node.metrics().await;
    text.lines()
        .filter(|l| l.starts_with("agora_http_requests_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn private_addresses_are_not_fetched_unless_allowed() {
    let b = Node::start().await;
    let bob = b.user("bob").await;
    let a = Node::start_with(&[("AGORA_FEDERATION__ALLOW_PRIVATE_ADDRESSES", "false")]).await;
    let alice = a.user("alice").await;

    let before = served(&b).await;
    let targets = [
        (bob.acct.clone(), 403),
        (bob.uri.clone(), 403),
        (format!("http://127.0.0.1:{}/users/bob", b.port), 403),
        (format!("http://[::1]:{}/users/bob", b.port), 403),
        ("file:///etc/passwd".to_string(), 400),
        ("gopher://localhost/1".to_string(), 400),
    ];
    for (target, want) in targets {
        let (status, body) = a
            .post_json(
                "/api/v1/follows",
                Some(&alice.token),
                &json!({ "target": target }),
            )
            .await;
        assert_eq!(status, want, "{target}: {body}");
        if want == 403 {
            assert_eq!(body["reason"], "address_not_allowed", "{target}: {body}");
        }
        let (status, _) = a
            .get_json(
                &format!(
                    "/api/v1/accounts/lookup?acct={}",
                    target.replace('@', "%40")
                ),
                Some(&alice.token),
            )
            .await;
        assert_eq!(status, want, "lookup {target}");
    }
    // Defect 21: an activity from a server on a private address is refused with that cause
    // (not a vague `actor_unavailable`), and the actor is not fetched.
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": b.url("/activities/follow/private"),
        "type": "Follow",
        "actor": bob.uri,
        "object": alice.uri,
    }))
    .unwrap();
    let headers = common::signing::cavage_headers(
        &a.url("/inbox"),
        &body,
        &common::signing::Signed::new(&format!("{}#main-key", bob.uri), &b.keys("bob").0),
    );
    let mut request = a.http.post(a.url("/inbox")).body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let r = request.send().await.unwrap();
    assert_eq!(r.status(), 403);
    let answer: serde_json::Value = r.json().await.unwrap();
    assert_eq!(answer["reason"], "address_not_allowed", "{answer}");

    // B saw nothing but our two metrics reads.
    assert_eq!(served(&b).await, before + 1);

    // The same look-up works where private addresses are allowed (the default of the tests).
    let c = Node::start().await;
    let carol = c.user("carol").await;
    let (status, body) = c
        .get_json(
            &format!(
                "/api/v1/accounts/lookup?acct={}",
                bob.acct.replace('@', "%40")
            ),
            Some(&carol.token),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["acct"], bob.acct.as_str());
}
