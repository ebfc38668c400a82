//! The business operations of an Agora node.
//!
//! The web forms, the JSON API and the ActivityPub inbox all call these functions; none of them
//! holds a rule of its own. Side effects that reach outside (deliveries, mail) are never done
//! here: they are queued as jobs in the same transaction as the change that causes them.

pub mod accounts;
pub mod actors;
pub mod context;
pub mod deletion;
pub mod energy;
pub mod error;
pub mod events;
pub mod export;
pub mod federation_policy;
pub mod filters;
pub mod follows;
pub mod imports;
pub mod initiative_moves;
pub mod initiative_updates;
pub mod initiatives;
pub mod instances;
pub mod jobs;
pub mod keys;
pub mod load_test;
pub mod mail;
pub mod media;
pub mod model;
pub mod moderation_log;
pub mod moves;
pub mod node;
pub mod petition_curve;
pub mod petition_log;
pub mod petition_views;
pub mod petitions;
pub mod policies;
pub mod posts;
pub mod profiles;
pub mod received;
pub mod reports;
pub mod secrets;
mod session_desk;
pub mod sign_limits;
pub mod signage;
mod signing_desk;
pub mod tombstones;
pub mod transparency;
pub mod witness;

pub use context::Context;
pub use error::{ServiceError, ServiceResult};
