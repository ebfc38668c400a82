//! Importing Mastodon's CSVs (follows, blocks, mutes, blocked servers), as Mastodon's import
//! form reads them: with their header or without one, blank lines skipped, at most 20 000
//! lines. Each line is stored, then a background job (in the database queue, so a restart
//! resumes where it stopped) handles the lines one by one and records why each failure failed.
//! Importing twice changes nothing the second time: a follow, block or mute that exists stays.

use crate::{
    Context, ServiceError, ServiceResult,
    accounts::SignedIn,
    jobs::{self, Job, JobKind},
};
use agora_core::ErrorKind;
use agora_db::{
    actors::Actor,
    imports::{self, Import, ImportRow, NewRow},
    users,
};
use serde::{Deserialize, Serialize};

pub use crate::initiative_moves::{FetchedCheckpoint, MemberRecord, PetitionRecord};

/// Most lines in one file (Mastodon's `ROWS_PROCESSING_LIMIT`).
pub const MAX_ROWS: usize = 20_000;
/// Largest CSV file taken.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Largest archive taken (its media are not read).
pub const MAX_ARCHIVE_BYTES: usize = 32 * 1024 * 1024;
/// Most things an archive restores (posts, CSV lines, civic records).
pub const MAX_ARCHIVE_LINES: usize = 100_000;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// `following_accounts.csv`: accounts to follow.
    Following,
    /// `blocked_accounts.csv`: accounts to block.
    Blocks,
    /// `muted_accounts.csv`: accounts to mute.
    Mutes,
    /// `blocked_domains.csv`: servers to block.
    DomainBlocks,
    /// An archive of this node or Mastodon's: posts restored as history, its CSVs, its civic
    /// records.
    Archive,
    /// An initiative's archive, imported into the initiative it moved to: its updates, its
    /// petitions with their logs, its members (`crate::initiative_moves`).
    Initiative,
}

impl ImportKind {
    /// Every kind.
    pub const ALL: [ImportKind; 6] = [
        ImportKind::Following,
        ImportKind::Blocks,
        ImportKind::Mutes,
        ImportKind::DomainBlocks,
        ImportKind::Archive,
        ImportKind::Initiative,
    ];

    /// Its name in the API (`type`) and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Following => "following",
            ImportKind::Blocks => "blocks",
            ImportKind::Mutes => "mutes",
            ImportKind::DomainBlocks => "domain_blocks",
            ImportKind::Archive => "archive",
            ImportKind::Initiative => "initiative",
        }
    }

    /// The kind of a name.
    pub fn parse(name: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The column a header-less file holds (Mastodon's default headers).
    fn main_column(self) -> &'static str {
        match self {
            ImportKind::DomainBlocks => "#domain",
            _ => "Account address",
        }
    }
}

/// One thing an archive restores, stored as an import line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum ArchiveItem {
    /// A post, restored as history: never delivered again.
    Post {
        /// Its id where it was first published.
        id: String,
        /// When it was published (RFC 3339).
        published: String,
        /// Its HTML (sanitised again here).
        content: String,
        /// Its content warning.
        summary: Option<String>,
    },
    /// A line of one of the archive's CSVs.
    Line {
        /// `following`, `blocks`, `mutes` or `domain_blocks`.
        kind: String,
        /// The account address or domain.
        value: String,
        /// A mute that hides notifications too.
        hide_notifications: bool,
    },
    /// A civic record: `initiative`, `petition`, `signature` (with its receipt) or `report`.
    Record {
        /// Which.
        kind: String,
        /// As the archive gave it.
        data: serde_json::Value,
    },
    /// An update of a moving initiative, restored as history of the initiative here.
    Update {
        /// Its id where it was first published.
        id: String,
        /// When it was published (RFC 3339).
        published: String,
        /// Its HTML (sanitised again here).
        content: String,
        /// Its content warning.
        summary: Option<String>,
    },
    /// A member of a moving initiative.
    Member(MemberRecord),
    /// A petition of a moving initiative, with its whole log.
    Petition(Box<PetitionRecord>),
}

