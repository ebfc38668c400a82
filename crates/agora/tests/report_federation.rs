//! Reports across servers: one of ours forwarded to another Agora node as a `Flag` that names
//! no reporter, and its decision coming back as `Resolve`; Mastodon's `Flag` (from its
//! `Application` instance actor, no `to`, no category) and Lemmy's (`summary`, `to` the
//! community) filed in the queue; Lemmy's `Resolve` read for a report we forwarded.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node, eventually,
    peer::Peer,
    signing::{Signed, post_signed},
};
use serde_json::{Value, json};

/// A fixture of what another server really sends (sources in its folder's README).
fn fixture(path: &str) -> Value {
    let file = format!(
        "{}/../agora_federation/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
}

/// Every report in a node's queue, whatever its status.
async fn queue(node: &Node, token: &str) -> Vec<Value> {
    let (status, q) = node.get_json("/api/v1/admin/reports", Some(token)).await;
    assert_eq!(status, 200, "{q}");
    q.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_forwarded_to_another_node_names_no_reporter_and_its_decision_comes_back() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.confirmed_user("alice").await;
    let bob = b.confirmed_user("bob").await;
    let modo = b.confirmed_user("modo").await;
    b.admin(&["set-role", "modo", "moderator"]);
    a.follow(&alice, &bob.acct).await;
    a.wait_accepted(&alice).await;
    let post = b.post(&bob, "Les vaccins contiennent des puces").await;
    let post_uri = post["uri"].as_str().unwrap().to_string();

    // Once the post is here, alice reports it and asks that bob's server be told.
    let report = eventually(30, "the post reaches node A", || async {
        let (status, r) = a
            .post_json(
                "/api/v1/reports",
                Some(&alice.token),
                &json!({"target": post_uri, "category": "negative_effects_on_civic_discourse_or_elections",
                        "comment": "Désinformation sanitaire", "forward": true}),
            )
            .await;
        (status == 201).then_some(r)
    })
    .await;
    assert_eq!(report["forward"], true, "{report}");

    // Node B files it with A as its origin, the category and the comment, and no reporter.
    let theirs = eventually(30, "the Flag reaches node B", || async {
        queue(&b, &modo.token).await.into_iter().next()
    })
    .await;
    assert_eq!(theirs["origin"], a.domain, "{theirs}");
    assert_eq!(
        theirs["category"], "negative_effects_on_civic_discourse_or_elections",
        "{theirs}"
    );
    assert_eq!(theirs["comment"], "Désinformation sanitaire");
    assert_eq!(theirs["target"], post_uri);
    assert_eq!(theirs["target_kind"], "post");
    assert_eq!(theirs["by_visitor"], false);
    let flag = stored_flag(&b, theirs["id"].as_i64().unwrap());
    assert_eq!(flag["type"], "Flag");
    assert_eq!(flag["actor"], a.url("/actor/moderation"));
    assert!(
        !flag.to_string().contains("alice"),
        "the Flag names no reporter: {flag}"
    );
    assert!(!theirs.to_string().contains("alice"), "{theirs}");

    // B decides; A's reporter reads B's decision and its reason.
    let (status, decided) = b
        .post_json(
            &format!("/api/v1/admin/reports/{}/decision", theirs["id"]),
            Some(&modo.token),
            &json!({"action": "dismiss", "reason": "Déjà étiqueté ailleurs.", "ground": "CGU art. 2"}),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    let seen = eventually(30, "B's decision reaches alice", || async {
        let (_, r) = a
            .get_json(
                &format!("/api/v1/reports/{}", report["id"]),
                Some(&alice.token),
            )
            .await;
        (!r["remote_decision"].is_null()).then_some(r)
    })
    .await;
    assert_eq!(seen["remote_decision"]["action"], "dismiss", "{seen}");
    assert_eq!(seen["remote_decision"]["reason"], "Déjà étiqueté ailleurs.");
    // A's own decision is still to come: the report is open on A.
    assert_eq!(seen["status"], "open");
    let web = a.browser_login("alice").await;
    let page = common::html_in(&web, a.url(&format!("/reports/{}", report["id"])), "en").await;
    assert!(page.contains("Decision of the other server"), "{page}");
    assert!(page.contains("Déjà étiqueté ailleurs."), "{page}");

    // The moderation actor is a `Service`, which Lemmy and Mastodon both take a Flag from.
    let actor = common::json_as(
        &a.http,
        a.url("/actor/moderation"),
        "application/activity+json",
    )
    .await;
    assert_eq!(actor["type"], "Service", "{actor}");
    assert_eq!(actor["preferredUsername"], "moderation");
    let (status, _) = a
        .get_json(
            &format!(
                "/.well-known/webfinger?resource=acct:moderation@{}",
                a.domain
            ),
            None,
        )
        .await;
    assert_eq!(status, 200);
}

fn stored_flag(node: &Node, id: i64) -> Value {
    let db = node.db();
    let mut conn = db.get().unwrap();
    let report = agora_db::reports::by_id(&mut conn, id).unwrap();
    serde_json::from_str(report.flag.as_deref().unwrap()).unwrap()
}

/// Node A with bob's post, and a simulated server whose actor signs with a key of A's.
struct Setup {
    a: Node,
    bob: common::User,
    modo: common::User,
    post_uri: String,
    key: String,
    public: String,
}

async fn setup() -> Setup {
    let a = Node::start().await;
    let bob = a.confirmed_user("bob").await;
    let modo = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let post = a.post(&bob, "Achetez ma cure miracle").await;
    let (key, public) = a.keys_of_new_user("keyholder").await;
    Setup {
        post_uri: post["uri"].as_str().unwrap().to_string(),
        a,
        bob,
        modo,
        key,
        public,
    }
}

async fn send(a: &Node, peer: &Peer, key: &str, activity: &Value) -> u16 {
    post_signed(
        &a.http,
        &a.url("/inbox"),
        activity.to_string().as_bytes(),
        &Signed::new(&peer.key_id, key),
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn mastodons_flag_lands_in_the_queue_as_not_specified_and_hears_the_decision() {
    let Setup {
        a,
        bob,
        modo,
        post_uri,
        key,
        public,
    } = setup().await;
    let mastodon = Peer::start_as("instance", "Application", &public).await;
    // Mastodon's Flag as it really sends it: from its instance actor, no `to`, the account
    // then its statuses, the comment in `content`, no category.
    let mut flag = fixture("mastodon/flag.json");
    flag["id"] = json!(mastodon.url("/7347d076-e073-40d7-9b9e-469c406dfa24"));
    flag["actor"] = json!(mastodon.actor);
    flag["object"] = json!([bob.uri, post_uri]);
    assert!(flag.get("to").is_none());
    assert_eq!(send(&a, &mastodon, &key, &flag).await, 202);
    // Sent again (a retry): still one report.
    assert_eq!(send(&a, &mastodon, &key, &flag).await, 202);

    let reports = queue(&a, &modo.token).await;
    assert_eq!(reports.len(), 1, "{reports:?}");
    let r = &reports[0];
    assert_eq!(r["category"], "not_specified_notice");
    assert_eq!(r["comment"], "Please take a look at this account");
    assert_eq!(r["origin"], mastodon.domain);
    assert_eq!(r["target_kind"], "post", "the post, before its author: {r}");
    assert_eq!(r["target"], post_uri);
    assert!(
        r["snapshot"]["content"]
            .as_str()
            .unwrap()
            .contains("cure miracle")
    );

    // Wrong, hostile and oversized Flags are refused and file nothing.
    let mut bad = Vec::new();
    let mut nothing_here = flag.clone();
    nothing_here["id"] = json!(mastodon.url("/flags/2"));
    nothing_here["object"] = json!(["https://elsewhere.example/users/x"]);
    bad.push((nothing_here, 404));
    let mut empty = flag.clone();
    empty["id"] = json!(mastodon.url("/flags/3"));
    empty["object"] = json!([]);
    bad.push((empty, 400));
    let mut many = flag.clone();
    many["id"] = json!(mastodon.url("/flags/4"));
    many["object"] = json!(vec![post_uri.clone(); 101]);
    bad.push((many, 400));
    let mut long = flag.clone();
    long["id"] = json!(mastodon.url("/flags/5"));
    long["content"] = json!("x".repeat(5001));
    bad.push((long, 400));
    let mut forged = flag.clone();
    forged["id"] = json!("https://elsewhere.example/flags/6");
    bad.push((forged, 403));
    for (activity, want) in &bad {
        let status = send(&a, &mastodon, &key, activity).await;
        assert_eq!(status, *want, "{activity}");
    }
    assert_eq!(queue(&a, &modo.token).await.len(), 1);

    // The decision goes back to Mastodon as `Resolve{Flag}` from the moderation actor, with
    // the reason; Mastodon's Flag had no `to`, so it is addressed to its sender.
    let (status, _) = a
        .post_json(
            &format!("/api/v1/admin/reports/{}/decision", r["id"]),
            Some(&modo.token),
            &json!({"action": "dismiss", "reason": "Une publicité, pas une arnaque."}),
        )
        .await;
    assert_eq!(status, 200);
    let resolve = eventually(30, "the Resolve reaches Mastodon", || async {
        mastodon
            .received()
            .into_iter()
            .find(|a| a["type"] == "Resolve")
    })
    .await;
    assert_eq!(resolve["actor"], a.url("/actor/moderation"), "{resolve}");
    assert_eq!(resolve["object"]["id"], flag["id"], "{resolve}");
    assert_eq!(resolve["object"]["type"], "Flag");
    assert_eq!(resolve["to"], json!([mastodon.actor]));
    assert_eq!(resolve["content"], "Une publicité, pas une arnaque.");
    assert_eq!(resolve["summary"], resolve["content"]);
    assert_eq!(resolve["decision"], "dismiss");
    assert_eq!(resolve["category"], "not_specified_notice");
}

#[tokio::test(flavor = "multi_thread")]
async fn lemmys_flag_is_filed_and_lemmys_resolve_answers_a_report_we_forwarded() {
    let Setup {
        a,
        bob: _,
        modo,
        post_uri,
        key,
        public,
    } = setup().await;
    let alice = a.confirmed_user("alice").await;
    let lemmy = Peer::start("lemmy_alpha", &public).await;

    // Lemmy's Flag: from a person, to the community, one object, the reason in `summary`.
    let mut flag = fixture("lemmy/flag.json");
    flag["id"] = json!(lemmy.url("/activities/flag/98b0933f-5e45-4a95-a15f-e0dc86361ba4"));
    flag["actor"] = json!(lemmy.actor);
    flag["to"] = json!([a.url("/")]);
    flag["object"] = json!(post_uri);
    assert_eq!(send(&a, &lemmy, &key, &flag).await, 202);
    let reports = queue(&a, &modo.token).await;
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0]["comment"], "report this post");
    assert_eq!(reports[0]["category"], "not_specified_notice");
    assert_eq!(reports[0]["origin"], lemmy.domain);

    // A post of that server (an answer to bob, so it is kept here), reported here and
    // forwarded there.
    let note_id = lemmy.url("/comment/1");
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": lemmy.url("/activities/create/1"),
        "type": "Create",
        "actor": lemmy.actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": note_id, "type": "Note", "attributedTo": lemmy.actor,
                   "content": "Spam spam spam", "inReplyTo": post_uri,
                   "to": ["https://www.w3.org/ns/activitystreams#Public"]}
    });
    assert_eq!(send(&a, &lemmy, &key, &create).await, 202);
    let (status, report) = a
        .post_json(
            "/api/v1/reports",
            Some(&alice.token),
            &json!({"target": note_id, "category": "scams_and_fraud", "forward": true}),
        )
        .await;
    assert_eq!(status, 201, "{report}");
    let sent = eventually(30, "the Flag reaches Lemmy", || async {
        lemmy.received().into_iter().find(|a| a["type"] == "Flag")
    })
    .await;
    // What Lemmy and Mastodon both need: a Service actor, `to`, the reason in `content` and
    // `summary` (the category's words when there is no comment), the account then the post.
    assert_eq!(sent["actor"], a.url("/actor/moderation"), "{sent}");
    assert_eq!(
        sent["to"],
        json!([format!("http://{}/", lemmy.domain)]),
        "{sent}"
    );
    assert_eq!(sent["object"], json!([lemmy.actor, note_id]), "{sent}");
    assert_eq!(sent["content"], "scams and fraud");
    assert_eq!(sent["summary"], sent["content"]);
    assert_eq!(sent["category"], "scams_and_fraud");
    assert!(!sent.to_string().contains("alice"), "{sent}");
    assert!(sent["@context"].to_string().contains("civic"), "{sent}");

    // Another server cannot answer for Lemmy.
    let mut resolve = fixture("lemmy/resolve_flag.json");
    resolve["object"] = sent.clone();
    resolve["to"] = sent["to"].clone();
    let intruder = Peer::start("intruder", &public).await;
    resolve["id"] = json!(intruder.url("/activities/resolve/1"));
    resolve["actor"] = json!(intruder.actor);
    assert_eq!(send(&a, &intruder, &key, &resolve).await, 403);
    // Lemmy's own Resolve (no decision named, no reason): resolved.
    resolve["id"] = json!(lemmy.url("/activities/resolve/1"));
    resolve["actor"] = json!(lemmy.actor);
    assert_eq!(send(&a, &lemmy, &key, &resolve).await, 202);
    let (_, seen) = a
        .get_json(
            &format!("/api/v1/reports/{}", report["id"]),
            Some(&alice.token),
        )
        .await;
    assert_eq!(seen["remote_decision"]["action"], "resolved", "{seen}");
    // A Resolve of a Flag that is not ours is acknowledged and changes nothing.
    let mut foreign = resolve.clone();
    foreign["id"] = json!(lemmy.url("/activities/resolve/2"));
    foreign["object"]["id"] = json!(lemmy.url("/activities/flag/other"));
    assert_eq!(send(&a, &lemmy, &key, &foreign).await, 202);
}
