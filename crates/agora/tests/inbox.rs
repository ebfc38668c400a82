//! The inbox refuses forged, stale, malformed and oversized activities with the right status
//! and reason, and stores nothing from them: one scenario per test.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node,
    signing::{Signed, cavage_headers, httpdate, post_signed, rfc9421_headers},
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

/// Node A, where alice follows bob of node B: activities signed as bob, forged or broken.
struct Inbox {
    a: Node,
    b: Node,
    alice: common::User,
    bob: common::User,
    key_id: String,
    bob_key: String,
}

async fn inbox() -> Inbox {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    b.user("carol").await;
    a.follow(&alice, &bob.acct).await;
    a.wait_accepted(&alice).await;
    let bob_key = b.keys("bob").0;
    let key_id = format!("{}#main-key", bob.uri);
    Inbox {
        a,
        b,
        alice,
        bob,
        key_id,
        bob_key,
    }
}

impl Inbox {
    /// Bob's `Create` of the post `forged-{n}` on B.
    fn create(&self, n: &str, author: &str, content: &str) -> Vec<u8> {
        serde_json::to_vec(&create(
            &self.bob.uri,
            &self.b.url(&format!("/activities/create/{n}")),
            &self.note(n),
            author,
            content,
        ))
        .unwrap()
    }

    fn note(&self, n: &str) -> String {
        self.b.url(&format!("/posts/forged-{n}"))
    }

    fn signed(&self) -> Signed {
        Signed::new(&self.key_id, &self.bob_key)
    }

    /// POSTs to A's shared inbox with these headers: the status and the refusal's reason.
    async fn post(&self, body: &[u8], headers: Vec<(&str, String)>) -> (u16, Option<String>) {
        let mut request = self.a.http.post(self.a.url("/inbox")).body(body.to_vec());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        let answer: Value = r.json().await.unwrap_or(Value::Null);
        (status, answer["reason"].as_str().map(str::to_string))
    }

    /// Signed as Mastodon signs (draft-cavage) with `s`.
    async fn post_cavage(&self, body: &[u8], s: &Signed) -> (u16, Option<String>) {
        self.post(body, cavage_headers(&self.a.url("/inbox"), body, s))
            .await
    }

    /// Signed as Fedify signs (RFC 9421) with `private_pem`, `created` shifted by `offset`.
    async fn post_rfc9421(
        &self,
        body: &[u8],
        private_pem: &str,
        offset: i64,
    ) -> (u16, Option<String>) {
        let headers = rfc9421_headers(
            &self.a.url("/inbox"),
            body,
            &self.key_id,
            private_pem,
            offset,
        );
        self.post(body, headers).await
    }

