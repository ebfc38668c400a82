//! The JSON API: accounts, tokens, posts and their wrong, hostile and oversized inputs.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::Node;
use reqwest::Method;
use serde_json::{Value, json};

fn assert_error(status: u16, body: &Value, want_status: u16, want_code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["error"], want_code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

/// Defect 12: sign-up answered "email already in use", telling anyone who has an account.
#[tokio::test(flavor = "multi_thread")]
async fn a_sign_up_with_an_address_in_use_looks_like_any_other() {
    let a = Node::start().await;
    let sign_up = |handle: &str, email: &str| json!({"handle": handle, "email": email, "password": "long enough pw"});
    let (status, first) = a
        .post_json(
            "/api/v1/accounts",
            None,
            &sign_up("owner", "owner@example.org"),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    let link = common::eventually(30, "confirmation mail", || async {
        a.mails()
            .iter()
            .any(|m| m.contains("confirm-email"))
            .then_some(())?;
        Some(a.confirmation_link())
    })
    .await;
    assert_eq!(a.http.get(&link).send().await.unwrap().status(), 200);

    // The same address again, and a fresh one: the answers differ only by the handle.
    let (status_taken, taken) = a
        .post_json(
            "/api/v1/accounts",
            None,
            &sign_up("intruder", "owner@example.org"),
        )
        .await;
    let (status_new, new) = a
        .post_json(
            "/api/v1/accounts",
            None,
            &sign_up("newcomer", "new@example.org"),
        )
        .await;
    assert_eq!((status_taken, status_new), (201, 201), "{taken} {new}");
    let shape = |v: &Value, handle: &str| {
        let mut v = v.clone();
        v["account"]["id"] = json!(0);
        v.to_string().replace(handle, "HANDLE")
    };
    assert_eq!(shape(&taken, "intruder"), shape(&new, "newcomer"));
    // Their own view shows each the address they typed, unconfirmed.
    let token = a.token("intruder", "long enough pw").await;
    let (_, me) = a.get_json("/api/v1/accounts/me", Some(&token)).await;
    assert_eq!(
        (me["email"].as_str(), me["email_confirmed"].as_bool()),
        (Some("owner@example.org"), Some(false)),
        "{me}"
    );

    // The holder is told by mail; no confirmation link for the intruder exists.
    let all = common::eventually(30, "the mail to the holder", || async {
        let all = a.mails();
        all.iter()
            .any(|m| m.contains("@intruder") && m.contains("owner@example.org"))
            .then_some(all)
    })
    .await;
    let to_holder: Vec<_> = all.iter().filter(|m| m.contains("@intruder")).collect();
    assert_eq!(to_holder.len(), 1);
    assert!(!to_holder[0].contains("confirm-email"), "{}", to_holder[0]);
    let (_, owner_me) = a
        .get_json(
            "/api/v1/accounts/me",
            Some(&a.token("owner", "long enough pw").await),
        )
        .await;
    assert_eq!(owner_me["email_confirmed"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_up_confirm_and_refuse_bad_input() {
    let a = Node::start().await;
    let ok = json!({"handle": "zoe", "email": "zoe@example.org", "password": "long enough pw"});
    let (status, body) = a.post_json("/api/v1/accounts", None, &ok).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["state"], "active");
    assert_eq!(body["account"]["acct"], format!("@zoe@{}", a.domain));
    assert!(body.get("email").is_none() && !body.to_string().contains("zoe@example.org"));

    // The confirmation mail is written under data/mail; its link confirms the address.
    let link = common::eventually(30, "confirmation mail", || async {
        std::fs::read_dir(a.dir.join("mail")).ok()?.next()?.ok()?;
        Some(a.confirmation_link())
    })
    .await;
    let token = a.token("zoe", "long enough pw").await;
    let (_, me) = a.get_json("/api/v1/accounts/me", Some(&token)).await;
    assert_eq!(me["email"], "zoe@example.org");
    assert_eq!(me["email_confirmed"], false);
    let page = a.http.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let (_, me) = a.get_json("/api/v1/accounts/me", Some(&token)).await;
    assert_eq!(me["email_confirmed"], true);
    // A link works once.
    assert_eq!(a.http.get(&link).send().await.unwrap().status(), 400);

    // Wrong, hostile and oversized sign-ups.
    let cases = [
        (
            json!({"handle": "Zoe Two", "email": "z2@example.org", "password": "long enough pw"}),
            400,
            "invalid_field",
        ),
        (
            json!({"handle": "<script>", "email": "z2@example.org", "password": "long enough pw"}),
            400,
            "invalid_field",
        ),
        (
            json!({"handle": "zoe", "email": "z3@example.org", "password": "long enough pw"}),
            409,
            "conflict",
        ),
        (
            json!({"handle": "zed", "email": "not-an-address", "password": "long enough pw"}),
            400,
            "invalid_field",
        ),
        (
            json!({"handle": "zed", "email": "zed@example.org", "password": "short"}),
            400,
            "invalid_field",
        ),
        (
            json!({"handle": "zed", "email": "zed@example.org", "password": "x".repeat(300)}),
            400,
            "invalid_field",
        ),
        (
            json!({"handle": "instance", "email": "i@example.org", "password": "long enough pw"}),
            400,
            "invalid_field",
        ),
        (json!({"handle": "zed"}), 400, "bad_request"),
        (
            json!({"handle": "zed", "email": "zed@example.org", "password": "long enough pw", "display_name": "a\u{0000}b"}),
            400,
            "invalid_field",
        ),
    ];
    for (body, want_status, want_code) in cases {
        let (status, answer) = a.post_json("/api/v1/accounts", None, &body).await;
        assert_error(status, &answer, want_status, want_code);
    }
    let r = a
        .http
        .post(a.url("/api/v1/accounts"))
        .header("content-type", "application/json")
        .body("{\"handle\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let big = format!("{{\"handle\": \"{}\"}}", "a".repeat(100 * 1024));
    let r = a
        .http
        .post(a.url("/api/v1/accounts"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "payload_too_large");

    // Only the one good account exists (plus nothing half-made).
    let db = a.db();
    let mut conn = db.get().unwrap();
    assert_eq!(agora_db::users::count(&mut conn).unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_posts_and_their_errors() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let eve = a.user("eve").await;

    // No token, a wrong token, a wrong password.
    let (status, body) = a.get_json("/api/v1/timelines/home", None).await;
    assert_error(status, &body, 401, "unauthorized");
    let (status, body) = a
        .get_json("/api/v1/timelines/home", Some("forged-token"))
        .await;
    assert_error(status, &body, 401, "unauthorized");
    let (status, body) = a
        .post_json(
            "/api/v1/auth/token",
            None,
            &json!({"username": "alice", "password": "nope nope"}),
        )
        .await;
    assert_error(status, &body, 401, "invalid_credentials");

    // Posts: empty, too long, bad reply target; HTML is escaped, never run.
    for body in [
        json!({"content": "   "}),
        json!({"content": "x".repeat(5001)}),
        json!({"content": "x", "in_reply_to": "javascript:alert(1)"}),
    ] {
        let (status, answer) = a
            .post_json("/api/v1/posts", Some(&alice.token), &body)
            .await;
        assert_error(status, &answer, 400, "invalid_field");
    }
    let post = a
        .post(&alice, "<script>alert(1)</script> & <b>bold</b>")
        .await;
    assert_eq!(
        post["content"],
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>"
    );
    let id = post["id"].as_i64().unwrap();

    // Someone else cannot edit or delete it; a missing post is 404.
    let (status, body) = a
        .send_json(
            Method::PATCH,
            &format!("/api/v1/posts/{id}"),
            &eve.token,
            Some(&json!({"content": "hijacked"})),
        )
        .await;
    assert_error(status, &body, 403, "forbidden");
    let (status, body) = a
        .send_json(
            Method::DELETE,
            &format!("/api/v1/posts/{id}"),
            &eve.token,
            None,
        )
        .await;
    assert_error(status, &body, 403, "forbidden");
    let (status, body) = a
        .send_json(Method::DELETE, "/api/v1/posts/999999", &alice.token, None)
        .await;
    assert_error(status, &body, 404, "not_found");
    let (status, _) = a.get_json("/api/v1/posts/not-a-number", None).await;
    assert_eq!(status, 404);

    // Errors speak the request's language.
    let r = a
        .http
        .get(a.url("/api/v1/timelines/home"))
        .header("accept-language", "fr-FR,fr;q=0.9")
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("connecter"),
        "{body}"
    );

    // Following: yourself, garbage, an unknown local account.
    for (target, code) in [
        (alice.acct.clone(), 400),
        ("not a handle".into(), 400),
        (format!("@ghost@{}", a.domain), 404),
    ] {
        let (status, body) = a
            .post_json(
                "/api/v1/follows",
                Some(&alice.token),
                &json!({"target": target}),
            )
            .await;
        assert_eq!(status, code, "{target}: {body}");
    }
    // Following a local account is accepted at once and fills the timeline.
    let f = a.follow(&eve, &alice.acct).await;
    assert_eq!(f["state"], "accepted");
    assert_eq!(a.timeline(&eve).await.len(), 1);

    // Changing the password ends other tokens.
    let second = a.token("alice", "correct horse battery").await;
    let (status, _) = a
        .send_json(
            Method::POST,
            "/api/v1/accounts/me/password",
            &alice.token,
            Some(&json!({"current_password": "wrong", "new_password": "another long one"})),
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = a.send_json(Method::POST, "/api/v1/accounts/me/password", &alice.token, Some(&json!({"current_password": "correct horse battery", "new_password": "another long one"}))).await;
    assert_eq!(status, 204);
    let (status, _) = a.get_json("/api/v1/accounts/me", Some(&second)).await;
    assert_eq!(status, 401);
    let (status, _) = a.get_json("/api/v1/accounts/me", Some(&alice.token)).await;
    assert_eq!(status, 200);
    a.token("alice", "another long one").await;

    // The OpenAPI document describes these endpoints.
    let (status, doc) = a.get_json("/api/openapi.json", None).await;
    assert_eq!(status, 200);
    for path in [
        "/api/v1/auth/token",
        "/api/v1/posts",
        "/api/v1/posts/{id}",
        "/api/v1/timelines/home",
        "/api/v1/follows",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_are_limited_even_across_a_restart() {
    let mut a = Node::start_with(&[("AGORA_LIMITS__LOGIN_FAILURES_PER_15MIN", "3")]).await;
    a.user("alice").await;
    for _ in 0..3 {
        let (status, _) = a
            .post_json(
                "/api/v1/auth/token",
                None,
                &json!({"username": "alice", "password": "guess guess"}),
            )
            .await;
        assert_eq!(status, 401);
    }
    let (status, body) = a
        .post_json(
            "/api/v1/auth/token",
            None,
            &json!({"username": "alice", "password": "correct horse battery"}),
        )
        .await;
    assert_error(status, &body, 429, "rate_limited");
    a.kill9();
    a.launch().await;
    let (status, _) = a
        .post_json(
            "/api/v1/auth/token",
            None,
            &json!({"username": "alice", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(status, 429);
}

/// A log-in through the token endpoint from `from` (an `X-Forwarded-For` value); the status.
async fn login_from(node: &Node, from: &str, user: &str, password: &str) -> u16 {
    node.http
        .post(node.url("/api/v1/auth/token"))
        .header("x-forwarded-for", from)
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const RIGHT: &str = "correct horse battery";

/// Defect 2: behind the proxy the admin guide prescribes, every client had the proxy's address.
#[tokio::test(flavor = "multi_thread")]
async fn log_in_limits_behind_a_trusted_proxy_are_per_client() {
    let a = Node::start_with(&[
        ("AGORA_HTTP__TRUSTED_PROXIES", r#"["127.0.0.1", "::1"]"#),
        ("AGORA_LIMITS__LOGIN_FAILURES_PER_15MIN", "3"),
    ])
    .await;
    a.user("alice").await;
    for _ in 0..3 {
        assert_eq!(login_from(&a, "198.51.100.1", "alice", "guess").await, 401);
    }
    assert_eq!(
        login_from(&a, "198.51.100.1", "alice", RIGHT).await,
        429,
        "the guessing address is stopped"
    );
    assert_eq!(
        login_from(&a, "198.51.100.2", "alice", RIGHT).await,
        200,
        "alice, from elsewhere, is not locked out"
    );
    // An IPv6 client is one /64: changing the last bits does not buy more tries.
    for n in 1..=3 {
        let from = format!("2001:db8:1:2::{n}");
        assert_eq!(login_from(&a, &from, "alice", "guess").await, 401);
    }
    assert_eq!(
        login_from(&a, "2001:db8:1:2::ff", "alice", RIGHT).await,
        429
    );
    assert_eq!(login_from(&a, "2001:db8:1:3::1", "alice", RIGHT).await, 200);
    // Successful log-ins are not counted against their address.
    for _ in 0..5 {
        assert_eq!(login_from(&a, "192.0.2.50", "alice", RIGHT).await, 200);
    }

    // Without a trusted proxy, the header is the client's own word and is ignored.
    let b = Node::start_with(&[("AGORA_LIMITS__LOGIN_FAILURES_PER_15MIN", "3")]).await;
    b.user("alice").await;
    for n in 0..3 {
        assert_eq!(
            login_from(&b, &format!("10.0.0.{n}"), "alice", "guess").await,
            401
        );
    }
    assert_eq!(login_from(&b, "10.0.0.99", "alice", RIGHT).await, 429);
}

/// Defect 2: guessing one account's password from many addresses slows down, while its owner,
/// from an address it logged in from before, still gets in.
#[tokio::test(flavor = "multi_thread")]
async fn an_account_guessed_from_many_addresses_stays_open_to_its_owner() {
    let a = Node::start_with(&[
        ("AGORA_HTTP__TRUSTED_PROXIES", r#"["127.0.0.1"]"#),
        ("AGORA_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_15MIN", "5"),
    ])
    .await;
    a.user("alice").await;
    assert_eq!(login_from(&a, "203.0.113.7", "alice", RIGHT).await, 200);
    for n in 0..5 {
        let from = format!("198.51.100.{n}");
        assert_eq!(login_from(&a, &from, "alice", "guess").await, 401);
    }
    assert_eq!(
        login_from(&a, "198.51.100.200", "alice", RIGHT).await,
        429,
        "a new address waits"
    );
    assert_eq!(
        login_from(&a, "203.0.113.7", "alice", RIGHT).await,
        200,
        "the owner's known address does not"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn registration_modes() {
    let closed = Node::start_with(&[("AGORA_INSTANCE__REGISTRATION", "closed")]).await;
    let (status, body) = closed
        .post_json(
            "/api/v1/accounts",
            None,
            &json!({"handle": "x", "email": "x@example.org", "password": "long enough pw"}),
        )
        .await;
    assert_error(status, &body, 403, "registrations_closed");

    let approval = Node::start_with(&[("AGORA_INSTANCE__REGISTRATION", "approval")]).await;
    let (status, body) = approval
        .post_json(
            "/api/v1/accounts",
            None,
            &json!({"handle": "pat", "email": "pat@example.org", "password": "long enough pw"}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(body["state"], "pending_approval");
    let (status, body) = approval
        .post_json(
            "/api/v1/auth/token",
            None,
            &json!({"username": "pat", "password": "long enough pw"}),
        )
        .await;
    assert_error(status, &body, 403, "account_pending_approval");
    let out = approval
        .command()
        .args(["admin", "approve", "pat"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    approval.token("pat", "long enough pw").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_ups_are_limited_per_address() {
    let a = Node::start_with(&[("AGORA_LIMITS__SIGNUPS_PER_HOUR", "2")]).await;
    for name in ["one", "two"] {
        let (status, body) = a.post_json("/api/v1/accounts", None, &json!({"handle": name, "email": format!("{name}@example.org"), "password": "long enough pw"})).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = a
        .post_json(
            "/api/v1/accounts",
            None,
            &json!({"handle": "three", "email": "three@example.org", "password": "long enough pw"}),
        )
        .await;
    assert_error(status, &body, 429, "rate_limited");
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_edits_are_validated() {
    let a = Node::start().await;
    let alice = a.user("alice").await;
    let (status, me) = a
        .send_json(
            Method::PATCH,
            "/api/v1/accounts/me",
            &alice.token,
            Some(&json!({"display_name": "Alice A.", "summary": "Civic <b>tech</b>\n\nLyon"})),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["account"]["display_name"], "Alice A.");
    assert_eq!(
        me["account"]["summary"],
        "<p>Civic &lt;b&gt;tech&lt;/b&gt;</p><p>Lyon</p>"
    );
    for body in [
        json!({"display_name": "x".repeat(101)}),
        json!({"summary": "x".repeat(2001)}),
        json!({"display_name": "bell\u{7}"}),
    ] {
        let (status, answer) = a
            .send_json(
                Method::PATCH,
                "/api/v1/accounts/me",
                &alice.token,
                Some(&body),
            )
            .await;
        assert_error(status, &answer, 400, "invalid_field");
    }
    let (_, doc) = a.get_json("/api/v1/accounts/me", Some(&alice.token)).await;
    assert_eq!(doc["account"]["display_name"], "Alice A.");
}