/// The kinds of civic records an archive restores.
pub const RECORD_KINDS: [&str; 4] = ["initiative", "petition", "signature", "report"];

/// The first header of each of Mastodon's files: a first line that starts so is a header.
const KNOWN_FIRST_HEADERS: [&str; 4] = ["Account address", "#domain", "#uri", "List name"];

/// Reads a file as Mastodon's import form does.
pub fn parse(kind: ImportKind, bytes: &[u8]) -> ServiceResult<Vec<NewRow>> {
    if bytes.len() > MAX_BYTES {
        return Err(ServiceError::new(
            ErrorKind::PayloadTooLarge,
            "files are at most 4 MB",
        ));
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| ServiceError::invalid("data", "the file is not UTF-8 text"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            ServiceError::invalid("data", format!("not a CSV file (line {}): {e}", i + 1))
        })?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        records.push(record);
        if records.len() > MAX_ROWS + 1 {
            break;
        }
    }
    let Some(first) = records.first() else {
        return Err(ServiceError::invalid("data", "the file is empty"));
    };
    let has_header = KNOWN_FIRST_HEADERS.contains(&first.get(0).unwrap_or_default());
    let headers: Vec<String> = if has_header {
        first.iter().map(str::to_string).collect()
    } else {
        vec![kind.main_column().to_string()]
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let main = column(kind.main_column()).ok_or_else(|| {
        ServiceError::invalid(
            "data",
            "this file holds something else than the type chosen",
        )
    })?;
    let hide = column("Hide notifications");
    let body = &records[usize::from(has_header)..];
    if body.len() > MAX_ROWS {
        return Err(ServiceError::invalid(
            "data",
            format!("at most {MAX_ROWS} lines"),
        ));
    }
    Ok(body
        .iter()
        .enumerate()
        .map(|(i, record)| {
            let value = record.get(main).unwrap_or_default();
            let value = match kind {
                ImportKind::DomainBlocks => value.to_ascii_lowercase(),
                _ => value.trim_start_matches('@').to_string(),
            };
            NewRow {
                line: i as i64 + 1,
                value,
                hide_notifications: hide
                    .and_then(|h| record.get(h))
                    .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            }
        })
        .collect())
}

/// The job that handles an import's lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunImport {
    /// The import's row id.
    pub import_id: i64,
}

impl Job for RunImport {
    const KIND: JobKind = JobKind::RunImport;
    const MAX_ATTEMPTS: i32 = 10;
}

/// Stores an import of a CSV file and queues its job.
pub async fn start(
    ctx: &Context,
    who: &SignedIn,
    kind: ImportKind,
    bytes: &[u8],
) -> ServiceResult<Import> {
    if matches!(kind, ImportKind::Archive | ImportKind::Initiative) {
        return Err(ServiceError::internal(
            "an archive is read into lines first",
        ));
    }
    let rows = parse(kind, bytes)?;
    start_lines(ctx, who, kind, rows).await
}

/// Stores an import of lines already read (an archive's) and queues its job.
pub async fn start_lines(
    ctx: &Context,
    who: &SignedIn,
    kind: ImportKind,
    rows: Vec<NewRow>,
) -> ServiceResult<Import> {
    store(ctx, who, kind, None, rows).await
}

/// Stores the import of an initiative's archive, read into lines, into the initiative `handle`
/// here, which the group `old` (fetched afresh) moved to; queues its job.
pub async fn start_initiative(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    old: &Actor,
    rows: Vec<NewRow>,
) -> ServiceResult<Import> {
    let details = crate::initiative_moves::check_import(ctx, who, handle, old).await?;
    store(
        ctx,
        who,
        ImportKind::Initiative,
        Some(details.initiative.id),
        rows,
    )
    .await
}

