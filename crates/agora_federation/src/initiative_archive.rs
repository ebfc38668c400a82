//! An initiative's archive, for its move to another node: `actor.json` (its `Group`, avatar and
//! header beside it) and `outbox.json` (its updates as `Create{Note}`) in Mastodon's layout, and
//! under `initiative/`: `initiative.json` (goals, status, place, tags), `members.json` (each
//! member's id and role) and `petitions/{n}.json`, each petition with its whole log, its tallies
//! and the latest checkpoint this node signed of it (`agora_service::initiative_moves`).

use crate::{
    FederationError,
    activities::create::create_activity,
    archive::{self, add_json, collection},
    archive_import::{MEMBERS_FILE, PETITIONS_DIR},
    objects::note::note_of,
};
use agora_service::{
    Context,
    imports::MemberRecord,
    initiative_moves::{self, InitiativeContents},
};
use serde_json::{Value, json};
use std::path::Path;

/// Writes the archive of initiative `initiative_id` to `out`, telling `progress` how far it is
/// (0–100). Gives the archive's size in bytes.
pub async fn write(
    ctx: &Context,
    initiative_id: i64,
    out: &Path,
    mut progress: impl FnMut(i32),
) -> Result<u64, FederationError> {
    let contents = initiative_moves::contents(ctx, initiative_id).await?;
    let mut zip = archive::open(out)?;
    progress(5);
    archive::write_actor(ctx, &mut zip, &contents.details.actor).await?;
    progress(10);
    let outbox = outbox(ctx, &contents).await?;
    add_json(&mut zip, "outbox.json", &collection("outbox.json", outbox))?;
    progress(20);
    let i = &contents.details.initiative;
    add_json(
        &mut zip,
        "initiative/initiative.json",
        &json!({
            "id": contents.details.actor.ap_id, "goals": i.goals, "status": i.status,
            "place": i.place_name, "tags": contents.details.tags,
            "created_at": i.created_at.and_utc().to_rfc3339(),
        }),
    )?;
    let members: Vec<MemberRecord> = contents
        .details
        .members
        .iter()
        .map(|(role, a)| MemberRecord {
            id: a.ap_id.clone(),
            role: role.clone(),
        })
        .collect();
    add_json(&mut zip, MEMBERS_FILE, &serde_json::to_value(members)?)?;
    let total = contents.petitions.len().max(1);
    for (n, petition) in contents.petitions.iter().enumerate() {
        add_json(
            &mut zip,
            &format!("{PETITIONS_DIR}{}.json", n + 1),
            &serde_json::to_value(petition)?,
        )?;
        progress(20 + (75 * (n + 1) / total) as i32);
    }
    let size = archive::seal(zip, out)?;
    progress(100);
    Ok(size)
}

/// The updates, each as the `Create` its followers received.
async fn outbox(ctx: &Context, c: &InitiativeContents) -> Result<Vec<Value>, FederationError> {
    let posts = c.updates.clone();
    ctx.db
        .run(move |conn| -> Result<Vec<Value>, FederationError> {
            posts
                .iter()
                .map(|post| -> Result<Value, FederationError> {
                    let author = agora_db::actors::by_id(conn, post.author_id)?;
                    let note = serde_json::to_value(note_of(conn, post, &author)?)?;
                    Ok(create_activity(post, &author, note)?.to_value()?)
                })
                .collect()
        })
        .await
}
