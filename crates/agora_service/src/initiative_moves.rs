//! An initiative's content moving with it to another node, through its archive.
//!
//! The order is Mastodon's move, then the archive: the new initiative lists the old group among
//! its aliases, the old one moves (its open petitions stop taking signatures there, status
//! `moved`), an organizer downloads the old initiative's archive and imports it into the new
//! one. The import is taken only when the old group's `movedTo` names the new initiative, so the
//! old node vouches for it. Each petition's leaves are checked against the checkpoint its old
//! node signs (fetched there, with the key its NodeInfo publishes): the log here begins with
//! exactly those leaves, so every receipt proves its leaf here too; checkpoints here are signed
//! by this node, and the old node's last one is kept and published beside the log. Updates come
//! as history, never delivered again; organizers whose accounts moved here organize again. The
//! old node sends readers of the old addresses here (`/moved?from=`).

use crate::{
    Context, ServiceError, ServiceResult,
    accounts::SignedIn,
    initiatives::{self, InitiativeDetails},
    jobs,
    petitions::ClosePetition,
};
use agora_core::{
    ErrorKind,
    petition::{PetitionStatus, SignaturePolicy},
};
use agora_db::{
    actors::Actor,
    moved_petitions::{self, MovedPetition},
    petitions::{Petition, PetitionForm},
    posts::Post,
};
use agora_tlog::{Leaf, MemoryTree, SignedCheckpoint, count_of};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most leaves one moved petition brings (each is about 90 bytes).
pub const MAX_LEAVES: usize = 2_000_000;

/// A petition as an initiative's archive holds it: what it says, and its whole log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PetitionRecord {
    /// Its id on the node it comes from.
    pub id: String,
    /// Title.
    pub title: String,
    /// Text (HTML; sanitised again where it lands).
    pub text: String,
    /// Whom it addresses.
    pub target: String,
    /// When it closes.
    pub deadline: DateTime<Utc>,
    /// Counts announced to followers.
    pub milestones: Vec<i64>,
    /// `local_verified`, `fediverse` or `trusted_instances`.
    pub signature_policy: String,
    /// Servers trusted under `trusted_instances`.
    pub trusted_instances: Vec<String>,
    /// Whether signers may show their pseudonym.
    pub public_names: bool,
    /// `draft`, `open`, `closed`, `answered`, or `moved` (open where it goes).
    pub status: String,
    /// The target's official response.
    pub response: Option<String>,
    /// When it was given.
    pub response_at: Option<DateTime<Utc>>,
    /// When it closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Where its log is on that node.
    pub log: String,
    /// That node's latest checkpoint of it (C2SP signed note).
    pub checkpoint: String,
    /// Counted signatures by the signer's server.
    pub tallies: Vec<OriginTally>,
    /// Every leaf of its log, in order, each ending with its newline.
    pub leaves: Vec<String>,
}

/// Counted signatures from one server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OriginTally {
    /// The signers' server.
    pub origin: String,
    /// How many of their signatures stand, counted.
    pub verified: i64,
}

/// A member as an initiative's archive holds them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemberRecord {
    /// Their account's id.
    pub id: String,
    /// `organizer` or `moderator`.
    pub role: String,
}

/// Everything of an initiative its archive holds.
pub struct InitiativeContents {
    /// The initiative, its group and its members.
    pub details: InitiativeDetails,
    /// Its updates, oldest first.
    pub updates: Vec<Post>,
    /// Its petitions, each with its whole log.
    pub petitions: Vec<PetitionRecord>,
}

