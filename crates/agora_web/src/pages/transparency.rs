//! `/about/transparency`: the yearly evaluation report (reports, handling times, actions,
//! appeals, federation blocks, detector hits) for the current and past years — HTML with
//! server-rendered SVG charts, JSON (`Accept: application/json`) and CSV (`?format=csv`), all
//! from the same rows — and what anyone needs to check this node's petitions: the key that
//! signs their logs' checkpoints, and how to verify them.

use super::{PageCtx, page_ctx, render, reports::action_key, reports::category_key};
use crate::{
    error::{Format, HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::ErrorKind;
use agora_service::transparency::{self as yearly_report, YearReport};
use askama::Template;
use charts_rs::{BarChart, Series};
use serde::Deserialize;

/// A figure of the report as the page shows it: its label key and its value.
pub struct Figure {
    /// Message key of what is counted.
    pub key: String,
    /// The count.
    pub value: i64,
}

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
    /// The years there is a report of, newest first.
    years: Vec<i32>,
    report: YearReport,
    categories: Vec<Figure>,
    outcomes: Vec<Figure>,
    actions: Vec<Figure>,
    /// Hours, as text (`—` when nothing was decided).
    median: String,
    p90: String,
    appeal_median: String,
}

/// `?year=` and `?format=csv`.
#[derive(Deserialize)]
pub struct ReportQuery {
    year: Option<i32>,
    format: Option<String>,
}

fn figures(
    map: &std::collections::BTreeMap<String, i64>,
    key: impl Fn(&str) -> String,
) -> Vec<Figure> {
    map.iter()
        .map(|(k, v)| Figure {
            key: key(k),
            value: *v,
        })
        .collect()
}

fn hours(h: Option<f64>) -> String {
    h.map(|h| format!("{h:.2}")).unwrap_or_else(|| "—".into())
}

/// `GET /about/transparency`, HTML, JSON (`Accept: application/json`) or CSV (`?format=csv`).
#[get("/about/transparency")]
pub async fn transparency(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<ReportQuery>,
) -> HttpResult<HttpResponse> {
    let (first, current) = yearly_report::years(&state.ctx).await?;
    let year = query.year.unwrap_or(current);
    let report = yearly_report::yearly(&state.ctx, year).await?;
    if query.format.as_deref() == Some("csv") {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("inline; filename=\"transparency-{year}.csv\""),
            ))
            .body(report.to_csv()));
    }
    let log_key = agora_service::petition_log::key(&state.ctx).await?.public;
    let domain = state.ctx.config.instance.domain.clone();
    if Format::of(&req) == Format::Json {
        return Ok(HttpResponse::Ok().json(serde_json::json!({
            "transparencyLogKey": log_key,
            "checkpointsSignedBy": domain,
            "report": report,
            "dsa": report.dsa(),
        })));
    }
    let base = state.ctx.urls.base().to_string();
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let page = TransparencyPage {
        p,
        log_key,
        domain,
        base,
        years: (first..=current).rev().collect(),
        categories: figures(&report.by_category, category_key),
        outcomes: figures(&report.by_outcome, |o| {
            if o == "open" {
                "report-status-open".into()
            } else {
                action_key(o)
            }
        }),
        actions: figures(&report.actions, action_key),
        median: hours(report.handling_median_hours),
        p90: hours(report.handling_p90_hours),
        appeal_median: hours(report.appeal_median_hours),
        report,
    };
    render(&page, cookie, lang)
}

/// `GET /about/transparency/{year}/{chart}.svg`: the report's charts, `categories` or
/// `actions`, as bars.
#[get("/about/transparency/{year}/{chart}.svg")]
pub async fn chart(
    state: web::Data<WebState>,
    path: web::Path<(i32, String)>,
) -> HttpResult<HttpResponse> {
    let (year, chart) = path.into_inner();
    let report = yearly_report::yearly(&state.ctx, year).await?;
    let map = match chart.as_str() {
        "categories" => &report.by_category,
        "actions" => &report.actions,
        _ => return Err(HttpError::json(ErrorKind::NotFound, "no such chart")),
    };
    let labels: Vec<String> = map.keys().map(|k| k.replace('_', " ")).collect();
    let values: Vec<f32> = map.values().map(|v| *v as f32).collect();
    let mut bars = BarChart::new(vec![Series::new(chart.clone(), values)], labels);
    bars.width = 720.0;
    bars.height = 360.0;
    let svg = bars
        .svg()
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "max-age=60"))
        .body(svg))
}
