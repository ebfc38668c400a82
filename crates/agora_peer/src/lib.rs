//! A remote server simulated on 127.0.0.1, for the integration tests and the federation load
//! generator: requests signed exactly as Mastodon (draft-cavage) and Fedify (RFC 9421) sign
//! them, and a small HTTP server that serves actor documents and records what its inboxes get.
//!
//! This is a test tool: it panics on anything unexpected, and that panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod mastodon;
pub mod peer;
pub mod signing;
