//! What becomes of our deliveries at the other end: a refusal is its own outcome, and a group
//! does not send a server's own activity back to it.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node, eventually,
    peer::Peer,
    signing::{Signed, post_signed},
};
use serde_json::{Value, json};

/// A node with an initiative `jardin` organized by alice, and the key of an account there that
/// the simulated remote servers publish as theirs (so the test signs as them).
struct Setup {
    a: Node,
    alice: common::User,
    group: String,
    key: String,
    public: String,
}

async fn setup() -> Setup {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    a.user("keyholder").await;
    a.initiative(&alice, "jardin", "Jardin").await;
    let group = a.url("/initiatives/jardin");
    let (key, public) = a.keys("keyholder");
    Setup {
        a,
        alice,
        group,
        key,
        public,
    }
}

fn metric(metrics: &str, line: &str) -> u64 {
    metrics
        .lines()
        .find(|l| l.starts_with(line))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0)
}

/// Defect 20: `activitypub_federation` counted every 4xx as delivered and said so at debug
/// level only.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_delivery_is_counted_and_told_apart_from_a_success() {
    let Setup {
        a,
        alice,
        group,
        key,
        public,
    } = setup().await;
    let lemmy = Peer::start("lea", &public).await;
    a.remote_follow(&lemmy, &key, &group, 1).await;
    lemmy.refuse(400, r#"{"error":"missing field `inReplyTo`"}"#);

    let (status, _) = a
        .post_json(
            "/api/v1/initiatives/jardin/updates",
            Some(&alice.token),
            &json!({"content": "Assemblée jeudi."}),
        )
        .await;
    assert_eq!(status, 201);
    let metrics = eventually(30, "two refused announces", || async {
        let m = a.metrics().await;
        (metric(&m, "agora_deliveries_total{outcome=\"refused\"}") >= 2).then_some(m)
    })
    .await;
    assert_eq!(
        metric(&metrics, "agora_deliveries_total{outcome=\"failed\"}"),
        0,
        "a refusal is not retried: {metrics}"
    );
    let sent_before_refusal = metric(&metrics, "agora_deliveries_total{outcome=\"sent\"}");
    assert_eq!(
        sent_before_refusal, 1,
        "only the Accept was taken: {metrics}"
    );
    let log = a.log();
    assert!(
        log.contains("delivery refused") && log.contains("missing field"),
        "the refusal and the start of the answer are in the log:\n{log}"
    );
}

/// Defect 22: the group announced a Lemmy server's own comments back to it (Lemmy answers 400).
#[tokio::test(flavor = "multi_thread")]
async fn a_group_does_not_send_a_reply_back_to_the_server_it_came_from() {
    let Setup {
        a,
        alice,
        group,
        key,
        public,
    } = setup().await;
    let lemmy = Peer::start("lea", &public).await;
    let mastodon = Peer::start("gargron", &public).await;
    a.remote_follow(&lemmy, &key, &group, 1).await;
    a.remote_follow(&mastodon, &key, &group, 2).await;

    let (_, update) = a
        .post_json(
            "/api/v1/initiatives/jardin/updates",
            Some(&alice.token),
            &json!({"content": "Qui vient samedi ?"}),
        )
        .await;
    let update_uri = update["uri"].as_str().unwrap().to_string();
    // Lea answers from her server.
    let reply = lemmy.url("/comment/1");
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": lemmy.url("/activities/create/1"),
        "type": "Create",
        "actor": lemmy.actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [group],
        "audience": group,
        "object": {
            "id": reply, "type": "Note", "attributedTo": lemmy.actor,
            "content": "<p>Moi !</p>", "inReplyTo": update_uri, "audience": group,
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [group],
        },
    });
    let status = post_signed(
        &a.http,
        &format!("{group}/inbox"),
        create.to_string().as_bytes(),
        &Signed::new(&lemmy.key_id, &key),
    )
    .await;
    assert_eq!(status, 202);
    let announced = |peer: &Peer| -> Vec<Value> {
        peer.received()
            .into_iter()
            .filter(|a| a["type"] == "Announce" && a.to_string().contains(&reply))
            .collect()
    };
    eventually(
        30,
        "the reply announced to the Mastodon follower",
        || async { (!announced(&mastodon).is_empty()).then_some(()) },
    )
    .await;
    // Everything queued so far has been sent: the other server got nothing of its own.
    eventually(30, "an empty queue", || async {
        let m = a.metrics().await;
        (metric(&m, "agora_delivery_queue_depth") == 0).then_some(())
    })
    .await;
    assert!(
        announced(&lemmy).is_empty(),
        "lea's server got its own comment back: {:?}",
        announced(&lemmy)
    );
}

