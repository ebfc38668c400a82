//! Storage of an Agora node: one diesel schema served by SQLite (the default) and PostgreSQL.
//!
//! Queries are synchronous diesel behind an r2d2 pool; async callers go through [`Db::run`],
//! which moves the work to a blocking thread. Rows, insert forms and queries live together in
//! one module per table.

pub mod account_filters;
pub mod activities;
pub mod actors;
pub mod appeals;
pub mod batch;
pub mod connection;
pub mod data_map;
pub mod energy_days;
pub mod erasure;
pub mod error;
pub mod exports;
pub mod federation_policy;
pub mod follows;
pub mod imported_records;
pub mod imports;
pub mod initiatives;
pub mod instances;
pub mod interactions;
pub mod jobs;
pub mod labels;
pub mod load_accounts;
pub mod migrations;
pub mod moved_petitions;
pub mod node_keys;
pub mod petition_log;
pub mod petitions;
pub mod policy_versions;
pub mod posts;
pub mod rate_limits;
pub mod reports;
pub mod schema;
pub mod sessions;
pub mod tombstones;
pub mod users;
pub mod witnessing;

pub use batch::{Bulk, Desk};
pub use connection::{Db, DbConn, write_transaction};
pub use error::DbError;

/// The current time as stored: UTC without offset, second precision is enough everywhere.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
