//! Content negotiation: the same URL answers HTML to browsers and ActivityStreams JSON to
//! servers asking for it.

use actix_web::{HttpRequest, HttpResponse};

/// The content type of ActivityPub documents we serve.
pub const ACTIVITY_JSON: &str = agora_federation::protocol::CONTENT_TYPE;

/// Whether the client asked for ActivityStreams JSON (`application/activity+json` or
/// `application/ld+json` with any profile) rather than HTML.
pub fn wants_activity_json(req: &HttpRequest) -> bool {
    req.headers()
        .get_all("accept")
        .filter_map(|h| h.to_str().ok())
        .any(|accept| {
            accept.contains("application/activity+json") || accept.contains("application/ld+json")
        })
}

/// An ActivityPub JSON response.
pub fn activity_json(doc: &serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ACTIVITY_JSON)
        .insert_header(("Vary", "Accept"))
        .body(doc.to_string())
}
