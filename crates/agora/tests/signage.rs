//! Signage: the artificial-virality detector labels a synthetic burst (days-old accounts from
//! several servers, or old accounts from one server) and leaves an organic pattern alone;
//! moderators confirm or remove its labels, label content from a report with a fact-check,
//! and posts of business accounts show as commercial. Each label says who set it and why.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node, html_in,
    peer::Peer,
    signing::{Signed, post_signed},
};
use serde_json::{Value, json};

/// `names` of `crowd` like `object`, each signing as itself.
async fn likes(a: &Node, crowd: &Peer, key: &str, object: &str, names: &[String]) {
    for name in names {
        let actor = crowd.url(&format!("/users/{name}"));
        let like = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}/likes/{}", object.rsplit('/').next().unwrap()),
            "type": "Like", "actor": actor, "object": object,
        });
        let status = post_signed(
            &a.http,
            &a.url("/inbox"),
            like.to_string().as_bytes(),
            &Signed::new(&format!("{actor}#main-key"), key),
        )
        .await;
        assert_eq!(status, 202, "{like}");
    }
}

fn named(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

async fn labels(a: &Node, token: &str, pending: bool) -> Vec<Value> {
    let (status, l) = a
        .get_json(
            &format!("/api/v1/admin/labels?pending={pending}"),
            Some(token),
        )
        .await;
    assert_eq!(status, 200, "{l}");
    l.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_synthetic_burst_is_labelled_an_organic_pattern_is_not_and_moderators_review() {
    let a = Node::start_with(&[("AGORA_SIGNAGE__MIN_INTERACTIONS", "12")]).await;
    let bob = a.confirmed_user("bob").await;
    let modo = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let (key, public) = a.keys_of_new_user("keyholder").await;
    let mut crowds = Vec::new();
    for _ in 0..5 {
        crowds.push(Peer::start_crowd(&public).await);
    }
    let posts: Vec<String> = {
        let mut v = Vec::new();
        for text in ["Burst", "Organic", "One server"] {
            v.push(
                a.post(&bob, text).await["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
        v
    };

    // A burst of days-old accounts spread over three servers.
    for crowd in &crowds[..3] {
        likes(&a, crowd, &key, &posts[0], &named("new", 5)).await;
    }
    // An organic pattern: old accounts on five servers, as many interactions.
    for crowd in &crowds {
        likes(&a, crowd, &key, &posts[1], &named("old", 3)).await;
    }
    // Old accounts, all on one server.
    likes(&a, &crowds[0], &key, &posts[2], &named("bot", 15)).await;
    // Retries count once.
    likes(&a, &crowds[0], &key, &posts[2], &named("bot", 15)).await;

    let pending = labels(&a, &modo.token, true).await;
    let on = |uri: &str| pending.iter().find(|l| l["target"] == uri).cloned();
    let burst = on(&posts[0]).expect("the burst of young accounts is labelled");
    assert_eq!(burst["label"], "artificial_virality");
    assert_eq!(burst["source"], "detector");
    assert!(
        burst["reason"].as_str().unwrap().contains("100 %"),
        "{burst}"
    );
    assert!(
        on(&posts[1]).is_none(),
        "the organic pattern is not: {pending:?}"
    );
    let one = on(&posts[2]).expect("the one-server burst is labelled");
    assert!(
        one["reason"].as_str().unwrap().contains("1 server"),
        "{one}"
    );
    assert_eq!(pending.len(), 2, "{pending:?}");

    // Shown on the post, saying who set it and why.
    let page = html_in(
        &a.http,
        a.url(&format!("/posts/{}", posts[0].rsplit('/').next().unwrap())),
        "en",
    )
    .await;
    assert!(page.contains("Artificially viral"), "{page}");
    assert!(page.contains("set by the virality detector"), "{page}");

    // Moderators confirm one and remove the other; each is reviewed once.
    let path = |id: &Value, what: &str| format!("/api/v1/admin/labels/{id}/{what}");
    let (status, _) = a
        .post_json(&path(&burst["id"], "confirm"), Some(&bob.token), &json!({}))
        .await;
    assert_eq!(status, 403);
    let (status, c) = a
        .post_json(
            &path(&burst["id"], "confirm"),
            Some(&modo.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["confirmed"], true);
    let (status, _) = a
        .post_json(
            &path(&burst["id"], "confirm"),
            Some(&modo.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = a
        .post_json(&path(&one["id"], "remove"), Some(&modo.token), &json!({}))
        .await;
    assert_eq!(status, 200);
    let (status, _) = a
        .post_json(
            &path(&json!(999999), "remove"),
            Some(&modo.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 404);
    assert!(labels(&a, &modo.token, true).await.is_empty());
    let live = labels(&a, &modo.token, false).await;
    assert_eq!(live.len(), 1, "{live:?}");
    let page = html_in(
        &a.http,
        a.url(&format!("/posts/{}", posts[0].rsplit('/').next().unwrap())),
        "fr",
    )
    .await;
    assert!(
        page.contains("Viralité artificielle") && page.contains("confirmé par un modérateur"),
        "{page}"
    );
    let page = html_in(
        &a.http,
        a.url(&format!("/posts/{}", posts[2].rsplit('/').next().unwrap())),
        "en",
    )
    .await;
    assert!(!page.contains("Artificially viral"), "{page}");

    // The parameters in effect are published.
    let about = html_in(&a.http, a.url("/about/algorithms"), "en").await;
    assert!(about.contains("<td>12</td>"), "{about}");
    let about = common::json_as(&a.http, a.url("/about/algorithms"), "application/json").await;
    assert_eq!(
        about["artificial_virality"]["parameters"]["min_interactions"],
        12
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn moderators_label_from_a_report_and_business_posts_show_as_commercial() {
    let a = Node::start().await;
    let (alice, bob) = (
        a.confirmed_user("alice").await,
        a.confirmed_user("bob").await,
    );
    let shop = a.confirmed_user("shop").await;
    let (modo, other) = (
        a.confirmed_user("modo").await,
        a.confirmed_user("modo2").await,
    );
    a.admin(&["set-role", "modo", "moderator"]);
    a.admin(&["set-role", "modo2", "moderator"]);
    let post = a.post(&bob, "La Terre est plate").await;
    let (_, r) = a
        .post_json(
            "/api/v1/reports",
            Some(&alice.token),
            &json!({"target": post["uri"], "category": "negative_effects_on_civic_discourse_or_elections"}),
        )
        .await;
    let decide = format!("/api/v1/admin/reports/{}/decision", r["id"]);
    for (body, want) in [
        (json!({"action": "label", "reason": "Contesté"}), 400),
        (
            json!({"action": "label", "label": "disputed", "reason": "Contesté"}),
            400,
        ),
        (
            json!({"action": "label", "label": "disputed", "link": "javascript:alert(1)", "reason": "x"}),
            400,
        ),
        (
            json!({"action": "label", "label": "artificial_virality", "reason": "x"}),
            400,
        ),
        (
            json!({"action": "label", "label": "disputed", "link": "https://factcheck.example/terre", "reason": "Réfuté par les mesures."}),
            200,
        ),
    ] {
        let (status, d) = a.post_json(&decide, Some(&modo.token), &body).await;
        assert_eq!(status, want, "{body}: {d}");
    }
    let page = html_in(&a.http, a.url(&format!("/posts/{}", post["id"])), "fr").await;
    assert!(page.contains("Contesté"), "{page}");
    assert!(page.contains("https://factcheck.example/terre"), "{page}");
    assert!(page.contains("Réfuté par les mesures."), "{page}");

    // An appeal reversed by another moderator takes the label off.
    let appeal = format!("/api/v1/moderation/decisions/{}/appeal", r["id"]);
    let (status, _) = a
        .post_json(&appeal, Some(&bob.token), &json!({"text": "Je maintiens"}))
        .await;
    assert_eq!(status, 200);
    let (status, _) = a
        .post_json(
            &format!("/api/v1/admin/reports/{}/appeal/decision", r["id"]),
            Some(&other.token),
            &json!({"outcome": "reversed", "reason": "Opinion, pas information."}),
        )
        .await;
    assert_eq!(status, 200);
    let page = html_in(&a.http, a.url(&format!("/posts/{}", post["id"])), "en").await;
    assert!(!page.contains("Disputed"), "{page}");

    // A business account's posts show as commercial, by its kind.
    let (status, k) = a.declare_kind(&shop, "business").await;
    assert_eq!(status, 200, "{k}");
    let ad = a.post(&shop, "Soldes !").await;
    let page = html_in(&a.http, a.url(&format!("/posts/{}", ad["id"])), "en").await;
    assert!(
        page.contains("Commercial") && page.contains("a business account"),
        "{page}"
    );
}
