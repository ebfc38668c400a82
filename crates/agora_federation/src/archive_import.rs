//! Reading an archive (ours, or Mastodon's: the same layout) into import lines, one per thing
//! to restore: each post of `outbox.json` (a `Create` of a `Note`; boosts are left), each line
//! of the follows, blocks, mutes and blocked-servers CSVs, and each record under `civic/`.
//! Media files are not read. Every entry is read with a bound on its unpacked size, so a small
//! file that unpacks to gigabytes is refused, not unpacked.

use agora_service::{
    ServiceError, ServiceResult,
    imports::{self, ArchiveItem, ImportKind, MAX_ARCHIVE_LINES},
    model::NewImportRow,
};
use serde_json::Value;
use std::io::Read;

/// Largest unpacked entry read.
const MAX_ENTRY: u64 = 128 * 1024 * 1024;

/// The lines an archive holds, in the order they are restored.
pub fn lines(bytes: &[u8]) -> ServiceResult<Vec<NewImportRow>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| ServiceError::invalid("data", "not a .zip archive"))?;
    let mut items = Vec::new();
    if let Some(outbox) = entry(&mut zip, "outbox.json")? {
        let outbox: Value = serde_json::from_slice(&outbox)
            .map_err(|_| ServiceError::invalid("data", "outbox.json is not JSON"))?;
        for activity in outbox["orderedItems"].as_array().into_iter().flatten() {
            if let Some(post) = post_of(activity) {
                items.push(post);
            }
        }
    }
    for (file, kind) in [
        ("following_accounts.csv", ImportKind::Following),
        ("blocked_accounts.csv", ImportKind::Blocks),
        ("muted_accounts.csv", ImportKind::Mutes),
        ("blocked_domains.csv", ImportKind::DomainBlocks),
    ] {
        let Some(csv) = entry(&mut zip, file)? else {
            continue;
        };
        if csv.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        for row in imports::parse(kind, &csv)? {
            items.push(ArchiveItem::Line {
                kind: kind.as_str().into(),
                value: row.value,
                hide_notifications: row.hide_notifications,
            });
        }
    }
    for (file, kind) in [
        ("civic/initiatives.json", "initiative"),
        ("civic/petitions.json", "petition"),
        ("civic/signatures.json", "signature"),
        ("civic/reports.json", "report"),
    ] {
        let Some(json) = entry(&mut zip, file)? else {
            continue;
        };
        let list: Value = serde_json::from_slice(&json)
            .map_err(|_| ServiceError::invalid("data", format!("{file} is not JSON")))?;
        for record in list.as_array().into_iter().flatten() {
            items.push(ArchiveItem::Record {
                kind: kind.into(),
                data: record.clone(),
            });
        }
    }
    if items.len() > MAX_ARCHIVE_LINES {
        return Err(ServiceError::invalid(
            "data",
            format!("at most {MAX_ARCHIVE_LINES} things to restore"),
        ));
    }
    if items.is_empty() {
        return Err(ServiceError::invalid(
            "data",
            "nothing to restore: no outbox.json, CSV or civic/ record",
        ));
    }
    numbered(items)
}

/// One import line per item, numbered from 1.
fn numbered(items: Vec<ArchiveItem>) -> ServiceResult<Vec<NewImportRow>> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            Ok(NewImportRow {
                line: i as i64 + 1,
                value: serde_json::to_string(&item).map_err(ServiceError::internal)?,
                hide_notifications: false,
            })
        })
        .collect()
}

/// Where the petitions of an initiative's archive are, one file each.
pub const PETITIONS_DIR: &str = "initiative/petitions/";
/// The members of an initiative's archive.
pub const MEMBERS_FILE: &str = "initiative/members.json";

