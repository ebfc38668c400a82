//! The records the service hands to the web and the inbox, and the values they pass back to it
//! (pages of results, filters), so that those layers name them through the service and never
//! reach the database crate themselves.

pub use agora_db::{
    actors::Actor,
    appeals::Appeal,
    energy_days::Day as EnergyDay,
    exports::Export,
    follows::{ACCEPTED, Follow, PENDING},
    imported_records::ImportedRecord,
    imports::{Import, ImportRow, NewRow as NewImportRow},
    initiatives::{MODERATOR, ORGANIZER, Search},
    labels::LabelRow,
    moved_petitions::MovedPetition,
    petitions::Petition,
    policy_versions::PolicyVersion,
    posts::{Page, Post, TimelineFilter},
    reports::{QueueFilter, Report},
    users::User,
};
