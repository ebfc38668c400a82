//! Operations endpoints: Prometheus metrics and health.

use crate::state::WebState;
use actix_web::{HttpRequest, HttpResponse, get, web};

/// `GET /metrics` in the Prometheus text format, for whoever holds `http.metrics_token`: the
/// counters tell who federates with whom and how much, which is not for everyone. Without a
/// token set, the endpoint does not exist.
#[get("/metrics")]
pub async fn metrics(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let expected = &state.ctx.config.http.metrics_token;
    if expected.is_empty() {
        return HttpResponse::NotFound().finish();
    }
    let given = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !agora_service::secrets::constant_time_eq(expected, given.trim()) {
        return HttpResponse::Unauthorized()
            .insert_header(("WWW-Authenticate", "Bearer realm=\"metrics\""))
            .finish();
    }
    if let Ok(n) = agora_service::node::queue_depth(&state.ctx).await {
        agora_core::metrics::METRICS.delivery_queue_depth.set(n);
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(agora_core::metrics::render())
}

/// `GET /health`: 200 when the database answers, 503 otherwise.
#[get("/health")]
pub async fn health(state: web::Data<WebState>) -> HttpResponse {
    match agora_service::node::check_database(&state.ctx).await {
        Ok(_) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "database_unavailable" }))
        }
    }
}
