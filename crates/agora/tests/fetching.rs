//! Fetching remote objects: private and loopback addresses, explicit ports and odd schemes are
//! refused before any request unless `federation.allow_private_addresses` is on; and accounts
//! are found through WebFinger as Mastodon finds them.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, peer::Peer};
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

/// What `GET /api/v1/accounts/lookup` answers `token`'s holder for `acct`.
async fn lookup(node: &Node, token: &str, acct: String) -> (u16, serde_json::Value) {
    let path = format!("/api/v1/accounts/lookup?acct={}", common::encoded(&acct));
    node.get_json(&path, Some(token)).await
}

/// An address typed here is looked up as Mastodon looks it up: WebFinger on the account's
/// server, one redirect followed (a server's short domain sending it on), the last `self` link
/// of an ActivityPub type. What fails says why: an account its server does not know is 404,
/// a server that answers nothing usable 502, a redirect to a blocked server is not followed.
#[tokio::test(flavor = "multi_thread")]
async fn webfinger_finds_accounts_as_mastodon_does_and_says_why_it_cannot() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let (_, public) = a.keys("alice");
    // `serving` is where the account lives; `short` is the short domain its addresses use,
    // whose WebFinger sends readers to `serving`.
    let serving = Peer::start("gargron", &public).await;
    let short = Peer::start("short", &public).await;
    let webfinger = json!({
        "subject": format!("acct:gargron@{}", short.domain),
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
             "href": serving.url("/@gargron")},
            {"rel": "self", "type": "application/activity+json", "href": serving.actor},
        ],
    });
    serving.publish("/finger/gargron", webfinger);
    short.redirect("/.well-known/webfinger", &serving.url("/finger/gargron"));

    let (status, found) = lookup(&a, &alice.token, format!("@gargron@{}", short.domain)).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["uri"], serving.actor.as_str(), "{found}");
    assert_eq!(serving.fetches("/finger/gargron"), 1);

    // Unknown on its server (its WebFinger answers 404): not found, not "unavailable".
    let (status, body) = lookup(&a, &alice.token, format!("@nobody@{}", serving.domain)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    // A WebFinger that names no ActivityPub actor (only a profile page): not found either.
    serving.publish(
        "/finger/page-only",
        json!({"links": [{"rel": "self", "type": "text/html", "href": serving.url("/@x")}]}),
    );
    let pages = Peer::start("pages", &public).await;
    pages.redirect("/.well-known/webfinger", &serving.url("/finger/page-only"));
    let (status, body) = lookup(&a, &alice.token, format!("@x@{}", pages.domain)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    // A second redirect is not followed; a server that does not answer is unavailable.
    let twice = Peer::start("twice", &public).await;
    twice.redirect(
        "/.well-known/webfinger",
        &short.url("/.well-known/webfinger?resource=acct:gargron"),
    );
    for acct in [
        format!("@gargron@{}", twice.domain),
        "@x@localhost:1".into(),
    ] {
        let (status, body) = lookup(&a, &alice.token, acct.clone()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (502, Some("remote_unavailable")),
            "{acct}: {body}"
        );
    }
    // A host that is not a server's name: nothing is asked, no account lives there (404, as
    // Mastodon's lookup answers); what is not an address at all is a bad request.
    for (acct, want) in [
        ("@x@127.0.0.1", 404),
        ("@x@host?q=1", 404),
        ("@x@bad_host", 404),
        ("@x@", 400),
        ("x", 400),
    ] {
        let (status, body) = lookup(&a, &alice.token, acct.to_string()).await;
        assert_eq!(status, want, "{acct}: {body}");
    }

    // Where `serving` is blocked, the short domain's redirect to it is not followed.
    let blocked = format!("[\"{}\"]", serving.domain);
    let c = Node::start_with(&[("AGORA_FEDERATION__BLOCKED_DOMAINS", &blocked)]).await;
    let carol = c.user("carol").await;
    let (status, body) = lookup(&c, &carol.token, format!("@gargron@{}", short.domain)).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(
        serving.fetches("/finger/gargron"),
        1,
        "the blocked server was not asked"
    );
}
