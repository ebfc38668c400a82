//! The `probe_software` job: asks a server which software it runs (NodeInfo) and records the
//! answer, which decides the form of what our groups send it (see `fanout`). A server that
//! does not answer is recorded as not saying, and asked again a week later.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::{config::FederationData, error::FederationError, http::get_json};
use agora_service::instances::ProbeSoftware;
use serde_json::Value;
use url::Url;

/// Largest NodeInfo document read.
const MAX_BYTES: usize = 64 * 1024;

const JSON: &str = "application/json";

#[async_trait::async_trait]
impl Runner for ProbeSoftware {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        let software = match software_of(&self.origin).await {
            Ok(name) => name,
            Err(e) => {
                tracing::info!(domain = %self.domain, error = %e, "NodeInfo not available");
                String::new()
            }
        };
        let domain = self.domain.clone();
        data.db
            .run(move |conn| agora_db::instances::set_software(conn, &domain, &software))
            .await
            .map_err(retry)?;
        Ok(Done::Finished)
    }
}

/// `software.name` of the NodeInfo document a server links from `/.well-known/nodeinfo`, lower
/// case. Only a document on the server itself is read.
async fn software_of(origin: &str) -> Result<String, FederationError> {
    let origin = Url::parse(origin)?;
    let index = get_json(&origin.join("/.well-known/nodeinfo")?, JSON, MAX_BYTES).await?;
    let href = index
        .get("links")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|link| {
            link.get("rel")
                .and_then(Value::as_str)
                .is_some_and(|rel| rel.contains("nodeinfo.diaspora.software/ns/schema/2"))
        })
        .filter_map(|link| link.get("href").and_then(Value::as_str))
        .filter_map(|href| Url::parse(href).ok())
        .find(|href| href.host() == origin.host() && href.port() == origin.port())
        .ok_or_else(|| FederationError::Other("no NodeInfo 2.x link on the server".into()))?;
    let document = get_json(&href, JSON, MAX_BYTES).await?;
    document
        .pointer("/software/name")
        .and_then(Value::as_str)
        .map(|name| name.trim().to_ascii_lowercase())
        .ok_or_else(|| FederationError::Other("NodeInfo without software.name".into()))
}
