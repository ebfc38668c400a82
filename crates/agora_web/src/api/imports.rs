//! Imports of Mastodon's CSVs: `POST /api/v1/imports` (multipart, as Mastodon's import form),
//! then `GET /api/v1/imports/{id}` for the progress and the lines that failed.

use super::views::{ErrorBody, rfc3339};
use crate::{
    auth::api_user,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::{
    imports::{self, ImportKind},
    model::{Import, ImportRow},
};
use serde::Serialize;
use utoipa::ToSchema;

/// The form: what the file holds, and the file.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// `following`, `blocks`, `mutes`, `domain_blocks`, `archive` or `initiative`.
    #[schema(value_type = ImportTypeName)]
    r#type: String,
    /// For `initiative`: the handle of the initiative here that the archive's initiative moved
    /// to (the caller organizes it).
    initiative: Option<String>,
    /// The CSV file, as Mastodon exports it (with or without its header; at most 20 000 lines
    /// and 4 MB), or the archive (at most 32 MB).
    #[schema(value_type = String, format = Binary)]
    data: Vec<u8>,
}

/// What a file holds.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ImportTypeName {
    /// `following_accounts.csv`.
    Following,
    /// `blocked_accounts.csv`.
    Blocks,
    /// `muted_accounts.csv`.
    Mutes,
    /// `blocked_domains.csv`.
    DomainBlocks,
    /// An archive (`.zip`) of this node or of Mastodon.
    Archive,
    /// An initiative's archive (`.zip`, from `POST /api/v1/initiatives/{handle}/export` on its
    /// old node), imported into the initiative it moved to.
    Initiative,
}

/// A line that failed.
#[derive(Serialize, ToSchema)]
pub struct FailureView {
    /// Its line in the file (from 1, the header not counted).
    pub line: i64,
    /// What it named: a CSV line as it was, an archive's item as its kind and id
    /// (`petition https://…`).
    pub value: String,
    /// Why it failed.
    pub error: String,
}

/// An import.
#[derive(Serialize, ToSchema)]
pub struct ImportView {
    /// Row id.
    pub id: i64,
    /// What the file holds.
    #[serde(rename = "type")]
    pub kind: String,
    /// `queued`, `running` or `done`.
    pub status: String,
    /// Lines in the file.
    pub total: i64,
    /// Lines handled.
    pub processed: i64,
    /// Lines that failed.
    pub failed: i64,
    /// When it was asked for (RFC 3339).
    pub created_at: String,
    /// The lines that failed (the first 1 000), once asked for by id.
    pub failures: Vec<FailureView>,
}

