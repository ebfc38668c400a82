//! A remote actor that deletes itself (`Delete{Person}`, as Mastodon sends it when an account
//! is removed) is forgotten here: its row, posts and follows go, in one go; an administrator
//! purges another server's actor the same way on request. Blocks go both ways as Mastodon's
//! `Block` and `Undo{Block}`, and a blocker hears of the blocked account's move.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node, User, eventually,
    peer::Peer,
    signing::{Signed, post_signed},
};
use serde_json::json;

/// `user` follows the peer, which accepts as Mastodon does (the `Follow` inline).
async fn follow_accepted(node: &Node, user: &User, peer: &Peer, signed: &Signed) {
    node.follow(user, &peer.actor).await;
    let follow = eventually(30, "the Follow", || async {
        peer.received().into_iter().find(|f| f["type"] == "Follow")
    })
    .await;
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.url("/accepts/1"), "type": "Accept",
        "actor": peer.actor, "object": follow,
    });
    let inbox = node.url("/inbox");
    assert_eq!(
        post_signed(&node.http, &inbox, accept.to_string().as_bytes(), signed).await,
        202
    );
    node.wait_accepted(user).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_remote_actor_that_deletes_itself_leaves_nothing_live() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    a.user("keyholder").await;
    let (key, public) = a.keys("keyholder");
    let mastodon = Peer::start("gargron", &public).await;
    let signed = Signed::new(&mastodon.key_id, &key);
    let inbox = a.url("/inbox");

    // Alice follows gargron (accepted), gargron follows alice, and posts.
    follow_accepted(&a, &alice, &mastodon, &signed).await;
    let back = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mastodon.url("/follows/1"), "type": "Follow",
        "actor": mastodon.actor, "object": alice.uri,
    });
    assert_eq!(
        post_signed(&a.http, &inbox, back.to_string().as_bytes(), &signed).await,
        202
    );
    let note = mastodon.url("/statuses/1");
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mastodon.url("/statuses/1/activity"), "type": "Create",
        "actor": mastodon.actor, "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": note, "type": "Note", "attributedTo": mastodon.actor,
                   "content": "<p>Bonjour</p>", "to": ["https://www.w3.org/ns/activitystreams#Public"]},
    });
    assert_eq!(
        post_signed(&a.http, &inbox, create.to_string().as_bytes(), &signed).await,
        202
    );
    let db = a.db();
    let mut conn = db.get().unwrap();
    let (post, author) = agora_db::posts::by_ap_id(&mut conn, &note)
        .unwrap()
        .unwrap();
    assert!(post.deleted_at.is_none());
    assert_eq!(
        agora_db::follows::count_followers(&mut conn, author.id).unwrap(),
        1
    );

    // Mastodon's account deletion: Delete whose object is the actor itself.
    let delete = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#delete", mastodon.actor), "type": "Delete",
        "actor": mastodon.actor, "object": mastodon.actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    assert_eq!(
        post_signed(&a.http, &inbox, delete.to_string().as_bytes(), &signed).await,
        202
    );
    assert!(
        agora_db::actors::by_ap_id(&mut conn, &mastodon.actor)
            .unwrap()
            .is_none(),
        "the actor is forgotten"
    );
    assert!(
        agora_db::posts::by_ap_id(&mut conn, &note)
            .unwrap()
            .is_none(),
        "its post is gone"
    );
    assert_eq!(
        agora_db::follows::count_following(&mut conn, author.id).unwrap(),
        0
    );
    let (_, follows) = a.get_json("/api/v1/follows", Some(&alice.token)).await;
    assert!(!follows.to_string().contains(&mastodon.actor), "{follows}");
    // Mastodon sends it again (to every server it knows): accepted, nothing left to do, and
    // the actor is not fetched back.
    assert_eq!(
        post_signed(&a.http, &inbox, delete.to_string().as_bytes(), &signed).await,
        202
    );
    assert!(
        agora_db::actors::by_ap_id(&mut conn, &mastodon.actor)
            .unwrap()
            .is_none()
    );
    assert!(
        a.timeline(&alice)
            .await
            .iter()
            .all(|p| p["uri"] != note.as_str()),
        "nothing of it shows"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_purges_a_remote_actor_on_request() {
    let a = Node::start().await;
    let admin = a.confirmed_user("chief").await;
    a.admin(&["set-role", "chief", "admin"]);
    let alice = a.confirmed_user("alice").await;
    a.user("keyholder").await;
    let (key, public) = a.keys("keyholder");
    let peer = Peer::start("dora", &public).await;
    let signed = Signed::new(&peer.key_id, &key);
    let note = peer.url("/statuses/9");
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.url("/statuses/9/activity"), "type": "Create",
        "actor": peer.actor, "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": note, "type": "Note", "attributedTo": peer.actor,
                   "content": "<p>Salut</p>", "to": ["https://www.w3.org/ns/activitystreams#Public"]},
    });
    assert_eq!(
        post_signed(
            &a.http,
            &a.url("/inbox"),
            create.to_string().as_bytes(),
            &signed
        )
        .await,
        202
    );
    let purge = "/api/v1/admin/actors/purge";
    let body = json!({"actor": peer.actor});
    assert_eq!(a.post_json(purge, Some(&alice.token), &body).await.0, 403);
    assert_eq!(a.post_json(purge, None, &body).await.0, 401);
    for bad in [
        json!({"actor": "@nobody@nowhere.example"}),
        json!({"actor": alice.uri}),
        json!({"actor": "x".repeat(3000)}),
    ] {
        assert_eq!(
            a.post_json(purge, Some(&admin.token), &bad).await.0,
            404,
            "{bad}"
        );
    }
    assert_eq!(
        a.post_json(purge, Some(&admin.token), &json!({})).await.0,
        400
    );
    assert_eq!(a.post_json(purge, Some(&admin.token), &body).await.0, 204);
    let db = a.db();
    let mut conn = db.get().unwrap();
    assert!(
        agora_db::actors::by_ap_id(&mut conn, &peer.actor)
            .unwrap()
            .is_none()
    );
    assert!(
        agora_db::posts::by_ap_id(&mut conn, &note)
            .unwrap()
            .is_none()
    );
    // Alice is untouched.
    assert_eq!(
        a.get_json("/api/v1/accounts/me", Some(&alice.token))
            .await
            .0,
        200
    );
}

