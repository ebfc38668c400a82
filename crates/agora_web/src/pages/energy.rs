//! The energy label beside each post, update and petition, and `/about/energy`: the model with
//! its parameters in effect, and what the node measured of itself per day, with a chart.

use super::{PageCtx, page_ctx, render};
use crate::{
    error::{Format, HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::{
    ErrorKind,
    energy::{EnergyConfig, Estimate},
};
use agora_service::model::EnergyDay;
use askama::Template;
use charts_rs::{LineChart, Series};

/// A label as pages show it.
#[derive(Debug, Clone)]
pub struct EnergyItem {
    /// A to G.
    pub label: char,
    /// The estimate, e.g. `0.062 Wh`.
    pub wh: String,
}

impl EnergyItem {
    /// The label of an estimate.
    pub fn of(e: &Estimate) -> EnergyItem {
        EnergyItem {
            label: e.label,
            wh: format!("{:.3} Wh", e.wh),
        }
    }
}

/// A day as the page lists it.
pub struct DayLine {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// kB received.
    pub kb_in: i64,
    /// kB sent.
    pub kb_out: i64,
    /// Deliveries.
    pub deliveries: i64,
    /// CPU seconds.
    pub cpu_s: String,
    /// Database size, MB.
    pub db_mb: String,
}

/// The page.
#[derive(Template)]
#[template(path = "energy.html")]
pub struct EnergyPage {
    p: PageCtx,
    model: EnergyConfig,
    bounds: String,
    days: Vec<DayLine>,
}

/// `GET /about/energy`, HTML or JSON (`Accept: application/json`).
#[get("/about/energy")]
pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let days = agora_service::energy::days(&state.ctx).await?;
    let model = state.ctx.config.energy.clone();
    if Format::of(&req) == Format::Json {
        let list: Vec<serde_json::Value> = days
            .iter()
            .map(|d| {
                serde_json::json!({
                    "day": d.day, "bytes_in": d.bytes_in, "bytes_out": d.bytes_out,
                    "deliveries": d.deliveries, "cpu_seconds": d.cpu_ms as f64 / 1000.0,
                    "database_bytes": d.db_bytes,
                })
            })
            .collect();
        return Ok(HttpResponse::Ok().json(serde_json::json!({ "model": model, "days": list })));
    }
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let page = EnergyPage {
        p,
        bounds: model
            .label_bounds_wh
            .iter()
            .zip('A'..='F')
            .map(|(b, l)| format!("{l} ≤ {b} Wh"))
            .collect::<Vec<_>>()
            .join(" · "),
        model,
        days: days
            .iter()
            .map(|d| DayLine {
                day: d.day.clone(),
                kb_in: d.bytes_in / 1000,
                kb_out: d.bytes_out / 1000,
                deliveries: d.deliveries,
                cpu_s: format!("{:.1}", d.cpu_ms as f64 / 1000.0),
                db_mb: format!("{:.1}", d.db_bytes as f64 / 1e6),
            })
            .collect(),
    };
    render(&page, cookie, lang)
}

/// `GET /about/energy/chart.svg`: kB in and out per day.
#[get("/about/energy/chart.svg")]
pub async fn chart(state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let days = agora_service::energy::days(&state.ctx).await?;
    let labels: Vec<String> = days.iter().map(|d| d.day[5..].to_string()).collect();
    let kb = |f: fn(&EnergyDay) -> i64| days.iter().map(|d| (f(d) / 1000) as f32).collect();
    let mut chart = LineChart::new(
        vec![
            Series::new("kB in".into(), kb(|d| d.bytes_in)),
            Series::new("kB out".into(), kb(|d| d.bytes_out)),
        ],
        labels,
    );
    chart.width = 640.0;
    chart.height = 320.0;
    let svg = chart
        .svg()
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "max-age=60"))
        .body(svg))
}
