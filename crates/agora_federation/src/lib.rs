//! ActivityPub for an Agora node.
//!
//! - `protocol/`: the wire shapes only (serde), with the civic `@context`.
//! - `objects/`: our rows as ActivityPub objects (the crate's `Object`/`Actor` traits), both
//!   directions: `into_json` (internal → AS) and `from_json` (AS → internal).
//! - `activities/`: one file per accepted activity, each calling a service operation.
//! - `inbox`: the checks every incoming POST passes, then dispatch.
//! - `signatures`: HTTP signature verification (draft-cavage, as Mastodon signs).
//! - `fanout` and `delivery`: queued events become one signed POST per remote inbox.

pub mod activities;
pub mod backfill;
pub mod config;
pub mod delivery;
pub mod error;
pub mod fanout;
pub mod inbox;
pub mod objects;
pub mod protocol;
pub mod resolve;
pub mod signatures;
pub mod worker;

pub use config::{FederationData, build_federation_config};
pub use error::FederationError;
