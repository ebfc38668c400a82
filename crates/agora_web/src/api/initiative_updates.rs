//! An initiative's updates: organizers publish and pin them; anyone reads them.

use super::{
    json_body,
    posts::PostRequest,
    views::{ErrorBody, PostView},
};
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::model::Page;
use agora_service::{initiative_updates, initiatives};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Paging of an initiative's updates.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpdatesQuery {
    /// Only updates with a smaller id (the last id of the previous page).
    pub max_id: Option<i64>,
    /// Updates per page, 1–40 (default 20); other values are brought into that range.
    pub limit: Option<i64>,
}

/// An update as a client sends it: a post that starts a thread, so without `in_reply_to`
/// (read as a [`PostRequest`]; a non-null `in_reply_to` is refused with 400).
#[derive(ToSchema)]
pub struct UpdateRequest {
    /// Plain text, 1–5000 characters once trimmed; paragraphs on blank lines.
    #[schema(
        min_length = 1,
        pattern = r"^[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][\s\S]{0,4999}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub content: String,
    /// Content warning (at most 500 characters).
    #[schema(max_length = 500)]
    pub spoiler_text: Option<String>,
}

/// Publishes an update (organizers only): a post addressed to the initiative, which announces
/// it to its followers on every server.
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/updates", request_body = UpdateRequest, params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1)),
    responses((status = 201, body = PostView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody)), security(("bearer" = [])))]
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
    Ok(HttpResponse::Created().json(PostView::new(&post, &who.actor, &state.ctx.config.energy)))
}

/// The updates of an initiative, newest first (replies are under each update); for another
/// node's initiative (`handle@host`), the ones its group announced here.
#[utoipa::path(get, path = "/api/v1/initiatives/{handle}/updates",
    params(("handle" = String, Path, description = "`handle` for this node's initiative, `handle@host` for another node's.", min_length = 1), UpdatesQuery),
    responses((status = 200, body = Vec<PostView>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
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
    let mut views: Vec<PostView> = rows
        .iter()
        .map(|(p, a)| PostView::new(p, a, &state.ctx.config.energy))
        .collect();
    super::views::with_labels(&state.ctx, &mut views).await?;
    Ok(HttpResponse::Ok().json(views))
}

/// Pins an update to the initiative's page and `featured` collection (organizers only).
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/updates/{id}/pin",
    params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1), ("id" = i64, Path, description = "Row id of the update.")),
    responses((status = 200, body = PostView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
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
    params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1), ("id" = i64, Path, description = "Row id of the update.")),
    responses((status = 200, body = PostView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
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
    let mut view = [PostView::new(&post, &author, &state.ctx.config.energy)];
    super::views::with_labels(&state.ctx, &mut view).await?;
    Ok(HttpResponse::Ok().json(&view[0]))
}
