//! Account kinds: who may set which, badges with a text label, the timeline filter, and the
//! kind travelling to another Agora node.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, eventually};

#[tokio::test(flavor = "multi_thread")]
async fn kinds_are_set_by_the_right_people_and_shown_everywhere() {
    let (a, b) = (Node::start().await, Node::start().await);
    let admin = a.user("ada").await;
    let out = a
        .command()
        .args(["admin", "set-role", "ada", "admin"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let moderator = a.user("moe").await;
    a.command()
        .args(["admin", "set-role", "moe", "moderator"])
        .output()
        .unwrap();
    let shop = a.user("shop").await;
    let asso = a.user("asso").await;
    let reader = a.user("reader").await;

    // A business declares itself; it cannot claim to be an association.
    let (status, me) = a.declare_kind(&shop, "business").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["account"]["account_kind"], "business");
    assert_eq!(me["account"]["kind_verified"], false);
    let (status, err) = a.declare_kind(&asso, "association").await;
    assert_eq!(
        (status, err["error"].as_str()),
        (403, Some("forbidden")),
        "{err}"
    );
    let (status, _) = a.declare_kind(&asso, "emperor").await;
    assert_eq!(status, 400);

    // Only staff use the admin endpoint; only an admin grants verified kinds.
    let (status, _) = a.set_kind(&reader, "asso", "association").await;
    assert_eq!(status, 403);
    let (status, _) = a.set_kind(&moderator, "asso", "association").await;
    assert_eq!(status, 403);
    let (status, view) = a.set_kind(&admin, "asso", "association").await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["account_kind"], "association");
    assert_eq!(view["kind_verified"], true);
    assert_eq!(view["actor_type"], "Organization");
    let (status, _) = a.set_kind(&admin, "ghost", "media").await;
    assert_eq!(status, 404);
    // A verified association cannot relabel itself.
    let (status, _) = a.declare_kind(&asso, "citizen").await;
    assert_eq!(status, 403);
    // A moderator may impose business, and the owner cannot undo it.
    let (status, _) = a.set_kind(&moderator, "reader", "business").await;
    assert_eq!(status, 200);
    let (status, _) = a.declare_kind(&reader, "citizen").await;
    assert_eq!(status, 403);
    // Declaring `business` again does not wash the moderator's decision away.
    let (status, _) = a.declare_kind(&reader, "business").await;
    assert_eq!(status, 200);
    let (status, _) = a.declare_kind(&reader, "citizen").await;
    assert_eq!(
        status, 403,
        "the moderator's mark survives a re-declaration"
    );
    let (status, _) = a.set_kind(&moderator, "reader", "citizen").await;
    assert_eq!(status, 200);

    // The actor documents say so.
    let doc = common::json_as(&a.http, a.url("/users/asso"), "application/activity+json").await;
    assert_eq!(
        (doc["type"].as_str(), doc["accountKind"].as_str()),
        (Some("Organization"), Some("association"))
    );

    // A reader follows both and sees two different badges, each with its label in text.
    a.follow(&reader, &shop.acct).await;
    a.follow(&reader, &asso.acct).await;
    a.post(&shop, "Spring sale").await;
    a.post(&asso, "General assembly on Friday").await;
    // The web timeline needs a session: log in through the form.
    let browser = a.browser_login("reader").await;
    let home = common::html(&browser, a.url("/")).await;
    assert!(
        home.contains("class=\"badge kind-business\">Business"),
        "{home}"
    );
    assert!(
        home.contains("class=\"badge kind-association\">Association ✓"),
        "{home}"
    );
    let fr = common::html_in(&browser, a.url("/"), "fr").await;
    assert!(
        fr.contains(">Entreprise") && fr.contains(">Association ✓"),
        "{fr}"
    );

    // The timeline can be filtered by kind.
    let (_, only) = a
        .get_json("/api/v1/timelines/home?kind=business", Some(&reader.token))
        .await;
    let only = only.as_array().unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["account"]["account_kind"], "business");
    let (status, _) = a
        .get_json("/api/v1/timelines/home?kind=royalty", Some(&reader.token))
        .await;
    assert_eq!(status, 400);

    // Another Agora node reads the kind back; a kind change reaches it as an Update.
    let bea = b.user("bea").await;
    let f = b.follow(&bea, &asso.acct).await;
    assert_eq!(f["target"]["account_kind"], "association");
    assert_eq!(f["target"]["actor_type"], "Organization");
    b.follow(&bea, &shop.acct).await;
    b.wait_accepted(&bea).await;
    let (status, _) = a.set_kind(&admin, "shop", "media").await;
    assert_eq!(status, 200);
    eventually(30, "the new kind at B", || async {
        let (_, list) = b.get_json("/api/v1/follows", Some(&bea.token)).await;
        list.as_array()?
            .iter()
            .find(|f| f["target"]["username"] == "shop" && f["target"]["account_kind"] == "media")
            .cloned()
    })
    .await;
}
