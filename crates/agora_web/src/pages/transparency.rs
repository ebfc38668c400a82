//! `/about/transparency`: what anyone needs to check this node's petitions for themselves —
//! the key that signs every checkpoint of their logs (the one NodeInfo publishes), where the
//! checkpoints and proofs are, and how to verify them.

use super::{PageCtx, page_ctx, render};
use crate::{
    error::{Format, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

/// The page.
#[derive(Template)]
#[template(path = "transparency.html")]
pub struct TransparencyPage {
    p: PageCtx,
    /// The checkpoint key as a C2SP note verifier key (`name+hash+key`).
    log_key: String,
    /// This node's host, the start of each of its logs' origin lines.
    domain: String,
    /// This node's base URL.
    base: String,
}

/// `GET /about/transparency`, HTML or JSON (`Accept: application/json`).
#[get("/about/transparency")]
pub async fn transparency(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let log_key = agora_service::petition_log::key(&state.ctx).await?.public;
    let domain = state.ctx.config.instance.domain.clone();
    if Format::of(&req) == Format::Json {
        return Ok(HttpResponse::Ok().json(serde_json::json!({
            "transparencyLogKey": log_key,
            "checkpointsSignedBy": domain,
        })));
    }
    let base = state.ctx.urls.base().to_string();
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    render(
        &TransparencyPage {
            p,
            log_key,
            domain,
            base,
        },
        cookie,
        lang,
    )
}
