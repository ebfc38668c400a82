//! Timelines.

use super::views::{ErrorBody, PostView};
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::kinds::AccountKind;
use agora_service::model::{Page, TimelineFilter};
use serde::Deserialize;
use utoipa::IntoParams;

/// Paging of a timeline.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// Only posts with a smaller id (the last id of the previous page).
    pub max_id: Option<i64>,
    /// Posts per page, 1–40 (default 20); other values are brought into that range.
    pub limit: Option<i64>,
    /// Only authors of this kind: `citizen`, `association`, `public_body`, `media`, `business`, `unknown`.
    #[param(inline, value_type = Option<super::views::AccountKindName>)]
    pub kind: Option<String>,
}

/// The signed-in user's home timeline: their posts and those of whom they follow, local and
/// remote, newest first. Strictly chronological: no ranking.
#[utoipa::path(get, path = "/api/v1/timelines/home", params(TimelineQuery),
    responses((status = 200, body = Vec<PostView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/timelines/home")]
pub async fn home(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<TimelineQuery>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let page = Page {
        max_id: query.max_id,
        limit: query.limit.unwrap_or(20).clamp(1, 40),
    };
    let filter = TimelineFilter {
        account_kind: query
            .kind
            .as_deref()
            .map(super::accounts::parse_kind)
            .transpose()?
            .map(AccountKind::as_str),
    };
    let rows = agora_service::posts::home_timeline(&state.ctx, &who.actor, page, filter).await?;
    let mut views: Vec<PostView> = rows
        .iter()
        .map(|(p, a)| PostView::new(p, a, &state.ctx.config.energy))
        .collect();
    super::views::with_labels(&state.ctx, &mut views).await?;
    Ok(HttpResponse::Ok().json(views))
}
