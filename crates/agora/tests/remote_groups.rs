//! Following a group of another server (a Lemmy community, a Mobilizon group): its announces
//! show in followers' timelines; what it announces from other hosts is fetched from its
//! origin, never taken from the announce; deletions it announces apply.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node, eventually,
    peer::Peer,
    signing::{Signed, post_signed},
};
use serde_json::{Value, json};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn stored(node: &Node, ap_id: &str) -> Option<agora_db::posts::Post> {
    let db = node.db();
    let mut conn = db.get().unwrap();
    agora_db::posts::by_ap_id(&mut conn, ap_id)
        .unwrap()
        .map(|(p, _)| p)
}

#[tokio::test(flavor = "multi_thread")]
async fn announces_of_a_followed_remote_group_are_shown_and_verified_at_their_origin() {
    let (a, b) = (Node::start().await, Node::start().await);
    let ana = a.user("ana").await;
    a.user("keyholder").await;
    let (private_pem, public_pem) = a.keys("keyholder");
    let lemmy = Peer::start_as("gardening", "Group", &public_pem).await;
    let lea = lemmy.url("/u/lea");
    lemmy.publish(
        "/u/lea",
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": lea, "type": "Person", "preferredUsername": "lea",
            "inbox": format!("{lea}/inbox"),
            "publicKey": {"id": format!("{lea}#main-key"), "owner": lea, "publicKeyPem": public_pem},
        }),
    );
    let sign = |key_id: &str| Signed::new(key_id, &private_pem);
    let send = |activity: Value| {
        let body = activity.to_string();
        let signed = sign(&lemmy.key_id);
        let client = a.http.clone();
        let inbox = a.url("/inbox");
        async move { post_signed(&client, &inbox, body.as_bytes(), &signed).await }
    };

    // Ana follows the group by its address; the group accepts as Lemmy does.
    a.follow(&ana, &lemmy.actor).await;
    let follow = eventually(30, "the Follow at the group", || async {
        lemmy.received().into_iter().find(|f| f["type"] == "Follow")
    })
    .await;
    assert_eq!(follow["object"], lemmy.actor.as_str());
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": lemmy.url("/activities/accept/1"), "type": "Accept",
        "actor": lemmy.actor, "object": follow,
    });
    assert_eq!(send(accept).await, 202);
    a.wait_accepted(&ana).await;

    // Announce{Create{Page}} of a post on the group's own server: shown, sanitised.
    let page_id = lemmy.url("/post/1");
    let announce = |n: u32, object: Value| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": lemmy.url(&format!("/activities/announce/{n}")), "type": "Announce",
            "actor": lemmy.actor, "to": [PUBLIC], "cc": [format!("{}/followers", lemmy.actor)],
            "object": object,
        })
    };
    let page = json!({
        "id": page_id, "type": "Page", "name": "Semis de printemps",
        "content": "<p>On sème samedi.</p><script>alert(1)</script>",
        "attributedTo": lea, "audience": lemmy.actor, "to": [lemmy.actor, PUBLIC],
        "published": "2026-11-20T10:00:00Z", "url": "javascript:alert(document.cookie)",
    });
    let create = json!({
        "id": lemmy.url("/activities/create/1"), "type": "Create",
        "actor": lea, "to": [PUBLIC], "object": page,
    });
    assert_eq!(send(announce(1, create)).await, 202);
    let shown = eventually(30, "the announced page in ana's timeline", || async {
        a.timeline(&ana)
            .await
            .into_iter()
            .find(|p| p["uri"] == page_id.as_str())
    })
    .await;
    let content = shown["content"].as_str().unwrap();
    assert!(content.contains("Semis de printemps") && content.contains("On sème samedi."));
    assert!(!content.contains("script"), "{content}");
    assert!(
        shown["url"].is_null(),
        "a javascript: link is not kept: {shown}"
    );
    // Pages run no script anyway.
    let listing = a.http.get(a.url("/initiatives")).send().await.unwrap();
    let csp = listing.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'none'"), "{csp}");
    assert_eq!(shown["author"], format!("@lea@{}", lemmy.domain));
    // The same post announced again in the bare form changes nothing.
    assert_eq!(send(announce(2, page.clone())).await, 202);
    assert!(stored(&a, &page_id).unwrap().updated.is_none());

    // A post from another server, announced with forged content: the origin's text is kept.
    let bob = b.user("bob").await;
    let real = b.post(&bob, "Le vrai texte de Bob").await;
    let real_id = real["uri"].as_str().unwrap().to_string();
    let forged = json!({
        "id": real_id, "type": "Note", "attributedTo": bob.uri,
        "content": "Texte falsifié", "to": [PUBLIC],
    });
    assert_eq!(send(announce(3, forged)).await, 202);
    let kept = stored(&a, &real_id).expect("the post fetched from its origin");
    assert!(
        kept.content.contains("Le vrai texte de Bob"),
        "{}",
        kept.content
    );
    assert!(!kept.content.contains("falsifié"));

    // An object that does not exist at its claimed origin is not stored.
    let ghost = b.url("/posts/999999");
    let status = send(announce(
        4,
        json!({"id": ghost, "type": "Note", "attributedTo": bob.uri, "content": "ghost"}),
    ))
    .await;
    assert_ne!(status, 202);
    assert!(stored(&a, &ghost).is_none());

    // The group removes the page (a moderator's Delete, announced): gone from the timeline.
    let delete = json!({
        "id": lemmy.url("/activities/delete/1"), "type": "Delete",
        "actor": lea, "to": [PUBLIC], "object": page_id,
    });
    assert_eq!(send(announce(5, delete)).await, 202);
    assert!(stored(&a, &page_id).unwrap().deleted_at.is_some());
    // …but it cannot remove a post of another server by announcing its Delete: the origin
    // still serves it.
    let delete_other = json!({
        "id": lemmy.url("/activities/delete/2"), "type": "Delete",
        "actor": lea, "to": [PUBLIC], "object": real_id,
    });
    assert_eq!(send(announce(6, delete_other)).await, 202);
    assert!(stored(&a, &real_id).unwrap().deleted_at.is_none());

    // Boosts by a person are acknowledged and not shown (yet).
    let boost = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": lemmy.url("/u/lea/boost/1"), "type": "Announce", "actor": lea,
        "to": [PUBLIC], "object": lemmy.url("/post/2"),
    });
    let body = boost.to_string();
    let status = post_signed(
        &a.http,
        &a.url("/inbox"),
        body.as_bytes(),
        &sign(&format!("{lea}#main-key")),
    )
    .await;
    assert_eq!(status, 202);
    assert!(stored(&a, &lemmy.url("/post/2")).is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn announces_of_a_group_nobody_here_follows_are_dropped() {
    let a = Node::start().await;
    a.user("keyholder").await;
    let (private_pem, public_pem) = a.keys("keyholder");
    let group = Peer::start_as("spam", "Group", &public_pem).await;
    let post_id = group.url("/post/1");
    let activity = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": group.url("/activities/announce/1"), "type": "Announce",
        "actor": group.actor, "to": [PUBLIC],
        "object": {"id": post_id, "type": "Note", "attributedTo": group.actor, "content": "buy now"},
    });
    let status = post_signed(
        &a.http,
        &a.url("/inbox"),
        activity.to_string().as_bytes(),
        &Signed::new(&group.key_id, &private_pem),
    )
    .await;
    assert_eq!(status, 202);
    assert!(stored(&a, &post_id).is_none());
    // Fetched to check its signature, it is not listed in the directory: nobody follows it.
    let (_, listed) = a.get_json("/api/v1/initiatives?scope=remote", None).await;
    assert_eq!(listed, json!([]));
}

