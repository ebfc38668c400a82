//! The versions of the terms of service and of the data policy.

use crate::{
    DbConn,
    error::DbResult,
    schema::policy_versions::{self, dsl},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A version.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = policy_versions)]
pub struct PolicyVersion {
    /// Row id.
    pub id: i64,
    /// `terms` or `data`.
    pub kind: String,
    /// 1, 2, 3…
    pub version: i32,
    /// The text.
    pub content: String,
    /// SHA-256 of the text, hex.
    pub digest: String,
    /// When this node first read it.
    pub published_at: NaiveDateTime,
}

/// The latest version of a kind.
pub fn latest(conn: &mut DbConn, kind: &str) -> DbResult<Option<PolicyVersion>> {
    Ok(dsl::policy_versions
        .filter(dsl::kind.eq(kind))
        .order(dsl::version.desc())
        .select(PolicyVersion::as_select())
        .first(conn)
        .optional()?)
}

/// One version.
pub fn get(conn: &mut DbConn, kind: &str, version: i32) -> DbResult<Option<PolicyVersion>> {
    Ok(dsl::policy_versions
        .filter(dsl::kind.eq(kind))
        .filter(dsl::version.eq(version))
        .select(PolicyVersion::as_select())
        .first(conn)
        .optional()?)
}

/// Every version of a kind, newest first.
pub fn history(conn: &mut DbConn, kind: &str) -> DbResult<Vec<PolicyVersion>> {
    Ok(dsl::policy_versions
        .filter(dsl::kind.eq(kind))
        .order(dsl::version.desc())
        .select(PolicyVersion::as_select())
        .load(conn)?)
}

/// Adds the next version.
pub fn add(
    conn: &mut DbConn,
    kind: &str,
    version: i32,
    content: &str,
    digest: &str,
) -> DbResult<()> {
    diesel::insert_into(policy_versions::table)
        .values((
            dsl::kind.eq(kind),
            dsl::version.eq(version),
            dsl::content.eq(content),
            dsl::digest.eq(digest),
            dsl::published_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}
