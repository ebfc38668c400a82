//! An initiative's updates: organizers publish and pin them; anyone reads them.

use super::{
    json_body,
    posts::PostRequest,
    views::{ErrorBody, PostView},
};
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_db::posts::Page;
use agora_service::{initiative_updates, initiatives};
use serde::Deserialize;
use utoipa::IntoParams;

/// Paging of an initiative's updates.
#[derive(Deserialize, IntoParams)]
pub struct UpdatesQuery {
    /// Only updates with a smaller id (the last id of the previous page).
    pub max_id: Option<i64>,
    /// Updates per page, 1–40 (default 20).
    pub limit: Option<i64>,
}

/// Publishes an update (organizers only): a post addressed to the initiative, which announces
/// it to its followers on every server.
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/updates", request_body = PostRequest,
    responses((status = 201, body = PostView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/initiatives/{handle}/updates")]
pub async fn publish_update(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: PostRequest = json_body(payload).await?;
    let post = initiative_updates::publish(&state.ctx, &who, &handle, body.into()).await?;
    Ok(HttpResponse::Created().json(PostView::new(&post, &who.actor)))
}

/// The updates of an initiative, newest first (replies are under each update); for another
/// node's initiative (`handle@host`), the ones its group announced here.
#[utoipa::path(get, path = "/api/v1/initiatives/{handle}/updates", params(UpdatesQuery),
    responses((status = 200, body = Vec<PostView>), (status = 404, body = ErrorBody)))]
#[get("/api/v1/initiatives/{handle}/updates")]
pub async fn list_updates(
    state: web::Data<WebState>,
    handle: web::Path<String>,
    query: web::Query<UpdatesQuery>,
) -> HttpResult<HttpResponse> {
    let details = initiatives::known(&state.ctx, &handle).await?;
    let page = Page {
        max_id: query.max_id,
        limit: query.limit.unwrap_or(20).clamp(1, 40),
    };
    let rows = initiative_updates::list(&state.ctx, &details, page).await?;
    let views: Vec<PostView> = rows.iter().map(|(p, a)| PostView::new(p, a)).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Pins an update to the initiative's page and `featured` collection (organizers only).
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/updates/{id}/pin",
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/initiatives/{handle}/updates/{id}/pin")]
pub async fn pin_update(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, i64)>,
) -> HttpResult<HttpResponse> {
    pin(req, state, path, true).await
}

/// Unpins an update (organizers only).
#[utoipa::path(delete, path = "/api/v1/initiatives/{handle}/updates/{id}/pin",
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[actix_web::delete("/api/v1/initiatives/{handle}/updates/{id}/pin")]
pub async fn unpin_update(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, i64)>,
) -> HttpResult<HttpResponse> {
    pin(req, state, path, false).await
}

async fn pin(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, i64)>,
    pinned: bool,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let (handle, id) = path.into_inner();
    let (post, author) = initiative_updates::pin(&state.ctx, &who, &handle, id, pinned).await?;
    Ok(HttpResponse::Ok().json(PostView::new(&post, &author)))
}