/// Gathers an initiative's content for its archive.
pub async fn contents(ctx: &Context, initiative_id: i64) -> ServiceResult<InitiativeContents> {
    let actor_id = ctx
        .db
        .run(move |conn| agora_db::initiatives::by_id(conn, initiative_id))
        .await?
        .ok_or_else(|| ServiceError::not_found("initiative"))?
        .actor_id;
    let details = initiatives::details_of_actor(ctx, actor_id).await?;
    let (updates, petitions) = ctx
        .db
        .run(move |conn| -> agora_db::error::DbResult<_> {
            let updates = agora_db::posts::updates_of_group(conn, actor_id)?;
            let petitions: Vec<Petition> = agora_db::petitions::created_by(conn, actor_id)?
                .into_iter()
                .filter(|p| p.local && p.author_id == actor_id)
                .collect();
            let mut logs = Vec::with_capacity(petitions.len());
            for p in &petitions {
                let size = agora_db::petition_log::size(conn, p.id)?;
                let leaves = agora_db::petition_log::leaves(conn, p.id, 0, size)?;
                let tallies = agora_db::petitions::tally(conn, p.id)?;
                logs.push((leaves, tallies));
            }
            Ok((updates, petitions.into_iter().zip(logs).collect::<Vec<_>>()))
        })
        .await?;
    let key = crate::petition_log::key(ctx).await?;
    let mut records = Vec::with_capacity(petitions.len());
    for (p, (leaves, tallies)) in petitions {
        // Signed for exactly the leaves read: a petition still open may have grown since.
        let log = ctx.urls.petition_log(p.id);
        let mut tree = MemoryTree::new();
        for (_, leaf) in &leaves {
            tree.append(leaf.as_bytes())
                .map_err(ServiceError::internal)?;
        }
        let root = tree.root(tree.size()).map_err(ServiceError::internal)?;
        let checkpoint = key
            .sign(agora_tlog::origin_of(&log), tree.size(), root)
            .map_err(ServiceError::internal)?;
        records.push(PetitionRecord {
            log,
            checkpoint: String::from_utf8_lossy(&checkpoint.note).into_owned(),
            tallies: tallies
                .into_iter()
                .filter(|(_, verified, _)| *verified > 0)
                .map(|(origin, verified, _)| OriginTally { origin, verified })
                .collect(),
            leaves: leaves.into_iter().map(|(_, leaf)| leaf).collect(),
            id: p.ap_id,
            title: p.title,
            text: p.text,
            target: p.target,
            deadline: p.deadline.and_utc(),
            milestones: serde_json::from_str(&p.milestones).unwrap_or_default(),
            signature_policy: p.signature_policy,
            trusted_instances: serde_json::from_str(&p.trusted_instances).unwrap_or_default(),
            public_names: p.public_names,
            status: p.status,
            response: p.response,
            response_at: p.response_at.map(|t| t.and_utc()),
            closed_at: p.closed_at.map(|t| t.and_utc()),
            created_at: p.created_at.and_utc(),
        });
    }
    Ok(InitiativeContents {
        details,
        updates,
        petitions: records,
    })
}

/// An organizer asks for the archive of an initiative, to take it to another node.
pub async fn request_archive(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
) -> ServiceResult<agora_db::exports::Export> {
    let details = initiatives::by_handle(ctx, handle).await?;
    initiatives::require_organizer(who, &details)?;
    crate::export::request_of(ctx, who, Some(details.initiative.id)).await
}

/// The archives of an initiative its organizer asked for, newest first.
pub async fn archives(
    ctx: &Context,
    who: &SignedIn,
    details: &InitiativeDetails,
) -> ServiceResult<Vec<agora_db::exports::Export>> {
    initiatives::require_organizer(who, details)?;
    let (user_id, initiative_id) = (who.user.id, details.initiative.id);
    Ok(ctx
        .db
        .run(move |conn| agora_db::exports::of_initiative(conn, user_id, initiative_id, 5))
        .await?)
}

/// Checks that an archive of the group `old` (fetched afresh from its server) may be imported
/// into the initiative `handle`: the requester organizes it, and `old` moved to it.
pub async fn check_import(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    old: &Actor,
) -> ServiceResult<InitiativeDetails> {
    let details = initiatives::by_handle(ctx, handle).await?;
    initiatives::require_organizer(who, &details)?;
    if old.moved_to.as_deref() != Some(details.actor.ap_id.as_str()) {
        return Err(ServiceError::invalid(
            "data",
            "the archive's initiative has not moved to this one: list it among this initiative's \
             aliases, move it from its node, then import its archive",
        ));
    }
    Ok(details)
}

/// The old node's checkpoint of a moving petition and its key, as fetched there.
#[derive(Debug, Clone)]
pub struct FetchedCheckpoint {
    /// The checkpoint key its NodeInfo publishes.
    pub key: String,
    /// The latest checkpoint its log serves.
    pub note: Vec<u8>,
}

