//! The federation policy: an allowlist node (the school-network case) refuses every server it
//! does not name, and fetches nothing from it; moderators change the list and the mode live,
//! block a domain from a report, silence a server or reject its reports; each change is in
//! the public moderation log, which never names who reported.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{
    Node,
    peer::Peer,
    signing::{Signed, post_signed},
};
use serde_json::{Value, json};

async fn signed(a: &Node, peer: &Peer, key: &str, activity: &Value) -> u16 {
    post_signed(
        &a.http,
        &a.url("/inbox"),
        activity.to_string().as_bytes(),
        &Signed::new(&peer.key_id, key),
    )
    .await
}

fn follow(peer: &Peer, n: u32, target: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.url(&format!("/follows/{n}")),
        "type": "Follow",
        "actor": peer.actor,
        "object": target,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn an_allowlist_node_talks_only_to_the_servers_it_names_and_the_list_changes_live() {
    let b = Node::start().await;
    let bob = b.confirmed_user("bob").await;
    let allowed = format!("[\"{}\"]", b.domain);
    let a = Node::start_with(&[
        ("AGORA_FEDERATION__MODE", "allowlist"),
        ("AGORA_FEDERATION__ALLOWED_DOMAINS", &allowed),
    ])
    .await;
    let alice = a.confirmed_user("alice").await;
    let modo = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let (key, public) = a.keys_of_new_user("keyholder").await;
    let outsider = Peer::start("outsider", &public).await;

    // The listed node federates both ways.
    a.follow(&alice, &bob.acct).await;
    a.wait_accepted(&alice).await;
    // A server outside the list can neither deliver…
    let status = signed(&a, &outsider, &key, &follow(&outsider, 1, &alice.uri)).await;
    assert_eq!(status, 403);
    // …nor be fetched: nothing is asked of it.
    let (status, err) = a
        .post_json(
            "/api/v1/follows",
            Some(&alice.token),
            &json!({"target": outsider.actor}),
        )
        .await;
    assert!(status >= 400, "{err}");
    assert_eq!(outsider.fetches("/users/outsider"), 0);

    // Moderators read and change the policy live; wrong and hostile changes are refused.
    let (status, policy) = a
        .get_json("/api/v1/admin/federation", Some(&modo.token))
        .await;
    assert_eq!(status, 200, "{policy}");
    assert_eq!(policy["mode"], "allowlist");
    assert_eq!(policy["rules"][0]["domain"], b.domain);
    assert_eq!(policy["rules"][0]["from_config"], true);
    let rule = |domain: &str, policy: &str, reason: &str| json!({"domain": domain, "policy": policy, "reason": reason});
    let (status, _) = a
        .post_json(
            "/api/v1/admin/federation/rules",
            Some(&alice.token),
            &rule(&outsider.domain, "allow", "x"),
        )
        .await;
    assert_eq!(status, 403, "moderators only");
    for (body, want) in [
        (rule("bad domain!", "allow", "x"), 400),
        (rule(&outsider.domain, "befriend", "x"), 400),
        (rule(&outsider.domain, "allow", " "), 400),
        (rule(&a.domain, "block", "ourselves"), 400),
        (rule(&outsider.domain, "allow", &"r".repeat(2001)), 400),
        (rule(&b.domain, "allow", "from the file"), 200),
    ] {
        let (status, r) = a
            .post_json("/api/v1/admin/federation/rules", Some(&modo.token), &body)
            .await;
        assert_eq!(status, want, "{body}: {r}");
    }
    let (status, _) = a
        .post_json(
            "/api/v1/admin/federation/rules/lift",
            Some(&modo.token),
            &rule(&outsider.domain, "allow", "nothing to lift"),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = a
        .post_json(
            "/api/v1/admin/federation/rules",
            Some(&modo.token),
            &rule(
                &outsider.domain,
                "allow",
                "La classe partenaire rejoint le réseau.",
            ),
        )
        .await;
    assert_eq!(status, 200);
    // At once: its Follow is taken, and alice's lookup of it works.
    assert_eq!(
        signed(&a, &outsider, &key, &follow(&outsider, 2, &alice.uri)).await,
        202
    );
    let (status, f) = a
        .post_json(
            "/api/v1/follows",
            Some(&alice.token),
            &json!({"target": outsider.actor}),
        )
        .await;
    assert_eq!(status, 201, "{f}");
    assert!(outsider.fetches("/users/outsider") > 0);

    // NodeInfo says the mode in effect.
    let info = common::json_as(&a.http, a.url("/nodeinfo/2.1"), "application/json").await;
    assert_eq!(info["metadata"]["federationMode"], "allowlist", "{info}");
    // Another server still outside; switching to blocklist lets it in.
    let stranger = Peer::start("stranger", &public).await;
    assert_eq!(
        signed(&a, &stranger, &key, &follow(&stranger, 1, &alice.uri)).await,
        403
    );
    let (status, p) = a
        .post_json(
            "/api/v1/admin/federation/mode",
            Some(&modo.token),
            &json!({"mode": "blocklist", "reason": "Ouverture au fédivers."}),
        )
        .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["mode"], "blocklist");
    assert_eq!(
        signed(&a, &stranger, &key, &follow(&stranger, 2, &alice.uri)).await,
        202
    );
    let (status, _) = a
        .post_json(
            "/api/v1/admin/federation/mode",
            Some(&modo.token),
            &json!({"mode": "closed", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 400);

    // Every change is in the public log, with its reason, naming no moderator.
    let log = common::json_as(&a.http, a.url("/about/moderation"), "application/json").await;
    let text = log.to_string();
    assert!(
        text.contains("La classe partenaire rejoint le réseau."),
        "{text}"
    );
    assert!(text.contains("Ouverture au fédivers."), "{text}");
    assert!(!text.contains("modo"), "{text}");
    let page = common::html_in(&a.http, a.url("/about/moderation"), "fr").await;
    assert!(page.contains("Serveur autorisé"), "{page}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_domain_blocked_from_a_report_is_refused_and_silenced_or_report_rejected_servers_are_held()
 {
    let a = Node::start().await;
    let (alice, bob) = (
        a.confirmed_user("alice").await,
        a.confirmed_user("bob").await,
    );
    let modo = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let post = a.post(&bob, "Bonjour").await;
    let uri = post["uri"].as_str().unwrap().to_string();
    let (key, public) = a.keys_of_new_user("keyholder").await;
    let spam = Peer::start("spammer", &public).await;
    let reply = |n: u32| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": spam.url(&format!("/activities/{n}")), "type": "Create", "actor": spam.actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {"id": spam.url(&format!("/notes/{n}")), "type": "Note", "attributedTo": spam.actor,
                       "content": "Pills", "inReplyTo": uri, "to": ["https://www.w3.org/ns/activitystreams#Public"]}
        })
    };
    assert_eq!(signed(&a, &spam, &key, &reply(1)).await, 202);
    let (status, r) = a
        .post_json(
            "/api/v1/reports",
            Some(&alice.token),
            &json!({"target": spam.url("/notes/1"), "category": "scams_and_fraud"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    let (status, d) = a
        .post_json(
            &format!("/api/v1/admin/reports/{}/decision", r["id"]),
            Some(&modo.token),
            &json!({"action": "block_domain", "reason": "Serveur de spam."}),
        )
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(signed(&a, &spam, &key, &reply(2)).await, 403);
    let (_, policy) = a
        .get_json("/api/v1/admin/federation", Some(&modo.token))
        .await;
    assert!(
        policy["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["domain"] == spam.domain && r["policy"] == "block"),
        "{policy}"
    );
    let log = common::json_as(&a.http, a.url("/about/moderation"), "application/json").await;
    let decision = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "decision")
        .unwrap();
    assert_eq!(decision["action"], "block_domain", "{log}");
    assert_eq!(decision["reason"], "Serveur de spam.");
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "federation" && e["domain"] == spam.domain)
    );
    assert!(
        !log.to_string().contains("alice"),
        "the log never names the reporter: {log}"
    );

    // A silenced server's follows wait for approval, and its replies are not in threads.
    let quiet = Peer::start("quiet", &public).await;
    let reports_off = Peer::start("flagger", &public).await;
    for (domain, policy) in [
        (&quiet.domain, "silence"),
        (&reports_off.domain, "reject_reports"),
    ] {
        let (status, r) = a
            .post_json(
                "/api/v1/admin/federation/rules",
                Some(&modo.token),
                &json!({"domain": domain, "policy": policy, "reason": "Trop de bruit."}),
            )
            .await;
        assert_eq!(status, 200, "{r}");
    }
    assert_eq!(
        signed(&a, &quiet, &key, &follow(&quiet, 1, &bob.uri)).await,
        202
    );
    let (_, requests) = a
        .get_json("/api/v1/follow_requests", Some(&bob.token))
        .await;
    assert!(requests.to_string().contains(&quiet.actor), "{requests}");
    assert!(quiet.received().iter().all(|a| a["type"] != "Accept"));
    // Its replies are left out of threads.
    let mut quiet_reply = reply(3);
    quiet_reply["id"] = json!(quiet.url("/activities/3"));
    quiet_reply["actor"] = json!(quiet.actor);
    quiet_reply["object"]["id"] = json!(quiet.url("/notes/3"));
    quiet_reply["object"]["attributedTo"] = json!(quiet.actor);
    assert_eq!(signed(&a, &quiet, &key, &quiet_reply).await, 202);
    let (_, replies) = a
        .get_json(&format!("/api/v1/posts/{}/replies", post["id"]), None)
        .await;
    assert_eq!(replies.as_array().unwrap().len(), 0, "{replies}");
    // A server whose reports are rejected is answered and not heard.
    let flag = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": reports_off.url("/flags/1"), "type": "Flag", "actor": reports_off.actor,
        "object": [bob.uri], "content": "Report"
    });
    let (_, before) = a.get_json("/api/v1/admin/reports", Some(&modo.token)).await;
    assert_eq!(signed(&a, &reports_off, &key, &flag).await, 202);
    let (_, after) = a.get_json("/api/v1/admin/reports", Some(&modo.token)).await;
    assert_eq!(before, after);
}
