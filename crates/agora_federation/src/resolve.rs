//! Finding an actor from what a user types: `@name@host`, `name@host` or a URL.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
};
use activitypub_federation::fetch::object_id::ObjectId;
use agora_core::handle::{is_valid_domain, parse_acct};

/// Resolves a handle or URL to an actor, local or remote (fetched through WebFinger and cached).
pub async fn actor(input: &str, data: &FederationData) -> Result<DbActor, FederationError> {
    let input = input.trim();
    if input.starts_with("https://") || input.starts_with("http://") {
        let url = url::Url::parse(input)?;
        if data.urls.is_local(url.as_str()) {
            let key = url.to_string();
            let found = data
                .db
                .run(move |conn| agora_db::actors::by_ap_id(conn, &key))
                .await?;
            return found
                .filter(|a| a.deleted_at.is_none())
                .map(DbActor::new)
                .transpose()?
                .ok_or_else(not_found);
        }
        return ObjectId::<DbActor>::from(url)
            .dereference(data)
            .await
            .map_err(remote_error);
    }
    let (name, host) = parse_acct(input).ok_or_else(|| {
        FederationError::refused(Reason::BadHandle, "expected @name@host or a URL")
    })?;
    if host.eq_ignore_ascii_case(&data.config.instance.domain) {
        let name = name.to_string();
        let found = data
            .db
            .run(move |conn| agora_db::actors::local_by_username(conn, &name))
            .await?;
        return found.map(DbActor::new).transpose()?.ok_or_else(not_found);
    }
    let document = webfinger(name, host, data).await?;
    let id = actor_link(&document).ok_or_else(|| {
        FederationError::refused(
            Reason::NotFound,
            format!("{name}@{host} has no ActivityPub actor"),
        )
    })?;
    ObjectId::<DbActor>::from(id)
        .dereference(data)
        .await
        .map_err(remote_error)
}

/// An account's WebFinger document (JRD), asked of its server through our client. An account
/// the server does not know (404, 410) is `NotFound`, so whoever typed the address reads "no
/// such account", not "server unavailable"; anything else that fails is `RemoteUnavailable`.
async fn webfinger(
    name: &str,
    host: &str,
    data: &FederationData,
) -> Result<serde_json::Value, FederationError> {
    // A host that is not a server's name (a path or query in it, an IP literal) is asked
    // nothing: no account lives there, as Mastodon's lookup answers.
    if !is_valid_domain(host) {
        return Err(FederationError::refused(
            Reason::NotFound,
            format!("not a server's name: {host}"),
        ));
    }
    let scheme = if data.config.federation.allow_private_addresses {
        "http"
    } else {
        "https"
    };
    let mut finger = url::Url::parse(&format!("{scheme}://{host}/.well-known/webfinger"))?;
    finger
        .query_pairs_mut()
        .append_pair("resource", &format!("acct:{name}@{host}"));
    may_ask(&finger, data)?;
    let accept = "application/jrd+json, application/json";
    crate::http::get_json_following(&finger, accept, 64 * 1024, |to| may_ask(to, data).is_ok())
        .await
        .map_err(|e| e.fetch_failed(Reason::RemoteUnavailable))
}

/// Whether this node may ask `url` itself, as the library decides for its fetches: a web
/// address on a server's name, not one blocked here, and, unless private addresses are
/// allowed, without an explicit port (our resolver refuses private addresses by itself).
fn may_ask(url: &url::Url, data: &FederationData) -> Result<(), FederationError> {
    let host = agora_core::urls::authority(url)
        .filter(|h| matches!(url.scheme(), "http" | "https") && is_valid_domain(h))
        .ok_or_else(|| FederationError::refused(Reason::BadUrl, format!("not asked: {url}")))?;
    if url.port().is_some() && !data.config.federation.allow_private_addresses {
        return Err(FederationError::refused(
            Reason::AddressNotAllowed,
            format!("explicit port: {url}"),
        ));
    }
    if data.federation_policy().refuses(&host) {
        return Err(FederationError::refused(
            Reason::BlockedDomain,
            format!("{host} is blocked here"),
        ));
    }
    Ok(())
}

/// The actor a WebFinger document names: its `self` link of an ActivityPub type. Where there
/// are several (Lemmy's answer for a name that is both a community and a user) the last one
/// is taken, as Mastodon takes it.
pub fn actor_link(document: &serde_json::Value) -> Option<url::Url> {
    let activitypub = |kind: &str| {
        kind.starts_with("application/activity+json") || kind.starts_with("application/ld+json")
    };
    document
        .get("links")?
        .as_array()?
        .iter()
        .rev()
        .filter(|l| l.get("rel").and_then(serde_json::Value::as_str) == Some("self"))
        .filter(|l| {
            l.get("type")
                .and_then(serde_json::Value::as_str)
                .is_some_and(activitypub)
        })
        .filter_map(|l| l.get("href").and_then(serde_json::Value::as_str))
        .filter_map(|href| url::Url::parse(href).ok())
        .find(|url| matches!(url.scheme(), "http" | "https"))
}

/// Resolves a handle or URL to an actor as its server describes it now (a cached copy of
/// another server's actor is fetched again): what a move checks the aliases of.
pub async fn actor_fresh(input: &str, data: &FederationData) -> Result<DbActor, FederationError> {
    let found = actor(input, data).await?;
    if found.row.local {
        return Ok(found);
    }
    let id = url::Url::parse(&found.row.ap_id)?;
    ObjectId::<DbActor>::from(id)
        .dereference_forced(data)
        .await
        .map_err(remote_error)
}

/// The WebFinger link relation whose `template` is where an account follows others ("remote
/// follow", OStatus' name, which Mastodon, Pleroma and GoToSocial still serve).
pub const SUBSCRIBE_REL: &str = "http://ostatus.org/schema/1.0/subscribe";

