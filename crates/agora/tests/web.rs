//! The HTML side: forms with CSRF protection, session cookies, languages, page weight.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, browser, csrf};

#[tokio::test(flavor = "multi_thread")]
async fn sign_up_post_and_log_out_through_forms() {
    let a = Node::start().await;
    let web = browser();

    let page = web.get(a.url("/signup")).send().await.unwrap();
    let cookie = page
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let html = page.text().await.unwrap();
    // The form asks for a pseudonym and nothing that must match a legal identity.
    let mut fields: Vec<&str> = html
        .split("name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "csrf",
            "csrf",
            "display_name",
            "email",
            "handle",
            "lang",
            "password",
            "viewport"
        ]
    );
    let token = csrf(&html);

    // Without the token, or with another one, the form is refused and nothing is created.
    let form = [
        ("handle", "webby"),
        ("email", "webby@example.org"),
        ("password", "long enough pw"),
        ("csrf", "forged"),
    ];
    let r = web.post(a.url("/signup")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = reqwest::Client::new()
        .post(a.url("/signup"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a client without the cookie");
    // A bad field shows the form again, keeping what was typed.
    let bad = [
        ("handle", "Web By"),
        ("email", "webby@example.org"),
        ("password", "long enough pw"),
        ("csrf", token.as_str()),
    ];
    let r = web.post(a.url("/signup")).form(&bad).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("value=\"webby@example.org\"")
    );

    let good = [
        ("handle", "webby"),
        ("email", "webby@example.org"),
        ("password", "long enough pw"),
        ("csrf", token.as_str()),
    ];
    let r = web.post(a.url("/signup")).form(&good).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("agora_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );

    // Signed in: the home page has the compose form, with the session's own token.
    let html = common::html(&web, a.url("/")).await;
    assert!(html.contains("action=\"/posts\""), "{html}");
    let token = csrf(&html);
    let r = web
        .post(a.url("/posts"))
        .form(&[("content", "no token"), ("csrf", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = web
        .post(a.url("/posts"))
        .form(&[("content", "Hello <em>web</em>"), ("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = common::html(&web, a.url("/?notice=posted")).await;
    assert!(html.contains("Hello &lt;em&gt;web&lt;/em&gt;"), "{html}");
    assert!(html.contains("Published."));
    // The e-mail shows on the settings page only.
    assert!(!html.contains("webby@example.org"));
    let settings = common::html(&web, a.url("/settings")).await;
    assert!(settings.contains("webby@example.org"));
    let profile = common::html(&web, a.url("/users/webby")).await;
    assert!(!profile.contains("webby@example.org"));
    assert!(
        profile.contains("Citizen"),
        "the account kind is shown as text"
    );

    // Log out ends the session.
    let r = web
        .post(a.url("/logout"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = web.get(a.url("/settings")).send().await.unwrap();
    assert_eq!(r.status(), 303);

    // Log in again with a wrong then the right password.
    let html = common::html(&web, a.url("/login")).await;
    let token = csrf(&html);
    let r = web
        .post(a.url("/login"))
        .form(&[
            ("username", "webby"),
            ("password", "wrong wrong"),
            ("csrf", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = web
        .post(a.url("/login"))
        .form(&[
            ("username", "webby"),
            ("password", "long enough pw"),
            ("csrf", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_speak_french_and_stay_light() {
    let a = Node::start().await;
    a.user("alice").await;
    let fr = common::html_in(&a.http, a.url("/login"), "fr-CH, fr;q=0.9, en;q=0.8").await;
    assert!(
        fr.contains("lang=\"fr\"") && fr.contains("Se connecter"),
        "{fr}"
    );
    let en = common::html_in(&a.http, a.url("/login"), "en-GB").await;
    assert!(en.contains("lang=\"en\"") && en.contains("Log in"));
    for path in [
        "/",
        "/login",
        "/signup",
        "/users/alice",
        "/about/algorithms",
        "/static/style.css",
    ] {
        let r = a.http.get(a.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let bytes = r.bytes().await.unwrap();
        assert!(
            bytes.len() < 30 * 1024,
            "{path} weighs {} bytes",
            bytes.len()
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("<script"),
            "{path} needs no JavaScript"
        );
    }
    let r = a.http.get(a.url("/users/nobody")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("<html"));
    let r = a.http.get(a.url("/no/such/page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_need_their_token_and_error_pages_run_no_script() {
    let a = Node::start().await;
    let metrics = a.url("/metrics");
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(a.http.get(&metrics).send().await.unwrap()), 401);
    assert_eq!(
        status(
            a.http
                .get(&metrics)
                .bearer_auth("wrong")
                .send()
                .await
                .unwrap()
        ),
        401
    );
    assert!(a.metrics().await.contains("agora_http_requests_total"));

    // A node without a token does not serve metrics at all.
    let b = Node::start_with(&[("AGORA_HTTP__METRICS_TOKEN", "")]).await;
    let r = b
        .http
        .get(b.url("/metrics"))
        .bearer_auth("")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Error pages carry the same policy as every other page.
    let r = a
        .http
        .get(a.url("/users/nobody"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'none'"), "{csp}");
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_take_the_form_the_request_asks_for() {
    let a = Node::start().await;
    let get = |path: &str, accept: &str| {
        a.http
            .get(a.url(path))
            .header("accept", accept)
            .header("accept-language", "fr")
            .send()
    };
    let content_type =
        |r: &reqwest::Response| r.headers()["content-type"].to_str().unwrap().to_string();
    // A browser gets a page, in its language, from any route, even one nothing answers.
    for path in ["/initiatives/nope", "/no/such/route"] {
        let r = get(path, "text/html").await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert!(content_type(&r).starts_with("text/html"), "{path}");
        assert!(r.text().await.unwrap().contains("<html"), "{path}");
    }
    // The API and whoever asks for JSON get JSON, translated.
    for (path, accept) in [
        ("/api/v1/initiatives/nope", "text/html"),
        ("/initiatives/nope", "application/json"),
        ("/initiatives/nope", "application/activity+json"),
    ] {
        let r = get(path, accept).await.unwrap();
        assert_eq!(r.status(), 404, "{path} {accept}");
        assert!(
            content_type(&r).starts_with("application/json"),
            "{path} {accept}"
        );
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "not_found", "{path} {accept}");
        assert!(
            body["message"].as_str().unwrap().starts_with("Introuvable"),
            "{body}"
        );
    }
}
