//! A remote actor that deletes itself (`Delete{Person}`, as Mastodon sends it when an account
//! is removed) is forgotten here: its posts become tombstones and its follows end, in one go.
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
    let actor = agora_db::actors::by_ap_id(&mut conn, &mastodon.actor)
        .unwrap()
        .unwrap();
    assert!(actor.deleted_at.is_some(), "the actor is marked deleted");
    let (post, _) = agora_db::posts::by_ap_id(&mut conn, &note)
        .unwrap()
        .unwrap();
    assert!(
        post.deleted_at.is_some() && post.content.is_empty(),
        "its post is a tombstone"
    );
    assert_eq!(
        agora_db::follows::count_followers(&mut conn, actor.id).unwrap(),
        0
    );
    assert_eq!(
        agora_db::follows::count_following(&mut conn, actor.id).unwrap(),
        0
    );
    assert!(
        a.timeline(&alice)
            .await
            .iter()
            .all(|p| p["uri"] != note.as_str()),
        "nothing of it shows"
    );
}
