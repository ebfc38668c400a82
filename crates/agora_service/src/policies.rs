//! The terms of service and the data policy: texts the administrators keep as files in the
//! data directory (`terms.md`, `data-policy.md`, written with a default on first run). Each
//! change of a file becomes a new version, kept with the earlier ones, so anyone can read the
//! history and what changed between two versions; accounts accept a new version of the terms
//! at their next visit.

use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn};
use agora_core::ErrorKind;
use agora_db::policy_versions::{self, PolicyVersion};
use sha2::{Digest, Sha256};
use std::sync::atomic::Ordering;

/// Which text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// The terms of service.
    Terms,
    /// The data policy.
    Data,
}

impl PolicyKind {
    /// Both.
    pub const ALL: [PolicyKind; 2] = [PolicyKind::Terms, PolicyKind::Data];

    /// Its name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Terms => "terms",
            PolicyKind::Data => "data",
        }
    }

    /// Its file in the data directory.
    pub fn file_name(self) -> &'static str {
        match self {
            PolicyKind::Terms => "terms.md",
            PolicyKind::Data => "data-policy.md",
        }
    }

    fn default_text(self) -> &'static str {
        match self {
            PolicyKind::Terms => include_str!("policies/terms.md"),
            PolicyKind::Data => include_str!("policies/data-policy.md"),
        }
    }
}

/// Longest text read from a file.
const TEXT_MAX: usize = 512 * 1024;

/// Reads both files (writing the defaults where there is none) and records a new version of
/// each that changed. Called when the node starts and when a page of them is read.
pub async fn sync(ctx: &Context) -> ServiceResult<()> {
    for kind in PolicyKind::ALL {
        let path = ctx.config.data_dir.join(kind.file_name());
        let text = match tokio::fs::read_to_string(&path).await {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tokio::fs::create_dir_all(&ctx.config.data_dir)
                    .await
                    .map_err(ServiceError::internal)?;
                tokio::fs::write(&path, kind.default_text())
                    .await
                    .map_err(ServiceError::internal)?;
                kind.default_text().to_string()
            }
            Err(e) => return Err(ServiceError::internal(format!("{}: {e}", path.display()))),
        };
        if text.len() > TEXT_MAX {
            return Err(ServiceError::internal(format!(
                "{} is over {TEXT_MAX} bytes",
                path.display()
            )));
        }
        let digest = hex::encode(Sha256::digest(text.as_bytes()));
        let version = ctx
            .db
            .run(move |conn| {
                agora_db::write_transaction(conn, |conn| -> ServiceResult<i32> {
                    let latest = policy_versions::latest(conn, kind.as_str())?;
                    match latest {
                        Some(v) if v.digest == digest => Ok(v.version),
                        latest => {
                            let next = latest.map_or(1, |v| v.version + 1);
                            policy_versions::add(conn, kind.as_str(), next, &text, &digest)?;
                            Ok(next)
                        }
                    }
                })
            })
            .await?;
        if kind == PolicyKind::Terms {
            ctx.terms_version.store(version, Ordering::Relaxed);
        }
    }
    Ok(())
}

/// The version of the terms in effect (0 before the first `sync`).
pub fn terms_version(ctx: &Context) -> i32 {
    ctx.terms_version.load(Ordering::Relaxed)
}

/// Whether a signed-in account has a newer version of the terms to accept.
pub fn terms_pending(ctx: &Context, who: &SignedIn) -> Option<i32> {
    let current = terms_version(ctx);
    (current > 0 && who.user.terms_accepted < current).then_some(current)
}

/// The latest version, or one, with the whole history (newest first).
pub async fn read(
    ctx: &Context,
    kind: PolicyKind,
    version: Option<i32>,
) -> ServiceResult<(PolicyVersion, Vec<PolicyVersion>)> {
    sync(ctx).await?;
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let history = policy_versions::history(conn, kind.as_str())?;
            let shown = match version {
                Some(n) => history.iter().find(|v| v.version == n).cloned(),
                None => history.first().cloned(),
            }
            .ok_or_else(|| ServiceError::not_found("version"))?;
            Ok((shown, history))
        })
        .await
}

/// A line of a diff: `-` removed, `+` added, ` ` kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// `-`, `+` or ` `.
    pub sign: char,
    /// The line, without its end.
    pub text: String,
}

/// What changed from version `from` to version `to`, line by line.
pub async fn diff(
    ctx: &Context,
    kind: PolicyKind,
    from: i32,
    to: i32,
) -> ServiceResult<Vec<DiffLine>> {
    let (a, b) = ctx
        .db
        .run(move |conn| -> ServiceResult<_> {
            let get = |conn: &mut agora_db::DbConn, n| {
                policy_versions::get(conn, kind.as_str(), n)?
                    .ok_or_else(|| ServiceError::not_found("version"))
            };
            Ok((get(conn, from)?, get(conn, to)?))
        })
        .await?;
    let diff = similar::TextDiff::from_lines(&a.content, &b.content);
    Ok(diff
        .iter_all_changes()
        .map(|c| DiffLine {
            sign: match c.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            },
            text: c.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect())
}

/// The signed-in account accepts the terms in effect, whose version it names (so that it
/// never accepts a text it was not shown).
pub async fn accept_terms(ctx: &Context, who: &SignedIn, version: i32) -> ServiceResult<()> {
    let current = terms_version(ctx);
    if version != current {
        return Err(ServiceError::new(
            ErrorKind::Conflict,
            format!("the terms in effect are version {current}; read them before accepting"),
        ));
    }
    let id = who.user.id;
    Ok(ctx
        .db
        .run(move |conn| agora_db::users::accept_terms(conn, id, version))
        .await?)
}
