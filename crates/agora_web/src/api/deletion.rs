//! Deleting one's account (after a grace period, cancellable) and, for administrators,
//! purging what the node holds of another server's actor.

use super::{
    json_body,
    views::{ErrorBody, rfc3339},
};
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use agora_service::deletion;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The password that confirms a deletion.
#[derive(Deserialize, ToSchema)]
pub struct DeleteRequest {
    /// The account's current password.
    #[schema(max_length = 1024)]
    pub password: String,
}

/// Whether the account is to be deleted.
#[derive(Serialize, ToSchema)]
pub struct DeletionView {
    /// `scheduled`, or `none` when no deletion is pending.
    pub status: &'static str,
    /// When it happens (RFC 3339), while scheduled.
    pub due_at: Option<String>,
}

impl DeletionView {
    fn of(due: Option<chrono::NaiveDateTime>) -> DeletionView {
        DeletionView {
            status: if due.is_some() { "scheduled" } else { "none" },
            due_at: due.map(rfc3339),
        }
    }
}

/// Asks for the signed-in account's deletion: it happens after the node's grace period
/// (`limits.deletion_grace_hours`) unless cancelled; then `Delete` goes to every server that
/// knows the account.
#[utoipa::path(delete, path = "/api/v1/accounts/me", request_body = DeleteRequest,
    responses((status = 202, body = DeletionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
#[delete("/api/v1/accounts/me")]
pub async fn delete_me(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: DeleteRequest = json_body(payload).await?;
    let due = deletion::request(&state.ctx, &who, &body.password).await?;
    Ok(HttpResponse::Accepted().json(DeletionView::of(Some(due.naive_utc()))))
}

/// Whether the signed-in account is to be deleted, and when.
#[utoipa::path(get, path = "/api/v1/accounts/me/deletion",
    responses((status = 200, body = DeletionView), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/accounts/me/deletion")]
pub async fn deletion_state(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    Ok(HttpResponse::Ok().json(DeletionView::of(who.user.deletion_due_at)))
}

/// Cancels the signed-in account's pending deletion.
#[utoipa::path(delete, path = "/api/v1/accounts/me/deletion",
    responses((status = 200, body = DeletionView), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
#[delete("/api/v1/accounts/me/deletion")]
pub async fn cancel_deletion(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    deletion::cancel(&state.ctx, &who).await?;
    Ok(HttpResponse::Ok().json(DeletionView::of(None)))
}

/// Another server's actor to purge.
#[derive(Deserialize, ToSchema)]
pub struct PurgeRequest {
    /// `@name@host` or the actor's id.
    #[schema(min_length = 1, max_length = 2048)]
    pub actor: String,
}

/// Erases what this node holds of another server's actor (its posts, follows, interactions;
/// its signatures withdrawn or anonymised; reports forget it): a person's request to a node
/// that copied them. Administrators only.
#[utoipa::path(post, path = "/api/v1/admin/actors/purge", request_body = PurgeRequest,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/actors/purge")]
pub async fn purge_actor(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: PurgeRequest = json_body(payload).await?;
    deletion::purge_remote_as(&state.ctx, &who, &body.actor).await?;
    Ok(HttpResponse::NoContent().finish())
}
