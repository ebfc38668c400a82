//! Two and more real nodes federating over HTTP on 127.0.0.1.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, eventually};
use serde_json::{Value, json};

fn contents(timeline: &[Value]) -> Vec<String> {
    timeline
        .iter()
        .map(|p| p["content"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn follow_post_edit_delete_across_two_nodes() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;

    // alice@A follows bob@B; B accepts on its own.
    let follow = a.follow(&alice, &bob.acct).await;
    assert_eq!(follow["state"], "pending");
    let follow_id = follow["id"].as_i64().unwrap();
    a.wait_accepted(&alice).await;
    // B lists alice among bob's followers.
    let (_, followers) = b.get_json("/users/bob/followers?page=true", None).await;
    assert_eq!(followers["orderedItems"], json!([alice.uri]));

    // bob posts; it reaches alice's timeline, with its content warning.
    let post = b
        .post_json(
            "/api/v1/posts",
            Some(&bob.token),
            &json!({"content": "Town hall at 6", "spoiler_text": "local politics"}),
        )
        .await
        .1;
    let uri = post["uri"].as_str().unwrap().to_string();
    let seen = eventually(30, "bob's post in alice's timeline", || async {
        a.timeline(&alice)
            .await
            .into_iter()
            .find(|p| p["uri"] == uri.as_str())
    })
    .await;
    assert_eq!(seen["content"], "<p>Town hall at 6</p>");
    assert_eq!(seen["spoiler_text"], "local politics");
    assert_eq!(seen["author"], bob.acct.as_str());

    // bob edits it; the edit reaches A.
    let id = post["id"].as_i64().unwrap();
    let (status, _) = b
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/posts/{id}"),
            &bob.token,
            Some(&json!({"content": "Town hall at 7"})),
        )
        .await;
    assert_eq!(status, 200);
    eventually(30, "the edit at A", || async {
        a.timeline(&alice)
            .await
            .into_iter()
            .find(|p| p["uri"] == uri.as_str() && p["content"] == "<p>Town hall at 7</p>")
    })
    .await;

    // bob deletes it; it disappears from A.
    let (status, _) = b
        .send_json(
            reqwest::Method::DELETE,
            &format!("/api/v1/posts/{id}"),
            &bob.token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    eventually(30, "the deletion at A", || async {
        (!a.timeline(&alice)
            .await
            .iter()
            .any(|p| p["uri"] == uri.as_str()))
        .then_some(())
    })
    .await;
    let (status, _) = b.get_json(&format!("/api/v1/posts/{id}"), None).await;
    assert_eq!(status, 404);

    // alice unfollows; B forgets her as a follower.
    let (status, _) = a
        .send_json(
            reqwest::Method::DELETE,
            &format!("/api/v1/follows/{follow_id}"),
            &alice.token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    eventually(30, "B drops the follower after Undo", || async {
        let (_, c) = b.get_json("/users/bob/followers", None).await;
        (c["totalItems"] == 0).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn nodes_follow_each_other_and_exchange_posts() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    a.follow(&alice, &bob.acct).await;
    b.follow(&bob, &format!("http://{}/users/alice", a.domain))
        .await;
    for (node, user) in [(&a, &alice), (&b, &bob)] {
        node.wait_accepted(user).await;
    }
    a.post(&alice, "from A").await;
    b.post(&bob, "from B").await;
    for (node, user) in [(&a, &alice), (&b, &bob)] {
        eventually(30, "both posts in both timelines", || async {
            let c = contents(&node.timeline(user).await);
            (c.contains(&"<p>from A</p>".to_string()) && c.contains(&"<p>from B</p>".to_string()))
                .then_some(())
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn delivery_to_a_down_node_is_retried_until_it_comes_back() {
    let (mut a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    a.follow(&alice, &bob.acct).await;
    a.wait_accepted(&alice).await;

    a.kill9();
    let post = b.post(&bob, "while you were away").await;
    // B tries, fails, and keeps the delivery queued.
    eventually(30, "a failed delivery at B", || async {
        b.metrics()
            .await
            .contains("agora_deliveries_total{outcome=\"failed\"}")
            .then_some(())
    })
    .await;
    a.launch().await;
    let uri = post["uri"].as_str().unwrap().to_string();
    eventually(60, "the post after A came back", || async {
        a.timeline(&alice)
            .await
            .into_iter()
            .find(|p| p["uri"] == uri.as_str())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_killed_mid_queue_delivers_everything_after_restart() {
    let (mut a, mut b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    a.follow(&alice, &bob.acct).await;
    a.wait_accepted(&alice).await;

    // With A down, B's deliveries pile up in its queue; then B dies without warning.
    a.kill9();
    let mut uris = Vec::new();
    for i in 0..20 {
        uris.push(
            b.post(&bob, &format!("queued {i}")).await["uri"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    b.kill9();
    a.launch().await;
    b.launch().await;
    eventually(120, "all 20 posts after B's restart", || async {
        let timeline = a.timeline(&alice).await;
        uris.iter()
            .all(|u| timeline.iter().any(|p| p["uri"] == u.as_str()))
            .then_some(())
    })
    .await;
    // Each arrived once.
    let timeline = a.timeline(&alice).await;
    assert_eq!(timeline.len(), 20, "{timeline:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn actor_documents_carry_what_mastodon_reads_and_never_the_email() {
    let a = Node::start().await;
    a.user("alice").await;
    let r = a
        .http
        .get(a.url("/users/alice"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/activity+json");
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("alice@example.org"),
        "e-mail leaked into the actor: {text}"
    );
    let doc: Value = serde_json::from_str(&text).unwrap();
    for field in [
        "id",
        "type",
        "preferredUsername",
        "name",
        "inbox",
        "outbox",
        "followers",
        "following",
        "publicKey",
        "url",
        "endpoints",
    ] {
        assert!(!doc[field].is_null(), "missing {field}: {doc}");
    }
    assert_eq!(doc["type"], "Person");
    assert_eq!(doc["accountKind"], "citizen");
    assert_eq!(
        doc["publicKey"]["id"],
        format!("{}#main-key", a.url("/users/alice"))
    );
    assert!(
        doc["@context"]
            .to_string()
            .contains("https://w3id.org/agora/ns#")
    );

    // The same URL answers HTML to a browser, without the e-mail either.
    let html = a
        .http
        .get(a.url("/users/alice"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("@alice@"), "{html}");
    assert!(!html.contains("alice@example.org"));

    // ld+json with a profile is ActivityPub too.
    let r = a
        .http
        .get(a.url("/users/alice"))
        .header(
            "accept",
            r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/activity+json");

    // Instance actor, WebFinger, NodeInfo, host-meta.
    let (_, instance) = a.get_json("/actor", None).await;
    assert_eq!(instance["type"], "Application");
    let (status, wf) = a
        .get_json(
            &format!("/.well-known/webfinger?resource=acct:alice@{}", a.domain),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(wf["links"][1]["href"], a.url("/users/alice"));
    let (status, _) = a
        .get_json(
            &format!("/.well-known/webfinger?resource=acct:nobody@{}", a.domain),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = a
        .get_json(
            "/.well-known/webfinger?resource=acct:alice@elsewhere.example",
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (_, links) = a.get_json("/.well-known/nodeinfo", None).await;
    assert_eq!(links["links"].as_array().unwrap().len(), 2);
    let (_, ni20) = a.get_json("/nodeinfo/2.0", None).await;
    assert_eq!(ni20["software"]["name"], "agora");
    let (_, ni21) = a.get_json("/nodeinfo/2.1", None).await;
    assert_eq!(ni21["metadata"]["federationMode"], "open");
    assert!(
        ni21["metadata"]["dataPolicyUrl"]
            .as_str()
            .unwrap()
            .ends_with("/about/data")
    );
    // Wrong, hostile and oversized WebFinger queries.
    for (query, want) in [
        ("".to_string(), 400),
        ("?resource=".to_string(), 400),
        ("?resource=acct:".to_string(), 400),
        ("?resource=acct:@".to_string(), 400),
        (
            format!("?resource=acct:{}@{}", "a".repeat(600), a.domain),
            400,
        ),
        (format!("?resource=acct:%3Cscript%3E@{}", a.domain), 404),
        ("?resource=http://127.0.0.1/users/alice".to_string(), 404),
    ] {
        let (status, body) = a
            .get_json(&format!("/.well-known/webfinger{query}"), None)
            .await;
        assert_eq!(status, want, "{query}: {body}");
    }
    let r = a
        .http
        .get(a.url("/remote?acct=not-a-handle"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let hm = common::html(&a.http, a.url("/.well-known/host-meta")).await;
    assert!(hm.contains("/.well-known/webfinger?resource={uri}"));
}

#[tokio::test(flavor = "multi_thread")]
async fn manual_approval_reject_then_accept_and_profile_updates() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let (status, _) = b
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/accounts/me",
            &bob.token,
            Some(&json!({"manually_approves_followers": true, "display_name": "Bob B."})),
        )
        .await;
    assert_eq!(status, 200);
    let doc = common::json_as(&b.http, b.url("/users/bob"), "application/activity+json").await;
    assert_eq!(doc["manuallyApprovesFollowers"], true);

    // The first request is rejected: A forgets it.
    assert_eq!(a.follow(&alice, &bob.acct).await["state"], "pending");
    let request = b.answer_next_request(&bob, false).await;
    assert_eq!(request["follower"]["acct"], alice.acct.as_str());
    eventually(30, "the Reject at A", || async {
        let (_, list) = a.get_json("/api/v1/follows", Some(&alice.token)).await;
        list.as_array().is_some_and(|l| l.is_empty()).then_some(())
    })
    .await;

    // The second is accepted.
    a.follow(&alice, &bob.acct).await;
    b.answer_next_request(&bob, true).await;
    a.wait_accepted(&alice).await;

    // bob renames himself; A learns it from the Update.
    let (status, _) = b
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/accounts/me",
            &bob.token,
            Some(&json!({"display_name": "Robert"})),
        )
        .await;
    assert_eq!(status, 200);
    eventually(30, "the new name at A", || async {
        let (_, list) = a.get_json("/api/v1/follows", Some(&alice.token)).await;
        (list[0]["target"]["display_name"] == "Robert").then_some(())
    })
    .await;
}