    fn refused(&self, got: (u16, Option<String>), status: u16, reason: &str, n: &str) {
        assert_eq!(got, (status, Some(reason.to_string())), "forged-{n}");
        assert!(!stored(&self.a, &self.note(n)), "forged-{n} was stored");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_genuine_activity_is_stored_once_even_sent_twice() {
    let t = inbox().await;
    let body = t.create("ok", &t.bob.uri, "<p>genuine</p>");
    assert_eq!(t.post_cavage(&body, &t.signed()).await, (202, None));
    assert_eq!(t.post_cavage(&body, &t.signed()).await, (202, None));
    let timeline = t.a.timeline(&t.alice).await;
    let shown: Vec<_> = timeline
        .iter()
        .filter(|p| p["uri"] == t.note("ok").as_str())
        .collect();
    assert_eq!(shown.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signature_made_with_another_key_is_refused() {
    let t = inbox().await;
    let other_key = t.a.keys("alice").0;
    let body = t.create("k", &t.bob.uri, "x");
    let got = t
        .post_cavage(&body, &Signed::new(&t.key_id, &other_key))
        .await;
    t.refused(got, 401, "signature_invalid", "k");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_actors_key_does_not_sign_anothers_activity() {
    let t = inbox().await;
    let carol = t.b.url("/users/carol");
    let body = serde_json::to_vec(&create(
        &carol,
        &t.b.url("/activities/create/o"),
        &t.note("o"),
        &carol,
        "x",
    ))
    .unwrap();
    let got = t.post_cavage(&body, &t.signed()).await;
    t.refused(got, 401, "key_owner_mismatch", "o");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_object_on_another_host_than_its_actor_is_refused() {
    let t = inbox().await;
    let foreign = t.a.url("/posts/forged-host");
    let body = serde_json::to_vec(&create(
        &t.bob.uri,
        &t.b.url("/activities/create/h"),
        &foreign,
        &t.bob.uri,
        "x",
    ))
    .unwrap();
    let got = t.post_cavage(&body, &t.signed()).await;
    assert_eq!(got, (403, Some("object_host_mismatch".into())));
    assert!(!stored(&t.a, &foreign));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_post_attributed_to_someone_else_is_refused() {
    let t = inbox().await;
    let body = t.create("a", &t.b.url("/users/carol"), "x");
    let got = t.post_cavage(&body, &t.signed()).await;
    t.refused(got, 403, "author_mismatch", "a");
}

#[tokio::test(flavor = "multi_thread")]
async fn dates_over_twelve_hours_away_are_refused_and_eleven_pass() {
    let t = inbox().await;
    for (n, offset) in [("stale", -13), ("future", 13)] {
        let mut s = t.signed();
        s.date = httpdate(chrono::Utc::now() + chrono::Duration::hours(offset));
        let got = t.post_cavage(&t.create(n, &t.bob.uri, "x"), &s).await;
        t.refused(got, 401, "date_skew", n);
    }
    // Mastodon accepts 12 hours.
    let mut s = t.signed();
    s.date = httpdate(chrono::Utc::now() - chrono::Duration::hours(11));
    let got = t
        .post_cavage(&t.create("late", &t.bob.uri, "late"), &s)
        .await;
    assert_eq!(got, (202, None), "11 h old date");
    assert!(stored(&t.a, &t.note("late")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_digest_that_does_not_match_the_body_is_refused() {
    let t = inbox().await;
    let mut s = t.signed();
    s.digest = Some("SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into());
    let got = t.post_cavage(&t.create("d", &t.bob.uri, "x"), &s).await;
    t.refused(got, 401, "digest_mismatch", "d");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_body_is_refused() {
    let t = inbox().await;
    let huge = "x".repeat(1024 * 1024 + 10);
    let got = t
        .post_cavage(&t.create("big", &t.bob.uri, &huge), &t.signed())
        .await;
    assert_eq!(got.0, 413);
    assert!(!stored(&t.a, &t.note("big")));
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_json_and_json_that_is_no_activity_are_refused() {
    let t = inbox().await;
    let got = t.post_cavage(b"{\"id\": ", &t.signed()).await;
    assert_eq!(got, (400, Some("malformed_json".into())));
    let got = t.post_cavage(b"[1, 2, 3]", &t.signed()).await;
    assert_eq!(got, (400, Some("malformed_activity".into())));
}

#[tokio::test(flavor = "multi_thread")]
async fn rfc_9421_signatures_are_verified_like_draft_cavage() {
    let t = inbox().await;
    let other_key = t.a.keys("alice").0;
    let body = t.create("r", &t.bob.uri, "rfc 9421");
    let got = t.post_rfc9421(&body, &other_key, 0).await;
    t.refused(got, 401, "signature_invalid", "r");
    let got = t.post_rfc9421(&body, &t.bob_key, -13 * 3600).await;
    t.refused(got, 401, "date_skew", "r");
    assert_eq!(t.post_rfc9421(&body, &t.bob_key, 0).await, (202, None));
    assert!(stored(&t.a, &t.note("r")));
}

#[tokio::test(flavor = "multi_thread")]
async fn unsigned_and_malformed_signatures_are_refused() {
    let t = inbox().await;
    let body = t.create("u", &t.bob.uri, "x");
    let unsigned = vec![("content-type", "application/activity+json".to_string())];
    let got = t.post(&body, unsigned).await;
    t.refused(got, 401, "signature_missing", "u");
    let malformed = vec![
        (
            "signature-input",
            "sig1=(\"@method\");created=1".to_string(),
        ),
        ("signature", "sig1=:AAAA:".to_string()),
    ];
    let got = t.post(&body, malformed).await;
    assert_eq!(got.0, 401);
    assert!(!stored(&t.a, &t.note("u")));
    // Each refusal is counted by its reason.
    let metrics = t.a.metrics().await;
    assert!(
        metrics.contains("agora_inbox_refused_total{reason=\"signature_missing\"}"),
        "{metrics}"
    );
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
