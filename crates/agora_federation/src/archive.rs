//! An account's archive, one `.zip` in Mastodon's layout so that tools reading Mastodon
//! archives read ours: `actor.json` (its avatar and header beside it), `outbox.json` (an
//! `OrderedCollection` of `Create`), `likes.json`, `bookmarks.json`, Mastodon's CSVs with
//! Mastodon's headers; plus the civic data under `civic/`: initiatives, petitions written,
//! signatures with their receipts (each still provable in its log), reports filed and what came
//! of them. The archive is written to a temporary file and renamed when whole.

use crate::{
    FederationError,
    activities::create::create_activity,
    objects::{actor::document_of, note::note_of},
    protocol::context::with_context,
};
use agora_service::{
    Context,
    export::{self, Contents},
};
use serde_json::{Value, json};
use std::{
    io::Write,
    path::{Path, PathBuf},
};
use zip::{ZipWriter, write::SimpleFileOptions};

/// Posts read per page while the outbox is written.
const PAGE: i64 = 500;

/// Mastodon's `following_accounts.csv` header.
pub const FOLLOWING_HEADER: &str = "Account address,Show boosts,Notify on new posts,Languages";
/// Mastodon's `muted_accounts.csv` header.
pub const MUTED_HEADER: &str = "Account address,Hide notifications";

/// An archive being written.
pub(crate) type Zip = ZipWriter<std::fs::File>;

/// Adds a file to the archive.
pub(crate) fn add(zip: &mut Zip, name: &str, bytes: &[u8]) -> Result<(), FederationError> {
    zip.start_file(name, SimpleFileOptions::default())
        .map_err(|e| FederationError::Other(format!("archive: {e}")))?;
    zip.write_all(bytes)
        .map_err(|e| FederationError::Other(format!("archive: {e}")))
}

/// Adds a JSON file to the archive.
pub(crate) fn add_json(zip: &mut Zip, name: &str, value: &Value) -> Result<(), FederationError> {
    add(zip, name, &serde_json::to_vec_pretty(value)?)
}

/// An `OrderedCollection` file of the archive.
pub(crate) fn collection(name: &str, items: Vec<Value>) -> Value {
    with_context(json!({
        "id": name,
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    }))
}

/// Writes the archive of account `user_id` to `out`, telling `progress` how far it is (0–100).
/// Gives the archive's size in bytes.
pub async fn write(
    ctx: &Context,
    user_id: i64,
    out: &Path,
    mut progress: impl FnMut(i32),
) -> Result<u64, FederationError> {
    let contents = export::contents(ctx, user_id).await?;
    let mut zip = open(out)?;
    progress(5);
    write_actor(ctx, &mut zip, &contents.actor).await?;
    progress(15);
    write_outbox(ctx, &mut zip, &contents, &mut progress).await?;
    add_json(
        &mut zip,
        "likes.json",
        &collection("likes.json", Vec::new()),
    )?;
    add_json(
        &mut zip,
        "bookmarks.json",
        &collection("bookmarks.json", Vec::new()),
    )?;
    write_csvs(&mut zip, &contents)?;
    progress(85);
    write_civic(&mut zip, &contents)?;
    let size = seal(zip, out)?;
    progress(100);
    Ok(size)
}

fn partial_of(out: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", out.display()))
}

/// Starts writing an archive beside `out`, under a temporary name.
pub(crate) fn open(out: &Path) -> Result<Zip, FederationError> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| FederationError::Other(e.to_string()))?;
    }
    let file = std::fs::File::create(partial_of(out))
        .map_err(|e| FederationError::Other(e.to_string()))?;
    Ok(ZipWriter::new(file))
}

/// Ends an archive [`open`]ed for `out` and gives it its name once whole; gives its size.
pub(crate) fn seal(zip: Zip, out: &Path) -> Result<u64, FederationError> {
    zip.finish()
        .map_err(|e| FederationError::Other(format!("archive: {e}")))?;
    std::fs::rename(partial_of(out), out).map_err(|e| FederationError::Other(e.to_string()))?;
    Ok(std::fs::metadata(out)
        .map_err(|e| FederationError::Other(e.to_string()))?
        .len())
}

/// `actor.json`, with `avatar.*` and `header.*` beside it, addressed relatively.
pub(crate) async fn write_actor(
    ctx: &Context,
    zip: &mut Zip,
    actor: &agora_service::model::Actor,
) -> Result<(), FederationError> {
    let (icon, image) = (actor.icon_url.clone(), actor.image_url.clone());
    let actor = actor.clone();
    let doc = ctx
        .db
        .run(move |conn| -> Result<Value, FederationError> {
            Ok(serde_json::to_value(document_of(conn, &actor)?)?)
        })
        .await?;
    let mut doc = with_context(doc);
    for (field, name, url) in [("icon", "avatar", &icon), ("image", "header", &image)] {
        let Some(file) = url.as_deref().and_then(|u| u.rsplit('/').next()) else {
            continue;
        };
        let Some(path) = agora_service::media::path_of(ctx, file) else {
            continue;
        };
        let Ok(bytes) = tokio::fs::read(&path).await else {
            continue;
        };
        let ext = file.rsplit('.').next().unwrap_or("bin");
        let inside = format!("{name}.{ext}");
        add(zip, &inside, &bytes)?;
        if let Some(image) = doc.get_mut(field) {
            image["url"] = json!(inside);
        }
    }
    add_json(zip, "actor.json", &doc)
}