/// The blocks of one of our accounts by another server's, as the store keeps them.
fn blockers_of(node: &Node, name: &str) -> Vec<String> {
    let db = node.db();
    let mut conn = db.get().unwrap();
    let actor = agora_db::actors::local_by_username(&mut conn, name)
        .unwrap()
        .unwrap();
    agora_db::account_filters::blockers_inboxes(&mut conn, actor.id).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn blocks_federate_as_mastodons_and_a_blocker_hears_of_a_move() {
    let a = Node::start().await;
    let c = Node::start().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let alice2 = c.user("alice2").await;
    a.user("keyholder").await;
    let (key, public) = a.keys("keyholder");
    let mastodon = Peer::start("gargron", &public).await;
    let signed = Signed::new(&mastodon.key_id, &key);
    let inbox = a.url("/inbox");
    let send = |activity: serde_json::Value| {
        let (http, inbox, signed) = (a.http.clone(), inbox.clone(), &signed);
        async move { post_signed(&http, &inbox, activity.to_string().as_bytes(), signed).await }
    };

    // Alice follows gargron, who accepts.
    follow_accepted(&a, &alice, &mastodon, &signed).await;

    // Gargron blocks Alice, as Mastodon sends it: her follow ends with Undo{Follow}.
    let block = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mastodon.url("/blocks/1"), "type": "Block",
        "actor": mastodon.actor, "object": alice.uri,
    });
    assert_eq!(send(block.clone()).await, 202);
    assert_eq!(send(block.clone()).await, 202, "a repeat changes nothing");
    eventually(30, "alice's Undo{Follow}", || async {
        mastodon
            .received()
            .into_iter()
            .find(|u| u["type"] == "Undo" && u["object"]["type"] == "Follow")
    })
    .await;
    let (_, follows) = a.get_json("/api/v1/follows", Some(&alice.token)).await;
    assert_eq!(follows, json!([]), "alice follows gargron no more");
    assert_eq!(blockers_of(&a, "alice").len(), 1);
    // A block of nobody here, or with no object, is refused and changes nothing.
    let nobody = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mastodon.url("/blocks/2"), "type": "Block",
        "actor": mastodon.actor, "object": a.url("/users/nobody"),
    });
    let status = send(nobody).await;
    assert!((400..500).contains(&status), "{status}");
    let empty = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mastodon.url("/blocks/3"), "type": "Block", "actor": mastodon.actor,
    });
    let status = send(empty).await;
    assert!((400..500).contains(&status), "{status}");
    // Lemmy's ban of a user from a community is a `Block` with a `target`: not a block here.
    let ban = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mastodon.url("/activities/block/4"), "type": "Block",
        "actor": mastodon.actor, "object": bob.uri, "target": mastodon.url("/c/main"),
        "removeData": true, "summary": "spam post",
    });
    assert_eq!(send(ban).await, 202);
    assert!(blockers_of(&a, "bob").is_empty(), "a ban is not a block");

    // Alice moves: gargron, who follows her not but blocks her, is told, as Mastodon does.
    let (status, body) = c
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/accounts/me",
            &alice2.token,
            Some(&json!({"also_known_as": [alice.acct]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = a
        .post_json(
            "/api/v1/accounts/me/move",
            Some(&alice.token),
            &json!({"target": alice2.acct}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let moved = eventually(30, "the Move at the blocker's server", || async {
        mastodon
            .received()
            .into_iter()
            .find(|m| m["type"] == "Move")
    })
    .await;
    assert_eq!(moved["target"], alice2.uri.as_str(), "{moved}");

    // Gargron lifts the block (Undo with the Block inline).
    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mastodon.url("/blocks/1/undo"), "type": "Undo",
        "actor": mastodon.actor, "object": block,
    });
    assert_eq!(send(undo).await, 202);
    assert!(blockers_of(&a, "alice").is_empty());

    // Ours: Bob blocks gargron, then lifts it; gargron's server hears Block, then Undo{Block}.
    let (status, body) = a
        .post_json(
            "/api/v1/blocks",
            Some(&bob.token),
            &json!({"target": mastodon.actor}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let ours = eventually(30, "bob's Block", || async {
        mastodon
            .received()
            .into_iter()
            .find(|b| b["type"] == "Block" && b["actor"] == bob.uri.as_str())
    })
    .await;
    assert_eq!(ours["object"], mastodon.actor.as_str(), "{ours}");
    let id = body[0]["id"].as_i64().unwrap();
    let (status, _) = a
        .send_json(
            reqwest::Method::DELETE,
            &format!("/api/v1/blocks/{id}"),
            &bob.token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let undone = eventually(30, "bob's Undo{Block}", || async {
        mastodon
            .received()
            .into_iter()
            .find(|u| u["type"] == "Undo" && u["object"]["type"] == "Block")
    })
    .await;
    assert_eq!(undone["actor"], bob.uri.as_str());
    assert_eq!(
        undone["object"]["object"],
        mastodon.actor.as_str(),
        "{undone}"
    );
}
