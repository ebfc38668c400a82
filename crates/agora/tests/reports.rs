//! Reports on one node: anyone files one on an account, a post, an initiative or a petition;
//! moderators see the queue and decide; the reporter sees the decision; nobody else sees
//! who reported.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, browser, csrf, encoded, html_in, in_days};
use serde_json::{Value, json};

async fn report(node: &Node, token: Option<&str>, body: Value) -> (u16, Value) {
    node.post_json("/api/v1/reports", token, &body).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_on_each_kind_of_thing_reaches_the_queue_and_the_decision_reaches_the_reporter() {
    let a = Node::start().await;
    let (alice, bob) = (
        a.confirmed_user("alice").await,
        a.confirmed_user("bob").await,
    );
    let moderator = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let post = a.post(&bob, "Buy my miracle cure").await;
    let initiative = a.initiative(&bob, "cure_club", "Cure club").await;
    let petition = a
        .start_petition(
            &bob,
            json!({"title": "Cure", "text": "Sign for the cure.", "target": "Everyone", "deadline": in_days(30)}),
            json!({}),
        )
        .await;

    let targets = [
        (post["uri"].as_str().unwrap().to_string(), "post"),
        (format!("@bob@{}", a.domain), "account"),
        ("@bob".to_string(), "account"),
        (bob.uri.clone(), "account"),
        (
            initiative["uri"].as_str().unwrap().to_string(),
            "initiative",
        ),
        (petition["uri"].as_str().unwrap().to_string(), "petition"),
    ];
    let mut ids = Vec::new();
    for (target, kind) in &targets {
        let (status, r) = report(
            &a,
            Some(&alice.token),
            json!({"target": target, "category": "scams_and_fraud", "comment": "a scam"}),
        )
        .await;
        assert_eq!(status, 201, "{target}: {r}");
        assert_eq!(r["status"], "open");
        assert_eq!(r["target_kind"], *kind, "{target}: {r}");
        assert!(r["decision"].is_null());
        ids.push(r["id"].as_i64().unwrap());
    }

    // The queue: moderators only, filtered, with the content as it was.
    let (status, _) = a
        .get_json("/api/v1/admin/reports", Some(&alice.token))
        .await;
    assert_eq!(status, 403);
    let (status, queue) = a
        .get_json(
            "/api/v1/admin/reports?status=open&category=scams_and_fraud",
            Some(&moderator.token),
        )
        .await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue.as_array().unwrap().len(), targets.len(), "{queue}");
    assert_eq!(queue[0]["origin"], a.domain);
    assert_eq!(queue[0]["snapshot"]["content"], post["content"]);
    let (_, none) = a
        .get_json(
            "/api/v1/admin/reports?category=violence",
            Some(&moderator.token),
        )
        .await;
    assert_eq!(none.as_array().unwrap().len(), 0, "{none}");
    // The reporter is never in what moderators read either: only that it came from here.
    let text = queue.to_string();
    assert!(!text.contains("alice"), "{text}");

    // The post is edited after the report: the snapshot keeps what was reported.
    let post_id = post["id"].as_i64().unwrap();
    let (status, _) = a
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/posts/{post_id}"),
            &bob.token,
            Some(&json!({"content": "Nothing to see"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, one) = a
        .get_json(
            &format!("/api/v1/admin/reports/{}", ids[0]),
            Some(&moderator.token),
        )
        .await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["snapshot"]["content"], post["content"]);
    // Earlier reports on bob's account are beside it.
    // (three on the account, one on its petition; the initiative answers for itself).
    assert_eq!(one["earlier"].as_array().unwrap().len(), 4, "{one}");

    // The decision, with its reason, reaches the reporter; a second one is refused.
    let path = format!("/api/v1/admin/reports/{}/decision", ids[0]);
    let (status, _) = a
        .post_json(
            &path,
            Some(&alice.token),
            &json!({"action": "dismiss", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, decided) = a
        .post_json(
            &path,
            Some(&moderator.token),
            &json!({"action": "dismiss", "reason": "An advert, not a scam.", "ground": "terms §4"}),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "decided");
    let (status, again) = a
        .post_json(
            &path,
            Some(&moderator.token),
            &json!({"action": "dismiss", "reason": "twice"}),
        )
        .await;
    assert_eq!(status, 409, "{again}");
    let (status, seen) = a
        .get_json(&format!("/api/v1/reports/{}", ids[0]), Some(&alice.token))
        .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["decision"]["action"], "dismiss");
    assert_eq!(seen["decision"]["reason"], "An advert, not a scam.");
    assert_eq!(seen["decision"]["ground"], "terms §4");
    // Nobody else reads alice's report, not even the reported account.
    let (status, _) = a
        .get_json(&format!("/api/v1/reports/{}", ids[0]), Some(&bob.token))
        .await;
    assert_eq!(status, 404);
    let (_, open) = a
        .get_json("/api/v1/admin/reports?status=open", Some(&moderator.token))
        .await;
    assert_eq!(open.as_array().unwrap().len(), targets.len() - 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_hostile_and_oversized_reports_are_refused_and_visitors_are_limited() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    let target = bob.uri.clone();
    let cases = [
        (
            json!({"target": target, "category": "rude"}),
            400,
            "category",
        ),
        (
            json!({"target": target, "category": "STATEMENT_CATEGORY_VIOLENCE"}),
            400,
            "category",
        ),
        (json!({"target": target}), 400, ""),
        (json!({"target": "", "category": "violence"}), 400, "target"),
        (
            json!({"target": "x".repeat(3000), "category": "violence"}),
            400,
            "target",
        ),
        (
            json!({"target": target, "category": "violence", "comment": "c".repeat(1001)}),
            400,
            "comment",
        ),
        (
            json!({"target": "https://nowhere.example/objects/1", "category": "violence"}),
            404,
            "",
        ),
        (
            json!({"target": "@nobody@nowhere.example", "category": "violence"}),
            404,
            "",
        ),
        (
            json!({"target": "'; DROP TABLE reports; --", "category": "violence"}),
            404,
            "",
        ),
        (json!({"target": ["a"], "category": "violence"}), 400, ""),
    ];
    for (body, want, field) in &cases {
        let (status, err) = report(&a, Some(&alice.token), body.clone()).await;
        assert_eq!(status, *want, "{body}: {err}");
        assert!(err["message"].as_str().unwrap().contains(field), "{err}");
    }
    // A body far over the limit is refused before it is read.
    let huge = json!({"target": target, "category": "violence", "comment": "c".repeat(200_000)});
    let (status, _) = report(&a, Some(&alice.token), huge).await;
    assert_eq!(status, 413);
    // Nothing was filed by any of them.
    let moderator = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let (_, queue) = a
        .get_json("/api/v1/admin/reports", Some(&moderator.token))
        .await;
    assert_eq!(queue.as_array().unwrap().len(), 0, "{queue}");

    // A visitor without an account reports too, a few times an hour.
    for i in 0..5 {
        let (status, r) = report(
            &a,
            None,
            json!({"target": target, "category": "violence", "comment": format!("visit {i}")}),
        )
        .await;
        assert_eq!(status, 201, "{r}");
    }
    let (status, err) = report(&a, None, json!({"target": target, "category": "violence"})).await;
    assert_eq!(status, 429, "{err}");
    let (_, queue) = a
        .get_json("/api/v1/admin/reports", Some(&moderator.token))
        .await;
    assert_eq!(queue.as_array().unwrap().len(), 5, "{queue}");
    assert_eq!(queue[0]["by_visitor"], true);

    // Bad decisions: unknown action, one not available yet, no reason, unknown report.
    let id = queue[0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/reports/{id}/decision");
    for (body, want) in [
        (json!({"action": "ban", "reason": "x"}), 400),
        (json!({"action": "label", "reason": "x"}), 400),
        (json!({"action": "dismiss", "reason": "  "}), 400),
        (
            json!({"action": "dismiss", "reason": "r".repeat(2001)}),
            400,
        ),
        (json!({"action": "dismiss"}), 400),
    ] {
        let (status, err) = a.post_json(&path, Some(&moderator.token), &body).await;
        assert_eq!(status, want, "{body}: {err}");
    }
    let (status, _) = a
        .post_json(
            "/api/v1/admin/reports/999999/decision",
            Some(&moderator.token),
            &json!({"action": "dismiss", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = a
        .get_json("/api/v1/admin/reports?status=maybe", Some(&moderator.token))
        .await;
    assert_eq!(status, 400);
    // The report is still open after all that.
    let (_, one) = a
        .get_json(
            &format!("/api/v1/admin/reports/{id}"),
            Some(&moderator.token),
        )
        .await;
    assert_eq!(one["status"], "open", "{one}");
}

/// The report button on the pages, without JavaScript: a visitor and a signed-in user file
/// through the same form, in French and English; a moderator decides on the desk; the
/// reporter reads the decision on their report's page.
#[tokio::test(flavor = "multi_thread")]
async fn the_report_button_and_the_desk_work_from_the_web_in_french_and_english() {
    let a = Node::start().await;
    let bob = a.confirmed_user("bob").await;
    a.confirmed_user("alice").await;
    a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let post = a.post(&bob, "Buy my miracle cure").await;
    let post_uri = post["uri"].as_str().unwrap().to_string();
    let post_page = a.url(&format!("/posts/{}", post["id"]));

    // The button is on the post, the account, and leads to the same form.
    let visitor = browser();
    let page = html_in(&visitor, &post_page, "fr").await;
    let link = format!("/report?target={}", encoded(&post_uri));
    assert!(page.contains(&link.replace('&', "&amp;")), "{page}");
    let profile = html_in(&visitor, a.url("/users/bob"), "en").await;
    assert!(
        profile.contains(&format!("/report?target={}", encoded(&bob.uri))),
        "{profile}"
    );
    let form = html_in(&visitor, a.url(&link), "fr").await;
    assert!(form.contains("Escroqueries et fraudes"), "{form}");
    assert!(form.contains("Signaler"), "{form}");
    let form_en = html_in(&visitor, a.url(&link), "en").await;
    assert!(form_en.contains("Scams and fraud"), "{form_en}");
    // Local content: nobody else to tell.
    assert!(!form_en.contains("name=\"forward\""), "{form_en}");
    assert!(!form_en.contains("<script"), "{form_en}");

    // A visitor's report: a wrong token is refused, a missing category shows the form again
    // with the comment kept, a good one is received.
    let token = csrf(&form);
    let send = |fields: Vec<(&'static str, String)>| {
        let visitor = visitor.clone();
        let url = a.url("/report");
        async move { visitor.post(url).form(&fields).send().await.unwrap() }
    };
    let r = send(vec![
        ("csrf", "forged".into()),
        ("target", post_uri.clone()),
        ("category", "scams_and_fraud".into()),
    ])
    .await;
    assert_eq!(r.status(), 403);
    let r = send(vec![
        ("csrf", token.clone()),
        ("target", post_uri.clone()),
        ("comment", "Ça vend du vent".into()),
    ])
    .await;
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(body.contains("Ça vend du vent"), "{body}");
    let r = send(vec![
        ("csrf", token.clone()),
        ("target", post_uri.clone()),
        ("category", "scams_and_fraud".into()),
        ("comment", "c".repeat(1001)),
    ])
    .await;
    assert_eq!(r.status(), 400);
    let r = send(vec![
        ("csrf", token.clone()),
        ("target", "https://nowhere.example/x".into()),
        ("category", "scams_and_fraud".into()),
    ])
    .await;
    assert_eq!(r.status(), 404);
    let r = send(vec![
        ("csrf", token.clone()),
        ("target", post_uri.clone()),
        ("category", "scams_and_fraud".into()),
        ("comment", "Ça vend du vent".into()),
    ])
    .await;
    assert_eq!(r.status(), 200);

    // A signed-in report lands on its own page.
    let alice_web = a.browser_login("alice").await;
    let form = html_in(&alice_web, a.url(&link), "en").await;
    let r = alice_web
        .post(a.url("/report"))
        .form(&[
            ("csrf", csrf(&form)),
            ("target", post_uri.clone()),
            ("category", "consumer_information".to_string()),
            ("comment", "Misleading health claim".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let mine = r.headers()["location"].to_str().unwrap().to_string();
    assert!(mine.starts_with("/reports/"), "{mine}");
    let seen = html_in(&alice_web, a.url(&mine), "en").await;
    assert!(seen.contains("Waiting for a moderator"), "{seen}");

    // The desk: listed, filtered, opened, decided; a bad decision keeps what was typed.
    let modo = a.browser_login("modo").await;
    let queue = html_in(&modo, a.url("/admin/reports"), "en").await;
    let rows = |page: &str| page.matches("<tr><td><a href=\"/admin/reports/").count();
    assert_eq!(rows(&queue), 2, "{queue}");
    assert!(
        queue.contains("Consumer information infringements"),
        "{queue}"
    );
    assert!(
        !queue.contains("alice"),
        "the desk does not name reporters: {queue}"
    );
    let filtered = html_in(
        &modo,
        a.url("/admin/reports?category=scams_and_fraud"),
        "en",
    )
    .await;
    assert_eq!(rows(&filtered), 1, "{filtered}");
    let id = mine
        .trim_start_matches("/reports/")
        .split('?')
        .next()
        .unwrap();
    let desk = html_in(&modo, a.url(&format!("/admin/reports/{id}")), "fr").await;
    assert!(desk.contains("Buy my miracle cure"), "the snapshot: {desk}");
    assert!(desk.contains("Classé sans suite"), "{desk}");
    let decide = format!("/admin/reports/{id}/decision");
    let r = modo
        .post(a.url(&decide))
        .form(&[
            ("csrf", csrf(&desk)),
            ("action", "dismiss".to_string()),
            ("reason", " ".to_string()),
            ("ground", "CGU art. 4".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("CGU art. 4"));
    let r = modo
        .post(a.url(&decide))
        .form(&[
            ("csrf", csrf(&desk)),
            ("action", "dismiss".to_string()),
            ("reason", "Une publicité, pas une arnaque.".to_string()),
            ("ground", "CGU art. 4".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let seen = html_in(&alice_web, a.url(&mine), "fr").await;
    assert!(seen.contains("Classé sans suite"), "{seen}");
    assert!(seen.contains("Une publicité, pas une arnaque."), "{seen}");
    // Neither a user nor a visitor opens the desk.
    let r = alice_web.get(a.url("/admin/reports")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = visitor.get(a.url("/admin/reports")).send().await.unwrap();
    assert_eq!(r.status(), 401);
}
