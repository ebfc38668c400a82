//! Initiative updates across three nodes: the group announces its organizers' updates and
//! the replies in their threads to followers on every server; edits and deletions follow.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, User, eventually};
use serde_json::{Value, json};

/// The post with this ActivityPub id in a user's timeline, once it is there.
async fn wait_in_timeline(node: &Node, user: &User, uri: &str, what: &str) -> Value {
    eventually(30, what, || async {
        node.timeline(user)
            .await
            .into_iter()
            .find(|p| p["uri"] == uri)
    })
    .await
}

/// The ActivityPub ids of the replies a node shows under one of its posts.
async fn replies(node: &Node, post_id: &Value) -> Vec<String> {
    let (status, body) = node
        .get_json(&format!("/api/v1/posts/{post_id}/replies"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn updates_and_replies_reach_followers_on_every_node() {
    let (a, b, c) = (
        Node::start().await,
        Node::start().await,
        Node::start().await,
    );
    let alice = a.user("alice").await;
    a.initiative(&alice, "jardin", "Jardin partagé").await;
    let group = format!("@jardin@{}", a.domain);
    let (bob, carol, dan) = (
        b.user("bob").await,
        c.user("carol").await,
        a.user("dan").await,
    );
    b.follow(&bob, &group).await;
    c.follow(&carol, &group).await;
    a.follow(&dan, &group).await;
    b.wait_accepted(&bob).await;
    c.wait_accepted(&carol).await;

    // Only organizers post updates.
    let path = "/api/v1/initiatives/jardin/updates";
    let body = json!({"content": "Première réunion jeudi à 18 h."});
    let (status, _) = a.post_json(path, Some(&dan.token), &body).await;
    assert_eq!(status, 403);
    let (status, update) = a.post_json(path, Some(&alice.token), &body).await;
    assert_eq!(status, 201, "{update}");
    let uri = update["uri"].as_str().unwrap().to_string();

    // Everyone following the group sees it, on every node.
    let on_a = wait_in_timeline(&a, &dan, &uri, "dan (node A) sees the update").await;
    let on_b = wait_in_timeline(&b, &bob, &uri, "bob (node B) sees the update").await;
    let on_c = wait_in_timeline(&c, &carol, &uri, "carol (node C) sees the update").await;
    assert_eq!(on_b["author"], alice.acct.as_str());
    assert_eq!(on_c["content"], update["content"]);
    let (_, listed) = a.get_json(path, None).await;
    assert_eq!(listed[0]["uri"], uri.as_str());
    // Node B knows the initiative: its view and the updates its group announced there.
    let remote = format!("/api/v1/initiatives/jardin@{}", a.domain);
    let (status, view) = b.get_json(&remote, None).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(
        (view["local"].clone(), view["uri"].clone()),
        (json!(false), json!(a.url("/initiatives/jardin")))
    );
    let (_, announced) = b.get_json(&format!("{remote}/updates"), None).await;
    assert_eq!(announced[0]["uri"], uri.as_str());
    let (status, _) = b
        .get_json("/api/v1/initiatives/jardin@unknown.example", None)
        .await;
    assert_eq!(status, 404);
    // Bob's home page says which initiative the update is from.
    let html = common::html(&b.browser_login("bob").await, b.url("/")).await;
    assert!(html.contains("Première réunion jeudi"), "{html}");
    assert!(
        html.contains(">Jardin partagé</a>"),
        "the initiative is named: {html}"
    );

    // Followers reply from their own nodes; the replies thread under the update everywhere.
    let reply = |text: &str| json!({"content": text, "in_reply_to": uri});
    let (status, from_bob) = b
        .post_json("/api/v1/posts", Some(&bob.token), &reply("J'y serai."))
        .await;
    assert_eq!(status, 201, "{from_bob}");
    let (status, from_carol) = c
        .post_json("/api/v1/posts", Some(&carol.token), &reply("Moi aussi !"))
        .await;
    assert_eq!(status, 201, "{from_carol}");
    let (status, from_dan) = a
        .post_json(
            "/api/v1/posts",
            Some(&dan.token),
            &reply("J'apporte des graines."),
        )
        .await;
    assert_eq!(status, 201, "{from_dan}");
    let all: Vec<String> = [&from_bob, &from_carol, &from_dan]
        .iter()
        .map(|p| p["uri"].as_str().unwrap().to_string())
        .collect();
    for (node, id, name) in [
        (&a, &update["id"], "A"),
        (&b, &on_b["id"], "B"),
        (&c, &on_c["id"], "C"),
    ] {
        eventually(
            30,
            &format!("node {name} shows the three replies"),
            || async {
                let shown = replies(node, id).await;
                all.iter().all(|r| shown.contains(r)).then_some(())
            },
        )
        .await;
    }
    // The replies reached the followers' timelines through the group, not through follows.
    wait_in_timeline(&c, &carol, &all[0], "carol sees bob's reply").await;
    wait_in_timeline(&b, &bob, &all[1], "bob sees carol's reply").await;
    let _ = on_a;

    // The organizer edits the update: every node shows the new text.
    let (status, edited) = a
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/posts/{}", update["id"]),
            &alice.token,
            Some(&json!({"content": "Réunion déplacée à vendredi."})),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    for (node, user, name) in [(&b, &bob, "B"), (&c, &carol, "C")] {
        eventually(30, &format!("node {name} shows the edit"), || async {
            let post = node
                .timeline(user)
                .await
                .into_iter()
                .find(|p| p["uri"] == uri.as_str())?;
            (post["content"].as_str()?.contains("vendredi") && !post["edited_at"].is_null())
                .then_some(())
        })
        .await;
    }

    // A reply edited on B reaches C through the group.
    let (status, _) = b
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/posts/{}", from_bob["id"]),
            &bob.token,
            Some(&json!({"content": "J'y serai, avec une bêche."})),
        )
        .await;
    assert_eq!(status, 200);
    eventually(30, "carol sees bob's edited reply", || async {
        let post = c
            .timeline(&carol)
            .await
            .into_iter()
            .find(|p| p["uri"] == all[0].as_str())?;
        post["content"].as_str()?.contains("bêche").then_some(())
    })
    .await;

    // The organizer deletes the update: it disappears everywhere.
    let (status, _) = a
        .send_json(
            reqwest::Method::DELETE,
            &format!("/api/v1/posts/{}", update["id"]),
            &alice.token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    for (node, user, name) in [(&a, &dan, "A"), (&b, &bob, "B"), (&c, &carol, "C")] {
        eventually(
            30,
            &format!("node {name} no longer shows the update"),
            || async {
                let shown = node.timeline(user).await;
                (!shown.iter().any(|p| p["uri"] == uri.as_str())).then_some(())
            },
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn updates_are_validated_and_only_organizers_pin_them() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let mallory = a.user("mallory").await;
    a.initiative(&alice, "jardin", "Jardin partagé").await;
    let path = "/api/v1/initiatives/jardin/updates";
    for (body, why) in [
        (json!({"content": ""}), "empty"),
        (json!({"content": "x".repeat(5001)}), "too long"),
        (
            json!({"content": "hi", "in_reply_to": "https://elsewhere.example/p/1"}),
            "a reply",
        ),
        (json!({"text": "wrong field"}), "wrong shape"),
    ] {
        let (status, body) = a.post_json(path, Some(&alice.token), &body).await;
        assert_eq!(status, 400, "{why}: {body}");
    }
    let (status, _) = a
        .post_json(
            "/api/v1/initiatives/nope/updates",
            Some(&alice.token),
            &json!({"content": "x"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = a.post_json(path, None, &json!({"content": "x"})).await;
    assert_eq!(status, 401);

    let (status, update) = a
        .post_json(
            path,
            Some(&alice.token),
            &json!({"content": "<b>Bienvenue</b> & merci"}),
        )
        .await;
    assert_eq!(status, 201);
    assert!(!update["content"].as_str().unwrap().contains("<b>"));
    let pin = format!("{path}/{}/pin", update["id"]);
    let (status, _) = a.post_json(&pin, Some(&mallory.token), &json!({})).await;
    assert_eq!(status, 403);
    let (status, _) = a.post_json(&pin, Some(&alice.token), &json!({})).await;
    assert_eq!(status, 200);
    let (status, featured) = a.get_json("/initiatives/jardin/featured", None).await;
    assert_eq!(status, 200);
    assert_eq!(featured["orderedItems"][0]["id"], update["uri"]);
    // A post that is not one of this initiative's updates cannot be pinned.
    let other = a.post(&alice, "ordinary post").await;
    let (status, _) = a
        .post_json(
            &format!("{path}/{}/pin", other["id"]),
            Some(&alice.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = a
        .send_json(reqwest::Method::DELETE, &pin, &alice.token, None)
        .await;
    assert_eq!(status, 200);
    let (_, featured) = a.get_json("/initiatives/jardin/featured", None).await;
    assert_eq!(featured["totalItems"], 0);
    // Organizers are listed as the group's moderators.
    let (_, moderators) = a.get_json("/initiatives/jardin/moderators", None).await;
    assert_eq!(moderators["orderedItems"], json!([alice.uri]));

    // The initiative's page shows the update, with the form for its organizer.
    let web = a.browser_login("alice").await;
    let html = common::html(&web, a.url("/initiatives/jardin")).await;
    assert!(html.contains("Bienvenue"));
    assert!(html.contains("action=\"/initiatives/jardin/updates\""));
    let form = [
        ("csrf", common::csrf(&html)),
        ("content", "Posted from the page".to_string()),
    ];
    let r = web
        .post(a.url("/initiatives/jardin/updates"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, listed) = a.get_json(path, None).await;
    assert!(
        listed[0]["content"]
            .as_str()
            .unwrap()
            .contains("Posted from the page")
    );

    // The edit page, for organizers: the description comes back as the text that was typed.
    let html = common::html(&web, a.url("/initiatives/jardin/edit")).await;
    assert!(html.contains(">Un jardin.</textarea>"), "{html}");
    let token = common::csrf(&html);
    let fields = |status: &str| {
        vec![
            ("csrf", token.clone()),
            ("name", "Jardin partagé du quartier".to_string()),
            (
                "description",
                "Un jardin.\n\nOuvert à tous & gratuit".to_string(),
            ),
            ("goals", "Planter 20 arbres".to_string()),
            ("tags", "ecologie, quartier".to_string()),
            ("place", "Lyon 8e".to_string()),
            ("status", status.to_string()),
            ("manually_approves_followers", "true".to_string()),
        ]
    };
    let r = web
        .post(a.url("/initiatives/jardin/edit"))
        .form(&fields("won"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text().await.unwrap().contains("Planter 20 arbres"),
        "the form keeps what was typed"
    );
    let r = web
        .post(a.url("/initiatives/jardin/edit"))
        .form(&fields("achieved"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, view) = a.get_json("/api/v1/initiatives/jardin", None).await;
    assert_eq!(view["name"], "Jardin partagé du quartier");
    assert_eq!(view["status"], "achieved");
    assert_eq!(view["tags"], json!(["ecologie", "quartier"]));
    assert_eq!(
        view["description"],
        "<p>Un jardin.</p><p>Ouvert à tous &amp; gratuit</p>"
    );
    // Coordinates and links set through the API survive a form save that does not touch them.
    let (status, _) = a
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/initiatives/jardin",
            &alice.token,
            Some(&json!({
                "description": "<p>See <a href=\"https://example.org/plan\">the plan</a></p>",
                "place": {"name": "Lyon 8e", "latitude": 45.73, "longitude": 4.87},
            })),
        )
        .await;
    assert_eq!(status, 200);
    let html = common::html(&web, a.url("/initiatives/jardin/edit")).await;
    let mut unchanged: Vec<(&str, String)> = fields("closed")
        .into_iter()
        .filter(|(k, _)| !matches!(*k, "description" | "csrf"))
        .collect();
    unchanged.push(("csrf", common::csrf(&html)));
    unchanged.push(("description", "See the plan".to_string()));
    let r = web
        .post(a.url("/initiatives/jardin/edit"))
        .form(&unchanged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, view) = a.get_json("/api/v1/initiatives/jardin", None).await;
    assert_eq!(view["status"], "closed");
    assert_eq!(view["place"]["latitude"], 45.73);
    assert!(
        view["description"]
            .as_str()
            .unwrap()
            .contains("https://example.org/plan")
    );
    let mut forged = fields("open");
    forged[0].1 = "wrong".into();
    let r = web
        .post(a.url("/initiatives/jardin/edit"))
        .form(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "CSRF");
    let other = a.browser_login("mallory").await;
    let r = other
        .get(a.url("/initiatives/jardin/edit"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mastodon_follower_receives_the_bare_announce_alongside_fep_1b12() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    a.user("keyholder").await;
    a.initiative(&alice, "jardin", "Jardin partagé").await;
    let group = a.url("/initiatives/jardin");
    let (private_pem, public_pem) = a.keys("keyholder");
    let mastodon = common::peer::Peer::start("gargron", &public_pem).await;

    // Mastodon follows the group, signing as it does (draft-cavage, rsa-sha256).
    let accept = a.remote_follow(&mastodon, &private_pem, &group, 1).await;
    assert_eq!(accept["actor"], group.as_str());
    assert_eq!(accept["object"]["id"], mastodon.url("/follows/1").as_str());

    let (status, update) = a
        .post_json(
            "/api/v1/initiatives/jardin/updates",
            Some(&alice.token),
            &json!({"content": "Le jardin ouvre samedi."}),
        )
        .await;
    assert_eq!(status, 201);
    let uri = update["uri"].as_str().unwrap();
    let announces: Vec<Value> = eventually(30, "both announces", || async {
        let got: Vec<Value> = mastodon
            .received()
            .into_iter()
            .filter(|a| a["type"] == "Announce")
            .collect();
        (got.len() >= 2).then_some(got)
    })
    .await;
    assert_eq!(announces.len(), 2, "{announces:?}");
    let fep = announces
        .iter()
        .find(|a| a["object"]["type"] == "Create")
        .expect("Announce{Create{Note}}");
    let bare = announces
        .iter()
        .find(|a| a["object"]["type"] == "Note")
        .expect("Announce{Note}, the form Mastodon understands");
    for announce in [fep, bare] {
        assert_eq!(announce["actor"], group.as_str());
        assert_eq!(
            announce["to"],
            json!(["https://www.w3.org/ns/activitystreams#Public"])
        );
        assert_eq!(announce["cc"], json!([format!("{group}/followers")]));
        assert!(announce["@context"].is_array() || announce["@context"].is_string());
    }
    let note = &bare["object"];
    assert_eq!(note["id"], uri);
    assert_eq!(note["attributedTo"], alice.uri.as_str());
    assert_eq!(note["audience"], group.as_str());
    assert!(
        note["content"]
            .as_str()
            .unwrap()
            .contains("Le jardin ouvre samedi.")
    );
    assert_eq!(fep["object"]["actor"], alice.uri.as_str());
    assert_eq!(fep["object"]["object"]["id"], uri);
    // A direct reply (to the organizer only) is neither stored nor announced to everyone.
    let direct = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("http://{}/statuses/2/activity", mastodon.domain),
        "type": "Create",
        "actor": mastodon.actor,
        "to": [alice.uri],
        "object": {
            "id": format!("http://{}/statuses/2", mastodon.domain),
            "type": "Note",
            "attributedTo": mastodon.actor,
            "inReplyTo": uri,
            "content": "<p>Only for you</p>",
            "to": [alice.uri],
        },
    });
    let status = common::signing::post_signed(
        &a.http,
        &a.url("/inbox"),
        direct.to_string().as_bytes(),
        &common::signing::Signed::new(&mastodon.key_id, &private_pem),
    )
    .await;
    assert_eq!(status, 202);
    let (_, replies) = a
        .get_json(&format!("/api/v1/posts/{}/replies", update["id"]), None)
        .await;
    assert_eq!(replies, json!([]), "a direct message is not shown publicly");
    // The announces have stable ids, the same the group's outbox lists.
    let (_, outbox) = a
        .get_json("/initiatives/jardin/outbox?page=true", None)
        .await;
    assert_eq!(outbox["orderedItems"][0]["id"], fep["id"]);

    // An organizer gives it an avatar; the group document then carries every field Mastodon
    // reads.
    let avatar = a
        .http
        .put(a.url("/api/v1/initiatives/jardin/avatar"))
        .bearer_auth(&alice.token)
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(avatar.status(), 200);
    let view: Value = avatar.json().await.unwrap();
    let image = view["avatar"].as_str().unwrap().to_string();
    let served = a.http.get(&image).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert!(served.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let doc = common::json_as(&a.http, &group, "application/activity+json").await;
    assert_eq!(doc["type"], "Group");
    for field in [
        "preferredUsername",
        "name",
        "summary",
        "inbox",
        "outbox",
        "followers",
        "publicKey",
        "url",
        "manuallyApprovesFollowers",
        "discoverable",
        "icon",
        "featured",
        "attributedTo",
    ] {
        assert!(!doc[field].is_null(), "missing {field}: {doc}");
    }
    assert!(doc["endpoints"]["sharedInbox"].is_string());
    assert_eq!(doc["publicKey"]["owner"], group.as_str());
    assert_eq!(doc["icon"]["type"], "Image");
    assert_eq!(doc["icon"]["mediaType"], "image/png");
    assert_eq!(doc["icon"]["url"], image.as_str());
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xd0, 0xca, 0xd3, 0xfa,
    0x0f, 0x00, 0x03, 0x4a, 0x01, 0xc2, 0xca, 0x18, 0x4b, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A 1×1 PNG with a text chunk that must not be published.
const PNG_WITH_TEXT: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x2c, 0x74, 0x45, 0x58, 0x74, 0x43, 0x6f, 0x6d, 0x6d, 0x65, 0x6e, 0x74,
    0x00, 0x47, 0x50, 0x53, 0x20, 0x34, 0x35, 0x2e, 0x37, 0x36, 0x34, 0x30, 0x4e, 0x20, 0x34, 0x2e,
    0x38, 0x33, 0x35, 0x37, 0x45, 0x20, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x2d, 0x6c, 0x6f, 0x63,
    0x61, 0x74, 0x69, 0x6f, 0x6e, 0x54, 0x74, 0xfa, 0x44, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41,
    0x54, 0x78, 0x9c, 0x63, 0xd0, 0xca, 0xd3, 0xfa, 0x0f, 0x00, 0x03, 0x4a, 0x01, 0xc2, 0xca, 0x18,
    0x4b, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A 68-byte PNG whose header claims 100 000 × 100 000 pixels.
const PNG_BOMB: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 0x08, 0x06, 0x00, 0x00, 0x00, 0xa8, 0x52, 0x0b,
    0xc8, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x80, 0x01, 0x00,
    0x00, 0x0a, 0x00, 0x01, 0x7f, 0x80, 0x74, 0x5e, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

#[tokio::test(flavor = "multi_thread")]
async fn pictures_are_checked_and_only_organizers_set_them() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let mallory = a.user("mallory").await;
    a.initiative(&alice, "jardin", "Jardin partagé").await;
    let put = |token: &str, path: &str, body: Vec<u8>| {
        a.http
            .put(a.url(path))
            .bearer_auth(token.to_string())
            .body(body)
            .send()
    };
    let avatar = "/api/v1/initiatives/jardin/avatar";
    for (body, status, why) in [
        (
            b"<svg onload=alert(1)>".to_vec(),
            400,
            "not an image we accept",
        ),
        (Vec::new(), 400, "empty"),
        (
            [&PNG[..16], b"garbage"].concat(),
            400,
            "a PNG header on garbage",
        ),
        (
            PNG_BOMB.to_vec(),
            400,
            "a small file claiming 100 000 × 100 000 pixels",
        ),
        (
            [PNG, &vec![0u8; 2 * 1024 * 1024]].concat(),
            413,
            "over 2 MB",
        ),
    ] {
        let r = put(&alice.token, avatar, body).await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{why}");
        let body: Value = r.json().await.unwrap();
        assert!(body["error"].is_string(), "{why}: {body}");
    }
    let r = put(&mallory.token, avatar, PNG.to_vec()).await.unwrap();
    assert_eq!(r.status(), 403);
    let r = put(
        &alice.token,
        "/api/v1/initiatives/jardin/wallpaper",
        PNG.to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 404);
    // Nothing was stored by the refused uploads.
    let media = a.dir.join("media");
    assert!(!media.exists() || std::fs::read_dir(&media).unwrap().next().is_none());

    let r = put(
        &alice.token,
        "/api/v1/initiatives/jardin/banner",
        PNG_WITH_TEXT.to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let (_, view) = a.get_json("/api/v1/initiatives/jardin", None).await;
    assert!(view["banner"].as_str().unwrap().ends_with(".png"));
    // Stored re-encoded: the text chunk (as EXIF would be, with a photo's location) is gone.
    let served = a
        .http
        .get(view["banner"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(served.starts_with(b"\x89PNG"));
    let needle = b"secret-location";
    assert!(PNG_WITH_TEXT.windows(needle.len()).any(|w| w == needle));
    assert!(
        !served.windows(needle.len()).any(|w| w == needle),
        "metadata published"
    );
    assert!(view["avatar"].is_null());
    // Only names this node made are served.
    for path in [
        "/media/..%2Fagora.toml",
        "/media/agora.sqlite3",
        "/media/abc.png",
    ] {
        let r = a.http.get(a.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    let (status, view) = a
        .send_json(
            reqwest::Method::DELETE,
            "/api/v1/initiatives/jardin/banner",
            &alice.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert!(view["banner"].is_null());

    // From the edit page: a multipart form with the CSRF token.
    let web = a.browser_login("alice").await;
    let html = common::html(&web, a.url("/initiatives/jardin/edit")).await;
    let token = common::csrf(&html);
    let form = |csrf: &str, bytes: &[u8]| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.to_string())
            .text("which", "avatar")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("a.png"),
            )
    };
    let upload = a.url("/initiatives/jardin/picture");
    let r = web
        .post(&upload)
        .multipart(form("wrong", PNG))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "CSRF");
    let r = web
        .post(&upload)
        .multipart(form(&token, b"%PDF-1.7"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = web
        .post(&upload)
        .multipart(form(&token, PNG))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, view) = a.get_json("/api/v1/initiatives/jardin", None).await;
    assert!(view["avatar"].as_str().unwrap().ends_with(".png"));
    let page = common::html(&a.http, a.url("/initiatives/jardin")).await;
    assert!(page.contains("class=\"avatar\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn following_a_group_brings_its_recent_updates() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    a.initiative(&alice, "jardin", "Jardin partagé").await;
    let path = "/api/v1/initiatives/jardin/updates";
    let mut uris = Vec::new();
    for text in ["Premier semis", "Deuxième semis"] {
        let (status, update) = a
            .post_json(path, Some(&alice.token), &json!({ "content": text }))
            .await;
        assert_eq!(status, 201);
        uris.push(update["uri"].as_str().unwrap().to_string());
    }
    // An ordinary post of the organizer is not the group's: it does not come along.
    let own = a.post(&alice, "Not an update").await;

    let bob = b.user("bob").await;
    b.follow(&bob, &format!("@jardin@{}", a.domain)).await;
    b.wait_accepted(&bob).await;
    for uri in &uris {
        wait_in_timeline(&b, &bob, uri, "an update published before the follow").await;
    }
    assert!(
        !b.timeline(&bob)
            .await
            .iter()
            .any(|p| p["uri"] == own["uri"])
    );
}
