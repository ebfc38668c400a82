//! Prometheus counters shared by the web, federation and delivery layers, served at `/metrics`.

use prometheus::{IntCounterVec, IntGauge, Opts, Registry};
use std::sync::LazyLock;

/// All the node's metrics, registered once.
pub struct Metrics {
    /// The registry `/metrics` renders.
    pub registry: Registry,
    /// HTTP requests by method and status class.
    pub http_requests: IntCounterVec,
    /// Inbox requests accepted, by activity type.
    pub inbox_accepted: IntCounterVec,
    /// Inbox requests refused, by reason.
    pub inbox_refused: IntCounterVec,
    /// Inbox signatures verified, by scheme: `cavage` or `rfc9421`.
    pub inbox_signatures: IntCounterVec,
    /// Deliveries by outcome: `queued`, `sent`, `failed`, `given_up`.
    pub deliveries: IntCounterVec,
    /// Deliveries waiting in the queue, sampled by the worker.
    pub delivery_queue_depth: IntGauge,
}

fn counter(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let c = IntCounterVec::new(Opts::new(name, help), labels)
        .unwrap_or_else(|e| panic!("metric {name} is malformed: {e}"));
    registry
        .register(Box::new(c.clone()))
        .unwrap_or_else(|e| panic!("metric {name} registered twice: {e}"));
    c
}

/// The process-wide metrics.
pub static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let registry = Registry::new_custom(Some("agora".into()), None)
        .unwrap_or_else(|e| panic!("metrics registry: {e}"));
    let http_requests = counter(
        &registry,
        "http_requests_total",
        "HTTP requests served",
        &["method", "status"],
    );
    let inbox_accepted = counter(
        &registry,
        "inbox_accepted_total",
        "Inbox activities accepted",
        &["type"],
    );
    let inbox_refused = counter(
        &registry,
        "inbox_refused_total",
        "Inbox requests refused",
        &["reason"],
    );
    let inbox_signatures = counter(
        &registry,
        "inbox_signatures_total",
        "Inbox signatures verified, by scheme",
        &["scheme"],
    );
    let deliveries = counter(
        &registry,
        "deliveries_total",
        "Outgoing deliveries by outcome",
        &["outcome"],
    );
    let delivery_queue_depth = IntGauge::new("delivery_queue_depth", "Deliveries waiting")
        .unwrap_or_else(|e| panic!("metric: {e}"));
    registry
        .register(Box::new(delivery_queue_depth.clone()))
        .unwrap_or_else(|e| panic!("metric: {e}"));
    Metrics {
        registry,
        http_requests,
        inbox_accepted,
        inbox_refused,
        inbox_signatures,
        deliveries,
        delivery_queue_depth,
    }
});

/// Renders every metric in the Prometheus text format.
pub fn render() -> String {
    use prometheus::Encoder;
    let mut buf = Vec::new();
    let encoder = prometheus::TextEncoder::new();
    if encoder
        .encode(&METRICS.registry.gather(), &mut buf)
        .is_err()
    {
        return String::new();
    }
    String::from_utf8(buf).unwrap_or_default()
}
