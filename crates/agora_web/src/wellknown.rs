//! Discovery documents: WebFinger, NodeInfo 2.0 and 2.1, host-meta.

use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use activitypub_federation::fetch::webfinger::{WebfingerLink, build_webfinger_response_with_type};
use actix_web::{HttpResponse, get, web};
use agora_core::{ErrorKind, handle::parse_acct};
use serde::Deserialize;
use serde_json::json;

/// Query of a WebFinger request.
#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

/// `GET /.well-known/webfinger?resource=acct:name@host` (or the actor's URL).
#[get("/.well-known/webfinger")]
pub async fn webfinger(
    state: web::Data<WebState>,
    query: web::Query<WebfingerQuery>,
) -> HttpResult<HttpResponse> {
    let resource = query.resource.as_deref().unwrap_or("").trim().to_string();
    if resource.is_empty() || resource.len() > 512 {
        return Err(HttpError::json(
            ErrorKind::BadRequest,
            "resource=acct:name@host is required",
        ));
    }
    let ctx = &state.ctx;
    let domain = ctx.config.instance.domain.clone();
    let actor = if resource.starts_with("http://") || resource.starts_with("https://") {
        match agora_service::actors::local_by_ap_id(ctx, &resource).await {
            Ok(actor) => Some(actor),
            Err(e) if e.kind == ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        let (name, host) = parse_acct(&resource).ok_or_else(|| {
            HttpError::json(ErrorKind::BadRequest, "resource must be acct:name@host")
        })?;
        if !host.eq_ignore_ascii_case(&domain) {
            return Err(HttpError::json(
                ErrorKind::NotFound,
                format!("{host} is not this node ({domain})"),
            ));
        }
        agora_service::actors::local_by_username(ctx, &name.to_ascii_lowercase()).await?
    };
    let actor =
        actor.ok_or_else(|| HttpError::json(ErrorKind::NotFound, "no such account here"))?;
    let url = url::Url::parse(&actor.ap_id)
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    let mut doc = build_webfinger_response_with_type(
        format!("acct:{}@{domain}", actor.username),
        vec![(url.clone(), Some(actor.actor_type.as_str()))],
    );
    doc.aliases = vec![url];
    // Where someone here follows an account of another server, as Mastodon advertises it:
    // "follow from your server" forms elsewhere send visitors to this template.
    doc.links.push(WebfingerLink {
        rel: Some(agora_federation::resolve::SUBSCRIBE_REL.into()),
        template: Some(format!(
            "{}/authorize_interaction?uri={{uri}}",
            ctx.urls.base()
        )),
        ..Default::default()
    });
    Ok(HttpResponse::Ok()
        .content_type("application/jrd+json; charset=utf-8")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(doc))
}

/// `GET /.well-known/nodeinfo`: where the NodeInfo documents are.
#[get("/.well-known/nodeinfo")]
pub async fn nodeinfo_links(state: web::Data<WebState>) -> HttpResponse {
    let base = state.ctx.urls.base();
    HttpResponse::Ok().json(json!({
        "links": [
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": format!("{base}/nodeinfo/2.0") },
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}/nodeinfo/2.1") }
        ]
    }))
}

async fn nodeinfo(state: &WebState, version: &str) -> HttpResult<HttpResponse> {
    let usage = agora_service::node::usage(&state.ctx).await?;
    // The key that signs petition checkpoints: verifiers and witnesses take it from here.
    let log_key = agora_service::petition_log::key(&state.ctx).await?;
    let config = &state.ctx.config;
    let mut software = json!({ "name": "agora", "version": env!("CARGO_PKG_VERSION") });
    if version == "2.1" {
        software["homepage"] = json!(state.ctx.urls.base());
    }
    // The policy in effect, moderators' live changes included.
    let policy = state.ctx.federation_policy();
    let federation_mode = match policy.mode {
        agora_core::federation_policy::FederationMode::Allowlist => "allowlist",
        _ if policy
            .rules
            .iter()
            .any(|r| r.policy == agora_core::federation_policy::DomainPolicy::Block) =>
        {
            "blocklist"
        }
        _ => "open",
    };
    let schema = format!("http://nodeinfo.diaspora.software/ns/schema/{version}#");
    let doc = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": [] },
        "openRegistrations": config.instance.registration == agora_core::config::RegistrationMode::Open,
        "usage": { "users": { "total": usage.users }, "localPosts": usage.local_posts },
        "metadata": {
            "nodeName": config.instance.name,
            "nodeDescription": config.instance.description,
            "federationMode": federation_mode,
            "registrationMode": config.instance.registration.as_str(),
            "dataPolicyUrl": format!("{}/about/data", state.ctx.urls.base()),
            "signaturePolicies": agora_core::petition::SignaturePolicy::ALL.map(|p| p.as_str()),
            "transparencyLogKey": log_key.public,
        }
    });
    Ok(HttpResponse::Ok()
        .content_type(format!("application/json; profile=\"{schema}\""))
        .json(doc))
}

/// `GET /nodeinfo/2.0`, the version Mastodon serves and reads.
#[get("/nodeinfo/2.0")]
pub async fn nodeinfo_20(state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    nodeinfo(&state, "2.0").await
}

/// `GET /nodeinfo/2.1`, with the civic metadata.
#[get("/nodeinfo/2.1")]
pub async fn nodeinfo_21(state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    nodeinfo(&state, "2.1").await
}

/// `GET /.well-known/host-meta`: the WebFinger template, for older clients.
#[get("/.well-known/host-meta")]
pub async fn host_meta(state: web::Data<WebState>) -> HttpResponse {
    let base = state.ctx.urls.base();
    HttpResponse::Ok().content_type("application/xrd+xml; charset=utf-8").body(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{base}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n"
    ))
}
