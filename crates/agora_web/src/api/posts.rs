//! Posts: publish, read, edit, delete.

use super::{
    json_body,
    views::{ErrorBody, PostView},
};
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use agora_service::posts::{self, Draft};
use serde::Deserialize;
use utoipa::ToSchema;

/// A post to publish or the new text of one.
#[derive(Deserialize, ToSchema)]
pub struct PostRequest {
    /// Plain text, 1–5000 characters once trimmed; paragraphs on blank lines.
    #[schema(
        min_length = 1,
        pattern = r"^[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][\s\S]{0,4999}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub content: String,
    /// Content warning (at most 500 characters).
    #[schema(max_length = 500)]
    pub spoiler_text: Option<String>,
    /// ActivityPub id (an http(s) URL) of the post answered.
    #[schema(
        pattern = r"^[\x00-\x20]*[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9!$&'()*+,;=_~-]+\.)*[A-Za-z][A-Za-z0-9!$&'()*+,;=_~-]*(:[0-9]{1,4})?([/?#\\][\s\S]*)?[\x00-\x20]*$"
    )]
    pub in_reply_to: Option<String>,
}

impl From<PostRequest> for Draft {
    fn from(r: PostRequest) -> Draft {
        Draft {
            content: r.content,
            spoiler_text: r.spoiler_text,
            in_reply_to: r.in_reply_to,
        }
    }
}

/// Publishes a post; it is delivered to the author's followers.
#[utoipa::path(post, path = "/api/v1/posts", request_body = PostRequest,
    responses((status = 201, body = PostView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/posts")]
pub async fn create_post(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: PostRequest = json_body(payload).await?;
    let post = posts::create(&state.ctx, &who.actor, body.into()).await?;
    Ok(HttpResponse::Created().json(PostView::new(&post, &who.actor, &state.ctx.config.energy)))
}

/// One post.
#[utoipa::path(get, path = "/api/v1/posts/{id}", params(("id" = i64, Path, description = "Row id of the post.")),
    responses((status = 200, body = PostView), (status = 404, body = ErrorBody)))]
#[get("/api/v1/posts/{id}")]
pub async fn get_post(state: web::Data<WebState>, id: web::Path<i64>) -> HttpResult<HttpResponse> {
    let (post, author) = posts::get(&state.ctx, id.into_inner()).await?;
    let mut view = [PostView::new(&post, &author, &state.ctx.config.energy)];
    super::views::with_labels(&state.ctx, &mut view).await?;
    Ok(HttpResponse::Ok().json(&view[0]))
}

/// The replies to a post (local or remote, by its row id here), oldest first.
#[utoipa::path(get, path = "/api/v1/posts/{id}/replies", params(("id" = i64, Path, description = "Row id of the post.")),
    responses((status = 200, body = Vec<PostView>), (status = 404, body = ErrorBody)))]
#[get("/api/v1/posts/{id}/replies")]
pub async fn post_replies(
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let (post, _) = posts::get(&state.ctx, id.into_inner()).await?;
    let rows = posts::replies(&state.ctx, &post.ap_id).await?;
    let mut views: Vec<PostView> = rows
        .iter()
        .map(|(p, a)| PostView::new(p, a, &state.ctx.config.energy))
        .collect();
    super::views::with_labels(&state.ctx, &mut views).await?;
    Ok(HttpResponse::Ok().json(views))
}

/// Edits one's own post; the edit is delivered as `Update`.
#[utoipa::path(patch, path = "/api/v1/posts/{id}", request_body = PostRequest, params(("id" = i64, Path, description = "Row id of the post.")),
    responses((status = 200, body = PostView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)), security(("bearer" = [])))]
#[patch("/api/v1/posts/{id}")]
pub async fn edit_post(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: PostRequest = json_body(payload).await?;
    let post = posts::edit(&state.ctx, &who.actor, id.into_inner(), body.into()).await?;
    Ok(HttpResponse::Ok().json(PostView::new(&post, &who.actor, &state.ctx.config.energy)))
}

/// Deletes one's own post; the deletion is delivered as `Delete`.
#[utoipa::path(delete, path = "/api/v1/posts/{id}", params(("id" = i64, Path, description = "Row id of the post.")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[delete("/api/v1/posts/{id}")]
pub async fn delete_post(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    posts::delete(&state.ctx, &who.actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
