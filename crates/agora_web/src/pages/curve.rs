//! A petition's signature curve as an SVG image (charts-rs), with its milestones as dashed
//! lines; the page gives the same figures as text beside it.

use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpResponse, get, web};
use agora_core::ErrorKind;
use agora_service::petitions;
use charts_rs::{LineChart, Series};

/// Points on the curve.
const POINTS: usize = 24;

/// `GET /petitions/{id}/curve.svg`.
#[get("/petitions/{id}/curve.svg")]
pub async fn curve_svg(state: web::Data<WebState>, id: web::Path<i64>) -> HttpResult<HttpResponse> {
    // The image comes with every view of the page: the row alone, not its counts.
    let petition = petitions::find(&state.ctx, &id.to_string(), None).await?;
    let points = agora_service::petition_curve::curve(&state.ctx, &petition, POINTS, None).await?;
    let labels: Vec<String> = points
        .iter()
        .map(|(at, _)| at.format("%d/%m").to_string())
        .collect();
    let counts: Vec<f32> = points.iter().map(|(_, n)| *n as f32).collect();
    let top = counts.iter().copied().fold(0.0, f32::max);
    let mut series = vec![Series::new("signatures".into(), counts)];
    // The milestones in sight: the next one, and those passed.
    for m in petitions::milestones_of(&petition) {
        let m = m as f32;
        if m <= top.max(1.0) * 2.0 {
            let mut line = Series::new(format!("{m}"), vec![m; points.len()]);
            line.stroke_dash_array = Some("4,4".into());
            series.push(line);
        }
    }
    let mut chart = LineChart::new(series, labels);
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