/// Checks a moving petition's leaves against its old node's checkpoint: signed by that node's
/// key (named for the log's server), for that log, of exactly these leaves, and counting what
/// the tallies say. Gives the parsed leaves and the checkpoint.
pub fn check_log(
    record: &PetitionRecord,
    fetched: &FetchedCheckpoint,
) -> ServiceResult<(Vec<Leaf>, SignedCheckpoint)> {
    let refuse = |why: String| ServiceError::invalid("log", why);
    let server = url::Url::parse(&record.log)
        .ok()
        .and_then(|u| agora_core::urls::authority(&u))
        .ok_or_else(|| refuse("the petition's log is not a URL".into()))?;
    if fetched.key.split('+').next() != Some(server.as_str()) {
        return Err(refuse(format!("the checkpoint key is not {server}'s")));
    }
    let checkpoint = SignedCheckpoint::verify(&fetched.note, &fetched.key)
        .map_err(|e| refuse(format!("the old node's checkpoint: {e}")))?;
    if checkpoint.origin != agora_tlog::origin_of(&record.log) {
        return Err(refuse("the checkpoint is of another log".into()));
    }
    if record.leaves.len() > MAX_LEAVES || checkpoint.size != record.leaves.len() as u64 {
        return Err(refuse(format!(
            "the archive has {} leaves where the old node's log has {}: download its archive again",
            record.leaves.len(),
            checkpoint.size
        )));
    }
    let mut tree = MemoryTree::new();
    let mut leaves = Vec::with_capacity(record.leaves.len());
    for text in &record.leaves {
        let leaf = Leaf::from_bytes(text.as_bytes()).map_err(|e| refuse(e.to_string()))?;
        tree.append(text.as_bytes())
            .map_err(|e| refuse(e.to_string()))?;
        leaves.push(leaf);
    }
    let root = tree.root(tree.size()).map_err(|e| refuse(e.to_string()))?;
    if root != checkpoint.root {
        return Err(refuse(
            "the leaves are not those the old node signed".into(),
        ));
    }
    let counted = count_of(&leaves).map_err(|e| refuse(e.to_string()))?;
    let tallied: i64 = record.tallies.iter().map(|t| t.verified.max(0)).sum();
    if counted != tallied as u64 {
        return Err(refuse(format!(
            "the log counts {counted} signatures, the tallies {tallied}"
        )));
    }
    Ok((leaves, checkpoint))
}

/// A moving petition says no more than one written here may.
fn within_bounds(record: &PetitionRecord) -> ServiceResult<()> {
    use crate::petitions::{MILESTONES_MAX, TARGET_MAX, TEXT_MAX, TITLE_MAX, TRUSTED_MAX};
    let chars = |html: &str| agora_core::text::html_to_plain_text(html).chars().count();
    let fits = (1..=TITLE_MAX).contains(&chars(&record.title))
        && chars(&record.text) <= TEXT_MAX
        && record.text.len() <= 8 * TEXT_MAX
        && chars(&record.target) <= TARGET_MAX
        && record.milestones.len() <= MILESTONES_MAX
        && record.trusted_instances.len() <= TRUSTED_MAX
        && record.trusted_instances.iter().all(|h| h.len() <= 253)
        && record
            .response
            .as_ref()
            .is_none_or(|r| r.len() <= 8 * TEXT_MAX)
        && record.tallies.len() <= 100_000
        && record.tallies.iter().all(|t| t.origin.len() <= 253);
    if fits {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "petition",
            "longer than a petition may be here",
        ))
    }
}