async fn store(
    ctx: &Context,
    who: &SignedIn,
    kind: ImportKind,
    initiative_id: Option<i64>,
    rows: Vec<NewRow>,
) -> ServiceResult<Import> {
    let user_id = who.user.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Import> {
                let id = imports::insert(conn, user_id, initiative_id, kind.as_str(), &rows)?;
                jobs::enqueue(conn, &[RunImport { import_id: id }])?;
                Ok(imports::by_id(conn, id)?)
            })
        })
        .await
}

/// One of the signed-in account's imports, with the lines that failed (the first 1 000).
pub async fn status(
    ctx: &Context,
    who: &SignedIn,
    id: i64,
) -> ServiceResult<(Import, Vec<ImportRow>)> {
    let user_id = who.user.id;
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let import = imports::by_id(conn, id)
                .ok()
                .filter(|i| i.user_id == user_id)
                .ok_or_else(|| ServiceError::not_found("import"))?;
            let failures = imports::failures(conn, id, 1000)?;
            Ok((import, failures))
        })
        .await
}

/// The signed-in account's last imports, newest first, each with its first failed lines.
pub async fn mine(
    ctx: &Context,
    who: &SignedIn,
    failures_each: i64,
) -> ServiceResult<Vec<(Import, Vec<ImportRow>)>> {
    let user_id = who.user.id;
    Ok(ctx
        .db
        .run(move |conn| -> agora_db::error::DbResult<_> {
            imports::of_user(conn, user_id, 20)?
                .into_iter()
                .map(|import| {
                    let failures = if import.failed > 0 {
                        imports::failures(conn, import.id, failures_each)?
                    } else {
                        Vec::new()
                    };
                    Ok((import, failures))
                })
                .collect()
        })
        .await?)
}

/// Who imports, and into what.
#[derive(Debug, Clone)]
pub struct Importer {
    /// What the file holds.
    pub kind: ImportKind,
    /// The importing account's actor.
    pub actor: Actor,
    /// The initiative's group an initiative's archive goes into.
    pub group: Option<Actor>,
}

/// What the job needs next: who imports what, and the next lines (none once every line is
/// handled, or when the account or the initiative is gone).
pub async fn next_lines(
    ctx: &Context,
    import_id: i64,
    limit: i64,
) -> ServiceResult<Option<(Importer, Vec<ImportRow>)>> {
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let Ok(import) = imports::by_id(conn, import_id) else {
                return Ok(None);
            };
            let kind = ImportKind::parse(&import.kind)
                .ok_or_else(|| ServiceError::internal("unknown import kind"))?;
            let user = users::by_id(conn, import.user_id)?;
            let actor = agora_db::actors::by_id(conn, user.actor_id)?;
            let group = match import.initiative_id {
                None => None,
                Some(id) => match agora_db::initiatives::by_id(conn, id)? {
                    Some(initiative) => Some(agora_db::actors::by_id(conn, initiative.actor_id)?),
                    None => return Ok(None),
                },
            };
            let rows = imports::pending(conn, import_id, limit)?;
            if rows.is_empty() {
                imports::close(conn, import_id)?;
            }
            Ok(Some((Importer { kind, actor, group }, rows)))
        })
        .await
}

/// A line as its owner reads it in a list of failures: a CSV line as it was; an archive's item
/// by its kind and id (a petition's line holds its whole log, too long to show).
pub fn describe(kind: &str, value: &str) -> String {
    if !matches!(
        ImportKind::parse(kind),
        Some(ImportKind::Archive | ImportKind::Initiative)
    ) {
        return value.to_string();
    }
    match serde_json::from_str::<ArchiveItem>(value) {
        Ok(ArchiveItem::Post { id, .. }) => format!("post {id}"),
        Ok(ArchiveItem::Update { id, .. }) => format!("update {id}"),
        Ok(ArchiveItem::Line { kind, value, .. }) => format!("{kind} {value}"),
        Ok(ArchiveItem::Record { kind, .. }) => format!("{kind} record"),
        Ok(ArchiveItem::Member(member)) => format!("member {}", member.id),
        Ok(ArchiveItem::Petition(record)) => format!("petition {}", record.id),
        Err(_) => "?".into(),
    }
}

