//! Deleting an account: asked with the password, cancellable during the grace period, then
//! carried out by the worker. Signatures on open petitions are withdrawn through the log, those
//! on closed ones stay anonymised (both logs still verify); the old addresses answer 410 with a
//! `Tombstone`; the handle is never given again; another Agora node that followed the account
//! applies the federated `Delete`; and then neither database holds the handle, the e-mail
//! address or the session anywhere (every column of every table searched).
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, User, eventually, in_days};
use reqwest::Method;
use serde_json::{Value, json};

const HANDLE: &str = "zoltanquix";
const EMAIL: &str = "zoltanquix@example.org";

async fn petition(node: &Node, user: &User, title: &str) -> Value {
    node.start_petition(
        user,
        json!({"title": title, "text": "Pour le quartier.", "target": "Mairie", "deadline": in_days(30)}),
        json!({}),
    )
    .await
}

async fn sign(node: &Node, user: &User, id: &Value) {
    let (status, body) = node
        .send_json(
            Method::POST,
            &format!("/api/v1/petitions/{id}/signatures"),
            &user.token,
            Some(&json!({})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn verified(node: &Node, id: &Value) -> i64 {
    let (_, view) = node
        .get_json(&format!("/api/v1/petitions/{id}"), None)
        .await;
    view["signatures"]["verified"].as_i64().unwrap()
}

/// Every column of every table of the node's database holding `needle`.
async fn holding(node: &Node, needle: &str) -> Vec<agora_db::data_map::Found> {
    let needle = needle.to_string();
    node.db()
        .run(move |conn| agora_db::data_map::holding(conn, &needle))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_account_leaves_no_trace_here_or_on_the_servers_that_knew_it() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.confirmed_user(HANDLE).await;
    let bob = a.confirmed_user("bob").await;
    let carol = b.confirmed_user("carol").await;

    // A life on the node: posts, follows both ways across servers, an initiative, petitions
    // signed (one closes), one of her own, a report filed and one about her, an archive.
    b.follow(&carol, &alice.acct).await;
    b.wait_accepted(&carol).await;
    a.follow(&alice, &carol.acct).await;
    a.wait_accepted(&alice).await;
    let post = a.post(&alice, "Bonjour le quartier").await;
    let post_uri = post["uri"].as_str().unwrap().to_string();
    eventually(30, "carol's node has the post", || async {
        let db = b.db();
        let mut conn = db.get().unwrap();
        agora_db::posts::by_ap_id(&mut conn, &post_uri).unwrap()
    })
    .await;
    a.initiative(&alice, "jardins", "Jardins partagés").await;
    let open = petition(&a, &bob, "Des bancs").await;
    let closed = petition(&a, &bob, "Des arbres").await;
    let hers = petition(&a, &alice, "Des fontaines").await;
    sign(&a, &alice, &open["id"]).await;
    sign(&a, &bob, &open["id"]).await;
    sign(&a, &alice, &closed["id"]).await;
    sign(&a, &bob, &hers["id"]).await;
    let (status, _) = a
        .send_json(
            Method::POST,
            &format!("/api/v1/petitions/{}/close", closed["id"]),
            &bob.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    for (by, target) in [(&alice, &bob.uri), (&bob, &post_uri)] {
        let (status, body) = a
            .post_json(
                "/api/v1/reports",
                Some(&by.token),
                &json!({"target": target, "category": "scams_and_fraud", "comment": "Faux"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, asked) = a
        .post_json("/api/v1/export", Some(&alice.token), &json!({}))
        .await;
    assert_eq!(status, 202, "{asked}");
    eventually(60, "the archive is built", || async {
        let (_, e) = a
            .get_json(
                &format!("/api/v1/export/{}", asked["id"]),
                Some(&alice.token),
            )
            .await;
        (e["status"] == "ready").then_some(())
    })
    .await;
    let exports = a.dir.join("exports");
    assert_eq!(std::fs::read_dir(&exports).unwrap().count(), 1);
    // The search finds her, so finding nothing later means something.
    let before = holding(&a, HANDLE).await;
    for table in ["actors", "users", "reports"] {
        assert!(before.iter().any(|f| f.table == table), "{before:?}");
    }
    assert!(holding(&a, EMAIL).await.iter().any(|f| f.table == "users"));
    assert!(!holding(&b, HANDLE).await.is_empty());

    // Wrong, missing, oversized passwords: refused, nothing scheduled.
    let me = "/api/v1/accounts/me";
    for body in [
        json!({"password": "wrong password"}),
        json!({"password": "x".repeat(5000)}),
    ] {
        let (status, answer) = a
            .send_json(Method::DELETE, me, &alice.token, Some(&body))
            .await;
        assert_eq!(status, 401, "{answer}");
    }
    let (status, _) = a
        .send_json(Method::DELETE, me, &alice.token, Some(&json!({})))
        .await;
    assert_eq!(status, 400);
    let (status, _) = a
        .send_json(
            Method::DELETE,
            me,
            "not-a-token",
            Some(&json!({"password": "x"})),
        )
        .await;
    assert_eq!(status, 401);
    let state = "/api/v1/accounts/me/deletion";
    assert_eq!(
        a.get_json(state, Some(&alice.token)).await.1["status"],
        "none"
    );

    // Asked, then cancelled during the grace period; cancelling twice is a conflict.
    let password = json!({"password": "correct horse battery"});
    let (status, due) = a
        .send_json(Method::DELETE, me, &alice.token, Some(&password))
        .await;
    assert_eq!(
        (status, due["status"].as_str()),
        (202, Some("scheduled")),
        "{due}"
    );
    let at = chrono::DateTime::parse_from_rfc3339(due["due_at"].as_str().unwrap()).unwrap();
    let days = (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((167..=168).contains(&days), "{due}");
    eventually(30, "the owner is told when, and how to cancel", || async {
        a.mails()
            .iter()
            .any(|m| m.contains(EMAIL) && m.contains("/settings/delete"))
            .then_some(())
    })
    .await;
    let (status, _) = a.send_json(Method::DELETE, state, &alice.token, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        a.get_json(state, Some(&alice.token)).await.1["status"],
        "none"
    );
    let (status, _) = a.send_json(Method::DELETE, state, &alice.token, None).await;
    assert_eq!(status, 409);
    // The job of the cancelled request runs when due and leaves the account alone.
    a.tamper("UPDATE jobs SET run_at = '2000-01-01 00:00:00' WHERE kind = 'delete_account'");
    eventually(30, "the cancelled deletion's job is gone", || async {
        let db = a.db();
        let mut conn = db.get().unwrap();
        let n = agora_db::jobs::count_by_kind(&mut conn, "delete_account").unwrap();
        (n == 0).then_some(())
    })
    .await;
    assert_eq!(a.get_json(me, Some(&alice.token)).await.0, 200);

    // Asked again; the grace period passes.
    let (status, _) = a
        .send_json(Method::DELETE, me, &alice.token, Some(&password))
        .await;
    assert_eq!(status, 202);
    a.tamper(
        "UPDATE users SET deletion_due_at = '2000-01-01 00:00:00' WHERE deletion_due_at IS NOT NULL",
    );
    a.tamper("UPDATE jobs SET run_at = '2000-01-01 00:00:00' WHERE kind = 'delete_account'");
    eventually(30, "the account is gone", || async {
        (a.get_json(me, Some(&alice.token)).await.0 == 401).then_some(())
    })
    .await;

    // Her old addresses answer 410 with a Tombstone; her handle is not given again.
    let gone = a
        .http
        .get(&alice.uri)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 410);
    let tomb: Value = gone.json().await.unwrap();
    assert_eq!(
        (
            tomb["type"].as_str(),
            tomb["formerType"].as_str(),
            tomb["id"].as_str()
        ),
        (Some("Tombstone"), Some("Person"), Some(alice.uri.as_str()))
    );
    let page = a.http.get(&alice.uri).send().await.unwrap();
    assert_eq!(page.status(), 410);
    let note = a
        .http
        .get(&post_uri)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(note.status(), 410);
    assert_eq!(note.json::<Value>().await.unwrap()["formerType"], "Note");
    let hers_uri = hers["uri"].as_str().unwrap();
    let question = a
        .http
        .get(hers_uri)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(question.status(), 410);
    // A never-used address is still 404.
    let never = a
        .http
        .get(a.url("/users/neverwas"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(never.status(), 404);
    let (status, body) = a
        .post_json(
            "/api/v1/accounts",
            None,
            &json!({"handle": HANDLE, "email": "other@example.org", "password": "another password"}),
        )
        .await;
    assert_eq!(status, 409, "{body}");

    // The open petition lost her signature through its log; the closed one keeps it, with no
    // name. Both logs still verify.
    assert_eq!(verified(&a, &open["id"]).await, 1);
    assert_eq!(verified(&a, &closed["id"]).await, 1);
    let out = a.verify_log(open["uri"].as_str().unwrap());
    assert!(out.contains("1 signatures proved"), "{out}");
    assert!(out.contains("3 leaves"), "sign, sign, withdraw: {out}");
    let out = a.verify_log(closed["uri"].as_str().unwrap());
    assert!(out.contains("1 signatures proved"), "{out}");

    // Carol's node applied the Delete: no post, no follow, no actor.
    eventually(30, "carol's node forgot her", || async {
        holding(&b, HANDLE).await.is_empty().then_some(())
    })
    .await;
    let (_, follows) = b.get_json("/api/v1/follows", Some(&carol.token)).await;
    assert!(
        !follows.to_string().contains(HANDLE),
        "carol follows no one named so: {follows}"
    );
    assert!(!b.timeline(&carol).await.iter().any(|p| {
        p["content"]
            .as_str()
            .unwrap_or("")
            .contains("Bonjour le quartier")
    }));

    // Once the deliveries are done, nothing here names her, her address or her session.
    eventually(60, "the Delete is delivered", || async {
        let db = a.db();
        let mut conn = db.get().unwrap();
        let n = agora_db::jobs::count_by_kind(&mut conn, "deliver").unwrap()
            + agora_db::jobs::count_by_kind(&mut conn, "federate").unwrap();
        (n == 0).then_some(())
    })
    .await;
    let session = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        alice.token.as_bytes(),
    ));
    for needle in [HANDLE, EMAIL, session.as_str()] {
        let left = holding(&a, needle).await;
        assert!(left.is_empty(), "{needle} still in {left:?}");
    }
    assert_eq!(std::fs::read_dir(&exports).unwrap().count(), 0);
    // The command line answers the same.
    let out = a
        .command()
        .args(["admin", "find-data", HANDLE])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "nowhere");
    // Bob's report on her post stays for the year's figures, no longer naming her.
    let erased = holding(&a, agora_db::erasure::ERASED).await;
    assert_eq!(
        erased
            .iter()
            .map(|f| (f.table.as_str(), f.column.as_str(), f.rows))
            .collect::<Vec<_>>(),
        vec![("reports", "target_ap_id", 1)]
    );
}
