//! Follows: follow any actor by `@name@host` or URL, list, unfollow; answer follow requests.

use super::{
    json_body,
    views::{AccountView, ActorAddress, ErrorBody, FollowView},
};
use crate::{
    auth::api_user,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use agora_service::follows;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whom to follow.
#[derive(Deserialize, ToSchema)]
pub struct FollowRequest {
    /// `@name@host`, `name@host` or an actor's http(s) URL.
    pub target: ActorAddress,
}

/// Follows an actor, local or remote. `state` is `accepted` at once for open local accounts,
/// `pending` until a remote server answers.
#[utoipa::path(post, path = "/api/v1/follows", request_body = FollowRequest,
    responses((status = 201, body = FollowView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 502, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/follows")]
pub async fn create_follow(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: FollowRequest = json_body(payload).await?;
    let target = agora_federation::resolve::actor(&body.target.0, &state.data())
        .await
        .map_err(HttpError::from)?;
    let follow = follows::follow(&state.ctx, &who.actor, &target.row).await?;
    Ok(HttpResponse::Created().json(FollowView::new(&follow, &target.row)))
}

/// The actors the signed-in user follows or asked to follow.
#[utoipa::path(get, path = "/api/v1/follows", responses((status = 200, body = Vec<FollowView>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/follows")]
pub async fn list_follows(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let rows = follows::outgoing(&state.ctx, &who.actor).await?;
    Ok(HttpResponse::Ok().json(
        rows.iter()
            .map(|(f, a)| FollowView::new(f, a))
            .collect::<Vec<_>>(),
    ))
}

/// Stops following (or withdraws a pending request).
#[utoipa::path(delete, path = "/api/v1/follows/{id}", params(("id" = i64, Path, description = "Row id of the follow.")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[delete("/api/v1/follows/{id}")]
pub async fn delete_follow(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    follows::unfollow(&state.ctx, &who.actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A follow request waiting for the signed-in user's answer.
#[derive(Serialize, ToSchema)]
pub struct FollowRequestView {
    /// Follow id, for accept/reject.
    pub id: i64,
    /// Who asks.
    pub follower: AccountView,
}

/// Pending follow requests to the signed-in user.
#[utoipa::path(get, path = "/api/v1/follow_requests", responses((status = 200, body = Vec<FollowRequestView>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/follow_requests")]
pub async fn list_requests(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let rows = follows::requests(&state.ctx, &who.actor).await?;
    let views: Vec<_> = rows
        .iter()
        .map(|(f, a)| FollowRequestView {
            id: f.id,
            follower: AccountView::from(a),
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Accepts a follow request.
#[utoipa::path(post, path = "/api/v1/follow_requests/{id}/accept", params(("id" = i64, Path, description = "Row id of the follow request.")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/follow_requests/{id}/accept")]
pub async fn accept_request(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    follows::answer_request(&state.ctx, &who.actor, id.into_inner(), true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rejects a follow request.
#[utoipa::path(post, path = "/api/v1/follow_requests/{id}/reject", params(("id" = i64, Path, description = "Row id of the follow request.")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/follow_requests/{id}/reject")]
pub async fn reject_request(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    follows::answer_request(&state.ctx, &who.actor, id.into_inner(), false).await?;
    Ok(HttpResponse::NoContent().finish())
}
