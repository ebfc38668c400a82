//! Configuration, error kinds, metrics and the domain rules of an Agora node that need no I/O.
//!
//! Every other crate depends on this one; it depends on none of them.

pub mod actor_type;
pub mod client_addr;
pub mod config;
pub mod error;
pub mod handle;
pub mod kinds;
pub mod metrics;
pub mod petition;
pub mod report;
pub mod text;
pub mod urls;

pub use config::Config;
pub use error::ErrorKind;
