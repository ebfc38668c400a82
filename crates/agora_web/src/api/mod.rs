//! The JSON API under `/api/v1`, one file per resource, documented by [`openapi::ApiDoc`].

pub mod accounts;
pub mod appeals;
pub mod auth;
pub mod deletion;
pub mod export;
pub mod federation;
pub mod filters;
pub mod follows;
pub mod imports;
pub mod initiative_updates;
pub mod initiatives;
pub mod labels;
pub mod moves;
pub mod openapi;
pub mod petitions;
pub mod posts;
pub mod reports;
pub mod timelines;
pub mod views;

use crate::{body, error::HttpResult};
use actix_web::web;

/// Largest JSON body the API reads.
pub const MAX_API_BODY: usize = 64 * 1024;

/// Reads and parses a JSON body with our limit and error shape.
pub async fn json_body<T: serde::de::DeserializeOwned>(payload: web::Payload) -> HttpResult<T> {
    let bytes = body::read_limited(payload, MAX_API_BODY, false).await?;
    body::parse_json(&bytes)
}
