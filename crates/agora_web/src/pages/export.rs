//! `/settings/export`: the account asks for its archive, follows the job's progress (the page
//! reloads itself while it builds, without JavaScript) and downloads it.

use super::{PageCtx, home::form_user, page_ctx, redirect, render};
use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::export;
use askama::Template;
use serde::Deserialize;

/// An export as the page lists it.
pub struct ExportLine {
    /// Row id.
    pub id: i64,
    /// Message key of its status.
    pub status_key: String,
    /// 0 to 100.
    pub progress: i32,
    /// Ready to download.
    pub ready: bool,
    /// Size in kB, once ready.
    pub kilobytes: i64,
    /// When it was asked for.
    pub at: String,
}

/// The exports as a page lists them, and whether one is being built (the page then reloads
/// itself).
pub fn lines(list: &[agora_service::model::Export]) -> (Vec<ExportLine>, bool) {
    let lines = list
        .iter()
        .map(|e| ExportLine {
            id: e.id,
            status_key: format!("export-status-{}", e.status),
            progress: e.progress,
            ready: e.status == export::status::READY,
            kilobytes: (e.size.unwrap_or(0) + 1023) / 1024,
            at: super::when(e.created_at),
        })
        .collect();
    let building = list.iter().any(|e| {
        matches!(
            e.status.as_str(),
            export::status::QUEUED | export::status::BUILDING
        )
    });
    (lines, building)
}

/// The page.
#[derive(Template)]
#[template(path = "export.html")]
pub struct ExportPage {
    p: PageCtx,
    exports: Vec<ExportLine>,
    /// One is being built: the page reloads itself.
    building: bool,
}

/// `GET /settings/export`.
#[get("/settings/export")]
pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let list = export::mine(&state.ctx, &who)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let (exports, building) = lines(&list);
    render(
        &ExportPage {
            p,
            exports,
            building,
        },
        cookie,
        lang,
    )
}

/// The request form.
#[derive(Deserialize)]
pub struct ExportForm {
    csrf: String,
}

/// `POST /settings/export`.
#[post("/settings/export")]
pub async fn request(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<ExportForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = crate::auth::lang(&req, &state, Some(&who));
    export::request(&state.ctx, &who)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/settings/export"))
}

/// `GET /settings/export/{id}/archive`: the download, for the signed-in account.
#[get("/settings/export/{id}/archive")]
pub async fn download(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let (p, user, _) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let id = id.into_inner();
    let path = export::archive(&state.ctx, &who, id)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
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