/// What the job fetches before [`apply`] handles a line.
pub enum Lookup {
    /// Nothing: a server to block, a post, a record.
    Nothing,
    /// The account a line names, found on its server (afresh for a member of a moving
    /// initiative, whose move must be seen).
    Account {
        /// Its address or id.
        address: String,
        /// Fetched again even when known.
        fresh: bool,
    },
    /// The checkpoint a moving petition's log has on its old node, and that node's key.
    Checkpoint {
        /// The log's URL.
        log: String,
    },
}

/// What the job looks up before [`apply`] handles a line.
pub fn lookup_of(kind: ImportKind, row: &ImportRow) -> Lookup {
    let account = |address: String| Lookup::Account {
        address,
        fresh: false,
    };
    match kind {
        ImportKind::DomainBlocks => Lookup::Nothing,
        ImportKind::Archive | ImportKind::Initiative => match serde_json::from_str(&row.value) {
            Ok(ArchiveItem::Line { kind, value, .. }) if kind != "domain_blocks" => account(value),
            Ok(ArchiveItem::Member(member)) => Lookup::Account {
                address: member.id,
                fresh: true,
            },
            Ok(ArchiveItem::Petition(record)) => Lookup::Checkpoint { log: record.log },
            _ => Lookup::Nothing,
        },
        _ => account(row.value.clone()),
    }
}

/// What the job found of a line's [`Lookup`].
#[derive(Default)]
pub struct Found {
    /// The account named.
    pub account: Option<Actor>,
    /// The old node's checkpoint of a moving petition.
    pub checkpoint: Option<FetchedCheckpoint>,
}

/// Applies one line, with what the job found of its [`lookup_of`].
pub async fn apply(
    ctx: &Context,
    who: &Importer,
    row: &ImportRow,
    found: &Found,
) -> ServiceResult<()> {
    let (actor, kind, target) = (&who.actor, who.kind, found.account.as_ref());
    if !matches!(kind, ImportKind::Archive | ImportKind::Initiative) {
        return apply_line(ctx, actor, kind, &row.value, row.hide_notifications, target).await;
    }
    let item: ArchiveItem = serde_json::from_str(&row.value)
        .map_err(|_| ServiceError::internal("an archive line that is not an item"))?;
    let group = || {
        who.group
            .as_ref()
            .filter(|_| kind == ImportKind::Initiative)
            .ok_or_else(|| ServiceError::invalid("item", "not in an account's archive"))
    };
    match item {
        ArchiveItem::Post {
            id,
            published,
            content,
            summary,
        } => restore_post(ctx, actor, None, &id, &published, &content, summary).await,
        ArchiveItem::Update {
            id,
            published,
            content,
            summary,
        } => {
            let group = group()?.id;
            restore_post(ctx, actor, Some(group), &id, &published, &content, summary).await
        }
        ArchiveItem::Member(member) => {
            let account = target.ok_or_else(|| ServiceError::not_found("account"))?;
            crate::initiative_moves::restore_member(ctx, group()?, &member, account).await
        }
        ArchiveItem::Petition(record) => {
            let fetched = found
                .checkpoint
                .as_ref()
                .ok_or_else(|| ServiceError::internal("no checkpoint fetched"))?;
            crate::initiative_moves::restore_petition(ctx, actor, group()?, &record, fetched).await
        }
        ArchiveItem::Line {
            kind,
            value,
            hide_notifications,
        } => {
            let kind = ImportKind::parse(&kind)
                .filter(|k| !matches!(k, ImportKind::Archive | ImportKind::Initiative))
                .ok_or_else(|| ServiceError::invalid("type", "an unknown list"))?;
            apply_line(ctx, actor, kind, &value, hide_notifications, target).await
        }
        ArchiveItem::Record { kind, data } => keep_record(ctx, actor, &kind, &data).await,
    }
}

