//! `agora serve`: the HTTP server and the job worker in one process.

use actix_web::{App, HttpServer, middleware::from_fn, web};
use agora_service::Context;
use agora_web::WebState;
use anyhow::{Context as _, Result};

/// Starts the worker and the HTTP server; returns when the server stops (SIGINT/SIGTERM).
pub async fn run(ctx: Context) -> Result<()> {
    let federation = agora_federation::build_federation_config(ctx.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    agora_service::federation_policy::reload(&ctx)
        .await
        .map_err(|e| anyhow::anyhow!("federation policy: {e}"))?;
    agora_service::policies::sync(&ctx)
        .await
        .map_err(|e| anyhow::anyhow!("terms and data policy: {e}"))?;
    let policy = tokio::spawn(agora_service::federation_policy::keep_fresh(ctx.clone()));
    let meter = tokio::spawn(agora_service::energy::keep_measuring(ctx.clone()));
    let bind = ctx.config.http.bind.clone();
    let workers = ctx.config.http.workers;
    let worker = tokio::spawn(agora_federation::jobs::run(federation.clone()));
    let state = WebState::new(ctx.clone(), federation);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(state.clone()))
            .wrap(from_fn(agora_web::routes::observe))
            .configure(agora_web::configure)
    });
    if workers > 0 {
        server = server.workers(workers);
    }
    let server = server
        .bind(&bind)
        .with_context(|| format!("cannot listen on {bind} (http.bind)"))?;
    tracing::info!(
        %bind,
        domain = %ctx.config.instance.domain,
        database = %ctx.db.backend_name(),
        "agora is serving at {}",
        ctx.urls.base()
    );
    let result = server.run().await;
    worker.abort();
    policy.abort();
    meter.abort();
    result.context("HTTP server")
}
