//! Petitions on one node: signing, the counts, withdrawing, drafts, the `Question` servers
//! read, and the transparency log checked with `agora_tlog` as any outside verifier would.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use agora_tlog::{
    Commitment, Event, Leaf, Salt, SignedCheckpoint, check_consistency, check_inclusion, count_of,
    hash_from_hex,
};
use common::{Node, User, in_days, petition_view, sign};
use reqwest::Method;
use serde_json::{Value, json};

/// Starts a petition as `user`; gives its API view.
async fn petition(node: &Node, user: &User, extra: Value) -> Value {
    let body = json!({
        "title": "Safe bike lanes on the Rue Garibaldi",
        "text": "The street is dangerous.\n\nWe ask for separated lanes.",
        "target": "Mairie de Lyon",
        "deadline": in_days(30),
        "milestones": [100, 10, 1000],
    });
    node.start_petition(user, body, extra).await
}

/// The checkpoint, verified with the key the log publishes.
async fn checkpoint(node: &Node, log: &str) -> SignedCheckpoint {
    let index: Value = node
        .http
        .get(log)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = index["key"].as_str().unwrap();
    let r = node
        .http
        .get(format!("{log}/checkpoint"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let note = r.bytes().await.unwrap();
    SignedCheckpoint::verify(&note, key).unwrap()
}

/// The hashes of a proof the log serves (inclusion or consistency).
async fn proof_hashes(node: &Node, url: &str) -> Vec<agora_tlog::Hash> {
    let proof: Value = node
        .http
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    proof["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| hash_from_hex(h.as_str().unwrap()).unwrap())
        .collect()
}

async fn leaves(node: &Node, log: &str) -> Vec<Leaf> {
    let body: Value = node
        .http
        .get(format!("{log}/leaves?start=0"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["leaves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| Leaf::from_bytes(l.as_str().unwrap().as_bytes()).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_confirmed_signature_counts_once_and_the_log_proves_it() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    let p = petition(&a, &alice, json!({})).await;
    let id = p["id"].to_string();
    assert_eq!(p["status"], "open");
    assert_eq!(p["milestones"], json!([10, 100, 1000]));
    assert_eq!(p["signature_policy"], "local_verified");
    assert_eq!(p["uri"], a.url(&format!("/petitions/{id}")));

    let (status, first) = sign(&a, &bob, &id).await;
    assert_eq!(status, 200, "{first}");
    let receipt = &first["receipt"];
    assert_eq!(receipt["counted"], true);
    assert_eq!(receipt["leaf_index"], 0);
    // Signing again is the same signature, not a second one.
    let (status, again) = sign(&a, &bob, &id).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["receipt"]["salt"], receipt["salt"]);

    let view = petition_view(&a, &id).await;
    assert_eq!(view["signatures"]["verified"], 1, "{view}");
    assert_eq!(view["signatures"]["unverified"], 0);
    assert_eq!(
        view["signatures"]["by_origin"],
        json!([{ "origin": a.domain, "verified": 1, "unverified": 0 }])
    );

    // The receipt opens the leaf's commitment, and only for bob.
    let salt = Salt::from_hex(receipt["salt"].as_str().unwrap()).unwrap();
    let commitment = Commitment::new(salt, &bob.uri);
    assert_eq!(commitment.to_hex(), receipt["commitment"]);
    assert_ne!(Commitment::new(salt, &alice.uri), commitment);

    // An outsider checks the checkpoint's signature, the count the leaves prove, and the
    // inclusion of bob's leaf.
    let log = view["transparency_log"].as_str().unwrap().to_string();
    let cp = checkpoint(&a, &log).await;
    assert_eq!(cp.size, 1);
    // The key is the node's, as NodeInfo publishes it.
    let (_, nodeinfo) = a.get_json("/nodeinfo/2.1", None).await;
    let key = nodeinfo["metadata"]["transparencyLogKey"].as_str().unwrap();
    assert!(key.starts_with(&format!("{}+", a.domain)), "{key}");
    SignedCheckpoint::verify(&cp.note, key).unwrap();
    // And as /about/transparency publishes it, in JSON and on the page in both languages.
    let about = common::json_as(&a.http, a.url("/about/transparency"), "application/json").await;
    assert_eq!(about["transparencyLogKey"], key);
    for (lang, title) in [
        ("en", "The key that signs the checkpoints"),
        ("fr", "La clé qui signe"),
    ] {
        let page = common::html_in(&a.http, a.url("/about/transparency"), lang).await;
        assert!(page.contains(title), "{lang}: {page}");
        assert!(
            page.contains(&format!("<pre id=\"log-key\">{key}</pre>")),
            "{page}"
        );
    }
    assert_eq!(cp.origin, log.trim_start_matches("http://"));
    let all = leaves(&a, &log).await;
    assert_eq!(count_of(&all).unwrap(), 1);
    assert_eq!(all[0].event, Event::Sign);
    assert_eq!(all[0].commitment, commitment);
    let hashes = proof_hashes(&a, &format!("{log}/proof?index=0")).await;
    check_inclusion(&hashes, cp.size, cp.root, 0, &all[0].to_bytes()).unwrap();
    // Nothing served names bob.
    let text = serde_json::to_string(&(view, &all.iter().map(Leaf::to_bytes).collect::<Vec<_>>()))
        .unwrap();
    assert!(!text.contains("bob"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unconfirmed_signature_is_shown_apart_and_counts_once_confirmed() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let carol = a.user("carol").await;
    let p = petition(&a, &alice, json!({})).await;
    let id = p["id"].to_string();
    let (status, signed) = sign(&a, &carol, &id).await;
    assert_eq!(status, 200, "{signed}");
    assert_eq!(signed["receipt"]["counted"], false);
    assert_eq!(signed["receipt"]["leaf_index"], Value::Null);
    let view = petition_view(&a, &id).await;
    assert_eq!(view["signatures"]["verified"], 0, "{view}");
    assert_eq!(view["signatures"]["unverified"], 1);
    assert_eq!(
        view["log_size"], 0,
        "unconfirmed signatures are not in the log"
    );

    let link = common::eventually(30, "confirmation mail", || async {
        a.mails()
            .iter()
            .any(|m| m.contains("confirm-email"))
            .then(|| a.confirmation_link())
    })
    .await;
    assert_eq!(a.http.get(&link).send().await.unwrap().status(), 200);
    let view = petition_view(&a, &id).await;
    assert_eq!(view["signatures"]["verified"], 1, "{view}");
    assert_eq!(view["signatures"]["unverified"], 0);
    assert_eq!(view["log_size"], 1);
    let (status, mine) = a
        .get_json(
            &format!("/api/v1/petitions/{id}/signatures"),
            Some(&carol.token),
        )
        .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["receipt"]["leaf_index"], 0);
    assert_eq!(mine["receipt"]["salt"], signed["receipt"]["salt"]);
    tallies_match_rows(&a);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_withdrawal_is_logged_and_signing_again_is_a_new_signature() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    let id = petition(&a, &alice, json!({})).await["id"].to_string();
    let path = format!("/api/v1/petitions/{id}/signatures");
    let (_, first) = sign(&a, &bob, &id).await;
    let log = petition_view(&a, &id).await["transparency_log"]
        .as_str()
        .unwrap()
        .to_string();
    let before = checkpoint(&a, &log).await;

    let (status, _) = a.send_json(Method::DELETE, &path, &bob.token, None).await;
    assert_eq!(status, 204);
    let (status, body) = a.send_json(Method::DELETE, &path, &bob.token, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    assert_eq!(petition_view(&a, &id).await["signatures"]["verified"], 0);

    let (_, second) = sign(&a, &bob, &id).await;
    assert_ne!(
        second["receipt"]["commitment"],
        first["receipt"]["commitment"]
    );
    assert_eq!(second["receipt"]["leaf_index"], 2);
    let view = petition_view(&a, &id).await;
    assert_eq!(view["signatures"]["verified"], 1);
    assert_eq!(view["log_size"], 3);

    let all = leaves(&a, &log).await;
    let events: Vec<_> = all.iter().map(|l| l.event).collect();
    assert_eq!(events, [Event::Sign, Event::Withdraw, Event::Sign]);
    assert_eq!(count_of(&all).unwrap(), 1);
    // The later checkpoint extends the earlier one: nothing was rewritten.
    let after = checkpoint(&a, &log).await;
    let hashes = proof_hashes(&a, &format!("{log}/consistency?from={}", before.size)).await;
    check_consistency(&hashes, after.size, after.root, before.size, before.root).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_question_is_a_one_option_poll_with_the_live_count() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    let p = petition(&a, &alice, json!({"signature_policy": "fediverse"})).await;
    let uri = p["uri"].as_str().unwrap().to_string();
    let fetch = || async {
        let r = a
            .http
            .get(&uri)
            .header("Accept", "application/activity+json")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()
    };
    let q = fetch().await;
    assert_eq!(q["type"], "Question");
    assert_eq!(q["id"], uri);
    assert_eq!(q["attributedTo"], alice.uri);
    assert_eq!(q["oneOf"].as_array().unwrap().len(), 1, "{q}");
    assert_eq!(q["oneOf"][0]["name"], "Sign");
    assert_eq!(q["oneOf"][0]["nameMap"]["fr"], "Signer");
    assert_eq!(q["votersCount"], 0);
    assert_eq!(q["signaturePolicy"], "fediverse");
    assert_eq!(q["status"], "open");
    assert_eq!(q["transparencyLog"], p["transparency_log"]);
    assert!(q["endTime"].is_string() && q.get("closed").is_none(), "{q}");
    assert!(q["content"].as_str().unwrap().contains("Rue Garibaldi"));
    assert!(q["to"][0].as_str().unwrap().ends_with("#Public"));

    sign(&a, &bob, &p["id"].to_string()).await;
    let q = fetch().await;
    assert_eq!(q["votersCount"], 1);
    assert_eq!(q["oneOf"][0]["replies"]["totalItems"], 1);
    // A count is not an edit: Mastodon resets votes on a newer `updated`.
    assert!(q.get("updated").is_none(), "{q}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_petition_is_found_and_signed_by_its_uri() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    let p = petition(&a, &alice, json!({})).await;
    let encoded = common::encoded(p["uri"].as_str().unwrap());
    assert_eq!(petition_view(&a, &encoded).await["id"], p["id"]);
    let (status, body) = sign(&a, &bob, &encoded).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        petition_view(&a, &p["id"].to_string()).await["signatures"]["verified"],
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_are_seen_and_signed_by_nobody_else() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    let p = petition(&a, &alice, json!({"draft": true})).await;
    assert_eq!(p["status"], "draft");
    let id = p["id"].to_string();
    let path = format!("/api/v1/petitions/{id}");
    assert_eq!(a.get_json(&path, Some(&alice.token)).await.0, 200);
    assert_eq!(a.get_json(&path, Some(&bob.token)).await.0, 404);
    assert_eq!(a.get_json(&path, None).await.0, 404);
    assert_eq!(sign(&a, &bob, &id).await.0, 404);
    let r = a
        .http
        .get(p["uri"].as_str().unwrap())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        a.http
            .get(a.url(&format!("/petitions/{id}/log/checkpoint")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organizer_starts_a_petition_for_the_initiative_and_others_cannot() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let bob = a.confirmed_user("bob").await;
    a.initiative(&alice, "velo_lyon", "Vélo Lyon").await;
    let p = petition(&a, &alice, json!({"initiative": "velo_lyon"})).await;
    assert_eq!(p["author"]["acct"], format!("@velo_lyon@{}", a.domain));
    let q: Value = a
        .http
        .get(p["uri"].as_str().unwrap())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(q["attributedTo"], a.url("/initiatives/velo_lyon"));
    assert_eq!(q["audience"], a.url("/initiatives/velo_lyon"));

    let body = json!({"title": "t", "text": "x", "target": "y", "deadline": in_days(3), "initiative": "velo_lyon"});
    let (status, err) = a
        .post_json("/api/v1/petitions", Some(&bob.token), &body)
        .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (403, Some("forbidden")),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_hostile_and_oversized_petitions_are_refused_with_the_field_named() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let good = json!({"title": "t", "text": "x", "target": "y", "deadline": in_days(3)});
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    let cases = [
        (with("title", json!("   ")), 400, "title"),
        (with("title", json!("x".repeat(201))), 400, "title"),
        (with("text", json!("")), 400, "text"),
        (with("target", json!("y".repeat(501))), 400, "target"),
        (with("deadline", json!(in_days(-1))), 400, "deadline"),
        (with("deadline", json!(in_days(3000))), 400, "deadline"),
        (with("deadline", json!("tomorrow")), 400, "deadline"),
        (
            with("signature_policy", json!("everyone")),
            400,
            "signature_policy",
        ),
        (
            with("signature_policy", json!("trusted_instances")),
            400,
            "trusted_instances",
        ),
        (
            with("trusted_instances", json!(["not a host"])),
            400,
            "trusted_instances",
        ),
        (with("milestones", json!([0])), 400, "milestones"),
        (
            with("milestones", json!((1..=11).collect::<Vec<i64>>())),
            400,
            "milestones",
        ),
        (with("title", json!(null)), 400, "title"),
    ];
    for (body, status, field) in cases {
        let (got, err) = a
            .post_json("/api/v1/petitions", Some(&alice.token), &body)
            .await;
        assert_eq!(got, status, "{body} → {err}");
        assert!(
            err["message"].as_str().unwrap_or_default().contains(field),
            "{body} → {err}"
        );
    }
    let (status, _) = a.post_json("/api/v1/petitions", None, &good).await;
    assert_eq!(status, 401);
    let huge = with("text", json!("x".repeat(70_000)));
    let (status, _) = a
        .post_json("/api/v1/petitions", Some(&alice.token), &huge)
        .await;
    assert_eq!(status, 413);
    let r = a
        .http
        .post(a.url("/api/v1/petitions"))
        .bearer_auth(&alice.token)
        .header("Content-Type", "application/json")
        .body("{\"title\":")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // A script in the text is not served as markup.
    let p = petition(&a, &alice, json!({"text": "<script>alert(1)</script>"})).await;
    assert!(!p["text"].as_str().unwrap().contains("<script"), "{p}");
    // Nothing was stored by the refusals: that petition is the first.
    assert_eq!(p["id"], 1, "{p}");

    // The log's parameters are checked too.
    let log = p["transparency_log"].as_str().unwrap();
    for q in [
        "proof?index=-1",
        "proof?index=5",
        "proof?index=x",
        "consistency?from=0",
        "consistency?from=2&to=1",
    ] {
        let r = a.http.get(format!("{log}/{q}")).send().await.unwrap();
        assert_eq!(r.status(), 400, "{q}");
    }
    let r = a
        .http
        .get(format!("{log}/leaves?start=-5&limit=99999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Signing a petition that does not exist, or with a bad body.
    let bob = a.confirmed_user("bob").await;
    assert_eq!(sign(&a, &bob, "999999").await.0, 404);
    // Another server's petition that cannot be reached: said so, nothing stored.
    let (status, err) = sign(&a, &bob, "http%3A%2F%2Felsewhere.invalid%2Fp%2F1").await;
    assert_eq!(
        (status, err["error"].as_str()),
        (502, Some("remote_unavailable")),
        "{err}"
    );
    let (status, _) = a
        .send_json(
            Method::POST,
            &format!("/api/v1/petitions/{}/signatures", p["id"]),
            &bob.token,
            Some(&json!({"show_name": "yes"})),
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_signs_and_withdraws_without_javascript_in_both_languages() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    a.confirmed_user("bob").await;
    let p = petition(&a, &alice, json!({})).await;
    let page = a.url(&format!("/petitions/{}", p["id"]));
    let web = a.browser_login("bob").await;
    let html = common::html(&web, &page).await;
    assert!(html.contains("Safe bike lanes"), "{html}");
    assert!(html.contains("0 verified signatures"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    let form = [("csrf", common::csrf(&html)), ("show_name", "1".into())];
    let r = web
        .post(format!("{page}/sign"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = common::html(&web, format!("{page}?notice=signed")).await;
    assert!(html.contains("1 verified signatures"), "{html}");
    assert!(html.contains("You signed this petition."), "{html}");
    assert!(
        html.contains(&format!("@bob@{}", a.domain)),
        "the signer chose to be shown"
    );
    // A forged form (no token) changes nothing.
    let r = web
        .post(format!("{page}/withdraw"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let form = [("csrf", common::csrf(&html))];
    let r = web
        .post(format!("{page}/withdraw"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        petition_view(&a, &p["id"].to_string()).await["signatures"]["verified"],
        0
    );

    let french = common::html_in(&a.http, &page, "fr").await;
    assert!(french.contains("0 signatures vérifiées"), "{french}");
    assert!(french.contains("Connectez-vous pour signer"), "{french}");
}

/// Runs `agora petition verify` from an empty folder, with no configuration: as anyone would.
fn verify(node: &Node, args: &[&str]) -> (bool, String) {
    let dir = node.dir.join("verifier");
    std::fs::create_dir_all(&dir).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_agora"))
        .current_dir(&dir)
        .args(["petition", "verify"])
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A server that sends the verifier to another server's NodeInfo, or publishes a key named for
/// another server, is refused before any of its checkpoints is believed.
#[tokio::test(flavor = "multi_thread")]
async fn agora_petition_verify_takes_the_key_only_from_the_petitions_own_server() {
    let a = Node::start().await;
    let liar = common::peer::Peer::start("liar", "no key").await;
    let petition = liar.url("/petitions/1");
    liar.publish(
        "/petitions/1",
        json!({"type": "Question", "id": petition, "transparencyLog": liar.url("/petitions/1/log")}),
    );
    let rel = "http://nodeinfo.diaspora.software/ns/schema/2.1";
    liar.publish(
        "/.well-known/nodeinfo",
        json!({"links": [{"rel": rel, "href": a.url("/nodeinfo/2.1")}]}),
    );
    let (ok, out) = verify(&a, &[&petition]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("NodeInfo link points to another server"),
        "{out}"
    );

    // Its own NodeInfo, carrying the honest node's key.
    let (_, honest) = a.get_json("/nodeinfo/2.1", None).await;
    liar.publish("/nodeinfo/2.1", honest);
    liar.publish(
        "/.well-known/nodeinfo",
        json!({"links": [{"rel": rel, "href": liar.url("/nodeinfo/2.1")}]}),
    );
    let (ok, out) = verify(&a, &[&petition]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("key is named for \"{}\"", a.domain)),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn agora_petition_verify_passes_an_honest_log_and_catches_each_tampering() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let p = petition(&a, &alice, json!({})).await;
    let id = p["id"].to_string();
    let mut signers = Vec::new();
    for name in ["s1", "s2", "s3", "s4"] {
        let user = a.confirmed_user(name).await;
        assert_eq!(sign(&a, &user, &id).await.0, 200);
        signers.push(user);
    }
    let path = format!("/api/v1/petitions/{id}/signatures");
    let (status, _) = a
        .send_json(Method::DELETE, &path, &signers[1].token, None)
        .await;
    assert_eq!(status, 204);
    let uri = p["uri"].as_str().unwrap();
    let saved = a.dir.join("verifier-checkpoint");
    let saved_arg = saved.to_str().unwrap();

    let (ok, out) = verify(&a, &[uri, "--save", saved_arg]);
    assert!(ok, "{out}");
    assert!(out.contains("3 signatures proved, as shown"), "{out}");
    assert!(out.contains("5 leaves"), "{out}");
    // More signatures since: the log extends the saved checkpoint.
    let late = a.confirmed_user("late").await;
    sign(&a, &late, &id).await;
    let later = a.dir.join("verifier-checkpoint-2");
    let later_arg = later.to_str().unwrap();
    let (ok, out) = verify(&a, &[uri, "--since", saved_arg, "--save", later_arg]);
    assert!(ok, "{out}");
    assert!(
        out.contains("consistent with the checkpoint of 5 leaves"),
        "{out}"
    );

    // A key that is not the node's.
    let other = agora_tlog::LogKey::generate(&a.domain).unwrap();
    let (ok, out) = verify(&a, &[uri, "--key", &other.public]);
    assert!(!ok && out.contains("not signed by the node's key"), "{out}");

    // The count shown lowered behind the log's back: it is no longer proved.
    a.tamper(&format!(
        "UPDATE petition_tallies SET verified = verified - 1 WHERE petition_id = {id}"
    ));
    let (ok, out) = verify(&a, &[uri]);
    assert!(
        !ok && out.contains("shows 3 signatures but its log proves 4"),
        "{out}"
    );

    // A leaf rewritten: the leaves no longer hash to the root.
    a.tamper(&format!(
        "UPDATE petition_log_leaves SET leaf = REPLACE(leaf, 'sign ', 'withdraw ') \
         WHERE petition_id = {id} AND idx = 2"
    ));
    let (ok, out) = verify(&a, &[uri]);
    assert!(
        !ok && out.contains("do not hash to the checkpoint's root"),
        "{out}"
    );
    a.tamper(&format!(
        "UPDATE petition_log_leaves SET leaf = REPLACE(leaf, 'withdraw ', 'sign ') \
         WHERE petition_id = {id} AND idx = 2"
    ));

    // The last leaves dropped and the tree cut back: the log alone looks fine, the saved
    // checkpoint shows it shrank.
    a.tamper(&format!(
        "DELETE FROM petition_log_leaves WHERE petition_id = {id} AND idx = 5"
    ));
    let (ok, out) = verify(&a, &[uri]);
    assert!(
        ok,
        "without an earlier checkpoint a cut log cannot be told: {out}"
    );
    let (ok, out) = verify(&a, &[uri, "--since", later_arg]);
    assert!(
        !ok && out.contains("the log shrank from 6 to 5 leaves"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_from_one_address_is_limited_as_the_uk_parliament_limits_it() {
    let a = Node::start_with(&[
        ("AGORA_LIMITS__SIGNATURES_PER_ADDRESS_MINUTE", "2"),
        ("AGORA_LIMITS__SIGNATURES_PER_ADDRESS_5MIN", "5"),
    ])
    .await;
    let alice = a.confirmed_user("alice").await;
    let id = petition(&a, &alice, json!({})).await["id"].to_string();
    let (u1, u2, u3) = (
        a.confirmed_user("u1").await,
        a.confirmed_user("u2").await,
        a.confirmed_user("u3").await,
    );
    assert_eq!(sign(&a, &u1, &id).await.0, 200);
    assert_eq!(sign(&a, &u2, &id).await.0, 200);
    // Signing again what stands is not a new signature: not counted against the address.
    assert_eq!(sign(&a, &u1, &id).await.0, 200);
    let (status, err) = sign(&a, &u3, &id).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (429, Some("rate_limited")),
        "{err}"
    );
    assert_eq!(petition_view(&a, &id).await["signatures"]["verified"], 2);
    // Another petition is another count.
    let other = petition(&a, &alice, json!({})).await["id"].to_string();
    assert_eq!(sign(&a, &u3, &other).await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_signatures_at_once_counts_each_once_and_the_log_proves_them() {
    // Every account signs from 127.0.0.1: the per-address limit would refuse them.
    let a = Node::start_with(&[
        ("AGORA_LIMITS__SIGNATURES_PER_ADDRESS_MINUTE", "100000"),
        ("AGORA_LIMITS__SIGNATURES_PER_ADDRESS_5MIN", "100000"),
    ])
    .await;
    let alice = a.confirmed_user("alice").await;
    let p = petition(&a, &alice, json!({})).await;
    let id = p["id"].to_string();
    let file = a.dir.join("tokens");
    a.admin(&[
        "seed-load-accounts",
        "150",
        "--tokens",
        file.to_str().unwrap(),
    ]);
    let tokens: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(tokens.len(), 150);
    let url = a.url(&format!("/api/v1/petitions/{id}/signatures"));
    // Every account signs twice at once (a double click), and all of them together: the
    // desk takes them in a few batches, with repeats inside one.
    let requests = tokens.iter().chain(tokens.iter()).map(|token| {
        let request = a.http.post(&url).bearer_auth(token).json(&json!({}));
        async move {
            let r = request.send().await.unwrap();
            (
                token.clone(),
                r.status().as_u16(),
                r.json::<Value>().await.unwrap(),
            )
        }
    });
    let answers = futures::future::join_all(requests).await;
    let mut receipts = std::collections::HashMap::new();
    for (token, status, body) in answers {
        assert_eq!(status, 200, "{body}");
        let receipt = &body["receipt"];
        assert_eq!(receipt["counted"], true, "{body}");
        // Both answers of one account are one signature.
        let known = receipts.entry(token).or_insert_with(|| receipt.clone());
        assert_eq!(known, receipt);
    }
    let mut leaves: Vec<i64> = receipts
        .values()
        .map(|r| r["leaf_index"].as_i64().unwrap())
        .collect();
    leaves.sort_unstable();
    assert_eq!(leaves, (0..150).collect::<Vec<i64>>());
    assert_eq!(petition_view(&a, &id).await["signatures"]["verified"], 150);
    tallies_match_rows(&a);
    let (ok, out) = verify(&a, &[p["uri"].as_str().unwrap()]);
    assert!(
        ok && out.contains("150 signatures proved, as shown"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn moderators_invalidate_fraud_in_bulk_in_the_open() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let moderator = a.confirmed_user("modo").await;
    a.admin(&["set-role", "modo", "moderator"]);
    let p = petition(&a, &alice, json!({})).await;
    let id = p["id"].to_string();
    let honest = a.confirmed_user("honest").await;
    sign(&a, &honest, &id).await;
    let window_start = chrono::Utc::now().to_rfc3339();
    for name in ["bot1", "bot2", "bot3"] {
        let bot = a.confirmed_user(name).await;
        assert_eq!(sign(&a, &bot, &id).await.0, 200);
    }
    let path = format!("/api/v1/admin/petitions/{id}/invalidations");
    let criteria = json!({"from": window_start, "address": "127.0.0.0/8", "reason": "a script signed from one machine"});
    // Not for everyone, and never without a reason or a criterion.
    let (status, _) = a.post_json(&path, Some(&honest.token), &criteria).await;
    assert_eq!(status, 403);
    let (status, err) = a
        .post_json(
            &path,
            Some(&moderator.token),
            &json!({"reason": "none given"}),
        )
        .await;
    assert_eq!(status, 400, "{err}");
    let (status, err) = a
        .post_json(
            &path,
            Some(&moderator.token),
            &json!({"address": "not a range", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 400, "{err}");
    // A range that matches nobody invalidates nobody.
    let (status, none) = a
        .post_json(
            &path,
            Some(&moderator.token),
            &json!({"address": "203.0.113.0/24", "reason": "x"}),
        )
        .await;
    assert_eq!(
        (status, none["invalidated"].as_i64()),
        (200, Some(0)),
        "{none}"
    );

    let (status, done) = a.post_json(&path, Some(&moderator.token), &criteria).await;
    assert_eq!(
        (status, done["invalidated"].as_i64()),
        (200, Some(3)),
        "{done}"
    );
    let view = petition_view(&a, &id).await;
    assert_eq!(view["signatures"]["verified"], 1);
    // Each invalidation is a leaf; the log still proves the count shown.
    let log = view["transparency_log"].as_str().unwrap().to_string();
    let all = leaves(&a, &log).await;
    assert_eq!(
        all.iter().filter(|l| l.event == Event::Invalidate).count(),
        3
    );
    assert_eq!(count_of(&all).unwrap(), 1);
    let (ok, out) = verify(&a, &[p["uri"].as_str().unwrap()]);
    assert!(ok, "{out}");
    tallies_match_rows(&a);
}

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct OriginTally {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    petition_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    origin: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    verified: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    unverified: i64,
}

/// The tallies pages read are what grouping the signature rows gives.
fn tallies_match_rows(node: &Node) {
    use diesel::RunQueryDsl;
    let db = node.db();
    let mut conn = db.get().unwrap();
    let kept: Vec<OriginTally> = diesel::sql_query(
        "SELECT petition_id, origin, verified, unverified FROM petition_tallies \
         WHERE verified <> 0 OR unverified <> 0 ORDER BY petition_id, origin",
    )
    .load(&mut *conn)
    .unwrap();
    let grouped: Vec<OriginTally> = diesel::sql_query(
        "SELECT petition_id, origin, \
           CAST(SUM(CASE WHEN leaf_index IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS verified, \
           CAST(SUM(CASE WHEN leaf_index IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS unverified \
         FROM petition_signatures WHERE withdrawn_at IS NULL AND invalidated_at IS NULL \
         GROUP BY petition_id, origin ORDER BY petition_id, origin",
    )
    .load(&mut *conn)
    .unwrap();
    assert!(!grouped.is_empty());
    assert_eq!(kept, grouped);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_curve_is_an_svg_image_with_its_figures_in_text() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let p = petition(&a, &alice, json!({"milestones": [2, 1000000]})).await;
    let id = p["id"].to_string();
    for name in ["c1", "c2", "c3"] {
        let user = a.confirmed_user(name).await;
        sign(&a, &user, &id).await;
    }
    let r = a
        .http
        .get(a.url(&format!("/petitions/{id}/curve.svg")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let svg = r.text().await.unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("signatures"), "the legend names the line");
    // The near milestone is drawn, the far one would flatten the curve and is not.
    assert!(
        svg.contains(">2<") || svg.contains(">2.0<") || svg.contains("\"2\""),
        "{svg}"
    );
    assert!(!svg.contains("1000000"), "{svg}");
    let html = common::html(&a.http, a.url(&format!("/petitions/{id}"))).await;
    assert!(
        html.contains(&format!("/petitions/{id}/curve.svg")),
        "{html}"
    );
    assert!(html.contains("Signatures over time"), "{html}");
    assert!(
        html.contains("<td>3</td>"),
        "the text alternative ends at the count: {html}"
    );
    assert_eq!(
        a.http
            .get(a.url("/petitions/999/curve.svg"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn organizers_export_counts_shown_signers_and_the_checkpoint_and_nobody_else_can() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let p = petition(&a, &alice, json!({})).await;
    let id = p["id"].to_string();
    let shown = a.confirmed_user("shown").await;
    let hidden = a.confirmed_user("hidden").await;
    let path = format!("/api/v1/petitions/{id}/signatures");
    a.send_json(
        Method::POST,
        &path,
        &shown.token,
        Some(&json!({"show_name": true})),
    )
    .await;
    a.send_json(Method::POST, &path, &hidden.token, None).await;

    let (status, export) = a
        .get_json(
            &format!("/api/v1/petitions/{id}/export"),
            Some(&alice.token),
        )
        .await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["petition"]["signatures"]["verified"], 2);
    assert_eq!(
        export["public_signers"],
        json!([format!("@shown@{}", a.domain)])
    );
    let key = export["checkpoint_key"].as_str().unwrap();
    let cp =
        SignedCheckpoint::verify(export["checkpoint"].as_str().unwrap().as_bytes(), key).unwrap();
    assert_eq!(cp.size, 2);
    assert_eq!(
        export["verify"],
        format!("agora petition verify {}", p["uri"].as_str().unwrap())
    );
    let text = export.to_string();
    assert!(!text.contains("hidden"), "{text}");
    assert!(!text.contains("example.org"), "{text}");

    let r = a
        .http
        .get(a.url(&format!("/api/v1/petitions/{id}/export?format=csv")))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("section,name,value\n"), "{csv}");
    assert!(csv.contains("count,verified,2\n"), "{csv}");
    assert!(csv.contains(&format!("origin,{},2\n", a.domain)), "{csv}");
    assert!(
        csv.contains(&format!("signer,@shown@{},\n", a.domain)),
        "{csv}"
    );
    assert!(!csv.contains("hidden"), "{csv}");

    let (status, _) = a
        .get_json(
            &format!("/api/v1/petitions/{id}/export"),
            Some(&shown.token),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = a
        .get_json(
            &format!("/api/v1/petitions/{id}/export?format=xml"),
            Some(&alice.token),
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_milestone_passed_is_told_to_the_organizers_once() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let p = petition(&a, &alice, json!({"milestones": [2, 3]})).await;
    let id = p["id"].to_string();
    let milestone_mails = |n: &str| {
        a.mails()
            .into_iter()
            .filter(|m| m.contains(&format!("{n} signatures")) && m.contains("alice@example.org"))
            .count()
    };
    let mut signers = Vec::new();
    for name in ["m1", "m2", "m3"] {
        let user = a.confirmed_user(name).await;
        assert_eq!(sign(&a, &user, &id).await.0, 200);
        signers.push(user);
    }
    common::eventually(30, "the mails of milestones 2 and 3", || async {
        (milestone_mails("2") == 1 && milestone_mails("3") == 1).then_some(())
    })
    .await;
    // Falling under a milestone and passing it again tells nobody twice.
    let path = format!("/api/v1/petitions/{id}/signatures");
    a.send_json(Method::DELETE, &path, &signers[2].token, None)
        .await;
    assert_eq!(sign(&a, &signers[2], &id).await.0, 200);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(milestone_mails("3"), 1);
    assert_eq!(milestone_mails("2"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_public_body_addressed_answers_officially_once_and_nobody_else_can() {
    let a = Node::start().await;
    let alice = a.confirmed_user("alice").await;
    let townhall = a.confirmed_user("townhall").await;
    a.admin(&["set-kind", "townhall", "public_body"]);
    let p = petition(
        &a,
        &alice,
        json!({"target": format!("@townhall@{}", a.domain)}),
    )
    .await;
    let path = format!("/api/v1/petitions/{}/response", p["id"]);
    let answer = json!({"text": "Nous installerons des pistes séparées en 2027."});
    // Not the organizer, not anyone else: only the body addressed.
    let (status, _) = a.post_json(&path, Some(&alice.token), &answer).await;
    assert_eq!(status, 403);
    let (status, _) = a
        .post_json(&path, Some(&townhall.token), &json!({"text": "  "}))
        .await;
    assert_eq!(status, 400);
    let (status, view) = a.post_json(&path, Some(&townhall.token), &answer).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "answered");
    assert!(
        view["response"]
            .as_str()
            .unwrap()
            .contains("pistes séparées"),
        "{view}"
    );
    let (status, _) = a.post_json(&path, Some(&townhall.token), &answer).await;
    assert_eq!(status, 409);
    // The answer is also the body's reply to the petition (in its outbox), and the page
    // shows it.
    let outbox: Value = a
        .http
        .get(a.url("/users/townhall/outbox?page=true"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        outbox["orderedItems"][0]["object"]["inReplyTo"], p["uri"],
        "{outbox}"
    );
    let html = common::html(&a.http, p["uri"].as_str().unwrap()).await;
    assert!(
        html.contains("The official response") && html.contains("pistes séparées"),
        "{html}"
    );
    let q: Value = a
        .http
        .get(p["uri"].as_str().unwrap())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(q["status"], "answered");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_start_form_refuses_bad_input_and_keeps_what_was_typed() {
    let a = Node::start().await;
    a.confirmed_user("alice").await;
    let web = a.browser_login("alice").await;
    let html = common::html(&web, a.url("/petitions/new")).await;
    let token = common::csrf(&html);
    let good = |csrf: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("title", "Un titre gardé".to_string()),
            ("text", "Le texte <b>gardé</b>".to_string()),
            ("target", "Mairie".to_string()),
            (
                "deadline",
                (chrono::Utc::now() + chrono::Duration::days(9))
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            ("milestones", "10, 100".to_string()),
            ("signature_policy", "local_verified".to_string()),
        ]
    };
    let post = |form: Vec<(&'static str, String)>| {
        let web = web.clone();
        let url = a.url("/petitions");
        async move { web.post(url).form(&form).send().await.unwrap() }
    };
    let with = |k: &str, v: &str| {
        let mut f = good(&token);
        for field in f.iter_mut() {
            if field.0 == k {
                field.1 = v.to_string();
            }
        }
        f
    };
    for (field, value) in [
        ("deadline", "someday"),
        ("deadline", "1999-01-01"),
        ("milestones", "ten"),
        ("title", ""),
        ("signature_policy", "everyone"),
        ("text", &"x".repeat(20_001)),
    ] {
        let r = post(with(field, value)).await;
        assert_eq!(r.status(), 400, "{field}={value:.20}");
        let page = r.text().await.unwrap();
        assert!(page.contains("role=\"alert\""), "{page}");
        if field != "title" {
            assert!(
                page.contains("Un titre gardé"),
                "what was typed is kept: {page}"
            );
        }
        assert!(
            !page.contains("<b>gardé</b>"),
            "the text is escaped: {page}"
        );
    }
    let r = post(good("forged")).await;
    assert_eq!(r.status(), 403);
    let r = post(good(&token)).await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/petitions/"), "{location}");
    // Nothing was stored by the refusals: this is the first petition.
    assert_eq!(location, "/petitions/1");
}