/// A petition of the moving initiative becomes a petition of `group` here, its log beginning
/// with the leaves checked by [`check_log`]; open again where it was `moved`, closing at its
/// deadline. Brought once: a second import of it changes nothing.
pub async fn restore_petition(
    ctx: &Context,
    importer: &Actor,
    group: &Actor,
    record: &PetitionRecord,
    fetched: &FetchedCheckpoint,
) -> ServiceResult<()> {
    within_bounds(record)?;
    let (leaves, checkpoint) = check_log(record, fetched)?;
    let policy = SignaturePolicy::parse(&record.signature_policy)
        .ok_or_else(|| ServiceError::invalid("signature_policy", "unknown policy"))?;
    let now = agora_db::now();
    let deadline = record.deadline.naive_utc();
    let status = match PetitionStatus::parse(&record.status) {
        Some(PetitionStatus::Moved | PetitionStatus::Open) if deadline > now => {
            PetitionStatus::Open
        }
        Some(PetitionStatus::Moved | PetitionStatus::Open) => PetitionStatus::Closed,
        Some(other) => other,
        None => return Err(ServiceError::invalid("status", "unknown status")),
    };
    let form = PetitionForm {
        ap_id: format!(
            "{}/petitions/pending-{}",
            ctx.urls.base(),
            uuid::Uuid::new_v4()
        ),
        local: true,
        author_id: group.id,
        created_by: Some(importer.id),
        title: agora_core::text::html_to_plain_text(&record.title),
        text: agora_core::text::sanitize_html(&record.text),
        target: agora_core::text::html_to_plain_text(&record.target),
        target_actor_id: None,
        deadline,
        milestones: serde_json::to_string(&record.milestones).map_err(ServiceError::internal)?,
        signature_policy: policy.as_str().into(),
        trusted_instances: serde_json::to_string(&record.trusted_instances)
            .map_err(ServiceError::internal)?,
        public_names: record.public_names,
        status: status.as_str().into(),
        option_name: crate::petitions::OPTION_NAME.into(),
        remote_count: 0,
        transparency_log: None,
        created_at: record.created_at.naive_utc(),
        updated_at: now,
    };
    let moved = MovedPetition {
        petition_id: 0,
        former_ap_id: record.id.clone(),
        former_log: record.log.clone(),
        log_key: fetched.key.clone(),
        checkpoint: checkpoint.text(),
        size: checkpoint.size as i64,
        moved_at: now,
    };
    let record = record.clone();
    let urls = ctx.urls.clone();
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                if moved_petitions::by_former(conn, &moved.former_ap_id)?.is_some() {
                    return Ok(());
                }
                let p = agora_db::petitions::insert(conn, &form)?;
                let p = agora_db::petitions::set_ap_id(conn, p.id, &urls.petition(p.id))?;
                crate::petition_log::append_many(conn, p.id, &leaves)?;
                for t in &record.tallies {
                    agora_db::petitions::add_to_tally(conn, p.id, &t.origin, t.verified)?;
                }
                if let Some(response) = &record.response {
                    let at = record.response_at.map_or(now, |t| t.naive_utc());
                    agora_db::petitions::answer(
                        conn,
                        p.id,
                        &agora_core::text::sanitize_html(response),
                        at,
                    )?;
                }
                let closed_at = record.closed_at.map(|t| t.naive_utc());
                agora_db::petitions::set_status(conn, p.id, status.as_str(), closed_at, now)?;
                moved_petitions::insert(
                    conn,
                    &MovedPetition {
                        petition_id: p.id,
                        ..moved
                    },
                )?;
                if status == PetitionStatus::Open {
                    jobs::enqueue_at(conn, &[ClosePetition { petition_id: p.id }], p.deadline)?;
                }
                Ok(())
            })
        })
        .await
}

/// A member of the moving initiative, whose account (fetched afresh) moved to an account here
/// or is one, becomes a member here with the same role.
pub async fn restore_member(
    ctx: &Context,
    group: &Actor,
    member: &MemberRecord,
    account: &Actor,
) -> ServiceResult<()> {
    if !initiatives::ROLES.contains(&member.role.as_str()) {
        return Err(ServiceError::invalid("role", "organizer or moderator"));
    }
    // An account of this node (the initiative moved within it) stays who it is.
    let here = if account.local {
        Some(account.ap_id.clone())
    } else {
        account.moved_to.clone().filter(|to| ctx.urls.is_local(to))
    };
    let Some(here) = here else {
        return Err(ServiceError::invalid(
            "member",
            "their account has not moved to this node: an organizer can add them once it has",
        ));
    };
    let (group_id, role) = (group.id, member.role.clone());
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                let person = agora_db::actors::by_ap_id(conn, &here)?
                    .filter(|a| a.local && a.is_account() && a.deleted_at.is_none())
                    .ok_or_else(|| ServiceError::not_found("account"))?;
                let initiative =
                    agora_db::initiatives::by_actor(conn, group_id)?.ok_or_else(missing_group)?;
                if agora_db::initiatives::role_of(conn, initiative.id, person.id)?.is_none() {
                    agora_db::initiatives::add_member(conn, initiative.id, person.id, &role)?;
                }
                Ok(())
            })
        })
        .await
}

