//! ActivityPub for an Agora node.
//!
//! - `protocol/`: the wire shapes only (serde), with the civic `@context`.
//! - `objects/`: our rows as ActivityPub objects (the crate's `Object`/`Actor` traits), both
//!   directions: `into_json` (internal → AS) and `from_json` (AS → internal).
//! - `activities/`: one file per accepted activity, each calling a service operation.
//! - `inbox`: the checks every incoming POST passes, then dispatch.
//! - `signatures`: HTTP signature verification (draft-cavage and RFC 9421).
//! - `documents`: what we serve at our ActivityPub URLs (objects, outboxes, pinned posts).
//! - `fanout`: a queued event becomes its activities and one delivery per remote inbox.
//! - `jobs/`: the worker and one file per job kind (federate, deliver, backfill, mail).

pub mod activities;
pub mod archive;
pub mod archive_import;
pub mod config;
pub mod documents;
pub mod error;
pub mod fanout;
pub mod http;
pub mod inbox;
pub mod initiative_archive;
pub mod jobs;
pub mod objects;
pub mod protocol;
pub mod resolve;
pub mod signatures;
pub mod witness;

pub use config::{FederationData, build_federation_config};
pub use error::FederationError;
