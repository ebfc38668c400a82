//! `/about/algorithms`: how every list on this node is ordered, and the artificial-virality
//! detector's formula with the parameters in effect, read from the live settings.

use super::{PageCtx, page_ctx, render};
use crate::{
    error::{Format, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::signage::SignageConfig;
use askama::Template;

/// The page.
#[derive(Template)]
#[template(path = "algorithms.html")]
pub struct AlgorithmsPage {
    p: PageCtx,
    detector: SignageConfig,
    /// `young_share` as a percentage.
    young_percent: i64,
}

/// `GET /about/algorithms`, HTML or JSON (`Accept: application/json`).
#[get("/about/algorithms")]
pub async fn algorithms(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let detector = state.ctx.config.signage.clone();
    if Format::of(&req) == Format::Json {
        return Ok(HttpResponse::Ok().json(serde_json::json!({
            "timelines": "chronological, newest first",
            "replies": "chronological, oldest first",
            "initiative_directory": "most recently active first",
            "artificial_virality": {
                "formula": "label when interactions >= min_interactions within window_minutes and (young accounts / accounts >= young_share or servers <= max_servers)",
                "parameters": detector,
            },
        })));
    }
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let young_percent = (detector.young_share * 100.0).round() as i64;
    render(
        &AlgorithmsPage {
            p,
            detector,
            young_percent,
        },
        cookie,
        lang,
    )
}
