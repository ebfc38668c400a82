//! The yearly evaluation report: after a scripted year of reports, decisions, appeals,
//! federation changes and detector labels, the report equals a recount from the raw rows, and
//! its JSON, CSV and HTML say the same.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node, html_in,
    peer::Peer,
    signing::{Signed, post_signed},
};
use diesel::RunQueryDsl;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Runs SQL on the node's database as it is (moving rows into the scripted year).
fn sql(node: &Node, statements: &[String]) {
    let db = node.db();
    let mut conn = db.get().unwrap();
    for s in statements {
        diesel::sql_query(s).execute(&mut *conn).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_yearly_report_equals_a_recount_from_the_rows_in_html_json_and_csv() {
    let a = Node::start_with(&[("AGORA_SIGNAGE__MIN_INTERACTIONS", "4")]).await;
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
    let (key, public) = a.keys_of_new_user("keyholder").await;

    // Twelve reports filed here on bob's posts, under four categories.
    let categories = [
        "scams_and_fraud",
        "violence",
        "illegal_or_harmful_speech",
        "self_harm",
    ];
    let mut ids = Vec::new();
    for i in 0..12 {
        let post = a.post(&bob, &format!("Post {i}")).await;
        let (status, r) = a
            .post_json(
                "/api/v1/reports",
                Some(&alice.token),
                &json!({"target": post["uri"], "category": categories[i % 4]}),
            )
            .await;
        assert_eq!(status, 201, "{r}");
        ids.push(r["id"].as_i64().unwrap());
    }
    // Two from another server, as Mastodon sends them.
    let mastodon = Peer::start_as("instance", "Application", &public).await;
    for n in 0..2 {
        let flag = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": mastodon.url(&format!("/flags/{n}")), "type": "Flag", "actor": mastodon.actor,
            "object": [bob.uri], "content": "Spam"
        });
        let status = post_signed(
            &a.http,
            &a.url("/inbox"),
            flag.to_string().as_bytes(),
            &Signed::new(&mastodon.key_id, &key),
        )
        .await;
        assert_eq!(status, 202);
    }
    // Decisions: dismissals, hides, a label; two appeals, one upheld, one reversed.
    let decide = |id: i64, body: Value| {
        let (a, token) = (&a, modo.token.clone());
        async move {
            let (status, d) = a
                .post_json(
                    &format!("/api/v1/admin/reports/{id}/decision"),
                    Some(&token),
                    &body,
                )
                .await;
            assert_eq!(status, 200, "{d}");
        }
    };
    for &id in &ids[..4] {
        decide(id, json!({"action": "dismiss", "reason": "Rien"})).await;
    }
    for &id in &ids[4..7] {
        decide(
            id,
            json!({"action": "hide", "reason": "Contraire aux règles"}),
        )
        .await;
    }
    decide(
        ids[7],
        json!({"action": "label", "label": "commercial", "reason": "Publicité"}),
    )
    .await;
    for (id, outcome) in [(ids[4], "upheld"), (ids[5], "reversed")] {
        let (status, _) = a
            .post_json(
                &format!("/api/v1/moderation/decisions/{id}/appeal"),
                Some(&bob.token),
                &json!({"text": "Je conteste"}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = a
            .post_json(
                &format!("/api/v1/admin/reports/{id}/appeal/decision"),
                Some(&other.token),
                &json!({"outcome": outcome, "reason": "Revu"}),
            )
            .await;
        assert_eq!(status, 200);
    }
    // Federation: a block, lifted, and a silence.
    let rule = |path: &str, domain: &str, policy: &str| {
        let (a, token, path) = (&a, modo.token.clone(), path.to_string());
        let body = json!({"domain": domain, "policy": policy, "reason": "Script"});
        async move {
            let (status, r) = a.post_json(&path, Some(&token), &body).await;
            assert_eq!(status, 200, "{r}");
        }
    };
    rule("/api/v1/admin/federation/rules", "spam.example", "block").await;
    rule(
        "/api/v1/admin/federation/rules/lift",
        "spam.example",
        "block",
    )
    .await;
    rule("/api/v1/admin/federation/rules", "noisy.example", "silence").await;
    // The detector: a burst of days-old accounts on one server.
    let crowd = Peer::start_crowd(&public).await;
    let target = a.post(&bob, "Viral").await["uri"]
        .as_str()
        .unwrap()
        .to_string();
    for i in 0..5 {
        let actor = crowd.url(&format!("/users/new{i}"));
        let like = json!({"@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}/likes/1"), "type": "Like", "actor": actor, "object": target});
        let status = post_signed(
            &a.http,
            &a.url("/inbox"),
            like.to_string().as_bytes(),
            &Signed::new(&format!("{actor}#main-key"), &key),
        )
        .await;
        assert_eq!(status, 202);
    }

    // The script took seconds: spread it over 2025, each report handled in its own time.
    let mut moves = Vec::new();
    let (_, queue) = a.get_json("/api/v1/admin/reports", Some(&modo.token)).await;
    for (n, r) in queue.as_array().unwrap().iter().enumerate() {
        let month = n % 12 + 1;
        // Two statements, not a CASE: PostgreSQL would type a CASE of NULL and a literal as text.
        moves.push(format!(
            "UPDATE reports SET decided_at = '2025-{month:02}-{:02} {:02}:00:00' \
             WHERE id = {} AND decided_at IS NOT NULL",
            10 + n % 3,
            8 + n % 9,
            r["id"]
        ));
        moves.push(format!(
            "UPDATE reports SET created_at = '2025-{month:02}-10 08:00:00' WHERE id = {}",
            r["id"]
        ));
    }
    moves.push("UPDATE appeals SET appealed_at = '2025-06-01 09:00:00', decided_at = '2025-06-02 15:00:00' WHERE appealed_at IS NOT NULL".into());
    moves.push("UPDATE labels SET created_at = '2025-07-01 12:00:00'".into());
    moves.push("UPDATE federation_log SET created_at = '2025-08-01 12:00:00'".into());
    sql(&a, &moves);

    // The report, read three ways.
    let got = common::json_as(
        &a.http,
        a.url("/about/transparency?year=2025"),
        "application/json",
    )
    .await;
    let report = &got["report"];

    // A recount from the raw rows, done here without the node's code.
    let db = a.db();
    let mut conn = db.get().unwrap();
    let rows = agora_db::reports::queue(&mut conn, &Default::default(), 1000).unwrap();
    assert_eq!(rows.len(), 14);
    let mut by_category: BTreeMap<String, i64> = BTreeMap::new();
    let mut actions: BTreeMap<String, i64> = BTreeMap::new();
    let mut hours: Vec<f64> = Vec::new();
    let mut remote = 0;
    for r in &rows {
        *by_category.entry(r.category.clone()).or_default() += 1;
        if let Some(action) = &r.action {
            *actions.entry(action.clone()).or_default() += 1;
        }
        if let Some(d) = r.decided_at {
            hours.push((d - r.created_at).num_seconds() as f64 / 3600.0);
        }
        remote += i64::from(r.origin != a.domain);
    }
    hours.sort_by(f64::total_cmp);
    let nearest = |q: f64| hours[((q * hours.len() as f64).ceil() as usize).max(1) - 1];
    assert_eq!(report["reports"], 14);
    for (category, n) in &by_category {
        assert_eq!(report["by_category"][category], *n, "{category}: {report}");
    }
    assert_eq!(report["by_category"]["not_specified_notice"], 2);
    assert_eq!(report["by_category"]["animal_welfare"], 0);
    assert_eq!(report["by_origin"]["remote"], remote);
    assert_eq!(report["by_origin"]["local"], 14 - remote);
    for (action, n) in &actions {
        assert_eq!(report["actions"][action], *n, "{action}: {report}");
        assert_eq!(report["by_outcome"][action], *n);
    }
    assert_eq!(report["by_outcome"]["open"], 14 - 8);
    assert_eq!(
        report["handling_median_hours"].as_f64().unwrap(),
        nearest(0.5)
    );
    assert_eq!(report["handling_p90_hours"].as_f64().unwrap(), nearest(0.9));
    assert_eq!(report["appeals"], 2);
    assert_eq!(report["appeals_upheld"], 1);
    assert_eq!(report["appeals_reversed"], 1);
    assert_eq!(report["appeal_median_hours"], 30.0);
    assert_eq!(report["federation_blocks"], 1);
    assert_eq!(report["federation_unblocks"], 1);
    assert_eq!(report["federation_other_changes"], 1);
    assert_eq!(report["detector_hits"], 1);
    assert_eq!(report["moderator_labels"]["commercial"], 1);
    assert_eq!(got["dsa"]["complaints_decisions_reversed"], 1);
    assert_eq!(got["dsa"]["notices_total"], 14);

    // The CSV says the same, line for line.
    let csv = a
        .http
        .get(a.url("/about/transparency?year=2025&format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value = |section: &str, key: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{section},{key},")))
            .and_then(|l| l.rsplit(',').next())
            .unwrap_or_else(|| panic!("{section},{key} in\n{csv}"))
            .to_string()
    };
    assert_eq!(value("summary", "reports"), "14");
    for (category, n) in report["by_category"].as_object().unwrap() {
        assert_eq!(value("by_category", category), n.to_string());
    }
    for (action, n) in report["actions"].as_object().unwrap() {
        assert_eq!(value("actions", action), n.to_string());
    }
    assert_eq!(
        value("handling", "median_hours"),
        format!("{:.2}", report["handling_median_hours"].as_f64().unwrap())
    );
    assert_eq!(value("appeals", "reversed"), "1");
    assert_eq!(value("federation", "blocks"), "1");
    assert_eq!(value("detector", "hits"), "1");

    // And the page, with its charts.
    let page = html_in(&a.http, a.url("/about/transparency?year=2025"), "en").await;
    let cell = |key: &str| {
        page.split(&format!("data-key=\"{key}\">"))
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_else(|| panic!("{key} on the page"))
            .to_string()
    };
    assert_eq!(cell("reports"), "14");
    assert_eq!(cell("by_origin.remote"), remote.to_string());
    assert_eq!(
        cell("handling_median_hours"),
        value("handling", "median_hours")
    );
    assert_eq!(cell("appeals_reversed"), "1");
    assert_eq!(cell("federation_blocks"), "1");
    assert_eq!(cell("detector_hits"), "1");
    assert!(
        page.contains("<th scope=\"row\">Scams and fraud</th><td>3</td>"),
        "{page}"
    );
    for chart in ["categories", "actions"] {
        let r = a
            .http
            .get(a.url(&format!("/about/transparency/2025/{chart}.svg")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().starts_with("<svg"));
    }
    // This year has none of it; a wrong year or chart is refused.
    let now = common::json_as(&a.http, a.url("/about/transparency"), "application/json").await;
    assert_eq!(now["report"]["reports"], 0, "{now}");
    let r = a
        .http
        .get(a.url("/about/transparency?year=99999"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = a
        .http
        .get(a.url("/about/transparency?year=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = a
        .http
        .get(a.url("/about/transparency/2025/secrets.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
