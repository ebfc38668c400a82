//! The account's archive, or an initiative's for its move: ask for it, follow its progress,
//! download it when ready.

use super::views::ErrorBody;
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::{export, initiative_moves, model::Export};
use serde::Serialize;
use utoipa::ToSchema;

/// An export.
#[derive(Serialize, ToSchema)]
pub struct ExportView {
    /// Row id.
    pub id: i64,
    /// `queued`, `building`, `ready` or `failed`.
    pub status: String,
    /// 0 to 100.
    pub progress: i32,
    /// The archive's size in bytes, once ready.
    pub size: Option<i64>,
    /// When it was asked for (RFC 3339).
    pub created_at: String,
    /// Where to download it, once ready.
    pub archive: Option<String>,
}

impl From<&Export> for ExportView {
    fn from(e: &Export) -> ExportView {
        ExportView {
            id: e.id,
            status: e.status.clone(),
            progress: e.progress,
            size: e.size,
            created_at: super::views::rfc3339(e.created_at),
            archive: (e.status == export::status::READY)
                .then(|| format!("/api/v1/export/{}/archive", e.id)),
        }
    }
}

/// Asks for an archive of the caller's data (one a day); a job builds it.
#[utoipa::path(post, path = "/api/v1/export",
    responses((status = 202, body = ExportView), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/export")]
pub async fn request(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let e = export::request(&state.ctx, &who).await?;
    Ok(HttpResponse::Accepted().json(ExportView::from(&e)))
}

/// Asks for the archive of an initiative (organizers only; one a day): its group, updates,
/// members and petitions with their whole logs, to import into the initiative it moved to on
/// another node. Followed and downloaded as the account's own archive is.
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/export",
    params(("handle" = String, Path, description = "The initiative's handle.")),
    responses((status = 202, body = ExportView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/initiatives/{handle}/export")]
pub async fn request_initiative(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let e = initiative_moves::request_archive(&state.ctx, &who, &handle).await?;
    Ok(HttpResponse::Accepted().json(ExportView::from(&e)))
}

/// Where an export stands.
#[utoipa::path(get, path = "/api/v1/export/{id}",
    params(("id" = i64, Path, description = "The export's id.")),
    responses((status = 200, body = ExportView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/export/{id}")]
pub async fn status(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let e = export::get(&state.ctx, &who, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ExportView::from(&e)))
}

/// The archive, once ready (`application/zip`).
#[utoipa::path(get, path = "/api/v1/export/{id}/archive",
    params(("id" = i64, Path, description = "The export's id.")),
    responses((status = 200, content_type = "application/zip"), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/export/{id}/archive")]
pub async fn archive(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let id = id.into_inner();
    let path = export::archive(&state.ctx, &who, id).await?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        crate::error::HttpError::json(agora_core::ErrorKind::Internal, e.to_string())
    })?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"agora-{}-{id}.zip\"",
                who.actor.username
            ),
        ))
        .body(bytes))
}
