//! Labels for moderators: the ones in force (the detector's unconfirmed ones with
//! `?pending=true`), and their review.

use super::views::ErrorBody;
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::{model::LabelRow, signage};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A label.
#[derive(Serialize, ToSchema)]
pub struct LabelView {
    /// Row id.
    pub id: i64,
    /// `disputed`, `commercial` or `artificial_virality`.
    pub label: String,
    /// `moderator` or `detector`.
    pub source: String,
    /// `post`, `initiative` or `petition`.
    pub target_kind: String,
    /// What it is on.
    pub target: String,
    /// Why.
    pub reason: String,
    /// A fact-check.
    pub link: Option<String>,
    /// Whether a moderator confirmed the detector's label.
    pub confirmed: bool,
    /// When it was set (RFC 3339).
    pub created_at: String,
}

impl From<&LabelRow> for LabelView {
    fn from(r: &LabelRow) -> LabelView {
        LabelView {
            id: r.id,
            label: r.label.clone(),
            source: r.source.clone(),
            target_kind: r.target_kind.clone(),
            target: r.target_ap_id.clone(),
            reason: r.reason.clone(),
            link: r.link.clone(),
            confirmed: r.confirmed_at.is_some(),
            created_at: super::views::rfc3339(r.created_at),
        }
    }
}

/// Which labels.
#[derive(Deserialize, IntoParams)]
pub struct LabelsQuery {
    /// Only the detector's labels no moderator has confirmed yet.
    pub pending: Option<bool>,
}

/// The labels in force, newest first (moderators).
#[utoipa::path(get, path = "/api/v1/admin/labels", params(LabelsQuery),
    responses((status = 200, body = [LabelView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/admin/labels")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<LabelsQuery>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let rows = signage::for_desk(&state.ctx, &who, query.pending.unwrap_or(false)).await?;
    let views: Vec<LabelView> = rows.iter().map(LabelView::from).collect();
    Ok(HttpResponse::Ok().json(views))
}

async fn review(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: i64,
    confirming: bool,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let row = signage::review(&state.ctx, &who, id, confirming).await?;
    Ok(HttpResponse::Ok().json(LabelView::from(&row)))
}

/// Confirms a label (moderators).
#[utoipa::path(post, path = "/api/v1/admin/labels/{id}/confirm",
    params(("id" = i64, Path, description = "The label's id.")),
    responses((status = 200, body = LabelView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/labels/{id}/confirm")]
pub async fn confirm(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    review(req, state, id.into_inner(), true).await
}

/// Removes a label (moderators); it is kept for the yearly report.
#[utoipa::path(post, path = "/api/v1/admin/labels/{id}/remove",
    params(("id" = i64, Path, description = "The label's id.")),
    responses((status = 200, body = LabelView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/labels/{id}/remove")]
pub async fn remove(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    review(req, state, id.into_inner(), false).await
}
