//! Blocks, mutes and blocked servers of the signed-in account: set, list, lift.

use super::{
    json_body,
    views::{AccountView, ActorAddress, ErrorBody, rfc3339},
};
use crate::{
    auth::api_user,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use agora_service::filters::{self, FilterKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A block, mute or blocked server.
#[derive(Serialize, ToSchema)]
pub struct FilterView {
    /// Row id (for DELETE).
    pub id: i64,
    /// The account blocked or muted.
    pub account: Option<AccountView>,
    /// The server blocked.
    pub domain: Option<String>,
    /// A mute that hides notifications too.
    pub hide_notifications: bool,
    /// When it was set (RFC 3339).
    pub created_at: String,
}

/// An account to block or mute.
#[derive(Deserialize, ToSchema)]
pub struct AccountFilterRequest {
    /// The account.
    pub target: ActorAddress,
    /// For a mute: hide its notifications too.
    #[serde(default)]
    pub hide_notifications: bool,
}

/// A server to block.
#[derive(Deserialize, ToSchema)]
pub struct DomainBlockRequest {
    /// A host name, or host:port.
    #[schema(
        min_length = 1,
        max_length = 253,
        pattern = r"^[A-Za-z0-9][A-Za-z0-9.:-]*$"
    )]
    pub domain: String,
}

async fn listed(req: &HttpRequest, state: &WebState, kind: FilterKind) -> HttpResult<HttpResponse> {
    let who = api_user(req, state).await?;
    let list = filters::list(&state.ctx, &who.actor, kind).await?;
    Ok(HttpResponse::Ok().json(
        list.iter()
            .map(|(f, a)| FilterView {
                id: f.id,
                account: a.as_ref().map(AccountView::from),
                domain: f.domain.clone(),
                hide_notifications: f.hide_notifications,
                created_at: rfc3339(f.created_at),
            })
            .collect::<Vec<_>>(),
    ))
}

async fn on_account(
    req: &HttpRequest,
    state: &WebState,
    payload: web::Payload,
    kind: FilterKind,
) -> HttpResult<HttpResponse> {
    let who = api_user(req, state).await?;
    let body: AccountFilterRequest = json_body(payload).await?;
    let target = agora_federation::resolve::actor(&body.target.0, &state.data())
        .await
        .map_err(HttpError::from)?
        .row;
    match kind {
        FilterKind::Mute => {
            filters::mute(&state.ctx, &who.actor, &target, body.hide_notifications).await?
        }
        _ => filters::block(&state.ctx, &who.actor, &target).await?,
    }
    listed(req, state, kind).await
}

async fn lifted(
    req: &HttpRequest,
    state: &WebState,
    kind: FilterKind,
    id: i64,
) -> HttpResult<HttpResponse> {
    let who = api_user(req, state).await?;
    filters::lift(&state.ctx, &who.actor, kind, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The accounts the signed-in account blocks.
#[utoipa::path(get, path = "/api/v1/blocks", responses((status = 200, body = Vec<FilterView>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/blocks")]
pub async fn list_blocks(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    listed(&req, &state, FilterKind::Block).await
}

/// Blocks an account: follows between you end both ways, its follows are refused, its posts
/// leave your timeline. Gives the blocks.
#[utoipa::path(post, path = "/api/v1/blocks", request_body = AccountFilterRequest,
    responses((status = 200, body = Vec<FilterView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 502, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/blocks")]
pub async fn block(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    on_account(&req, &state, payload, FilterKind::Block).await
}

/// Lifts a block.
#[utoipa::path(delete, path = "/api/v1/blocks/{id}", params(("id" = i64, Path, description = "The block's id.")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[delete("/api/v1/blocks/{id}")]
pub async fn unblock(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    lifted(&req, &state, FilterKind::Block, id.into_inner()).await
}

/// The accounts the signed-in account mutes.
#[utoipa::path(get, path = "/api/v1/mutes", responses((status = 200, body = Vec<FilterView>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/mutes")]
pub async fn list_mutes(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    listed(&req, &state, FilterKind::Mute).await
}

/// Mutes an account: its posts leave your timeline. Gives the mutes.
#[utoipa::path(post, path = "/api/v1/mutes", request_body = AccountFilterRequest,
    responses((status = 200, body = Vec<FilterView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 502, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/mutes")]
pub async fn mute(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    on_account(&req, &state, payload, FilterKind::Mute).await
}

/// Lifts a mute.
#[utoipa::path(delete, path = "/api/v1/mutes/{id}", params(("id" = i64, Path, description = "The mute's id.")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[delete("/api/v1/mutes/{id}")]
pub async fn unmute(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    lifted(&req, &state, FilterKind::Mute, id.into_inner()).await
}

/// The servers the signed-in account blocks.
#[utoipa::path(get, path = "/api/v1/domain_blocks", responses((status = 200, body = Vec<FilterView>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/domain_blocks")]
pub async fn list_domain_blocks(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    listed(&req, &state, FilterKind::DomainBlock).await
}

/// Blocks a whole server for the signed-in account: follows with everyone there end, their
/// posts leave your timeline. Gives the blocked servers.
#[utoipa::path(post, path = "/api/v1/domain_blocks", request_body = DomainBlockRequest,
    responses((status = 200, body = Vec<FilterView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/domain_blocks")]
pub async fn block_domain(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: DomainBlockRequest = json_body(payload).await?;
    filters::block_domain(&state.ctx, &who.actor, &body.domain).await?;
    listed(&req, &state, FilterKind::DomainBlock).await
}

/// Lifts a server block.
#[utoipa::path(delete, path = "/api/v1/domain_blocks/{id}", params(("id" = i64, Path, description = "The block's id.")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[delete("/api/v1/domain_blocks/{id}")]
pub async fn unblock_domain(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    lifted(&req, &state, FilterKind::DomainBlock, id.into_inner()).await
}