/// An initiative's archive (`crate::initiative_archive`): the id of its group (from
/// `actor.json`, a `Group`), and one line per thing to restore: each update of its outbox, each
/// member, each petition with its log. A petition whose id or log is not on the group's server
/// is refused: the import checks the group's move, and that vouches for its server only.
pub fn initiative_lines(bytes: &[u8]) -> ServiceResult<(String, Vec<NewImportRow>)> {
    let bad = |why: String| ServiceError::invalid("data", why);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad("not a .zip archive".into()))?;
    let actor = entry(&mut zip, "actor.json")?
        .ok_or_else(|| bad("no actor.json: not an initiative's archive".into()))?;
    let actor: Value =
        serde_json::from_slice(&actor).map_err(|_| bad("actor.json is not JSON".into()))?;
    let group = actor["id"]
        .as_str()
        .filter(|_| actor["type"] == "Group")
        .and_then(|id| url::Url::parse(id).ok())
        .ok_or_else(|| bad("actor.json is not an initiative's group".into()))?;
    let on_group_server =
        |id: &str| url::Url::parse(id).is_ok_and(|u| u.origin() == group.origin());
    let mut items = Vec::new();
    if let Some(outbox) = entry(&mut zip, "outbox.json")? {
        let outbox: Value =
            serde_json::from_slice(&outbox).map_err(|_| bad("outbox.json is not JSON".into()))?;
        for activity in outbox["orderedItems"].as_array().into_iter().flatten() {
            if let Some(ArchiveItem::Post {
                id,
                published,
                content,
                summary,
            }) = post_of(activity)
            {
                items.push(ArchiveItem::Update {
                    id,
                    published,
                    content,
                    summary,
                });
            }
        }
    }
    if let Some(members) = entry(&mut zip, MEMBERS_FILE)? {
        let members: Vec<imports::MemberRecord> =
            serde_json::from_slice(&members).map_err(|e| bad(format!("{MEMBERS_FILE}: {e}")))?;
        items.extend(members.into_iter().map(ArchiveItem::Member));
    }
    let names: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with(PETITIONS_DIR) && n.ends_with(".json"))
        .map(str::to_string)
        .collect();
    for name in names {
        let Some(json) = entry(&mut zip, &name)? else {
            continue;
        };
        let record: imports::PetitionRecord =
            serde_json::from_slice(&json).map_err(|e| bad(format!("{name}: {e}")))?;
        if !on_group_server(&record.id) || !on_group_server(&record.log) {
            return Err(bad(format!(
                "{name}: the petition is not on the initiative's server"
            )));
        }
        items.push(ArchiveItem::Petition(Box::new(record)));
    }
    if items.len() > MAX_ARCHIVE_LINES {
        return Err(bad(format!(
            "at most {MAX_ARCHIVE_LINES} things to restore"
        )));
    }
    Ok((group.into(), numbered(items)?))
}

/// An entry's bytes, if the archive has it; refused past [`MAX_ENTRY`] unpacked.
fn entry<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> ServiceResult<Option<Vec<u8>>> {
    let file = match zip.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => {
            return Err(ServiceError::invalid(
                "data",
                format!("{name} cannot be read"),
            ));
        }
    };
    let mut bytes = Vec::new();
    file.take(MAX_ENTRY + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| ServiceError::invalid("data", format!("{name} cannot be read")))?;
    if bytes.len() as u64 > MAX_ENTRY {
        return Err(ServiceError::new(
            agora_core::ErrorKind::PayloadTooLarge,
            format!("{name} unpacks to over 128 MB"),
        ));
    }
    Ok(Some(bytes))
}

/// A post of the outbox: the `Note` of a `Create`, with its id, time, text and warning.
fn post_of(activity: &Value) -> Option<ArchiveItem> {
    if activity["type"] != "Create" {
        return None;
    }
    let note = &activity["object"];
    if !matches!(note["type"].as_str(), Some("Note" | "Article" | "Page")) {
        return None;
    }
    Some(ArchiveItem::Post {
        id: note["id"].as_str()?.to_string(),
        published: note["published"]
            .as_str()
            .or(activity["published"].as_str())?
            .to_string(),
        content: note["content"].as_str().unwrap_or_default().to_string(),
        summary: note["summary"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A Mastodon archive's shape (`app/services/backup_service.rb`): an outbox of `Create`s
    /// and `Announce`s whose notes carry `published`, and the CSVs beside it.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn a_mastodon_archive_gives_its_notes_and_csv_lines_but_not_its_boosts() {
        let outbox = serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "outbox.json", "type": "OrderedCollection", "totalItems": 2,
            "orderedItems": [
                {"id": "https://m.example/users/a/statuses/1/activity", "type": "Create",
                 "actor": "https://m.example/users/a", "published": "2024-05-01T10:00:00Z",
                 "object": {"id": "https://m.example/users/a/statuses/1", "type": "Note",
                            "published": "2024-05-01T10:00:00Z", "content": "<p>Salut</p>",
                            "summary": null, "attachment": []}},
                {"id": "https://m.example/users/a/statuses/2/activity", "type": "Announce",
                 "actor": "https://m.example/users/a", "published": "2024-05-02T10:00:00Z",
                 "object": "https://other.example/notes/9"}
            ]
        });
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("outbox.json", options).unwrap();
        zip.write_all(outbox.to_string().as_bytes()).unwrap();
        zip.start_file("following_accounts.csv", options).unwrap();
        zip.write_all(b"Account address,Show boosts,Notify on new posts,Languages\nb@other.example,true,false,\n")
            .unwrap();
        zip.start_file("blocked_accounts.csv", options).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let lines = lines(&bytes).unwrap();
        let items: Vec<ArchiveItem> = lines
            .iter()
            .map(|l| serde_json::from_str(&l.value).unwrap())
            .collect();
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(
            matches!(&items[0], ArchiveItem::Post { id, .. } if id == "https://m.example/users/a/statuses/1")
        );
        assert!(
            matches!(&items[1], ArchiveItem::Line { kind, value, .. } if kind == "following" && value == "b@other.example")
        );
    }
}
