//! Bearer tokens for API clients.

use super::json_body;
use crate::{
    auth::{api_user, client_key},
    error::HttpResult,
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use agora_service::accounts::{self, SessionKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Credentials for a token.
#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Handle (with or without a leading `@`).
    pub username: String,
    /// Password.
    pub password: String,
}

/// A new bearer token.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Expiry (UTC, RFC 3339).
    pub expires_at: String,
}

/// Exchanges a user name and password for a bearer token. Failed attempts are rate-limited.
#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = super::views::ErrorBody), (status = 401, body = super::views::ErrorBody),
        (status = 403, body = super::views::ErrorBody), (status = 413, body = super::views::ErrorBody), (status = 429, body = super::views::ErrorBody)))]
#[post("/api/v1/auth/token")]
pub async fn create_token(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let body: TokenRequest = json_body(payload).await?;
    let (user, _) = accounts::authenticate(
        &state.ctx,
        &body.username,
        &body.password,
        &client_key(&req, &state),
    )
    .await?;
    let (token, session) = accounts::open_session(&state.ctx, user.id, SessionKind::Api).await?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        token,
        token_type: "Bearer",
        expires_at: session.expires_at.and_utc().to_rfc3339(),
    }))
}

/// Revokes the token used for this request.
#[utoipa::path(delete, path = "/api/v1/auth/token", responses((status = 204), (status = 401, body = super::views::ErrorBody)), security(("bearer" = [])))]
#[delete("/api/v1/auth/token")]
pub async fn revoke_token(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    api_user(&req, &state).await?;
    let token = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default()
        .trim()
        .to_string();
    accounts::logout(&state.ctx, &token).await?;
    Ok(HttpResponse::NoContent().finish())
}