/// Defect 23: a followed Lemmy community showed no moderators, and our count of its followers
/// read as its total.
#[tokio::test(flavor = "multi_thread")]
async fn a_followed_group_shows_its_moderators_and_its_followers_here() {
    let a = Node::start().await;
    let ana = a.user("ana").await;
    a.user("keyholder").await;
    let (private_pem, public_pem) = a.keys("keyholder");
    let lemmy = Peer::start_as("gardening", "Group", &public_pem).await;
    // As Lemmy publishes a community: `attributedTo` is the collection of its moderators.
    let moderators = lemmy.url("/users/gardening/moderators");
    let mut group: Value = reqwest::get(&lemmy.actor)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    group["attributedTo"] = json!(moderators);
    lemmy.publish("/users/gardening", group);
    let lea = lemmy.url("/u/lea");
    lemmy.publish(
        "/u/lea",
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": lea, "type": "Person", "preferredUsername": "lea", "name": "Léa",
            "inbox": format!("{lea}/inbox"),
            "publicKey": {"id": format!("{lea}#main-key"), "owner": lea, "publicKeyPem": public_pem},
        }),
    );
    lemmy.publish(
        "/users/gardening/moderators",
        json!({"id": moderators, "type": "OrderedCollection", "totalItems": 2,
               "orderedItems": [lea, "http://elsewhere.example/u/mallory"]}),
    );

    a.follow(&ana, &lemmy.actor).await;
    let follow = eventually(30, "the Follow at the group", || async {
        lemmy.received().into_iter().find(|f| f["type"] == "Follow")
    })
    .await;
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": lemmy.url("/activities/accept/1"), "type": "Accept",
        "actor": lemmy.actor, "object": follow,
    });
    let status = post_signed(
        &a.http,
        &a.url("/inbox"),
        accept.to_string().as_bytes(),
        &Signed::new(&lemmy.key_id, &private_pem),
    )
    .await;
    assert_eq!(status, 202);
    a.wait_accepted(&ana).await;

    let page_url = a.url(&format!("/remote?acct=%40gardening%40{}", lemmy.domain));
    let page = eventually(30, "the moderators on the group's page", || async {
        let page = common::html(&a.http, &page_url).await;
        page.contains("Léa").then_some(page)
    })
    .await;
    assert!(page.contains("Moderators"), "{page}");
    assert!(
        !page.contains("mallory"),
        "a moderator on another host is not taken from the group: {page}"
    );
    assert!(page.contains("1 followers here"), "{page}");
    let directory = common::html(&a.http, a.url("/initiatives")).await;
    assert!(directory.contains("1 followers here"), "{directory}");
}
