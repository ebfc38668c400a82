//! The terms of service and the data policy: files in the data directory, each change a new
//! version with its history and what changed; accounts accept a new version of the terms at
//! their next visit.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, csrf, html_in, json_as};

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_terms_file_is_a_new_version_with_its_diff_and_accounts_accept_it() {
    let a = Node::start().await;
    a.confirmed_user("alice").await;
    let web = a.browser_login("alice").await;

    // First run: both texts are there, from their default files.
    let terms = json_as(&a.http, a.url("/about/terms"), "application/json").await;
    assert_eq!(terms["version"], 1, "{terms}");
    assert!(
        terms["content"]
            .as_str()
            .unwrap()
            .contains("Terms of service")
    );
    let data = html_in(&a.http, a.url("/about/data"), "fr").await;
    assert!(data.contains("Ce qui est fédéré"), "{data}");
    assert!(a.dir.join("terms.md").exists() && a.dir.join("data-policy.md").exists());

    // alice, made before any version, is asked at her next visit, and accepts.
    let home = html_in(&web, a.url("/"), "en").await;
    assert!(home.contains("The terms of service changed."), "{home}");
    let page = html_in(&web, a.url("/about/terms"), "en").await;
    let accept = |version: &str, token: String| {
        let web = web.clone();
        let url = a.url("/about/terms/accept");
        let fields = [("csrf", token), ("version", version.to_string())];
        async move {
            web.post(url)
                .form(&fields)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(accept("1", "forged".into()).await, 403);
    assert_eq!(
        accept("7", csrf(&page)).await,
        409,
        "never a version she was not shown"
    );
    assert_eq!(accept("1", csrf(&page)).await, 303);
    let home = html_in(&web, a.url("/"), "en").await;
    assert!(!home.contains("The terms of service changed."), "{home}");

    // The administrators change the file: version 2, with what changed.
    let mut text = std::fs::read_to_string(a.dir.join("terms.md")).unwrap();
    text.push_str("\n## 5. Petitions / Pétitions\n\nOne signature per person.\n");
    std::fs::write(a.dir.join("terms.md"), text).unwrap();
    let terms = json_as(
        &a.http,
        a.url("/about/terms?from=1&to=2"),
        "application/json",
    )
    .await;
    assert_eq!(terms["version"], 2, "{terms}");
    assert_eq!(terms["history"].as_array().unwrap().len(), 2);
    let diff: Vec<&str> = terms["diff"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str())
        .filter(|l| !l.starts_with(' '))
        .collect();
    assert!(diff.contains(&"+One signature per person."), "{diff:?}");
    assert!(
        diff.iter().all(|l| l.starts_with('+')),
        "only additions: {diff:?}"
    );
    // Read again unchanged: no third version. The first is still there as it was.
    let again = json_as(&a.http, a.url("/about/terms"), "application/json").await;
    assert_eq!(again["version"], 2);
    let first = json_as(&a.http, a.url("/about/terms?version=1"), "application/json").await;
    assert!(
        !first["content"]
            .as_str()
            .unwrap()
            .contains("One signature per person.")
    );
    let page = html_in(&a.http, a.url("/about/terms?from=1&to=2"), "fr").await;
    assert!(
        page.contains("<ins>+ One signature per person.</ins>"),
        "{page}"
    );

    // alice is asked again, for version 2.
    let home = html_in(&web, a.url("/"), "fr").await;
    assert!(home.contains("Lire et accepter la version 2"), "{home}");
    let page = html_in(&web, a.url("/about/terms"), "en").await;
    assert_eq!(accept("1", csrf(&page)).await, 409);
    assert_eq!(accept("2", csrf(&page)).await, 303);

    // Wrong versions are refused clearly.
    for (path, want) in [
        ("/about/terms?version=99", 404),
        ("/about/terms?from=1&to=99", 404),
        ("/about/terms?version=abc", 400),
        ("/about/data?version=0", 404),
    ] {
        let r = a.http.get(a.url(path)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), want, "{path}");
    }
}
