//! Our rows as ActivityPub objects, converted in both directions.

pub mod actor;
pub mod note;
pub mod question;