/// Defect 19: Lemmy refuses an update as `Announce{Create{Note}}` or `Announce{Note}` and takes
/// it as a post only as a `Page`; Mastodon needs the `Note` to show it in full.
#[tokio::test(flavor = "multi_thread")]
async fn a_lemmy_server_gets_the_update_as_a_page_and_mastodon_as_a_note() {
    let Setup {
        a,
        alice,
        group,
        key,
        public,
    } = setup().await;
    let lemmy = Peer::start("lea", &public).await;
    // What Lemmy serves (crates/routes/src/nodeinfo.rs): a 2.1 document naming it.
    lemmy.publish(
        "/.well-known/nodeinfo",
        json!({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                          "href": lemmy.url("/nodeinfo/2.1")}]}),
    );
    lemmy.publish(
        "/nodeinfo/2.1",
        json!({"version": "2.1", "software": {"name": "lemmy", "version": "1.0.0-beta.1"},
               "protocols": ["activitypub"], "usage": {"users": {"total": 1}},
               "openRegistrations": true, "services": {"inbound": [], "outbound": []},
               "metadata": {}}),
    );
    let mastodon = Peer::start("gargron", &public).await;
    a.remote_follow(&lemmy, &key, &group, 1).await;
    a.remote_follow(&mastodon, &key, &group, 2).await;
    let lemmy_domain = lemmy.domain.clone();
    eventually(30, "Lemmy's NodeInfo read", || async {
        let db = a.db();
        let mut conn = db.get().unwrap();
        agora_db::instances::get(&mut conn, &lemmy_domain)
            .unwrap()
            .and_then(|i| i.software)
            .filter(|s| s == "lemmy")
    })
    .await;

    let (_, update) = a
        .post_json(
            "/api/v1/initiatives/jardin/updates",
            Some(&alice.token),
            &json!({"content": "Assemblée jeudi\n\nOrdre du jour : les bacs."}),
        )
        .await;
    let uri = update["uri"].as_str().unwrap().to_string();
    let to_mastodon = eventually(30, "both Note forms to Mastodon", || async {
        let got: Vec<Value> = mastodon
            .received()
            .into_iter()
            .filter(|a| a["type"] == "Announce")
            .collect();
        (got.len() >= 2).then_some(got)
    })
    .await;
    assert!(to_mastodon.iter().any(|a| a["object"]["type"] == "Note"));
    assert!(
        to_mastodon
            .iter()
            .any(|a| a["object"]["object"]["type"] == "Note")
    );
    eventually(30, "an empty queue", || async {
        let m = a.metrics().await;
        (metric(&m, "agora_delivery_queue_depth") == 0).then_some(())
    })
    .await;
    let to_lemmy: Vec<Value> = lemmy
        .received()
        .into_iter()
        .filter(|a| a["type"] == "Announce")
        .collect();
    assert_eq!(
        to_lemmy.len(),
        1,
        "one announce, no bare Note: {to_lemmy:?}"
    );
    let create = &to_lemmy[0]["object"];
    assert_eq!(create["type"], "Create");
    let page = &create["object"];
    assert_eq!(page["type"], "Page", "{page}");
    assert_eq!(page["id"], uri.as_str(), "the same object id as the Note");
    assert_eq!(page["name"], "Assemblée jeudi");
    assert!(page["content"].as_str().unwrap().contains("Ordre du jour"));
    assert_eq!(page["attributedTo"], alice.uri.as_str());
    let addressed = [&page["to"], &page["cc"], &create["to"], &create["cc"]]
        .iter()
        .map(|v| v.to_string())
        .collect::<String>();
    assert!(addressed.contains(&group), "Lemmy finds the group in to/cc");
    assert_eq!(to_lemmy[0]["actor"], group.as_str());

    // An edit goes as Update{Page}.
    let (status, _) = a
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/posts/{}", update["id"]),
            &alice.token,
            Some(&json!({"content": "Assemblée vendredi"})),
        )
        .await;
    assert_eq!(status, 200);
    let edit = eventually(30, "the edit to Lemmy", || async {
        lemmy
            .received()
            .into_iter()
            .find(|a| a["type"] == "Announce" && a["object"]["type"] == "Update")
    })
    .await;
    assert_eq!(edit["object"]["object"]["type"], "Page");
    assert_eq!(edit["object"]["object"]["name"], "Assemblée vendredi");
}
