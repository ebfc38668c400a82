//! A remote actor that deletes itself (`Delete{Person}`, as Mastodon sends it when an account
//! is removed) is forgotten here: its row, posts and follows go, in one go; an administrator
//! purges another server's actor the same way on request.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node, eventually,
    peer::Peer,
    signing::{Signed, post_signed},
};
use serde_json::json;

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
    a.follow(&alice, &mastodon.actor).await;
    let follow = eventually(30, "alice's Follow", || async {
        mastodon
            .received()
            .into_iter()
            .find(|f| f["type"] == "Follow")
    })
    .await;
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mastodon.url("/accepts/1"), "type": "Accept",
        "actor": mastodon.actor, "object": follow,
    });
    assert_eq!(
        post_signed(&a.http, &inbox, accept.to_string().as_bytes(), &signed).await,
        202
    );
    a.wait_accepted(&alice).await;
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
