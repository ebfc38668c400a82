//! `/settings/import`: the account imports Mastodon's CSVs (follows, blocks, mutes, blocked
//! servers) and follows each import's progress and failures; the page reloads itself while one
//! runs, without JavaScript.

use super::{PageCtx, page_ctx, redirect, render};
use crate::{
    api::imports::{kind_of, read_form, start},
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::imports;
use askama::Template;

/// An import as the page lists it.
pub struct ImportLine {
    /// Message key of its type.
    pub kind_key: String,
    /// `queued`, `running` or `done`.
    pub status_key: String,
    /// Lines handled, of all.
    pub processed: i64,
    /// Lines in the file.
    pub total: i64,
    /// Lines that failed.
    pub failed: i64,
    /// When it was asked for.
    pub at: String,
    /// The lines that failed: line, value, why.
    pub failures: Vec<(i64, String, String)>,
}

/// A civic record an archive brought, as the page lists it.
pub struct RecordLine {
    /// Message key of its kind.
    pub kind_key: String,
    /// What it is about: an initiative's name, a petition's title, the petition a signature is
    /// on, what a report named.
    pub about: String,
    /// Where that is, when the record says.
    pub link: Option<String>,
    /// When it was imported.
    pub at: String,
}

impl RecordLine {
    fn of(record: &agora_service::model::ImportedRecord) -> RecordLine {
        let data: serde_json::Value = serde_json::from_str(&record.data).unwrap_or_default();
        let text = |field: &str| data[field].as_str().map(str::to_string);
        let (about, link) = match record.kind.as_str() {
            "initiative" => (text("name").or(text("handle")), text("id")),
            "petition" => (text("title"), text("id")),
            "signature" => (text("petition"), text("petition")),
            _ => (text("target"), None),
        };
        RecordLine {
            kind_key: format!("import-record-{}", record.kind),
            about: about.unwrap_or_default(),
            link: link.filter(|l| l.starts_with("https://") || l.starts_with("http://")),
            at: super::when(record.imported_at),
        }
    }
}

/// The page.
#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    p: PageCtx,
    imports: Vec<ImportLine>,
    records: Vec<RecordLine>,
    running: bool,
}

/// `GET /settings/import`.
#[get("/settings/import")]
pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let list = imports::mine(&state.ctx, &who, 100)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let running = list.iter().any(|(i, _)| i.status != "done");
    let lines = list
        .into_iter()
        .map(|(import, failures)| ImportLine {
            kind_key: format!("import-type-{}", import.kind),
            status_key: format!("import-status-{}", import.status),
            processed: import.processed,
            total: import.total,
            failed: import.failed,
            at: super::when(import.created_at),
            failures: failures
                .into_iter()
                .map(|r| {
                    let value = imports::describe(&import.kind, &r.value);
                    (r.line, value, r.error.unwrap_or_default())
                })
                .collect(),
        })
        .collect();
    let records = imports::records(&state.ctx, &who)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?
        .iter()
        .map(RecordLine::of)
        .collect();
    render(
        &ImportPage {
            p,
            imports: lines,
            records,
            running,
        },
        cookie,
        lang,
    )
}

/// `POST /settings/import` (`multipart/form-data`: `csrf`, `type`, `data`).
#[post("/settings/import")]
pub async fn upload(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: actix_multipart::Multipart,
) -> HttpResult<HttpResponse> {
    let user = auth::web_user(&req, &state).await?;
    let lang = auth::lang(&req, &state, user.as_ref());
    let user = user.ok_or_else(|| HttpError::json(ErrorKind::Unauthorized, "").in_lang(lang))?;
    let fields = read_form(payload).await.map_err(|e| e.in_lang(lang))?;
    let csrf = fields
        .get("csrf")
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .unwrap_or_default();
    auth::check_csrf(&req, Some(&user), &csrf, lang)?;
    let kind = kind_of(&fields).map_err(|e| e.in_lang(lang))?;
    start(&state, &user, kind, &fields)
        .await
        .map_err(|e| e.in_lang(lang))?;
    Ok(redirect("/settings/import"))
}