/// Where the object at `from`, which moved here with its initiative, is now: a petition, an
/// update, or the initiative itself.
pub async fn moved_here(ctx: &Context, from: &str) -> ServiceResult<String> {
    let (from, urls) = (from.to_string(), ctx.urls.clone());
    ctx.db
        .run(move |conn| -> ServiceResult<String> {
            if let Some(id) = moved_petitions::by_former(conn, &from)? {
                return Ok(urls.petition(id));
            }
            if let Some(id) = agora_db::posts::restored_from(conn, &from)? {
                return Ok(urls.post(id));
            }
            if let Some(group) = agora_db::actors::local_with_alias(conn, &from)? {
                return Ok(group.ap_id);
            }
            Err(ServiceError::not_found("moved object"))
        })
        .await
}

/// Where a reader of `address`, an object of an initiative that moved away, is sent: the
/// address that names it on the initiative's new node, which finds it there.
pub fn new_address(group: &Actor, address: &str) -> Option<String> {
    let to = url::Url::parse(group.moved_to.as_deref()?).ok()?;
    let mut lookup = to.join("/moved").ok()?;
    lookup.query_pairs_mut().append_pair("from", address);
    Some(lookup.into())
}

/// Where an update of ours went with its initiative, when the initiative moved to another node.
pub async fn update_moved_away(ctx: &Context, post_id: i64) -> ServiceResult<Option<String>> {
    let found = ctx
        .db
        .run(move |conn| agora_db::posts::update_of_moved_group(conn, post_id))
        .await?;
    Ok(found.and_then(|(address, group)| new_address(&group, &address)))
}

/// The open petitions of an initiative that moves stop taking signatures here: they go on
/// where it moved. Call in the move's transaction; gives the petitions frozen.
pub fn freeze_petitions(conn: &mut agora_db::DbConn, group_id: i64) -> ServiceResult<Vec<i64>> {
    let now = agora_db::now();
    let mut frozen = Vec::new();
    for p in agora_db::petitions::created_by(conn, group_id)? {
        if p.local && p.author_id == group_id && p.status == PetitionStatus::Open.as_str() {
            agora_db::petitions::lock(conn, p.id)?;
            agora_db::petitions::set_status(conn, p.id, PetitionStatus::Moved.as_str(), None, now)?;
            frozen.push(p.id);
        }
    }
    Ok(frozen)
}

/// The provenance of a petition that moved here, for its log's index.
pub async fn provenance(ctx: &Context, petition_id: i64) -> ServiceResult<Option<MovedPetition>> {
    Ok(ctx
        .db
        .run(move |conn| moved_petitions::of_petition(conn, petition_id))
        .await?)
}

