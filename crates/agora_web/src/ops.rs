//! Operations endpoints: Prometheus metrics and health.

use crate::state::WebState;
use actix_web::{HttpResponse, get, web};

/// `GET /metrics` in the Prometheus text format.
#[get("/metrics")]
pub async fn metrics(state: web::Data<WebState>) -> HttpResponse {
    if let Ok(n) = state.ctx.db.run(agora_db::jobs::count).await {
        agora_core::metrics::METRICS.delivery_queue_depth.set(n);
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(agora_core::metrics::render())
}

/// `GET /health`: 200 when the database answers, 503 otherwise.
#[get("/health")]
pub async fn health(state: web::Data<WebState>) -> HttpResponse {
    match state.ctx.db.run(agora_db::users::count).await {
        Ok(_) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "database_unavailable" }))
        }
    }
}
