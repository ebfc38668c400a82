//! Moving accounts and initiatives across three nodes, as Mastodon moves accounts: the new
//! account lists the old one among its aliases, the old one moves; its followers here and on
//! other nodes follow the new one (a request when it is locked), the old profile names the new
//! address, and Mastodon's limits hold (30 days between moves, a repeated `Move` ignored).
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, User, eventually, html};
use reqwest::Method;
use serde_json::{Value, json};

async fn aliases(node: &Node, user: &User, list: Value) -> (u16, Value) {
    node.send_json(
        Method::PATCH,
        "/api/v1/accounts/me",
        &user.token,
        Some(&json!({ "also_known_as": list })),
    )
    .await
}

/// The accounts `user` follows, with their state, as the API lists them.
async fn follows_of(node: &Node, user: &User) -> Vec<(String, String)> {
    let (_, list) = node.get_json("/api/v1/follows", Some(&user.token)).await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["target"]["uri"].as_str().unwrap_or_default().to_string(),
                f["state"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The `totalItems` of a followers collection.
async fn followers(node: &Node, collection: &str) -> i64 {
    let doc: Value = node
        .http
        .get(collection)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    doc["totalItems"].as_i64().unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread")]
async fn followers_on_every_node_follow_an_account_that_moved() {
    let a = Node::start().await;
    let b = Node::start().await;
    let c = Node::start().await;
    let alice = a.user("alice").await;
    let dave = a.user("dave").await;
    let carol = b.user("carol").await;
    let newer = c.user("alice2").await;
    // Dave follows her here, Carol from another node.
    a.follow(&dave, &alice.acct).await;
    b.follow(&carol, &alice.acct).await;
    b.wait_accepted(&carol).await;

    // Moving before the new account names the old one: refused.
    let (status, body) = a
        .post_json(
            "/api/v1/accounts/me/move",
            Some(&alice.token),
            &json!({"target": newer.acct}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    // Aliases: bad lists refused, a good one published in the actor.
    let eleven: Vec<String> = (0..11).map(|i| format!("@n{i}@{}", a.domain)).collect();
    assert_eq!(aliases(&c, &newer, json!(eleven)).await.0, 400);
    assert_eq!(aliases(&c, &newer, json!([newer.acct])).await.0, 400);
    assert_eq!(aliases(&c, &newer, json!(["x".repeat(3000)])).await.0, 404);
    assert_eq!(aliases(&c, &newer, json!([""])).await.0, 400);
    // An address its server does not know: its WebFinger answers 404, so does this, and
    // nothing is stored; a server that does not answer is another thing (502).
    let (status, body) = aliases(&c, &newer, json!([format!("@nobody@{}", a.domain)])).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = aliases(&c, &newer, json!(["@nobody@localhost:1"])).await;
    assert_eq!(status, 502, "{body}");
    let (_, me) = c.get_json("/api/v1/accounts/me", Some(&newer.token)).await;
    assert_eq!(me["account"]["also_known_as"], json!([]), "{me}");
    assert_eq!(aliases(&c, &newer, json!("not a list")).await.0, 400);
    let (status, me) = aliases(&c, &newer, json!([alice.acct])).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["account"]["also_known_as"], json!([alice.uri]));
    let doc: Value = c
        .http
        .get(&newer.uri)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["alsoKnownAs"], json!([alice.uri]));

    // The move.
    for bad in [
        json!({}),
        json!({"target": ""}),
        json!({"target": "x".repeat(3000)}),
    ] {
        let (status, _) = a
            .post_json("/api/v1/accounts/me/move", Some(&alice.token), &bad)
            .await;
        assert_eq!(status, 400, "{bad}");
    }
    let (status, moved) = a
        .post_json(
            "/api/v1/accounts/me/move",
            Some(&alice.token),
            &json!({"target": newer.acct}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["moved_to"], newer.uri.as_str());
    // Both followers now follow the new account, and no longer the old one.
    for (node, user) in [(&a, &dave), (&b, &carol)] {
        eventually(30, "the follow moved", || async {
            let list = follows_of(node, user).await;
            let moved = list
                .iter()
                .any(|(uri, state)| uri == &newer.uri && state == "accepted");
            let old = list.iter().any(|(uri, _)| uri == &alice.uri);
            (moved && !old).then_some(())
        })
        .await;
    }
    eventually(30, "the new account has both followers", || async {
        (followers(&c, &format!("{}/followers", newer.uri)).await == 2).then_some(())
    })
    .await;
    // The old profile names the new address, to servers and to people, and sends them on.
    let doc: Value = a
        .http
        .get(&alice.uri)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["movedTo"], newer.uri.as_str());
    let page = html(&a.http, &alice.uri).await;
    assert!(
        page.contains("has moved to") && page.contains(&newer.uri),
        "{page}"
    );
    assert!(page.contains("http-equiv=\"refresh\""), "{page}");
    // Once per 30 days.
    let (status, _) = a
        .post_json(
            "/api/v1/accounts/me/move",
            Some(&alice.token),
            &json!({"target": newer.acct}),
        )
        .await;
    assert_eq!(status, 429);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_move_to_a_locked_account_asks_and_an_initiative_moves_its_followers() {
    let a = Node::start().await;
    let b = Node::start().await;
    let c = Node::start().await;
    let bob = a.user("bob").await;
    let carol = b.user("carol").await;
    let locked = c.user("bob2").await;
    let (status, _) = c
        .send_json(
            Method::PATCH,
            "/api/v1/accounts/me",
            &locked.token,
            Some(&json!({"manually_approves_followers": true, "also_known_as": [bob.acct]})),
        )
        .await;
    assert_eq!(status, 200);
    b.follow(&carol, &bob.acct).await;
    b.wait_accepted(&carol).await;
    let (status, _) = a
        .post_json(
            "/api/v1/accounts/me/move",
            Some(&bob.token),
            &json!({"target": locked.acct}),
        )
        .await;
    assert_eq!(status, 200);
    // A locked account: Carol's follow is a request, which its owner sees and accepts.
    eventually(30, "carol asked to follow bob2", || async {
        let list = follows_of(&b, &carol).await;
        list.iter()
            .any(|(uri, state)| uri == &locked.uri && state == "pending")
            .then_some(())
    })
    .await;
    let request = c.answer_next_request(&locked, true).await;
    assert!(request.to_string().contains("carol"), "{request}");
    eventually(30, "carol follows bob2", || async {
        let list = follows_of(&b, &carol).await;
        list.iter()
            .any(|(uri, state)| uri == &locked.uri && state == "accepted")
            .then_some(())
    })
    .await;

    // An initiative moves the same way: its organizers name the old group on the new one.
    let erin = a.user("erin").await;
    let fred = c.user("fred").await;
    a.initiative(&erin, "jardins", "Jardins partagés").await;
    c.initiative(&fred, "jardins2", "Jardins partagés").await;
    let old_group = a.url("/initiatives/jardins");
    let new_group = c.url("/initiatives/jardins2");
    b.follow(&carol, &format!("@jardins@{}", a.domain)).await;
    eventually(30, "carol follows the group", || async {
        follows_of(&b, &carol)
            .await
            .iter()
            .any(|(uri, state)| uri == &old_group && state == "accepted")
            .then_some(())
    })
    .await;
    let target = json!({"target": format!("@jardins2@{}", c.domain)});
    let (status, body) = a
        .post_json(
            "/api/v1/initiatives/jardins/move",
            Some(&erin.token),
            &target,
        )
        .await;
    assert_eq!(status, 400, "not named yet: {body}");
    let (status, body) = c
        .send_json(
            Method::PATCH,
            "/api/v1/initiatives/jardins2",
            &fred.token,
            Some(&json!({"also_known_as": [old_group]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Only its organizers move it, and only to a group.
    let (status, _) = a
        .post_json(
            "/api/v1/initiatives/jardins/move",
            Some(&bob.token),
            &target,
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = a
        .post_json(
            "/api/v1/initiatives/jardins/move",
            Some(&erin.token),
            &json!({"target": locked.acct}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, moved) = a
        .post_json(
            "/api/v1/initiatives/jardins/move",
            Some(&erin.token),
            &target,
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    eventually(30, "carol follows the new group", || async {
        let list = follows_of(&b, &carol).await;
        let moved = list
            .iter()
            .any(|(uri, state)| uri == &new_group && state == "accepted");
        let old = list.iter().any(|(uri, _)| uri == &old_group);
        (moved && !old).then_some(())
    })
    .await;
    let page = html(&a.http, &old_group).await;
    assert!(
        page.contains("has moved to") && page.contains(&new_group),
        "{page}"
    );
}