/// An import of an initiative's archive needs the initiative it goes into.
pub(crate) fn missing_group() -> ServiceError {
    ServiceError::new(ErrorKind::Conflict, "the initiative of this import is gone")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use agora_tlog::{Commitment, Event, LogKey, Salt};

    const LOG: &str = "https://old.example/petitions/7/log";

    fn leaf(event: Event, who: &str) -> String {
        let leaf = Leaf {
            event,
            at: "2026-11-30T10:00:00Z".parse().unwrap(),
            commitment: Commitment::new(Salt([7; 16]), who),
        };
        String::from_utf8(leaf.to_bytes()).unwrap()
    }

    /// A record of `leaves` and the checkpoint `signer` signs of them for `log`.
    fn signed(
        leaves: Vec<String>,
        signer: &LogKey,
        log: &str,
    ) -> (PetitionRecord, FetchedCheckpoint) {
        let mut tree = MemoryTree::new();
        for l in &leaves {
            tree.append(l.as_bytes()).unwrap();
        }
        let root = tree.root(tree.size()).unwrap();
        let checkpoint = signer
            .sign(agora_tlog::origin_of(log), tree.size(), root)
            .unwrap();
        let counted = count_of(
            &leaves
                .iter()
                .map(|l| Leaf::from_bytes(l.as_bytes()).unwrap())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let record = PetitionRecord {
            id: "https://old.example/petitions/7".into(),
            title: "Un jardin".into(),
            text: "<p>Pour le quartier.</p>".into(),
            target: "Mairie".into(),
            deadline: Utc::now(),
            milestones: vec![],
            signature_policy: "fediverse".into(),
            trusted_instances: vec![],
            public_names: true,
            status: "moved".into(),
            response: None,
            response_at: None,
            closed_at: None,
            created_at: Utc::now(),
            log: log.into(),
            checkpoint: String::from_utf8(checkpoint.note.clone()).unwrap(),
            tallies: vec![OriginTally {
                origin: "old.example".into(),
                verified: counted as i64,
            }],
            leaves,
        };
        let fetched = FetchedCheckpoint {
            key: signer.public.clone(),
            note: checkpoint.note,
        };
        (record, fetched)
    }

    fn history() -> Vec<String> {
        vec![
            leaf(Event::Sign, "a"),
            leaf(Event::Sign, "b"),
            leaf(Event::Withdraw, "b"),
        ]
    }

    #[test]
    fn the_leaves_the_old_node_signed_are_taken() {
        let key = LogKey::generate("old.example").unwrap();
        let (record, fetched) = signed(history(), &key, LOG);
        let (leaves, checkpoint) = check_log(&record, &fetched).unwrap();
        assert_eq!(leaves.len(), 3);
        assert_eq!(checkpoint.size, 3);
        // An empty log moves too.
        let (record, fetched) = signed(Vec::new(), &key, LOG);
        assert_eq!(check_log(&record, &fetched).unwrap().0.len(), 0);
    }

    #[test]
    fn a_petition_longer_than_one_written_here_is_refused() {
        let key = LogKey::generate("old.example").unwrap();
        let (record, _) = signed(history(), &key, LOG);
        assert!(within_bounds(&record).is_ok());
        let mut long = record.clone();
        long.title = "t".repeat(201);
        assert!(within_bounds(&long).is_err());
        let mut empty = record.clone();
        empty.title = "<p></p>".into();
        assert!(within_bounds(&empty).is_err());
        let mut huge = record.clone();
        huge.text = format!("<p>{}</p>", "x".repeat(30_000));
        assert!(within_bounds(&huge).is_err());
        let mut many = record;
        many.milestones = (1..=11).collect();
        assert!(within_bounds(&many).is_err());
    }

    #[test]
    fn other_leaves_another_log_or_another_signer_are_refused() {
        let key = LogKey::generate("old.example").unwrap();
        let refused = |record: &PetitionRecord, fetched: &FetchedCheckpoint| {
            check_log(record, fetched).unwrap_err().detail
        };
        // A withdrawal erased: the root differs (and the size).
        let (mut record, fetched) = signed(history(), &key, LOG);
        record.leaves.remove(2);
        assert!(refused(&record, &fetched).contains("leaves"));
        // The same number of leaves, one changed.
        let (mut record, fetched) = signed(history(), &key, LOG);
        record.leaves[2] = leaf(Event::Sign, "c");
        record.tallies[0].verified = 3;
        assert!(refused(&record, &fetched).contains("not those"));
        // Tallies that say more than the leaves count.
        let (mut record, fetched) = signed(history(), &key, LOG);
        record.tallies[0].verified = 5;
        assert!(refused(&record, &fetched).contains("counts"));
        // The checkpoint of another log of the same node.
        let (mut record, fetched) = signed(history(), &key, LOG);
        record.log = "https://old.example/petitions/8/log".into();
        assert!(refused(&record, &fetched).contains("another log"));
        // A key named for another server, and a checkpoint by another key.
        let other = LogKey::generate("evil.example").unwrap();
        let (record, fetched) = signed(history(), &other, LOG);
        assert!(refused(&record, &fetched).contains("old.example"));
        let impostor = LogKey::generate("old.example").unwrap();
        let (record, mut fetched) = signed(history(), &impostor, LOG);
        fetched.key = key.public.clone();
        assert!(refused(&record, &fetched).contains("checkpoint"));
        // A leaf not in canonical form.
        let (mut record, fetched) = signed(history(), &key, LOG);
        record.leaves[0] = record.leaves[0].trim_end().to_string();
        assert!(!refused(&record, &fetched).is_empty());
    }
}
