//! Initiatives as `Group` actors: creation, validation, the directory, the actor document
//! Mastodon reads, and follows from this node and from another one.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::Node;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread")]
async fn an_initiative_is_a_group_anyone_can_follow() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let (status, created) = a
        .post_json(
            "/api/v1/initiatives",
            Some(&alice.token),
            &json!({
                "handle": "parc_lumiere",
                "name": "Un parc pour le quartier Lumière",
                "description": "<p>Transformer la friche en parc.</p><script>alert(1)</script>",
                "goals": "500 signatures, a meeting with the town hall",
                "tags": ["#Ecologie", "quartier", "ecologie"],
                "place": {"name": "Lyon 8e", "latitude": 45.73, "longitude": 4.87}
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["acct"], format!("@parc_lumiere@{}", a.domain));
    assert_eq!(created["tags"], json!(["ecologie", "quartier"]));
    assert_eq!(created["status"], "open");
    assert_eq!(created["organizers"][0]["acct"], alice.acct.as_str());
    assert!(!created["description"].as_str().unwrap().contains("script"));
    let uri = created["uri"].as_str().unwrap().to_string();
    assert_eq!(uri, a.url("/initiatives/parc_lumiere"));

    // The Group document carries every field Mastodon reads.
    let doc = common::json_as(&a.http, &uri, "application/activity+json").await;
    assert_eq!(doc["type"], "Group");
    for field in [
        "preferredUsername",
        "name",
        "summary",
        "inbox",
        "followers",
        "publicKey",
        "url",
        "manuallyApprovesFollowers",
        "discoverable",
    ] {
        assert!(!doc[field].is_null(), "missing {field}: {doc}");
    }
    assert!(doc["endpoints"]["sharedInbox"].is_string());
    assert!(doc.get("accountKind").is_none());
    let (status, wf) = a
        .get_json(
            &format!(
                "/.well-known/webfinger?resource=acct:parc_lumiere@{}",
                a.domain
            ),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(wf["links"][1]["href"], uri.as_str());
    assert_eq!(
        wf["links"][1]["properties"]["https://www.w3.org/ns/activitystreams#type"],
        "Group"
    );
    // It is not a person: /users/parc_lumiere does not serve it.
    let r = a
        .http
        .get(a.url("/users/parc_lumiere"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Its page, for browsers.
    let html = common::html(&a.http, &uri).await;
    assert!(html.contains("Un parc pour le quartier Lumière"));

    // People and initiatives share one namespace.
    let (status, _) = a
        .post_json(
            "/api/v1/initiatives",
            Some(&alice.token),
            &json!({"handle": "alice", "name": "x", "description": ""}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = a.post_json("/api/v1/accounts", None, &json!({"handle": "parc_lumiere", "email": "p@example.org", "password": "long enough pw"})).await;
    assert_eq!(status, 409);

    // Followed from this node and from another one.
    let carol = a.user("carol").await;
    assert_eq!(
        a.follow(&carol, &format!("@parc_lumiere@{}", a.domain))
            .await["state"],
        "accepted"
    );
    let bob = b.user("bob").await;
    b.follow(&bob, &format!("@parc_lumiere@{}", a.domain)).await;
    b.wait_accepted(&bob).await;
    let (_, view) = a.get_json("/api/v1/initiatives/parc_lumiere", None).await;
    assert_eq!(view["followers_count"], 2);
    let (_, followers) = a
        .get_json("/initiatives/parc_lumiere/followers?page=true", None)
        .await;
    assert_eq!(followers["orderedItems"].as_array().unwrap().len(), 2);

    // Organizers edit it; the other node hears the Update{Group}.
    let path = "/api/v1/initiatives/parc_lumiere";
    let (status, _) = a
        .send_json(
            reqwest::Method::PATCH,
            path,
            &carol.token,
            Some(&json!({"name": "Hijacked"})),
        )
        .await;
    assert_eq!(status, 403);
    for body in [
        json!({"status": "won"}),
        json!({"name": ""}),
        json!({"tags": ["no spaces"]}),
        json!({"place": {"name": "x", "latitude": 1.0}}),
    ] {
        let (status, answer) = a
            .send_json(reqwest::Method::PATCH, path, &alice.token, Some(&body))
            .await;
        assert_eq!(status, 400, "{body}: {answer}");
    }
    let (status, view) = a
        .send_json(
            reqwest::Method::PATCH,
            path,
            &alice.token,
            Some(&json!({"name": "Parc Lumière", "status": "achieved", "place": null, "manually_approves_followers": true})),
        )
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(
        (view["name"].as_str(), view["status"].as_str()),
        (Some("Parc Lumière"), Some("achieved"))
    );
    assert!(view["place"].is_null());
    assert_eq!(
        view["tags"],
        json!(["ecologie", "quartier"]),
        "untouched fields stay"
    );
    common::eventually(30, "the new name at B", || async {
        let (_, list) = b.get_json("/api/v1/follows", Some(&bob.token)).await;
        (list[0]["target"]["display_name"] == "Parc Lumière").then_some(())
    })
    .await;
    // B's directory lists it among the initiatives of other nodes, with the civic fields its
    // Group document carries (tags as Hashtags, status), searchable like local ones.
    let (status, remote) = b
        .get_json("/api/v1/initiatives?scope=remote&tag=ecologie", None)
        .await;
    assert_eq!(status, 200, "{remote}");
    assert_eq!(remote.as_array().unwrap().len(), 1, "{remote}");
    assert_eq!(remote[0]["uri"], uri.as_str());
    assert_eq!(remote[0]["name"], "Parc Lumière");
    assert_eq!(remote[0]["status"], "achieved");
    assert_eq!(remote[0]["local"], false);
    assert!(remote[0]["place"].is_null());
    let (_, found) = b.get_json("/api/v1/initiatives?q=friche", None).await;
    assert_eq!(found[0]["uri"], uri.as_str());
    let (_, local) = b.get_json("/api/v1/initiatives?scope=local", None).await;
    assert_eq!(local, json!([]));
    let (status, _) = b
        .get_json("/api/v1/initiatives?scope=elsewhere", None)
        .await;
    assert_eq!(status, 400);
    let html = common::html(&b.http, b.url("/initiatives?tag=quartier")).await;
    assert!(html.contains("Parc Lumière"), "{html}");
    // Its page on B: what the group says of itself as an initiative.
    let html = common::html(
        &b.http,
        b.url(&format!("/remote?acct=%40parc_lumiere%40{}", a.domain)),
    )
    .await;
    assert!(
        html.contains("Achieved") && html.contains("#ecologie"),
        "{html}"
    );
    assert!(html.contains("500 signatures"), "goals shown: {html}");
    // It now approves followers by hand.
    let dave = a.user("dave").await;
    assert_eq!(
        a.follow(&dave, &format!("@parc_lumiere@{}", a.domain))
            .await["state"],
        "pending"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_directory_searches_by_word_tag_place_and_status() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    for (handle, name, tags, place) in [
        ("velo_lyon", "Pistes cyclables", vec!["mobilite"], "Lyon"),
        (
            "jardin_nantes",
            "Jardin partagé",
            vec!["ecologie"],
            "Nantes",
        ),
        (
            "cantine_bio",
            "Cantine bio au collège",
            vec!["ecologie", "ecole"],
            "Lyon 3e",
        ),
    ] {
        let (status, body) = a
            .post_json("/api/v1/initiatives", Some(&alice.token), &json!({"handle": handle, "name": name, "description": "", "tags": tags, "place": {"name": place}}))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let handles = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["handle"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (_, all) = a.get_json("/api/v1/initiatives", None).await;
    assert_eq!(
        handles(&all),
        ["cantine_bio", "jardin_nantes", "velo_lyon"],
        "newest activity first"
    );
    let (_, found) = a.get_json("/api/v1/initiatives?q=cyclables", None).await;
    assert_eq!(handles(&found), ["velo_lyon"]);
    let (_, found) = a
        .get_json("/api/v1/initiatives?tag=%23Ecologie", None)
        .await;
    assert_eq!(handles(&found), ["cantine_bio", "jardin_nantes"]);
    let (_, found) = a.get_json("/api/v1/initiatives?place=lyon", None).await;
    assert_eq!(handles(&found), ["cantine_bio", "velo_lyon"]);
    let (_, found) = a
        .get_json("/api/v1/initiatives?status=achieved", None)
        .await;
    assert!(handles(&found).is_empty());
    let (_, found) = a.get_json("/api/v1/initiatives?q=100%25", None).await;
    assert!(handles(&found).is_empty(), "LIKE wildcards are escaped");
    // Filtered by the kind of their organizers; each card names them.
    assert_eq!(all[0]["organizers"][0]["acct"], alice.acct.as_str());
    let (_, found) = a.get_json("/api/v1/initiatives?kind=citizen", None).await;
    assert_eq!(handles(&found).len(), 3);
    let (_, found) = a
        .get_json("/api/v1/initiatives?kind=association", None)
        .await;
    assert!(handles(&found).is_empty());
    let (status, _) = a.get_json("/api/v1/initiatives?kind=robot", None).await;
    assert_eq!(status, 400);

    // Wrong and hostile input.
    let (status, _) = a.get_json("/api/v1/initiatives?status=won", None).await;
    assert_eq!(status, 400);
    let (status, _) = a
        .get_json(&format!("/api/v1/initiatives?q={}", "x".repeat(300)), None)
        .await;
    assert_eq!(status, 400);
    for body in [
        json!({"handle": "Bad Handle", "name": "x", "description": ""}),
        json!({"handle": "ok_one", "name": "", "description": ""}),
        json!({"handle": "ok_one", "name": "x".repeat(101), "description": ""}),
        json!({"handle": "ok_one", "name": "x", "description": "", "tags": ["a b"]}),
        json!({"handle": "ok_one", "name": "x", "description": "", "tags": (0..11).map(|i| format!("t{i}")).collect::<Vec<_>>()}),
        json!({"handle": "ok_one", "name": "x", "description": "", "place": {"name": "x", "latitude": 95.0, "longitude": 0.0}}),
        json!({"handle": "ok_one", "name": "x", "description": "", "place": {"name": "x", "latitude": 45.0}}),
    ] {
        let (status, answer) = a
            .post_json("/api/v1/initiatives", Some(&alice.token), &body)
            .await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(answer["error"], "invalid_field");
    }
    let (status, _) = a
        .post_json(
            "/api/v1/initiatives",
            None,
            &json!({"handle": "anon", "name": "x", "description": ""}),
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = a.get_json("/api/v1/initiatives/nope", None).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn organizers_manage_members_and_pages_show_them() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let eve = a.user("eve").await;

    // Start one from the web form.
    let web = a.browser_login("alice").await;
    let form = common::html(&web, a.url("/initiatives/new")).await;
    let token = common::csrf(&form);
    let fields = [
        ("csrf", token.as_str()),
        ("handle", "repair_cafe"),
        ("name", "Repair café"),
        (
            "description",
            "Fix things together.\n\n<b>Every Saturday</b>",
        ),
        ("goals", "One repair café per district"),
        ("tags", "repair, ecologie"),
        ("place", "Grenoble"),
    ];
    let r = web
        .post(a.url("/initiatives"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/initiatives/repair_cafe");
    let bad = [
        ("csrf", token.as_str()),
        ("handle", "Repair Cafe"),
        ("name", "x"),
        ("description", ""),
        ("goals", ""),
        ("tags", ""),
        ("place", ""),
    ];
    let r = web
        .post(a.url("/initiatives"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("value=\"Repair Cafe\""));

    // Organizers add a co-organizer and a moderator; others may not.
    let path = "/api/v1/initiatives/repair_cafe/organizers";
    let (status, _) = a
        .post_json(
            path,
            Some(&eve.token),
            &json!({"account": "eve", "role": "organizer"}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, view) = a
        .post_json(
            path,
            Some(&alice.token),
            &json!({"account": format!("@bob@{}", a.domain), "role": "organizer"}),
        )
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["organizers"].as_array().unwrap().len(), 2);
    let (status, view) = a
        .post_json(
            path,
            Some(&bob.token),
            &json!({"account": "eve", "role": "moderator"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["moderators"][0]["username"], "eve");
    for (body, want) in [
        (json!({"account": "eve", "role": "king"}), 400),
        (json!({"account": "ghost", "role": "moderator"}), 404),
        (
            json!({"account": "someone@elsewhere.example", "role": "moderator"}),
            400,
        ),
        (json!({"account": "repair_cafe", "role": "moderator"}), 404),
    ] {
        let (status, answer) = a.post_json(path, Some(&alice.token), &body).await;
        assert_eq!(status, want, "{body}: {answer}");
    }
    let (status, _) = a
        .send_json(
            reqwest::Method::DELETE,
            &format!("{path}/alice"),
            &eve.token,
            None,
        )
        .await;
    assert_eq!(status, 403);
    let (status, view) = a
        .send_json(
            reqwest::Method::DELETE,
            &format!("{path}/alice"),
            &bob.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["organizers"].as_array().unwrap().len(), 1);
    let (status, _) = a
        .send_json(
            reqwest::Method::DELETE,
            &format!("{path}/bob"),
            &bob.token,
            None,
        )
        .await;
    assert_eq!(status, 409, "the last organizer stays");

    // The page and the directory, in both languages.
    let page = common::html(&a.http, a.url("/initiatives/repair_cafe")).await;
    assert!(
        page.contains("Repair café")
            && page.contains("One repair café per district")
            && page.contains("#repair"),
        "{page}"
    );
    assert!(
        page.contains("&lt;b&gt;Every Saturday&lt;/b&gt;"),
        "form text is escaped: {page}"
    );
    assert!(page.contains("@bob@") && page.contains("— organizer") && page.contains("— moderator"));
    let fr = common::html_in(&a.http, a.url("/initiatives/repair_cafe"), "fr").await;
    assert!(fr.contains("Ouverte") && fr.contains("Objectifs"));
    let dir = common::html(&a.http, a.url("/initiatives?place=grenoble")).await;
    assert!(dir.contains("href=\"/initiatives/repair_cafe\""), "{dir}");
    let none = common::html(&a.http, a.url("/initiatives?q=nothing-like-this")).await;
    assert!(!none.contains("href=\"/initiatives/repair_cafe\""));
    let r = a
        .http
        .get(a.url("/initiatives?status=won"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(dir.len() < 30 * 1024 && page.len() < 30 * 1024);
}

#[tokio::test(flavor = "multi_thread")]
async fn organizers_answer_the_follow_requests_of_an_initiative() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    let mallory = a.user("mallory").await;
    let (status, _) = a
        .post_json(
            "/api/v1/initiatives",
            Some(&alice.token),
            &json!({"handle": "cercle", "name": "Cercle", "description": ""}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = a
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/initiatives/cercle",
            &alice.token,
            Some(&json!({"manually_approves_followers": true})),
        )
        .await;
    assert_eq!(status, 200);
    let group = format!("@cercle@{}", a.domain);
    let (bob, bea) = (b.user("bob").await, b.user("bea").await);
    assert_eq!(b.follow(&bob, &group).await["state"], "pending");
    b.follow(&bea, &group).await;

    let path = "/api/v1/initiatives/cercle/follow_requests";
    let requests = common::eventually(30, "both requests at the initiative", || async {
        let (_, list) = a.get_json(path, Some(&alice.token)).await;
        (list.as_array()?.len() == 2).then_some(list)
    })
    .await;
    let (status, _) = a.get_json(path, Some(&mallory.token)).await;
    assert_eq!(status, 403);
    let id_of = |acct: &str| {
        requests
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["follower"]["acct"] == acct)
            .unwrap()["id"]
            .clone()
    };
    let (bob_id, bea_id) = (id_of(&bob.acct), id_of(&bea.acct));
    let (status, _) = a
        .post_json(
            &format!("{path}/{bob_id}/accept"),
            Some(&mallory.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = a
        .post_json(
            &format!("{path}/{bob_id}/maybe"),
            Some(&alice.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = a
        .post_json(
            &format!("{path}/{bob_id}/accept"),
            Some(&alice.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = a
        .post_json(
            &format!("{path}/{bea_id}/reject"),
            Some(&alice.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 204);
    // Answered twice: nothing left to answer.
    let (status, _) = a
        .post_json(
            &format!("{path}/{bob_id}/accept"),
            Some(&alice.token),
            &json!({}),
        )
        .await;
    assert_eq!(status, 404);

    b.wait_accepted(&bob).await;
    common::eventually(30, "bea's request refused", || async {
        let (_, list) = b.get_json("/api/v1/follows", Some(&bea.token)).await;
        list.as_array()?.is_empty().then_some(())
    })
    .await;
    let (_, view) = a.get_json("/api/v1/initiatives/cercle", None).await;
    assert_eq!(view["followers_count"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_organizers_demoting_each_other_at_once_leave_one() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    a.initiative(&alice, "duo", "Duo").await;
    let path = "/api/v1/initiatives/duo/organizers";
    for round in 0..8 {
        let (status, view) = a
            .post_json(
                path,
                Some(&alice.token),
                &json!({"account": "bob", "role": "organizer"}),
            )
            .await;
        assert_eq!(status, 200, "round {round}: {view}");
        let demote = |by: &common::User, whom: &str| {
            let body = json!({"account": whom, "role": "moderator"});
            let token = by.token.clone();
            let a = &a;
            async move { a.post_json(path, Some(&token), &body).await }
        };
        let ((s1, _), (s2, _)) = tokio::join!(demote(&alice, "bob"), demote(&bob, "alice"));
        let mut statuses = [s1, s2];
        statuses.sort();
        assert!(
            statuses == [200, 403] || statuses == [200, 409],
            "round {round}: exactly one demotion wins, got {statuses:?}"
        );
        let (_, view) = a.get_json("/api/v1/initiatives/duo", None).await;
        let organizers = view["organizers"].as_array().unwrap();
        assert_eq!(organizers.len(), 1, "round {round}: {view}");
        // Whoever is left promotes the other back to organizer for the next round.
        if organizers[0]["username"] == "bob" {
            let (status, _) = a
                .post_json(
                    path,
                    Some(&bob.token),
                    &json!({"account": "alice", "role": "organizer"}),
                )
                .await;
            assert_eq!(status, 200);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_picture_upload_is_refused_before_its_body_is_read() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let eve = a.user("eve").await;
    a.initiative(&alice, "pics", "Pictures").await;

    // A body that sends its first bytes and then never ends: a server that reads the upload
    // before checking who sends it would wait for ever; ours answers at once.
    let endless = || {
        let first = futures::stream::once(async {
            Ok::<_, std::io::Error>(bytes::Bytes::from(vec![0u8; 64 * 1024]))
        });
        reqwest::Body::wrap_stream(first.chain(futures::stream::pending()))
    };
    use futures::StreamExt;
    let url = a.url("/api/v1/initiatives/pics/avatar");
    let cases = [
        ("anonymous", None),
        ("not an organizer", Some(eve.token.clone())),
    ];
    for (who, token) in cases {
        let mut request = a
            .http
            .put(&url)
            .header("content-type", "image/png")
            .header("content-length", (2 * 1024 * 1024).to_string())
            .timeout(std::time::Duration::from_secs(5))
            .body(endless());
        if let Some(token) = &token {
            request = request.bearer_auth(token);
        }
        let status = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{who}: no answer before the body ended: {e}"))
            .status();
        assert!(matches!(status.as_u16(), 401 | 403), "{who}: {status}");
    }

    // The web form: no session, or a session without the CSRF token before the file.
    let web = a.browser_login("alice").await;
    for (who, client) in [("no session", &a.http), ("no token first", &web)] {
        let head = "--XyZ\r\ncontent-disposition: form-data; name=\"which\"\r\n\r\navatar\r\n\
                    --XyZ\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\
                    content-type: image/png\r\n\r\n";
        let first = futures::stream::once(async move {
            Ok::<_, std::io::Error>(bytes::Bytes::from(head.as_bytes().to_vec()))
        });
        let status = client
            .post(a.url("/initiatives/pics/picture"))
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .header("content-length", (2 * 1024 * 1024).to_string())
            .timeout(std::time::Duration::from_secs(5))
            .body(reqwest::Body::wrap_stream(
                first.chain(futures::stream::pending()),
            ))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{who}: no answer before the body ended: {e}"))
            .status();
        assert!(matches!(status.as_u16(), 401 | 403), "{who}: {status}");
    }
    let (_, view) = a.get_json("/api/v1/initiatives/pics", None).await;
    assert!(view["avatar"].is_null(), "nothing was stored: {view}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_place_is_a_name_or_a_name_with_coordinates() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let create = |handle: &str, place: Value| json!({"handle": handle, "name": "Lieu", "description": "x", "place": place});
    let (status, view) = a
        .post_json(
            "/api/v1/initiatives",
            Some(&alice.token),
            &create("lyon", json!("Lyon 7e")),
        )
        .await;
    assert_eq!(status, 201, "a name alone, as DESIGN.md shows it: {view}");
    assert_eq!(view["place"]["name"], "Lyon 7e");
    assert!(view["place"]["latitude"].is_null());
    let (status, view) = a
        .post_json(
            "/api/v1/initiatives",
            Some(&alice.token),
            &create(
                "grenoble",
                json!({"name": "Grenoble", "latitude": 45.19, "longitude": 5.72}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{view}");
    assert_eq!(view["place"]["latitude"], 45.19);
    for bad in [json!(42), json!(["Lyon"]), json!({"latitude": 1.0})] {
        let (status, answer) = a
            .post_json(
                "/api/v1/initiatives",
                Some(&alice.token),
                &create("bad_place", bad.clone()),
            )
            .await;
        assert_eq!(status, 400, "{bad}: {answer}");
    }
    let (status, view) = a
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/initiatives/lyon",
            &alice.token,
            Some(&json!({"place": "Lyon 8e"})),
        )
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["place"]["name"], "Lyon 8e");
}

/// Defect 17: a visitor from elsewhere had no way to follow from the initiative's page.
#[tokio::test(flavor = "multi_thread")]
async fn a_visitor_from_another_server_follows_from_their_own_server() {
    let (a, b) = (Node::start().await, Node::start().await);
    let alice = a.user("alice").await;
    b.user("bob").await;
    a.initiative(&alice, "jardin", "Jardin partagé").await;
    let group = a.url("/initiatives/jardin");

    // The page shows the handle to search for and the form.
    let visitor = common::browser();
    let page = common::html(&visitor, &group).await;
    assert!(page.contains(&format!("@jardin@{}", a.domain)), "{page}");
    assert!(page.contains("action=\"/interact\""), "{page}");

    // Our WebFinger says where our people follow others, as Mastodon's does.
    let (_, finger) = b
        .get_json(
            &format!("/.well-known/webfinger?resource=acct:bob@{}", b.domain),
            None,
        )
        .await;
    let template = finger["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "http://ostatus.org/schema/1.0/subscribe")
        .and_then(|l| l["template"].as_str())
        .expect("a subscribe template")
        .to_string();
    assert_eq!(template, b.url("/authorize_interaction?uri={uri}"));

    // Bob types his address on A: A sends him to B's follow page for the group.
    let interact = |acct: &str, uri: &str| {
        let mut url = reqwest::Url::parse(&a.url("/interact")).unwrap();
        url.query_pairs_mut()
            .append_pair("uri", uri)
            .append_pair("acct", acct);
        visitor.get(url).send()
    };
    let r = interact(&format!("@bob@{}", b.domain), &group)
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let encoded = common::encoded(&group);
    assert_eq!(
        location,
        b.url(&format!("/authorize_interaction?uri={encoded}"))
    );

    // There, signed in, he lands on the group's page with its follow button.
    let bob = b.browser_login("bob").await;
    let r = bob.get(&location).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let remote = r.headers()["location"].to_str().unwrap().to_string();
    assert!(remote.starts_with("/remote?acct="), "{remote}");
    let page = common::html(&bob, b.url(&remote)).await;
    assert!(
        page.contains("action=\"/follow\"") && page.contains(&group),
        "{page}"
    );
    // Not signed in, he is asked to log in first.
    let r = visitor.get(&location).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/login?notice=login-to-follow");

    // Wrong input: not one of our actors, not an address, a server that does not answer.
    for (acct, uri, want) in [
        (
            format!("@bob@{}", b.domain),
            "https://elsewhere.example/users/x".to_string(),
            400,
        ),
        ("not an address".to_string(), group.clone(), 400),
        ("@x@localhost:1".to_string(), group.clone(), 502),
    ] {
        let r = interact(&acct, &uri).await.unwrap();
        assert_eq!(r.status().as_u16(), want, "{acct} {uri}");
    }
}
