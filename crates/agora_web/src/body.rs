//! Reading request bodies with a hard size limit, answered with our error shape (413).

use crate::error::{HttpError, HttpResult};
use actix_web::web;
use agora_core::{ErrorKind, metrics::METRICS};
use futures::StreamExt;

/// Reads the whole body, refusing more than `limit` bytes without buffering the excess.
pub async fn read_limited(
    mut payload: web::Payload,
    limit: usize,
    inbox: bool,
) -> HttpResult<web::Bytes> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            HttpError::json(ErrorKind::BadRequest, format!("cannot read body: {e}"))
        })?;
        if body.len() + chunk.len() > limit {
            if inbox {
                METRICS
                    .inbox_refused
                    .with_label_values(&["too_large"])
                    .inc();
                tracing::info!(limit, "inbox refused: body too large");
            }
            return Err(HttpError::json(
                ErrorKind::PayloadTooLarge,
                format!("body over {limit} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses a JSON API body, with our error shape on failure.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> HttpResult<T> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        // Name the field at fault, as the other refusals do: "deadline: premature end…".
        let message = match e.path().to_string().as_str() {
            "." => format!("invalid JSON body: {}", e.inner()),
            path => format!("invalid JSON body: {path}: {}", e.inner()),
        };
        HttpError::json(ErrorKind::BadRequest, message)
    })
}
