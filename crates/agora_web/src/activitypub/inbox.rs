//! Inboxes: the shared one and each actor's. Both run the same checks and handlers.

use crate::{
    body::read_limited,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, post, web};
use agora_federation::{inbox, signatures::RequestParts};
use std::collections::BTreeMap;

fn request_parts(req: &HttpRequest) -> RequestParts {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in req.headers() {
        let Ok(value) = value.to_str() else { continue };
        headers
            .entry(name.as_str().to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(value);
            })
            .or_insert_with(|| value.to_string());
    }
    // Behind a proxy that drops Host, sign-checking uses our own domain, as the sender addressed it.
    headers
        .entry("host".into())
        .or_insert_with(|| req.connection_info().host().to_string());
    RequestParts {
        method: req.method().as_str().to_string(),
        path_and_query: req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| req.path().to_string()),
        headers,
    }
}

/// Runs one inbox POST through the federation checks and handlers.
pub async fn receive(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let body = read_limited(payload, state.ctx.config.http.max_body_bytes, true).await?;
    let parts = request_parts(&req);
    inbox::receive(&parts, &body, &state.data())
        .await
        .map_err(HttpError::from)?;
    Ok(HttpResponse::Accepted().finish())
}

/// `POST /actor/inbox`: the instance actor's inbox, the same as the shared one.
#[post("/actor/inbox")]
pub async fn instance_inbox(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    receive(req, state, payload).await
}

/// `POST /actor/moderation/inbox`: the moderation actor's inbox (decisions on the reports it
/// sent), the same as the shared one.
#[post("/actor/moderation/inbox")]
pub async fn moderation_inbox(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    receive(req, state, payload).await
}

/// `POST /inbox`: the shared inbox.
#[post("/inbox")]
pub async fn shared_inbox(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    receive(req, state, payload).await
}

/// `POST /users/{name}/inbox`.
#[post("/users/{name}/inbox")]
pub async fn user_inbox(
    req: HttpRequest,
    state: web::Data<WebState>,
    name: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    super::local_actor(&state, &name).await?;
    receive(req, state, payload).await
}
