//! Following across servers from the web, as Mastodon and Lemmy pages allow: a visitor from
//! elsewhere types their address on one of our pages and is sent to their own server's follow
//! page (`GET /interact`); someone here arriving from another server's page lands on ours
//! (`GET /authorize_interaction`, the template our WebFinger advertises).

use super::redirect;
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::ErrorKind;
use serde::Deserialize;

/// What the "follow from your server" form sends.
#[derive(Deserialize)]
pub struct InteractQuery {
    /// One of our actors.
    uri: String,
    /// The visitor's own address, `@you@your.server`.
    acct: String,
}

/// `GET /interact?uri=…&acct=@you@your.server`: sends the visitor to the page of their
/// server where they follow `uri` (found through their server's WebFinger).
#[get("/interact")]
pub async fn interact(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<InteractQuery>,
) -> HttpResult<HttpResponse> {
    let lang = auth::lang(&req, &state, None);
    if !state.ctx.urls.is_local(&query.uri) || query.acct.len() > 300 {
        return Err(HttpError::json(ErrorKind::BadRequest, "").in_lang(lang));
    }
    let page = agora_federation::resolve::follow_page(&query.acct, &query.uri, &state.data())
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", page.to_string()))
        .finish())
}

/// What another server's "follow from your server" form sends here.
#[derive(Deserialize)]
pub struct AuthorizeQuery {
    /// The actor to follow: an address on any server, or `@name@host`.
    uri: String,
}

/// `GET /authorize_interaction?uri=…`: the page of that actor here, with its follow button
/// (after logging in).
#[get("/authorize_interaction")]
pub async fn authorize_interaction(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<AuthorizeQuery>,
) -> HttpResult<HttpResponse> {
    let user = auth::web_user(&req, &state).await?;
    let lang = auth::lang(&req, &state, user.as_ref());
    let uri = query.uri.trim().trim_start_matches("acct:");
    if uri.is_empty() || uri.len() > 300 {
        return Err(HttpError::json(ErrorKind::BadRequest, "").in_lang(lang));
    }
    if user.is_none() {
        return Ok(redirect("/login?notice=login-to-follow"));
    }
    let encoded: String = url::form_urlencoded::byte_serialize(uri.as_bytes()).collect();
    Ok(redirect(&format!("/remote?acct={encoded}")))
}
