//! Finding an actor from what a user types: `@name@host`, `name@host` or a URL.

use crate::{config::FederationData, error::FederationError, objects::actor::DbActor};
use activitypub_federation::fetch::{object_id::ObjectId, webfinger::webfinger_resolve_actor};
use agora_core::handle::parse_acct;

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
        FederationError::refused(400, "bad_handle", "expected @name@host or a URL")
    })?;
    if host.eq_ignore_ascii_case(&data.config.instance.domain) {
        let name = name.to_string();
        let found = data
            .db
            .run(move |conn| agora_db::actors::local_by_username(conn, &name))
            .await?;
        return found.map(DbActor::new).transpose()?.ok_or_else(not_found);
    }
    if data.config.is_domain_blocked(host) {
        return Err(FederationError::refused(
            403,
            "blocked_domain",
            format!("{host} is blocked here"),
        ));
    }
    webfinger_resolve_actor::<_, DbActor>(&format!("{name}@{host}"), data)
        .await
        .map_err(remote_error)
}

fn not_found() -> FederationError {
    FederationError::refused(404, "not_found", "no such actor")
}

fn remote_error(e: FederationError) -> FederationError {
    use activitypub_federation::error::Error as Lib;
    match e {
        FederationError::Refused { .. } => e,
        // Loopback, private or IP-literal addresses, explicit ports, odd host names: refused
        // before any request unless `federation.allow_private_addresses` is on.
        FederationError::Library(Lib::UrlVerificationError(why)) => FederationError::refused(
            403,
            "address_not_allowed",
            format!("this address may not be fetched: {why}"),
        ),
        FederationError::Library(
            Lib::DomainResolveError(host) | Lib::ResolveInternalIpError(host, _),
        ) => FederationError::refused(
            403,
            "address_not_allowed",
            format!("{host} resolves to a private or loopback address"),
        ),
        FederationError::Library(Lib::WebfingerResolveFailed(_)) => {
            FederationError::refused(404, "not_found", "WebFinger found no such account")
        }
        other => FederationError::refused(
            502,
            "remote_unavailable",
            format!("cannot resolve the actor: {other}"),
        ),
    }
}