impl ImportView {
    /// Builds the view.
    pub fn new(i: &Import, failures: &[ImportRow]) -> Self {
        ImportView {
            id: i.id,
            kind: i.kind.clone(),
            status: i.status.clone(),
            total: i.total,
            processed: i.processed,
            failed: i.failed,
            created_at: rfc3339(i.created_at),
            failures: failures
                .iter()
                .map(|r| FailureView {
                    line: r.line,
                    value: imports::describe(&i.kind, &r.value),
                    error: r.error.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// Reads the `type` and `data` fields of a multipart form, refusing a body over the file limit
/// as it comes. Other fields are kept by name (the web form's `csrf`).
pub async fn read_form(
    mut payload: actix_multipart::Multipart,
) -> HttpResult<std::collections::HashMap<String, Vec<u8>>> {
    use futures::StreamExt;
    let bad = |m: String| HttpError::json(ErrorKind::BadRequest, m);
    let mut fields = std::collections::HashMap::new();
    let mut total = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| bad(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| bad(e.to_string()))?;
            total += chunk.len();
            if total > imports::MAX_ARCHIVE_BYTES + 16 * 1024 {
                return Err(HttpError::json(
                    ErrorKind::PayloadTooLarge,
                    "archives are at most 32 MB, other files 4 MB",
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        fields.insert(name, bytes);
    }
    Ok(fields)
}

/// The kind a form names.
pub fn kind_of(fields: &std::collections::HashMap<String, Vec<u8>>) -> HttpResult<ImportKind> {
    let name = fields
        .get("type")
        .map(|t| String::from_utf8_lossy(t).trim().to_string())
        .unwrap_or_default();
    ImportKind::parse(&name).ok_or_else(|| {
        HttpError::json(
            ErrorKind::InvalidField,
            "type: following, blocks, mutes, domain_blocks, archive or initiative",
        )
    })
}

/// Starts an import of the form's `data`: an archive is read into its lines here (an
/// initiative's, after its group is fetched afresh to see where it moved), a CSV by the service.
pub async fn start(
    state: &WebState,
    who: &agora_service::accounts::SignedIn,
    kind: ImportKind,
    fields: &std::collections::HashMap<String, Vec<u8>>,
) -> HttpResult<Import> {
    let data = fields
        .get("data")
        .ok_or_else(|| HttpError::json(ErrorKind::InvalidField, "data: the file is missing"))?;
    Ok(match kind {
        ImportKind::Archive => {
            let lines = agora_federation::archive_import::lines(data)?;
            imports::start_lines(&state.ctx, who, kind, lines).await?
        }
        ImportKind::Initiative => {
            let handle = fields
                .get("initiative")
                .map(|h| String::from_utf8_lossy(h).trim().to_string())
                .filter(|h| !h.is_empty() && h.len() <= 2048)
                .ok_or_else(|| {
                    HttpError::json(
                        ErrorKind::InvalidField,
                        "initiative: the handle of the initiative it moved to",
                    )
                })?;
            let (group, lines) = agora_federation::archive_import::initiative_lines(data)?;
            let old = super::moves::fresh_target(state, &group).await?;
            imports::start_initiative(&state.ctx, who, &handle, &old, lines).await?
        }
        _ => imports::start(&state.ctx, who, kind, data).await?,
    })
}

/// A civic record an archive brought.
#[derive(Serialize, ToSchema)]
pub struct RecordView {
    /// `initiative`, `petition`, `signature` (with its receipt) or `report`.
    pub kind: String,
    /// As the archive gave it.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
}

/// The civic records archives brought to the signed-in account: initiatives organised,
/// petitions written, signatures with their receipts (each provable in its petition's log
/// where it was made), reports filed.
#[utoipa::path(get, path = "/api/v1/imports/records",
    responses((status = 200, body = Vec<RecordView>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/imports/records")]
pub async fn import_records(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let list = imports::records(&state.ctx, &who).await?;
    Ok(HttpResponse::Ok().json(
        list.iter()
            .map(|r| RecordView {
                kind: r.kind.clone(),
                data: serde_json::from_str(&r.data).unwrap_or_default(),
                imported_at: rfc3339(r.imported_at),
            })
            .collect::<Vec<_>>(),
    ))
}

/// Imports a Mastodon CSV or an archive in the background: follows are sent, blocks and mutes
/// applied, an archive's posts restored as history (never delivered again) and its civic
/// records kept, each line once; an initiative's archive brings its updates, members and
/// petitions (their logs checked against their old node's checkpoints) into the initiative it
/// moved to. `GET /api/v1/imports/{id}` follows it.
#[utoipa::path(post, path = "/api/v1/imports",
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 202, body = ImportView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/imports")]
pub async fn create_import(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: actix_multipart::Multipart,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let fields = read_form(payload).await?;
    let kind = kind_of(&fields)?;
    let import = start(&state, &who, kind, &fields).await?;
    Ok(HttpResponse::Accepted().json(ImportView::new(&import, &[])))
}

/// An import's progress and the lines that failed, and why.
#[utoipa::path(get, path = "/api/v1/imports/{id}", params(("id" = i64, Path, description = "The import's id.")),
    responses((status = 200, body = ImportView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/imports/{id}")]
pub async fn import_status(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let (import, failures) = imports::status(&state.ctx, &who, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ImportView::new(&import, &failures)))
}
