//! The energy label: a post delivered to other servers is labelled from its activity's bytes
//! times the inboxes it reached, under the model in effect; `/about/energy` publishes the model
//! and what the node measured of itself.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, eventually, html_in, json_as, peer::Peer};

#[tokio::test(flavor = "multi_thread")]
async fn a_delivered_post_is_labelled_from_its_bytes_and_the_node_publishes_its_model_and_measures()
{
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let (key, public) = a.keys_of_new_user("keyholder").await;
    let mut peers = Vec::new();
    for (n, name) in ["ana", "ben", "cleo"].into_iter().enumerate() {
        let peer = Peer::start(name, &public).await;
        a.remote_follow(&peer, &key, &alice.uri, n as u32 + 1).await;
        peers.push(peer);
    }
    let post = a
        .post(&alice, "Réunion publique jeudi à 18 h, salle des fêtes.")
        .await;
    let uri = post["uri"].as_str().unwrap().to_string();

    // The fan-out counts what it sends: one activity, three inboxes.
    let row = eventually(30, "the deliveries counted", || async {
        let db = a.db();
        let mut conn = db.get().unwrap();
        let (row, _) = agora_db::posts::by_ap_id(&mut conn, &uri).unwrap().unwrap();
        (row.delivered_inboxes == 3).then_some(row)
    })
    .await;
    assert!(row.payload_bytes > 300, "{}", row.payload_bytes);
    for peer in &peers {
        assert!(peer.received().iter().any(|a| a["type"] == "Create"));
    }
    let model = agora_core::energy::EnergyConfig::default();
    let expected = model.estimate(row.payload_bytes, 3, row.content.len() as i64);
    assert_eq!(expected.bytes_moved, row.payload_bytes * 3);
    let page = html_in(&a.http, a.url(&format!("/posts/{}", post["id"])), "fr").await;
    assert!(
        page.contains(&format!("Énergie {}", expected.label)),
        "{page}"
    );
    assert!(page.contains(&format!("{:.3} Wh", expected.wh)), "{page}");
    // The API carries it too, with the estimate behind it.
    let (_, view) = a
        .get_json(&format!("/api/v1/posts/{}", post["id"]), None)
        .await;
    assert_eq!(
        view["energy"]["label"],
        expected.label.to_string(),
        "{view}"
    );
    assert_eq!(view["energy"]["inboxes"], 3);
    assert_eq!(view["energy"]["bytes_moved"], expected.bytes_moved);

    // The model in effect, and the node's own measures, per day.
    let about = json_as(&a.http, a.url("/about/energy"), "application/json").await;
    assert_eq!(about["model"]["network_kwh_per_gb"], 0.03, "{about}");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(about["days"][0]["day"], today, "{about}");
    assert!(
        about["days"][0]["database_bytes"].as_i64().unwrap() > 0,
        "{about}"
    );
    let page = html_in(&a.http, a.url("/about/energy"), "en").await;
    assert!(page.contains("storage_kwh_per_gb_year"), "{page}");
    let chart = a
        .http
        .get(a.url("/about/energy/chart.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(chart.status(), 200);
    assert!(chart.text().await.unwrap().starts_with("<svg"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_model_is_a_setting() {
    let a = Node::start_with(&[("AGORA_ENERGY__NETWORK_KWH_PER_GB", "2.5")]).await;
    let about = json_as(&a.http, a.url("/about/energy"), "application/json").await;
    assert_eq!(about["model"]["network_kwh_per_gb"], 2.5, "{about}");
    let bad = a
        .command()
        .args(["config", "check"])
        .env("AGORA_ENERGY__LABEL_BOUNDS_WH", "not a list")
        .output()
        .unwrap();
    assert!(!bad.status.success());
}
