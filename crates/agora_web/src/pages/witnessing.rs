//! `/about/witnessing`: the petition logs of other nodes this node witnesses and caught
//! showing two histories, with the evidence (both checkpoints, each signed by that node).

use super::{PageCtx, page_ctx, render};
use crate::{
    error::{Format, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::Serialize;

/// A fork caught: the petition and the two checkpoints that cannot both be true.
#[derive(Serialize)]
pub struct Fork {
    /// The petition's URI.
    pub petition: String,
    /// Its title.
    pub title: String,
    /// The last checkpoint found consistent.
    pub seen: String,
    /// The checkpoint that contradicts it.
    pub contradiction: String,
    /// When it was caught.
    pub caught_at: String,
}

/// The page.
#[derive(Template)]
#[template(path = "witnessing.html")]
pub struct WitnessingPage {
    p: PageCtx,
    forks: Vec<Fork>,
}

/// `GET /about/witnessing`, HTML or JSON (`Accept: application/json`).
#[get("/about/witnessing")]
pub async fn witnessing(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let forks: Vec<Fork> = agora_service::witness::forks(&state.ctx)
        .await?
        .into_iter()
        .map(|(w, p)| Fork {
            petition: p.ap_id,
            title: p.title,
            seen: w.checkpoint,
            contradiction: w.fork.unwrap_or_default(),
            caught_at: w
                .fork_at
                .map(|t| {
                    t.and_utc()
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                })
                .unwrap_or_default(),
        })
        .collect();
    if Format::of(&req) == Format::Json {
        return Ok(HttpResponse::Ok().json(serde_json::json!({ "forks": forks })));
    }
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    render(&WitnessingPage { p, forks }, cookie, lang)
}