/// `outbox.json`: every post as its `Create`, oldest first, read a page at a time.
async fn write_outbox(
    ctx: &Context,
    zip: &mut Zip,
    c: &Contents,
    progress: &mut impl FnMut(i32),
) -> Result<(), FederationError> {
    let mut items = Vec::new();
    let mut after = 0;
    loop {
        let author = c.actor.clone();
        let (last, page) = ctx
            .db
            .run(
                move |conn| -> Result<(Option<i64>, Vec<Value>), FederationError> {
                    let posts = export::posts_page(conn, author.id, after, PAGE)?;
                    let activities = posts
                        .iter()
                        .map(|post| {
                            let note = serde_json::to_value(note_of(conn, post, &author)?)?;
                            let mut activity = create_activity(post, &author, note)?.to_value()?;
                            // Ids stay absolute; what Mastodon's importers read is `object`.
                            if let Value::Object(map) = &mut activity {
                                map.insert("id".into(), json!(format!("{}/activity", post.ap_id)));
                            }
                            Ok(activity)
                        })
                        .collect::<Result<Vec<_>, FederationError>>()?;
                    Ok((posts.last().map(|p| p.id), activities))
                },
            )
            .await?;
        let Some(last) = last else { break };
        after = last;
        let full = page.len() as i64 == PAGE;
        items.extend(page);
        progress(15 + (items.len().min(6_000) / 100) as i32);
        if !full {
            break;
        }
    }
    add_json(zip, "outbox.json", &collection("outbox.json", items))
}

/// Mastodon's CSVs, as Mastodon writes them: follows and mutes with their headers, blocks and
/// blocked servers without; bookmarks and lists, which this node has not, empty.
fn write_csvs(zip: &mut Zip, c: &Contents) -> Result<(), FederationError> {
    let address = |a: &agora_service::model::Actor| a.acct().trim_start_matches('@').to_string();
    let mut following = format!("{FOLLOWING_HEADER}\n");
    for (_, actor) in &c.following {
        following.push_str(&format!("{},true,false,\n", address(actor)));
    }
    add(zip, "following_accounts.csv", following.as_bytes())?;
    let mut muted = format!("{MUTED_HEADER}\n");
    for (actor, hide) in &c.mutes {
        muted.push_str(&format!("{},{hide}\n", address(actor)));
    }
    add(zip, "muted_accounts.csv", muted.as_bytes())?;
    let blocked: String = c.blocks.iter().map(|a| address(a) + "\n").collect();
    add(zip, "blocked_accounts.csv", blocked.as_bytes())?;
    let domains: String = c.domain_blocks.iter().map(|d| format!("{d}\n")).collect();
    add(zip, "blocked_domains.csv", domains.as_bytes())?;
    for empty in ["bookmarks.csv", "lists.csv"] {
        add(zip, empty, b"")?;
    }
    Ok(())
}

/// `civic/`: initiatives, petitions, signatures with receipts, reports filed.
fn write_civic(zip: &mut Zip, c: &Contents) -> Result<(), FederationError> {
    let time = |t: chrono::NaiveDateTime| t.and_utc().to_rfc3339();
    let initiatives: Vec<Value> = c
        .initiatives
        .iter()
        .map(|(role, i, group)| {
            json!({
                "id": group.ap_id, "handle": group.username, "name": group.display_name,
                "description": group.summary, "goals": i.goals, "status": i.status,
                "place": i.place_name, "role": role, "created_at": time(i.created_at),
            })
        })
        .collect();
    add_json(zip, "civic/initiatives.json", &json!(initiatives))?;
    let petitions: Vec<Value> = c
        .petitions
        .iter()
        .map(|p| {
            json!({
                "id": p.ap_id, "title": p.title, "text": p.text, "target": p.target,
                "status": p.status, "deadline": time(p.deadline),
                "signature_policy": p.signature_policy, "response": p.response,
                "created_at": time(p.created_at),
            })
        })
        .collect();
    add_json(zip, "civic/petitions.json", &json!(petitions))?;
    // The receipts as the API gives them to the signer: each still proves its signature.
    let signatures: Vec<Value> = c
        .signatures
        .iter()
        .map(|r| {
            json!({
                "petition": r.petition, "transparency_log": r.log, "salt": r.salt,
                "commitment": r.commitment, "leaf_index": r.leaf_index,
                "signed_at": r.signed_at.to_rfc3339(), "counted": r.counted,
                "show_name": r.show_name,
            })
        })
        .collect();
    add_json(zip, "civic/signatures.json", &json!(signatures))?;
    let reports: Vec<Value> = c
        .reports
        .iter()
        .map(|r| {
            json!({
                "target": r.target_ap_id, "target_kind": r.target_kind, "category": r.category,
                "comment": r.comment, "forwarded": r.forward, "status": r.status,
                "decision": r.action, "reason": r.reason, "ground": r.ground,
                "decided_at": r.decided_at.map(time),
                "remote_decision": r.remote_action, "remote_reason": r.remote_reason,
                "filed_at": time(r.created_at),
            })
        })
        .collect();
    add_json(zip, "civic/reports.json", &json!(reports))
}