/// Where `acct` (`@you@your.server`) follows `target` on its own server: the `template` of the
/// subscribe link its server's WebFinger gives, with `{uri}` filled in. The server is asked
/// through our client (no private addresses unless allowed, blocked domains never).
pub async fn follow_page(
    acct: &str,
    target: &str,
    data: &FederationData,
) -> Result<url::Url, FederationError> {
    let (name, host) = parse_acct(acct.trim()).ok_or_else(|| {
        FederationError::refused(Reason::BadHandle, format!("not an address: {acct}"))
    })?;
    let document = webfinger(name, host, data).await?;
    let template = document
        .get("links")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .find(|l| l.get("rel").and_then(serde_json::Value::as_str) == Some(SUBSCRIBE_REL))
        .and_then(|l| l.get("template").and_then(serde_json::Value::as_str))
        .ok_or_else(|| {
            FederationError::refused(Reason::NotFound, format!("{host} offers no follow page"))
        })?;
    let encoded: String = url::form_urlencoded::byte_serialize(target.as_bytes()).collect();
    let page = url::Url::parse(&template.replace("{uri}", &encoded))?;
    if !matches!(page.scheme(), "http" | "https") {
        return Err(FederationError::refused(
            Reason::BadUrl,
            "the follow page is not a web address",
        ));
    }
    Ok(page)
}

fn not_found() -> FederationError {
    FederationError::refused(Reason::NotFound, "no such actor")
}

/// What a user is told when a lookup fails: a reason, never what the other server answered
/// (that would make this node a proxy reading any address for anyone).
fn remote_error(e: FederationError) -> FederationError {
    use activitypub_federation::error::Error as Lib;
    match e {
        FederationError::Library(Lib::NotFound | Lib::ObjectDeleted(_)) => {
            FederationError::refused(Reason::NotFound, "the address answers 404 or 410")
        }
        FederationError::Other(detail) => {
            FederationError::refused(Reason::RemoteUnavailable, detail)
        }
        e => e.fetch_failed(Reason::RemoteUnavailable),
    }
}

/// Another server's petition by its URI: its `Question` is fetched (signed by our instance
/// actor), its author resolved and checked to be on the same server, and both stored. A
/// Mastodon poll with one option is a petition too; a poll with several is refused.
pub async fn petition(
    uri: &str,
    data: &FederationData,
) -> Result<agora_service::petitions::PetitionDetails, FederationError> {
    use crate::protocol::question::Question;
    use activitypub_federation::fetch::fetch_object_http;
    let url = url::Url::parse(uri.trim())
        .map_err(|_| FederationError::refused(Reason::BadUrl, "not a petition's address"))?;
    if let Some(host) = url.host_str()
        && data.federation_policy().refuses(host)
    {
        return Err(FederationError::refused(
            Reason::BlockedDomain,
            format!("{host} is blocked here"),
        ));
    }
    let fetched = fetch_object_http::<_, serde_json::Value>(&url, data)
        .await
        .map_err(|e| remote_error(e.into()))?;
    let question: Question = serde_json::from_value(fetched.object).map_err(|e| {
        FederationError::refused(Reason::MalformedObject, format!("not a Question: {e}"))
    })?;
    if question.kind != "Question" || question.one_of.len() != 1 {
        return Err(FederationError::refused(
            Reason::MalformedObject,
            "a petition is a Question with one option",
        ));
    }
    let same_host = |other: &url::Url| {
        agora_core::urls::authority(other) == agora_core::urls::authority(&question.id)
    };
    let author_id = question
        .author()
        .and_then(|a| url::Url::parse(a).ok())
        .filter(|a| same_host(a) && same_host(&url))
        .ok_or_else(|| {
            FederationError::refused(
                Reason::AuthorMismatch,
                "the petition's author is not on its server",
            )
        })?;
    let author = ObjectId::<DbActor>::from(author_id)
        .dereference(data)
        .await
        .map_err(remote_error)?;
    let remote = crate::objects::question::to_remote(&question);
    Ok(agora_service::petitions::store_remote(data.app_data(), &author.row, remote).await?)
}

#[cfg(test)]
mod tests {
    use super::actor_link;
    use serde_json::json;

    #[test]
    fn only_an_activitypub_self_link_names_an_actor() {
        let link = |links: serde_json::Value| actor_link(&json!({ "links": links }));
        let good = json!({"rel": "self", "type": "application/activity+json",
                          "href": "https://a.example/users/x"});
        assert_eq!(
            link(json!([good])).map(String::from).as_deref(),
            Some("https://a.example/users/x")
        );
        let ld = json!({"rel": "self",
            "type": "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
            "href": "https://a.example/users/y"});
        assert_eq!(
            link(json!([ld])).map(String::from).as_deref(),
            Some("https://a.example/users/y")
        );
        // Not ActivityPub, not `self`, not a web address, not a string, nothing: no actor.
        for bad in [
            json!([{"rel": "self", "type": "text/html", "href": "https://a.example/@x"}]),
            json!([{"rel": "http://webfinger.net/rel/profile-page",
                    "type": "application/activity+json", "href": "https://a.example/@x"}]),
            json!([{"rel": "self", "type": "application/activity+json",
                    "href": "javascript:alert(1)"}]),
            json!([{"rel": "self", "type": "application/activity+json", "href": 7}]),
            json!([{"rel": "self", "href": "https://a.example/users/x"}]),
            json!("links"),
            json!([]),
        ] {
            assert_eq!(link(bad.clone()), None, "{bad}");
        }
        assert_eq!(actor_link(&json!({"subject": "acct:x@a.example"})), None);
        assert_eq!(actor_link(&json!([1, 2])), None);
    }
}
