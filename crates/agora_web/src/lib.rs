//! The HTTP edge of an Agora node: HTML pages, the JSON API (with its OpenAPI document),
//! ActivityPub endpoints, well-known documents, metrics and health.
//!
//! Handlers parse, authenticate, call one service operation and render; rules live in
//! `agora_service`. Errors from every layer become one [`error::HttpError`] here.

pub mod activitypub;
pub mod api;
pub mod auth;
pub mod body;
pub mod error;
pub mod i18n;
pub mod media;
pub mod negotiate;
pub mod ops;
pub mod pages;
pub mod routes;
pub mod state;
pub mod wellknown;

pub use routes::configure;
pub use state::WebState;