async fn apply_line(
    ctx: &Context,
    actor: &Actor,
    kind: ImportKind,
    value: &str,
    hide_notifications: bool,
    target: Option<&Actor>,
) -> ServiceResult<()> {
    match (kind, target) {
        (ImportKind::DomainBlocks, _) => {
            crate::filters::block_domain(ctx, actor, value).await?;
        }
        (ImportKind::Following, Some(target)) => {
            crate::follows::follow(ctx, actor, target).await?;
        }
        (ImportKind::Blocks, Some(target)) => crate::filters::block(ctx, actor, target).await?,
        (ImportKind::Mutes, Some(target)) => {
            crate::filters::mute(ctx, actor, target, hide_notifications).await?;
        }
        _ => return Err(ServiceError::not_found("account")),
    }
    Ok(())
}

/// A post of an archive becomes a post of the account (an update of `group`, for an
/// initiative's), dated as it was, marked as restored, and sent nowhere. The same post restored
/// twice is kept once.
async fn restore_post(
    ctx: &Context,
    actor: &Actor,
    group: Option<i64>,
    from: &str,
    published: &str,
    content: &str,
    summary: Option<String>,
) -> ServiceResult<()> {
    let published = chrono::DateTime::parse_from_rfc3339(published)
        .map_err(|_| ServiceError::invalid("published", "not an RFC 3339 time"))?
        .naive_utc();
    if from.len() > 2048 || content.chars().count() > 100_000 {
        return Err(ServiceError::invalid("post", "too long to restore"));
    }
    let form = agora_db::posts::PostForm {
        ap_id: format!("{}/posts/pending-{}", ctx.urls.base(), uuid::Uuid::new_v4()),
        author_id: actor.id,
        content: agora_core::text::sanitize_html(content),
        source: None,
        spoiler_text: summary.map(|s| agora_core::text::html_to_plain_text(&s)),
        in_reply_to: None,
        url: None,
        local: true,
        published,
        updated: None,
        group_id: group,
    };
    let (author, from, urls) = (actor.id, from.to_string(), ctx.urls.clone());
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                if agora_db::posts::has_imported(conn, author, &from)? {
                    return Ok(());
                }
                let post = agora_db::posts::insert(conn, &form)?;
                agora_db::posts::set_ap_id(conn, post.id, &urls.post(post.id))?;
                agora_db::posts::set_imported(conn, post.id, &from)?;
                Ok(())
            })
        })
        .await
}

/// A civic record of an archive, kept once.
async fn keep_record(
    ctx: &Context,
    actor: &Actor,
    kind: &str,
    data: &serde_json::Value,
) -> ServiceResult<()> {
    if !RECORD_KINDS.contains(&kind) || !data.is_object() {
        return Err(ServiceError::invalid("record", "not a civic record"));
    }
    let text = serde_json::to_string(data).map_err(ServiceError::internal)?;
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(text.as_bytes()));
    let (actor_id, kind) = (actor.id, kind.to_string());
    ctx.db
        .run(move |conn| -> ServiceResult<()> {
            let user = users::by_actor(conn, actor_id)?
                .ok_or_else(|| ServiceError::not_found("account"))?;
            agora_db::imported_records::keep(conn, user.id, &kind, &text, &digest)?;
            Ok(())
        })
        .await
}

/// The civic records archives brought to the signed-in account.
pub async fn records(
    ctx: &Context,
    who: &SignedIn,
) -> ServiceResult<Vec<agora_db::imported_records::ImportedRecord>> {
    let user_id = who.user.id;
    Ok(ctx
        .db
        .run(move |conn| agora_db::imported_records::of_user(conn, user_id))
        .await?)
}

/// Records what came of a line: done, or failed and why (a sentence for its owner).
pub async fn record(
    ctx: &Context,
    import_id: i64,
    line: i64,
    failure: Option<String>,
) -> ServiceResult<()> {
    Ok(ctx
        .db
        .run(move |conn| imports::finish_row(conn, import_id, line, failure.as_deref()))
        .await?)
}
