//! What moderators' decisions do: each action on what it applies to, the statement of
//! reasons to the reported account and the notice to the reporter, an appeal decided by
//! another moderator that reverses the decision, and the refusals of actions that do not fit.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node, browser, csrf, eventually, html_in, in_days,
    peer::Peer,
    signing::{Signed, post_signed},
};
use serde_json::{Value, json};

/// Files a report as `by` and has `moderator` decide it; gives the report's id.
async fn decided(
    a: &Node,
    by: &common::User,
    moderator: &common::User,
    target: &str,
    action: &str,
) -> (u16, Value, i64) {
    let (status, r) = a
        .post_json(
            "/api/v1/reports",
            Some(&by.token),
            &json!({"target": target, "category": "scams_and_fraud", "comment": "look"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let (status, d) = a
        .post_json(
            &format!("/api/v1/admin/reports/{id}/decision"),
            Some(&moderator.token),
            &json!({"action": action, "reason": format!("{action}: against the terms"), "ground": "Terms §4"}),
        )
        .await;
    (status, d, id)
}

async fn status_of(a: &Node, path: &str, accept: &str) -> u16 {
    a.http
        .get(a.url(path))
        .header("accept", accept)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const AP: &str = "application/activity+json";

#[tokio::test(flavor = "multi_thread")]
async fn hiding_a_post_tells_its_author_why_and_an_appeal_to_another_moderator_brings_it_back() {
    let a = Node::start().await;
    let (alice, bob) = (
        a.confirmed_user("alice").await,
        a.confirmed_user("bob").await,
    );
    let (modo, other) = (
        a.confirmed_user("modo").await,
        a.confirmed_user("modo2").await,
    );
    a.admin(&["set-role", "modo", "moderator"]);
    a.admin(&["set-role", "modo2", "moderator"]);
    a.follow(&alice, &bob.acct).await;
    let post = a.post(&bob, "Achetez ma cure miracle").await;
    let path = format!("/posts/{}", post["id"]);
    assert_eq!(a.timeline(&alice).await.len(), 1);

    let (status, d, id) = decided(&a, &alice, &modo, post["uri"].as_str().unwrap(), "hide").await;
    assert_eq!(status, 200, "{d}");
    // Hidden: gone for servers, browsers and timelines; kept for the appeal.
    assert_eq!(status_of(&a, &path, AP).await, 410);
    assert_eq!(status_of(&a, &path, "text/html").await, 410);
    assert!(a.timeline(&alice).await.is_empty());

    // bob's statement of reasons and alice's decision notice.
    let mails = eventually(30, "the two mails", || async {
        let m = a.mails();
        let statement = m
            .iter()
            .find(|t| t.contains("To: bob@example.org") && t.contains("Decision: hide"))?;
        let notice = m
            .iter()
            .find(|t| t.contains("To: alice@example.org") && t.contains("Decision: hide"))?;
        Some((statement.clone(), notice.clone()))
    })
    .await;
    assert!(
        mails.0.contains("against the terms") && mails.0.contains("Terms"),
        "{}",
        mails.0
    );
    assert!(mails.0.contains("appeal?token="), "{}", mails.0);
    assert!(
        !mails.0.contains("alice"),
        "the statement never names the reporter: {}",
        mails.0
    );

    // bob reads it and appeals, once.
    let (status, mine) = a
        .get_json("/api/v1/moderation/decisions", Some(&bob.token))
        .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine[0]["action"], "hide");
    assert_eq!(mine[0]["can_appeal"], true);
    assert!(!mine.to_string().contains("alice"), "{mine}");
    let (_, none) = a
        .get_json("/api/v1/moderation/decisions", Some(&alice.token))
        .await;
    assert_eq!(none, json!([]));
    let appeal = format!("/api/v1/moderation/decisions/{id}/appeal");
    let (status, _) = a
        .post_json(&appeal, Some(&alice.token), &json!({"text": "not mine"}))
        .await;
    assert_eq!(status, 404, "only the reported account appeals");
    for (body, want) in [
        (json!({"text": ""}), 400),
        (json!({"text": "x".repeat(2001)}), 400),
        (json!({"text": "bad\u{0}byte"}), 400),
        (json!({"text": "Ce n'est pas une arnaque"}), 200),
        (json!({"text": "encore"}), 409),
    ] {
        let (status, r) = a.post_json(&appeal, Some(&bob.token), &body).await;
        assert_eq!(status, want, "{body}: {r}");
    }
    let (_, queue) = a
        .get_json("/api/v1/admin/reports?status=appealed", Some(&modo.token))
        .await;
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");

    // The moderator who decided may not decide the appeal; another one reverses it.
    let decide = format!("/api/v1/admin/reports/{id}/appeal/decision");
    let (status, _) = a
        .post_json(
            &decide,
            Some(&modo.token),
            &json!({"outcome": "reversed", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = a
        .post_json(
            &decide,
            Some(&other.token),
            &json!({"outcome": "maybe", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, r) = a
        .post_json(
            &decide,
            Some(&other.token),
            &json!({"outcome": "reversed", "reason": "Une offre, pas une arnaque."}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "decided");
    assert_eq!(status_of(&a, &path, AP).await, 200);
    assert_eq!(a.timeline(&alice).await.len(), 1);
    let (_, mine) = a
        .get_json("/api/v1/moderation/decisions", Some(&bob.token))
        .await;
    assert_eq!(mine[0]["appeal"]["outcome"], "reversed", "{mine}");
    let (_, detail) = a
        .get_json(&format!("/api/v1/admin/reports/{id}"), Some(&modo.token))
        .await;
    assert_eq!(
        detail["appeal"]["text"], "Ce n'est pas une arnaque",
        "{detail}"
    );
    let (status, _) = a
        .post_json(
            &decide,
            Some(&other.token),
            &json!({"outcome": "upheld", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 409, "an appeal is decided once");
    eventually(30, "the outcome mail", || async {
        a.mails()
            .iter()
            .any(|t| t.contains("To: bob@example.org") && t.contains("Outcome: reversed"))
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspended_account_cannot_sign_in_and_appeals_through_the_link_it_was_sent() {
    let a = Node::start().await;
    let (alice, bob) = (
        a.confirmed_user("alice").await,
        a.confirmed_user("bob").await,
    );
    let modo = a.confirmed_user("modo").await;
    a.confirmed_user("modo2").await;
    a.admin(&["set-role", "modo", "moderator"]);
    a.admin(&["set-role", "modo2", "moderator"]);
    a.follow(&alice, &bob.acct).await;
    a.post(&bob, "Spam").await;
    let petition = a
        .start_petition(
            &bob,
            json!({"title": "Spam", "text": "Signez.", "target": "Tous", "deadline": in_days(30)}),
            json!({}),
        )
        .await;

    let (status, d, id) = decided(&a, &alice, &modo, &bob.uri, "suspend").await;
    assert_eq!(status, 200, "{d}");
    let (status, _) = a.get_json("/api/v1/accounts/me", Some(&bob.token)).await;
    assert_eq!(status, 401, "the suspension ends bob's sessions");
    let (status, err) = a
        .post_json(
            "/api/v1/auth/token",
            None,
            &json!({"username": "bob", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(status, 403, "{err}");
    assert_eq!(err["error"], "account_suspended");
    assert_eq!(status_of(&a, "/users/bob", "text/html").await, 410);
    assert!(
        a.timeline(&alice).await.is_empty(),
        "its posts are out of sight"
    );
    let (status, _) = a
        .get_json(&format!("/api/v1/petitions/{}", petition["id"]), None)
        .await;
    assert_eq!(status, 410, "and its petitions");

    // The link of the statement of reasons opens the appeal form without signing in.
    let link = eventually(30, "the statement of reasons", || async {
        let mails = a.mails();
        let mail = mails
            .iter()
            .find(|t| t.contains("To: bob@example.org") && t.contains("Decision: suspend"))?;
        mail.split_whitespace()
            .find(|w| w.starts_with("http://") && w.contains("appeal?token="))
            .map(str::to_string)
    })
    .await;
    assert!(
        link.contains(&format!("/moderation/decisions/{id}/appeal?token=")),
        "{link}"
    );
    let web = browser();
    let forged = link.replace("token=", "token=x");
    assert_eq!(web.get(&forged).send().await.unwrap().status(), 404);
    let form = html_in(&web, &link, "fr").await;
    assert!(form.contains("Compte suspendu"), "{form}");
    let token = link.split("token=").nth(1).unwrap().to_string();
    let send = |text: &str| {
        let fields = [
            ("csrf", csrf(&form)),
            ("token", token.clone()),
            ("text", text.to_string()),
        ];
        let (web, url) = (
            web.clone(),
            a.url(&format!("/moderation/decisions/{id}/appeal")),
        );
        async move { web.post(url).form(&fields).send().await.unwrap() }
    };
    let r = send("   ").await;
    assert_eq!(r.status(), 400);
    let r = send("Rien vendu du tout.").await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Rien vendu du tout."));

    // Another moderator reverses it from the desk: bob signs in again.
    let desk_web = a.browser_login("modo2").await;
    let desk = html_in(&desk_web, a.url(&format!("/admin/reports/{id}")), "en").await;
    assert!(desk.contains("Rien vendu du tout."), "{desk}");
    let r = desk_web
        .post(a.url(&format!("/admin/reports/{id}/appeal")))
        .form(&[
            ("csrf", csrf(&desk)),
            ("outcome", "reversed".to_string()),
            ("reason", "Erreur de notre part.".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (status, _) = a
        .post_json(
            "/api/v1/auth/token",
            None,
            &json!({"username": "bob", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(!a.timeline(&alice).await.is_empty(), "bob's post is back");
}

#[tokio::test(flavor = "multi_thread")]
async fn limit_delete_and_block_do_what_they_say_and_misfits_are_refused() {
    let a = Node::start().await;
    let (alice, bob) = (
        a.confirmed_user("alice").await,
        a.confirmed_user("bob").await,
    );
    let carol = a.confirmed_user("carol").await;
    let modo = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);

    // Limit: new followers of bob wait for his approval.
    let (status, d, _) = decided(&a, &alice, &modo, &bob.uri, "limit").await;
    assert_eq!(status, 200, "{d}");
    let follow = a.follow(&carol, &bob.acct).await;
    assert_eq!(follow["state"], "pending", "{follow}");

    // Delete: bob's post is gone for good here.
    let post = a.post(&bob, "Arnaque").await;
    let (status, d, _) = decided(&a, &alice, &modo, post["uri"].as_str().unwrap(), "delete").await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(
        status_of(&a, &format!("/posts/{}", post["id"]), AP).await,
        410
    );

    // Actions that do not fit what was reported are refused, and nothing is recorded.
    let other_post = a.post(&bob, "Autre").await;
    let uri = other_post["uri"].as_str().unwrap().to_string();
    for (target, action) in [
        (bob.uri.as_str(), "hide"),
        (bob.uri.as_str(), "delete"),
        (bob.uri.as_str(), "block_actor"),
        (uri.as_str(), "label"),
        (uri.as_str(), "block_domain"),
    ] {
        let (status, d, id) = decided(&a, &alice, &modo, target, action).await;
        assert_eq!(status, 400, "{action} on {target}: {d}");
        let (_, one) = a
            .get_json(&format!("/api/v1/admin/reports/{id}"), Some(&modo.token))
            .await;
        assert_eq!(one["status"], "open", "{one}");
    }

    // Block: a remote actor's reply is hidden and its activities are refused from then on.
    let (key, public) = a.keys_of_new_user("keyholder").await;
    let spammer = Peer::start("spammer", &public).await;
    let reply = |n: u32| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": spammer.url(&format!("/activities/{n}")),
            "type": "Create",
            "actor": spammer.actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {"id": spammer.url(&format!("/notes/{n}")), "type": "Note",
                       "attributedTo": spammer.actor, "content": "Cheap pills",
                       "inReplyTo": uri, "to": ["https://www.w3.org/ns/activitystreams#Public"]}
        })
    };
    let send = |activity: Value| {
        let (http, inbox, key_id, key) = (
            a.http.clone(),
            a.url("/inbox"),
            spammer.key_id.clone(),
            key.clone(),
        );
        async move {
            post_signed(
                &http,
                &inbox,
                activity.to_string().as_bytes(),
                &Signed::new(&key_id, &key),
            )
            .await
        }
    };
    assert_eq!(send(reply(1)).await, 202);
    let replies = format!("/api/v1/posts/{}/replies", other_post["id"]);
    let (_, before) = a.get_json(&replies, None).await;
    assert_eq!(before.as_array().unwrap().len(), 1, "{before}");
    let (status, d, _) = decided(&a, &alice, &modo, &spammer.url("/notes/1"), "block_actor").await;
    assert_eq!(status, 200, "{d}");
    let (_, after) = a.get_json(&replies, None).await;
    assert_eq!(after.as_array().unwrap().len(), 0, "{after}");
    assert_eq!(send(reply(2)).await, 403);
    // A remote account is blocked, not suspended.
    let (status, _, _) = decided(&a, &alice, &modo, &spammer.actor, "suspend").await;
    assert_eq!(status, 400);
}
