//! Petitions: writing one (alone or for an initiative), signing and withdrawing, and the
//! counts, every change to a signature appended to the petition's transparency log in the
//! transaction that makes it.

use crate::jobs::{self, Job, JobKind};
use crate::{
    Context, ServiceError, ServiceResult,
    accounts::SignedIn,
    events::{self, FederationEvent},
    initiatives, petition_log,
    petition_views::PublicView,
    signing_desk::{SignWrite, Signer},
};
use agora_core::{
    ErrorKind,
    kinds::AccountKind,
    petition::{PetitionStatus, SignaturePolicy},
    text,
};
use agora_db::{
    DbConn,
    actors::Actor,
    petitions::{self, Petition, PetitionForm, Signature, SignatureForm},
};
use agora_tlog::{Commitment, Event, Leaf, Salt};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest text, in characters.
pub const TEXT_MAX: usize = 20_000;
/// Longest target, in characters.
pub const TARGET_MAX: usize = 500;
/// Most milestones.
pub const MILESTONES_MAX: usize = 10;
/// Most trusted servers.
pub const TRUSTED_MAX: usize = 100;
/// Furthest deadline.
pub const DEADLINE_MAX_DAYS: i64 = 366 * 2;
/// The text of the one option of a local petition's `Question`, as Mastodon shows it and
/// as votes must name it.
pub const OPTION_NAME: &str = "Sign";

/// What a user gives to start a petition.
#[derive(Debug, Clone, Default)]
pub struct NewPetition {
    /// Title.
    pub title: String,
    /// Text, plain (paragraphs and links are rendered).
    pub text: String,
    /// Whom it addresses: an institution in words, or a public body's `@name@host`.
    pub target: String,
    /// When it closes.
    pub deadline: Option<DateTime<Utc>>,
    /// Counts to celebrate, e.g. 100, 10 000, 100 000.
    pub milestones: Vec<i64>,
    /// Whose signatures count (`local_verified` when not given).
    pub signature_policy: Option<String>,
    /// Servers whose actors may sign, with `trusted_instances`.
    pub trusted_instances: Vec<String>,
    /// The handle of an initiative the author organizes: it is then the initiative's.
    pub initiative: Option<String>,
    /// Keep it as a draft.
    pub draft: bool,
    /// Whether signers may show their pseudonym (yes when not given).
    pub public_names: Option<bool>,
}

/// How many stand, by where they come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OriginCount {
    /// The signers' server.
    pub origin: String,
    /// Counted signatures.
    pub verified: i64,
    /// Local signatures waiting for their signer's e-mail confirmation.
    pub unverified: i64,
}

/// The counts of a petition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Counted signatures: what the log proves.
    pub verified: i64,
    /// Signatures waiting for confirmation, shown apart.
    pub unverified: i64,
    /// The same by origin, this node first.
    pub by_origin: Vec<OriginCount>,
}

/// A petition with what pages and the API show of it.
#[derive(Debug, Clone)]
pub struct PetitionDetails {
    /// The row.
    pub petition: Petition,
    /// Who it is attributed to.
    pub author: Actor,
    /// The counts.
    pub tally: Tally,
    /// Leaves in its log.
    pub log_size: i64,
    /// Ours: the witnesses' latest cosignatures. Another node's: nothing.
    pub cosignatures: Vec<agora_db::witnessing::Cosignature>,
    /// Another node's: what this node, as its witness, last found. Ours: nothing.
    pub witnessed: Option<agora_db::witnessing::Witnessing>,
}

impl PetitionDetails {
    /// Its status.
    pub fn status(&self) -> PetitionStatus {
        PetitionStatus::parse(&self.petition.status).unwrap_or(PetitionStatus::Closed)
    }

    /// Its milestones.
    pub fn milestones(&self) -> Vec<i64> {
        milestones_of(&self.petition)
    }

    /// The servers it trusts.
    pub fn trusted_instances(&self) -> Vec<String> {
        serde_json::from_str(&self.petition.trusted_instances).unwrap_or_default()
    }
}

/// What a signer keeps to prove their signature is in the log.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// The petition's id (URI).
    pub petition: String,
    /// The log it is in.
    pub log: String,
    /// The secret that opens the commitment.
    pub salt: String,
    /// The commitment in the leaves.
    pub commitment: String,
    /// The sign leaf, once counted.
    pub leaf_index: Option<i64>,
    /// When it was signed.
    pub signed_at: DateTime<Utc>,
    /// Whether it counts now (the signer's e-mail is confirmed).
    pub counted: bool,
    /// Whether the signer shows their pseudonym.
    pub show_name: bool,
}

/// The receipt of a signature: what proves it in its petition's log.
pub(crate) fn receipt(ctx: &Context, petition: &Petition, s: &Signature) -> Receipt {
    Receipt {
        petition: petition.ap_id.clone(),
        log: log_url(ctx, petition),
        salt: s.salt.clone(),
        commitment: s.commitment.clone(),
        leaf_index: s.leaf_index,
        signed_at: s.signed_at.and_utc(),
        counted: s.leaf_index.is_some(),
        show_name: s.show_name,
    }
}

/// The petition's `transparencyLog` URL (empty for another server's petition without one).
pub fn log_url(ctx: &Context, petition: &Petition) -> String {
    if petition.local {
        ctx.urls.petition_log(petition.id)
    } else {
        petition.transparency_log.clone().unwrap_or_default()
    }
}

fn validate(
    new: &NewPetition,
    min_duration: Duration,
) -> ServiceResult<(SignaturePolicy, DateTime<Utc>, Vec<i64>)> {
    let title = new.title.trim();
    if title.is_empty() || title.chars().count() > TITLE_MAX {
        return Err(ServiceError::invalid(
            "title",
            format!("1 to {TITLE_MAX} characters"),
        ));
    }
    let body = new.text.trim();
    if body.is_empty() || body.chars().count() > TEXT_MAX {
        return Err(ServiceError::invalid(
            "text",
            format!("1 to {TEXT_MAX} characters"),
        ));
    }
    let target = new.target.trim();
    if target.is_empty() || target.chars().count() > TARGET_MAX {
        return Err(ServiceError::invalid(
            "target",
            format!("1 to {TARGET_MAX} characters"),
        ));
    }
    let policy = match new.signature_policy.as_deref() {
        None | Some("") => SignaturePolicy::LocalVerified,
        Some(p) => SignaturePolicy::parse(p).ok_or_else(|| {
            ServiceError::invalid(
                "signature_policy",
                "use local_verified, fediverse or trusted_instances",
            )
        })?,
    };
    if policy == SignaturePolicy::TrustedInstances && new.trusted_instances.is_empty() {
        return Err(ServiceError::invalid(
            "trusted_instances",
            "list the servers whose members may sign",
        ));
    }
    if new.trusted_instances.len() > TRUSTED_MAX
        || new.trusted_instances.iter().any(|h| !valid_host(h.trim()))
    {
        return Err(ServiceError::invalid(
            "trusted_instances",
            format!("up to {TRUSTED_MAX} host names, such as example.org"),
        ));
    }
    let now = Utc::now();
    let deadline = new
        .deadline
        .ok_or_else(|| ServiceError::invalid("deadline", "required (RFC 3339)"))?;
    if deadline < now + min_duration || deadline > now + Duration::days(DEADLINE_MAX_DAYS) {
        return Err(ServiceError::invalid(
            "deadline",
            format!(
                "between {} minutes and {DEADLINE_MAX_DAYS} days from now",
                min_duration.num_minutes().max(1)
            ),
        ));
    }
    let mut milestones = new.milestones.clone();
    milestones.sort_unstable();
    milestones.dedup();
    if milestones.len() > MILESTONES_MAX
        || milestones
            .iter()
            .any(|&m| !(1..=1_000_000_000).contains(&m))
    {
        return Err(ServiceError::invalid(
            "milestones",
            format!("up to {MILESTONES_MAX} counts between 1 and 1 000 000 000"),
        ));
    }
    Ok((policy, deadline, milestones))
}

/// A host name, with an optional port (test nodes share one host).
fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && url::Url::parse(&format!("https://{h}/"))
            .ok()
            .and_then(|u| agora_core::urls::authority(&u))
            .is_some_and(|a| a == h.to_ascii_lowercase())
}

/// Publishes (or keeps as a draft) a petition by a signed-in user, attributed to them or, when
/// they organize the initiative named, to the initiative.
pub async fn create(
    ctx: &Context,
    who: &SignedIn,
    new: NewPetition,
) -> ServiceResult<PetitionDetails> {
    let min_duration = Duration::seconds(ctx.config.limits.petition_min_duration_secs);
    let (policy, deadline, milestones) = validate(&new, min_duration)?;
    let author = match new
        .initiative
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
    {
        Some(handle) => {
            let details = initiatives::by_handle(ctx, handle.trim_start_matches('@')).await?;
            if !details.is_organizer(who.actor.id) {
                return Err(ServiceError::forbidden(
                    "only an organizer can start a petition for this initiative",
                ));
            }
            details.actor
        }
        None => who.actor.clone(),
    };
    let target = new.target.trim().to_string();
    // A public body's account as target: it is notified and may answer officially.
    let target_actor = crate::actors::known(ctx, &target)
        .await?
        .filter(|a| a.account_kind == AccountKind::PublicBody.as_str());
    let now = agora_db::now();
    let trusted: Vec<String> = new
        .trusted_instances
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let status = if new.draft {
        PetitionStatus::Draft
    } else {
        PetitionStatus::Open
    };
    let form = PetitionForm {
        ap_id: format!(
            "{}/petitions/pending-{}",
            ctx.urls.base(),
            uuid::Uuid::new_v4()
        ),
        local: true,
        author_id: author.id,
        created_by: Some(who.actor.id),
        title: new.title.trim().to_string(),
        text: text::plain_text_to_html(new.text.trim()),
        target,
        target_actor_id: target_actor.map(|a| a.id),
        deadline: deadline.naive_utc(),
        milestones: serde_json::to_string(&milestones).map_err(ServiceError::internal)?,
        signature_policy: policy.as_str().into(),
        trusted_instances: serde_json::to_string(&trusted).map_err(ServiceError::internal)?,
        public_names: new.public_names.unwrap_or(true),
        status: status.as_str().into(),
        option_name: OPTION_NAME.into(),
        remote_count: 0,
        transparency_log: None,
        created_at: now,
        updated_at: now,
    };
    let urls = ctx.urls.clone();
    let petition = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let p = petitions::insert(conn, &form)?;
                let p = petitions::set_ap_id(conn, p.id, &urls.petition(p.id))?;
                if p.status == PetitionStatus::Open.as_str() {
                    opened(conn, &p)?;
                }
                Ok(p)
            })
        })
        .await?;
    Ok(PetitionDetails {
        petition,
        author,
        tally: Tally::default(),
        log_size: 0,
        cosignatures: Vec::new(),
        witnessed: None,
    })
}

/// A petition opens: its followers hear of it, and it closes itself at its deadline (a job in
/// the database queue, so a restart does not lose it).
fn opened(conn: &mut DbConn, petition: &Petition) -> ServiceResult<()> {
    let petition_id = petition.id;
    events::queue(conn, &FederationEvent::PetitionPublished { petition_id })?;
    jobs::enqueue_at(conn, &[ClosePetition { petition_id }], petition.deadline)?;
    Ok(())
}

/// Closing a petition at its deadline. Running it twice, or early, changes nothing: it
/// closes only an open petition whose deadline has passed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClosePetition {
    /// The petition's row id.
    pub petition_id: i64,
}

impl Job for ClosePetition {
    const KIND: JobKind = JobKind::ClosePetition;
    const MAX_ATTEMPTS: i32 = 20;
}

/// What the closing job found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    /// Closed now.
    Closed,
    /// Not yet due (the deadline moved): run again then.
    NotYet(chrono::NaiveDateTime),
    /// Nothing to do (closed already, answered, or gone).
    Nothing,
}

/// Closes a petition whose deadline has passed: its count is final and its followers get
/// the last `Update{Question}`, with `closed`.
pub async fn close_due(ctx: &Context, petition_id: i64) -> ServiceResult<Closing> {
    let closing = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Closing> {
                let Some((petition, _)) = petitions::by_id(conn, petition_id)? else {
                    return Ok(Closing::Nothing);
                };
                let petition = petitions::lock(conn, petition.id)?;
                if petition.status != PetitionStatus::Open.as_str() || !petition.local {
                    return Ok(Closing::Nothing);
                }
                if petition.deadline > agora_db::now() {
                    return Ok(Closing::NotYet(petition.deadline));
                }
                close_in(conn, &petition)?;
                Ok(Closing::Closed)
            })
        })
        .await?;
    if closing == Closing::Closed {
        ctx.petition_views.changed(petition_id);
    }
    Ok(closing)
}

fn close_in(conn: &mut DbConn, petition: &Petition) -> ServiceResult<()> {
    let now = agora_db::now();
    petitions::set_status(
        conn,
        petition.id,
        PetitionStatus::Closed.as_str(),
        Some(now),
        now,
    )?;
    let petition_id = petition.id;
    events::queue(conn, &FederationEvent::PetitionUpdated { petition_id })?;
    Ok(())
}

/// An organizer publishes a draft, or closes an open petition before its deadline.
pub async fn set_status(
    ctx: &Context,
    who: &SignedIn,
    id: &str,
    to: PetitionStatus,
) -> ServiceResult<PetitionDetails> {
    let key = id.trim().to_string();
    let viewer = who.actor.id;
    let min_duration = Duration::seconds(ctx.config.limits.petition_min_duration_secs);
    let changed = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let (petition, author) = find_visible(conn, &key, Some(viewer))?;
                if !petition.local || !is_author(conn, &petition, Some(viewer))? {
                    return Err(ServiceError::forbidden(
                        "only its author or the initiative's organizers can do this",
                    ));
                }
                let petition = petitions::lock(conn, petition.id)?;
                let from = PetitionStatus::parse(&petition.status);
                let now = agora_db::now();
                match (from, to) {
                    (Some(PetitionStatus::Draft), PetitionStatus::Open) => {
                        if petition.deadline < now + min_duration {
                            return Err(ServiceError::invalid(
                                "deadline",
                                "has passed or is too near to publish: start a new petition",
                            ));
                        }
                        let p = petitions::set_status(conn, petition.id, to.as_str(), None, now)?;
                        opened(conn, &p)?;
                    }
                    (Some(PetitionStatus::Open), PetitionStatus::Closed) => {
                        close_in(conn, &petition)?
                    }
                    _ => {
                        return Err(ServiceError::new(
                            ErrorKind::Conflict,
                            format!(
                                "a petition that is {} cannot become {}",
                                petition.status,
                                to.as_str()
                            ),
                        ));
                    }
                }
                let (petition, _) = petitions::by_id(conn, petition.id)?
                    .ok_or_else(|| ServiceError::not_found("petition"))?;
                details(conn, petition, author)
            })
        })
        .await?;
    ctx.petition_views.changed(changed.petition.id);
    Ok(changed)
}

/// The target's official response: only the public body the petition addresses (an account
/// of this node) gives it, once, while the petition is open or closed. It is published as
/// the body's reply to the petition (a post its followers and the thread see) and the
/// petition becomes `answered`, which its followers hear as an update.
pub async fn respond(
    ctx: &Context,
    who: &SignedIn,
    id: &str,
    text: &str,
) -> ServiceResult<PetitionDetails> {
    let body = text.trim().to_string();
    if body.is_empty() || body.chars().count() > TEXT_MAX {
        return Err(ServiceError::invalid(
            "text",
            format!("1 to {TEXT_MAX} characters"),
        ));
    }
    let found = get(ctx, id, Some(who)).await?;
    let petition = &found.petition;
    if !petition.local || petition.target_actor_id != Some(who.actor.id) {
        return Err(ServiceError::forbidden(
            "only the public body this petition addresses can answer it",
        ));
    }
    if !matches!(
        found.status(),
        PetitionStatus::Open | PetitionStatus::Closed
    ) {
        return Err(ServiceError::new(
            ErrorKind::Conflict,
            "this petition has been answered already",
        ));
    }
    let reply = crate::posts::Draft {
        content: body.clone(),
        spoiler_text: None,
        in_reply_to: Some(petition.ap_id.clone()),
    };
    crate::posts::create(ctx, &who.actor, reply).await?;
    let petition_id = petition.id;
    let answered = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                petitions::lock(conn, petition_id)?;
                let p = petitions::answer(
                    conn,
                    petition_id,
                    &text::plain_text_to_html(&body),
                    agora_db::now(),
                )?;
                events::queue(conn, &FederationEvent::PetitionUpdated { petition_id })?;
                let (_, author) = petitions::by_id(conn, p.id)?
                    .ok_or_else(|| ServiceError::not_found("petition"))?;
                details(conn, p, author)
            })
        })
        .await?;
    ctx.petition_views.changed(petition_id);
    Ok(answered)
}

/// One of our published petitions (not a draft, not another server's) by row id: the one
/// row its log's endpoints need, without the counts.
pub async fn published_local(ctx: &Context, id: i64) -> ServiceResult<i64> {
    let found = ctx.db.run(move |conn| petitions::by_id(conn, id)).await?;
    match found {
        Some((p, _)) if p.local && p.status != PetitionStatus::Draft.as_str() => Ok(p.id),
        _ => Err(ServiceError::not_found("petition")),
    }
}

/// A petition by row id or by its URI (what the API's `{id}` may be), with its counts. A
/// draft is shown only to its authors.
pub async fn get(
    ctx: &Context,
    id: &str,
    viewer: Option<&SignedIn>,
) -> ServiceResult<PetitionDetails> {
    let key = id.trim().to_string();
    let viewer_id = viewer.map(|v| v.actor.id);
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let (petition, author) = find_visible(conn, &key, viewer_id)?;
            details(conn, petition, author)
        })
        .await
}

/// How many of the signers who chose to be shown a petition's page lists.
pub const SHOWN_SIGNERS: i64 = 100;

/// What anyone sees of petition `id` (and the viewer, of their own drafts), with its first
/// shown signers. Kept in memory until the petition changes (see `petition_views`): a viral
/// petition's page costs no query.
pub async fn public_view(
    ctx: &Context,
    id: i64,
    viewer: Option<&SignedIn>,
) -> ServiceResult<Arc<PublicView>> {
    let start = match ctx.petition_views.get(id) {
        Ok(view) => return Ok(view),
        Err(start) => start,
    };
    let viewer_id = viewer.map(|v| v.actor.id);
    let view = ctx
        .db
        .run(move |conn| -> ServiceResult<_> {
            let (petition, author) = find_visible(conn, &id.to_string(), viewer_id)?;
            let signers = petitions::public_signers(conn, petition.id, SHOWN_SIGNERS)?;
            Ok(PublicView {
                details: details(conn, petition, author)?,
                signers,
            })
        })
        .await?;
    let view = Arc::new(view);
    // A draft is its authors' alone: never kept for others to see.
    if view.details.petition.status != PetitionStatus::Draft.as_str() {
        ctx.petition_views.keep(id, start, view.clone());
    }
    Ok(view)
}

/// A petition's milestones, in ascending order.
pub fn milestones_of(petition: &Petition) -> Vec<i64> {
    serde_json::from_str(&petition.milestones).unwrap_or_default()
}

/// A petition alone, without its counts, as `viewer` may see it (see `get`).
pub async fn find(ctx: &Context, id: &str, viewer: Option<&SignedIn>) -> ServiceResult<Petition> {
    let key = id.trim().to_string();
    let viewer_id = viewer.map(|v| v.actor.id);
    ctx.db
        .run(move |conn| find_visible(conn, &key, viewer_id).map(|(p, _)| p))
        .await
}

/// A petition by row id or URI, as `viewer` may see it: a draft exists for its authors only.
fn find_visible(
    conn: &mut DbConn,
    key: &str,
    viewer: Option<i64>,
) -> ServiceResult<(Petition, Actor)> {
    let found = match key.parse::<i64>() {
        Ok(id) => petitions::by_id(conn, id)?,
        Err(_) => petitions::by_ap_id(conn, key)?,
    };
    let (petition, author) = found.ok_or_else(|| ServiceError::not_found("petition"))?;
    if petition.status == PetitionStatus::Draft.as_str() && !is_author(conn, &petition, viewer)? {
        return Err(ServiceError::not_found("petition"));
    }
    if petition.hidden_at.is_some() || author.is_removed() {
        return Err(ServiceError::new(ErrorKind::Gone, "removed by a moderator"));
    }
    Ok((petition, author))
}

/// Whether the viewer wrote the petition or organizes the initiative it belongs to.
pub(crate) fn is_author(
    conn: &mut DbConn,
    petition: &Petition,
    viewer: Option<i64>,
) -> ServiceResult<bool> {
    let Some(viewer) = viewer else {
        return Ok(false);
    };
    if petition.created_by == Some(viewer) || petition.author_id == viewer {
        return Ok(true);
    }
    Ok(
        match agora_db::initiatives::by_actor(conn, petition.author_id)? {
            Some(initiative) => {
                agora_db::initiatives::role_of(conn, initiative.id, viewer)?.as_deref()
                    == Some(agora_db::initiatives::ORGANIZER)
            }
            None => false,
        },
    )
}

fn details(conn: &mut DbConn, petition: Petition, author: Actor) -> ServiceResult<PetitionDetails> {
    let tally = if petition.local {
        tally(conn, &petition)?
    } else {
        // Another server's petition: its count is what its server says.
        Tally {
            verified: petition.remote_count,
            ..Tally::default()
        }
    };
    let log_size = agora_db::petition_log::size(conn, petition.id)?;
    let (cosignatures, witnessed) = if petition.local {
        (agora_db::witnessing::cosignatures(conn, petition.id)?, None)
    } else {
        (Vec::new(), agora_db::witnessing::get(conn, petition.id)?)
    };
    Ok(PetitionDetails {
        petition,
        author,
        tally,
        log_size,
        cosignatures,
        witnessed,
    })
}

fn tally(conn: &mut DbConn, petition: &Petition) -> ServiceResult<Tally> {
    let by_origin: Vec<OriginCount> = petitions::tally(conn, petition.id)?
        .into_iter()
        .map(|(origin, verified, unverified)| OriginCount {
            origin,
            verified,
            unverified,
        })
        .collect();
    Ok(Tally {
        verified: by_origin.iter().map(|o| o.verified).sum(),
        unverified: by_origin.iter().map(|o| o.unverified).sum(),
        by_origin,
    })
}

/// Whether the account's e-mail is confirmed: only then does its signature count.
fn verified(who: &SignedIn) -> bool {
    who.user.email_confirmed_at.is_some()
}

/// Signs a petition of this node as a signed-in user. Signing again while a signature
/// stands changes nothing and gives the same receipt. Counted at once when the account's
/// e-mail is confirmed, otherwise when it is.
pub async fn sign(
    ctx: &Context,
    who: &SignedIn,
    id: &str,
    show_name: bool,
    client: &str,
) -> ServiceResult<Receipt> {
    let write = SignWrite {
        petition: id.trim().to_string(),
        origin: ctx.config.instance.domain.to_ascii_lowercase(),
        signer: Signer::Local {
            actor: who.actor.clone(),
            counted: verified(who),
            show_name,
            client: client.to_string(),
            limits: ctx.sign_limits.clone(),
        },
    };
    // Grouped: a viral petition's signatures share transactions (see `signing_desk`).
    let (petition, signature) = ctx
        .signing
        .run(write)
        .await?
        .ok_or_else(|| ServiceError::internal("a local signature came back without its row"))?;
    ctx.petition_views.changed(petition.id);
    Ok(receipt(ctx, &petition, &signature))
}

/// What a new signature is, beside its petition and signer.
struct NewSignature {
    /// The signer's server.
    origin: String,
    /// A remote vote's id, or the id of ours on another server's petition.
    vote_ap_id: Option<String>,
    /// Whether the signer chose to be shown (kept only where the petition allows it).
    show_name: bool,
    /// A local signer's address.
    client_addr: Option<String>,
    /// Counted at once: its sign leaf is appended before the row is written.
    counted: bool,
}

/// Inserts a standing signature with a fresh salt and its commitment; a counted one gets
/// its sign leaf first, so the row is written once, with its index.
fn add_signature(
    conn: &mut DbConn,
    petition: &Petition,
    signer: &Actor,
    new: NewSignature,
) -> ServiceResult<Signature> {
    let salt = Salt::random();
    let commitment = Commitment::new(salt, &signer.ap_id);
    let leaf_index = if new.counted {
        Some(append_sign(conn, petition, commitment)?)
    } else {
        None
    };
    let signature = petitions::insert_signature(
        conn,
        &SignatureForm {
            petition_id: petition.id,
            signer_id: signer.id,
            origin: new.origin,
            vote_ap_id: new.vote_ap_id,
            show_name: new.show_name && petition.public_names,
            salt: salt.to_hex(),
            commitment: commitment.to_hex(),
            leaf_index,
            signed_at: agora_db::now(),
            client_addr: new.client_addr,
        },
    )?;
    if let Some(index) = leaf_index {
        counted_now(conn, petition, index)?;
    }
    Ok(signature)
}

/// Another server's petition as its `Question` describes it.
#[derive(Debug, Clone)]
pub struct RemotePetition {
    /// Its id.
    pub ap_id: String,
    /// Title (`name`, or the start of the text).
    pub title: String,
    /// Text, HTML (sanitised here).
    pub text: String,
    /// Whom it addresses, when it says.
    pub target: String,
    /// `endTime`.
    pub deadline: DateTime<Utc>,
    /// Closed (`closed` set, or `civic:status` closed/answered).
    pub closed: bool,
    /// The one option's exact text, which votes must repeat.
    pub option_name: String,
    /// `votersCount`.
    pub count: i64,
    /// `civic:signaturePolicy`, when an Agora node says.
    pub signature_policy: Option<String>,
    /// `civic:transparencyLog`, when an Agora node says: this node then witnesses it.
    pub transparency_log: Option<String>,
}

/// Stores or refreshes another server's petition, attributed to `author` (already checked
/// to be on the petition's server).
pub async fn store_remote(
    ctx: &Context,
    author: &Actor,
    remote: RemotePetition,
) -> ServiceResult<PetitionDetails> {
    if author.local || ctx.urls.is_local(&remote.ap_id) {
        return Err(ServiceError::invalid(
            "petition",
            "a petition of this node is not stored as remote",
        ));
    }
    let author = author.clone();
    let now = agora_db::now();
    let status = if remote.closed {
        PetitionStatus::Closed
    } else {
        PetitionStatus::Open
    };
    let form = PetitionForm {
        ap_id: remote.ap_id.clone(),
        local: false,
        author_id: author.id,
        created_by: None,
        title: text::title_of(&remote.title, TITLE_MAX),
        text: text::sanitize_html(&remote.text),
        target: remote.target.chars().take(TARGET_MAX).collect(),
        target_actor_id: None,
        deadline: remote.deadline.naive_utc(),
        milestones: "[]".into(),
        signature_policy: remote
            .signature_policy
            .as_deref()
            .and_then(SignaturePolicy::parse)
            .unwrap_or(SignaturePolicy::Fediverse)
            .as_str()
            .into(),
        trusted_instances: "[]".into(),
        public_names: false,
        status: status.as_str().into(),
        option_name: remote.option_name.chars().take(TITLE_MAX).collect(),
        remote_count: remote.count.max(0),
        transparency_log: remote.transparency_log.clone(),
        created_at: now,
        updated_at: now,
    };
    let stored = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let petition = match petitions::by_ap_id(conn, &form.ap_id)? {
                    Some((existing, _)) if existing.author_id != form.author_id => {
                        return Err(ServiceError::forbidden("the petition changed authors"));
                    }
                    Some((existing, _)) => petitions::refresh_remote(conn, existing.id, &form)?,
                    None => petitions::insert(conn, &form)?,
                };
                // A log we can check: we witness it each time we hear of the petition.
                if petition.transparency_log.is_some() {
                    let petition_id = petition.id;
                    jobs::enqueue(conn, &[crate::witness::WitnessPetition { petition_id }])?;
                }
                details(conn, petition, author)
            })
        })
        .await?;
    ctx.petition_views.changed(stored.petition.id);
    Ok(stored)
}

/// A vote received from another server: who cast it (its HTTP signature verified), its id,
/// the petition it answers and the option it names.
#[derive(Debug, Clone)]
pub struct RemoteVote {
    /// The vote's id (the `Note`'s).
    pub id: String,
    /// The petition's id (`inReplyTo`).
    pub petition: String,
    /// The option named.
    pub option: String,
}

/// The option's text in the languages the node speaks; `OPTION_NAME` is what our
/// `Question`s put in `name`, the others are in `nameMap`.
pub fn option_names() -> [(&'static str, &'static str); 2] {
    [("en", OPTION_NAME), ("fr", "Signer")]
}

/// Counts a remote vote as a signature from its actor, under the petition's policy. A retry,
/// a replay, or a second vote of the same actor changes nothing; a vote whose withdrawal
/// came first stays withdrawn.
pub async fn receive_vote(ctx: &Context, voter: &Actor, vote: RemoteVote) -> ServiceResult<()> {
    if voter.local {
        return Err(ServiceError::forbidden(
            "local accounts sign here, not by vote",
        ));
    }
    if !option_names().iter().any(|(_, name)| *name == vote.option) {
        return Err(ServiceError::invalid(
            "name",
            format!("the only option is {OPTION_NAME:?}"),
        ));
    }
    let write = SignWrite {
        petition: vote.petition,
        origin: voter.domain.to_ascii_lowercase(),
        signer: Signer::Remote {
            actor: voter.clone(),
            vote_id: vote.id,
        },
    };
    if let Some((petition, _)) = ctx.signing.run(write).await? {
        ctx.petition_views.changed(petition.id);
    }
    Ok(())
}

/// Whether a petition's policy takes signatures from actors of `domain`.
pub(crate) fn policy_allows(petition: &Petition, domain: &str) -> ServiceResult<()> {
    let domain = domain.to_ascii_lowercase();
    match SignaturePolicy::parse(&petition.signature_policy) {
        Some(SignaturePolicy::Fediverse) => Ok(()),
        Some(SignaturePolicy::TrustedInstances) => {
            let trusted: Vec<String> =
                serde_json::from_str(&petition.trusted_instances).unwrap_or_default();
            if trusted.contains(&domain) {
                Ok(())
            } else {
                Err(ServiceError::forbidden(
                    "this petition takes signatures from the servers it lists only",
                ))
            }
        }
        _ => Err(ServiceError::forbidden(
            "this petition takes signatures from accounts of its own server only",
        )),
    }
}

/// A remote actor withdrew its vote (`Undo` of it, or `Delete` of the vote's note). True when
/// the id was a vote on one of our petitions. A withdrawal that arrives before its vote is
/// kept, so the vote, when it comes, stays withdrawn.
pub async fn receive_vote_withdrawal(
    ctx: &Context,
    voter: &Actor,
    vote_id: &str,
    petition: Option<&str>,
) -> ServiceResult<bool> {
    // Every remote `Delete` asks; most delete a post, not a vote. Without a petition to keep
    // the withdrawal for, an id that is no vote here needs no write lock.
    if petition.is_none() {
        let id = vote_id.to_string();
        let known = ctx
            .db
            .run(move |conn| petitions::by_vote_any(conn, &id))
            .await?;
        if known.is_none() {
            return Ok(false);
        }
    }
    let (voter, vote_id, petition) = (
        voter.clone(),
        vote_id.to_string(),
        petition.map(str::to_string),
    );
    // The petition the vote was on, when it is one of ours.
    let touched = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Option<i64>> {
                let existing = petitions::by_vote_any(conn, &vote_id)?;
                let target = match (&existing, &petition) {
                    (Some(s), _) => petitions::by_id(conn, s.petition_id)?,
                    (None, Some(p)) => petitions::by_ap_id(conn, p)?,
                    (None, None) => None,
                };
                let Some((petition, _)) = target.filter(|(p, _)| p.local) else {
                    return Ok(None);
                };
                let petition = petitions::lock(conn, petition.id)?;
                match existing {
                    Some(s) if s.signer_id != Some(voter.id) => Err(ServiceError::forbidden(
                        "only the voter can withdraw a vote",
                    )),
                    Some(s) if s.withdrawn_at.is_some() || s.invalidated_at.is_some() => {
                        Ok(Some(petition.id))
                    }
                    Some(s) => {
                        end(conn, &petition, &s, Event::Withdraw)?;
                        Ok(Some(petition.id))
                    }
                    None => {
                        let new = NewSignature {
                            origin: voter.domain.to_ascii_lowercase(),
                            vote_ap_id: Some(vote_id),
                            show_name: false,
                            client_addr: None,
                            counted: false,
                        };
                        let s = add_signature(conn, &petition, &voter, new)?;
                        petitions::withdraw(conn, s.id, agora_db::now())?;
                        Ok(Some(petition.id))
                    }
                }
            })
        })
        .await?;
    if let Some(id) = touched {
        ctx.petition_views.changed(id);
    }
    Ok(touched.is_some())
}

/// When the count passes a milestone not yet announced, its organizers and a local target
/// hear of it by mail, once (the highest milestone passed is recorded in the same
/// transaction).
pub(crate) fn milestones_reached(
    conn: &mut DbConn,
    petition: &Petition,
    log_size: i64,
) -> ServiceResult<()> {
    let milestones = milestones_of(petition);
    // Most signatures pass no milestone: no query for them. The count is never above the
    // log's size (every counted signature has its leaf), so a milestone beyond it is not
    // passed yet.
    if !milestones
        .iter()
        .any(|&m| m > petition.milestone_reached && m <= log_size)
    {
        return Ok(());
    }
    // The row in hand was read under the petition's lock in this transaction.
    let reached = petition.milestone_reached;
    let count = petitions::counted(conn, petition.id)?;
    let Some(&passed) = milestones
        .iter()
        .rev()
        .find(|&&m| m <= count && m > reached)
    else {
        return Ok(());
    };
    petitions::set_milestone_reached(conn, petition.id, passed)?;
    let mut recipients = vec![petition.author_id];
    if let Some(initiative) = agora_db::initiatives::by_actor(conn, petition.author_id)? {
        recipients.extend(
            agora_db::initiatives::members(conn, initiative.id)?
                .into_iter()
                .filter(|(role, _)| role == agora_db::initiatives::ORGANIZER)
                .map(|(_, a)| a.id),
        );
    }
    recipients.extend(petition.target_actor_id);
    recipients.sort_unstable();
    recipients.dedup();
    for actor in recipients {
        let Some(user) = agora_db::users::by_actor(conn, actor)? else {
            continue;
        };
        let Some(to) = user.email.filter(|_| user.email_confirmed_at.is_some()) else {
            continue;
        };
        crate::mail::queue(
            conn,
            &crate::mail::Mail {
                to,
                subject: format!("{passed} signatures: {}", petition.title),
                body: format!(
                    "The petition \"{}\" has passed {passed} verified signatures.\n\
                     La pétition « {} » a dépassé {passed} signatures vérifiées.\n\n{}\n",
                    petition.title, petition.title, petition.ap_id
                ),
            },
        )?;
    }
    Ok(())
}

/// Counts a standing signature made before it could count (its signer's e-mail was not
/// confirmed yet): appends its sign leaf and records its index.
fn count(conn: &mut DbConn, petition: &Petition, signature: &Signature) -> ServiceResult<()> {
    let index = append_sign(conn, petition, commitment_of(signature)?)?;
    petitions::set_leaf(conn, signature.id, index)?;
    counted_now(conn, petition, index)
}

/// Appends a sign leaf for `commitment`; gives its index.
fn append_sign(
    conn: &mut DbConn,
    petition: &Petition,
    commitment: Commitment,
) -> ServiceResult<i64> {
    let leaf = Leaf {
        event: Event::Sign,
        at: Utc::now(),
        commitment,
    };
    petition_log::append(conn, petition.id, &leaf)
}

/// A signature was counted with leaf `index`: followers will hear of the count, and
/// organizers of a milestone it passed.
fn counted_now(conn: &mut DbConn, petition: &Petition, index: i64) -> ServiceResult<()> {
    events::petition_counted(conn, petition)?;
    milestones_reached(conn, petition, index + 1)
}

fn commitment_of(signature: &Signature) -> ServiceResult<Commitment> {
    Commitment::from_hex(&signature.commitment)
        .ok_or_else(|| ServiceError::internal("stored commitment is not hex"))
}

pub(crate) fn require_open(petition: &Petition) -> ServiceResult<()> {
    let open = petition.status == PetitionStatus::Open.as_str();
    if !open || petition.deadline <= agora_db::now() {
        return Err(ServiceError::new(
            ErrorKind::Conflict,
            "this petition is not open for signatures",
        ));
    }
    Ok(())
}

/// Withdraws the signed-in user's signature, until the petition closes. A counted signature
/// leaves a `withdraw` leaf in the log.
pub async fn withdraw(ctx: &Context, who: &SignedIn, id: &str) -> ServiceResult<()> {
    let key = id.trim().to_string();
    let signer = who.actor.id;
    let petition_id = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let (petition, _) = find_visible(conn, &key, Some(signer))?;
                let petition = petitions::lock(conn, petition.id)?;
                let signature = petitions::standing_signature(conn, petition.id, signer)?
                    .ok_or_else(|| ServiceError::not_found("signature"))?;
                require_open(&petition)?;
                if petition.local {
                    end(conn, &petition, &signature, Event::Withdraw)?;
                } else {
                    petitions::withdraw(conn, signature.id, agora_db::now())?;
                    let signature_id = signature.id;
                    events::queue(conn, &FederationEvent::VoteWithdrawn { signature_id })?;
                }
                Ok(petition.id)
            })
        })
        .await?;
    ctx.petition_views.changed(petition_id);
    Ok(())
}

/// A signer is leaving (its account deleted here or on its server): each of its standing
/// signatures on an open petition of ours is withdrawn through the log, as the signer would
/// have; on another server's petition it ends here (that server hears of the deletion).
/// Signatures on closed petitions stay as they were, counted. Gives the petitions touched.
pub(crate) fn withdraw_all_of(conn: &mut DbConn, signer_id: i64) -> ServiceResult<Vec<i64>> {
    let mut touched = Vec::new();
    for (signature, petition) in petitions::by_signer(conn, signer_id)? {
        let standing = signature.withdrawn_at.is_none() && signature.invalidated_at.is_none();
        if !standing || require_open(&petition).is_err() {
            continue;
        }
        let petition = petitions::lock(conn, petition.id)?;
        if petition.local {
            end(conn, &petition, &signature, Event::Withdraw)?;
        } else {
            petitions::withdraw(conn, signature.id, agora_db::now())?;
        }
        touched.push(petition.id);
    }
    Ok(touched)
}

/// Logs the end of a counted signature (`withdraw` or `invalidate`). The caller tells
/// followers of the new count (`events::petition_counted`), once for all the ends it logs.
fn log_end(
    conn: &mut DbConn,
    petition: &Petition,
    signature: &Signature,
    event: Event,
) -> ServiceResult<()> {
    let leaf = Leaf {
        event,
        at: Utc::now(),
        commitment: commitment_of(signature)?,
    };
    petition_log::append(conn, petition.id, &leaf)?;
    Ok(())
}

/// Ends a standing signature: marks it, and logs the end when it was counted.
fn end(
    conn: &mut DbConn,
    petition: &Petition,
    signature: &Signature,
    event: Event,
) -> ServiceResult<()> {
    if signature.leaf_index.is_some() {
        log_end(conn, petition, signature, event)?;
        events::petition_counted(conn, petition)?;
    }
    petitions::withdraw(conn, signature.id, agora_db::now())?;
    Ok(())
}

/// The signed-in user's standing signature on a petition, as a receipt.
pub async fn my_signature(
    ctx: &Context,
    who: &SignedIn,
    id: &str,
) -> ServiceResult<Option<Receipt>> {
    let key = id.trim().to_string();
    let signer = who.actor.id;
    let found = ctx
        .db
        .run(move |conn| -> ServiceResult<_> {
            let (petition, _) = find_visible(conn, &key, Some(signer))?;
            let signature = petitions::standing_signature(conn, petition.id, signer)?;
            Ok((petition, signature))
        })
        .await?;
    Ok(found.1.map(|s| receipt(ctx, &found.0, &s)))
}

/// Which signatures a moderator invalidates: those matching every criterion given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Invalidation {
    /// From this server only (host name, ours for local signers).
    pub origin: Option<String>,
    /// Signed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Signed before.
    pub until: Option<DateTime<Utc>>,
    /// From addresses in this range (CIDR, e.g. `203.0.113.0/24`); local signers only.
    pub address: Option<String>,
    /// Why, for the record and the moderation log.
    pub reason: String,
}

/// Invalidates fraudulent signatures in bulk (moderators and administrators). Each one gets
/// an `invalidate` leaf in the log and the batch a record with its reason: the count drops
/// in the open, never by a silent delete. Gives how many were invalidated.
pub async fn invalidate(
    ctx: &Context,
    who: &SignedIn,
    id: &str,
    criteria: Invalidation,
) -> ServiceResult<i64> {
    if who.kind_setter().is_none() {
        return Err(ServiceError::forbidden(
            "moderators and administrators only",
        ));
    }
    let reason = criteria.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(ServiceError::invalid("reason", "1 to 1000 characters"));
    }
    if criteria.origin.is_none()
        && criteria.from.is_none()
        && criteria.until.is_none()
        && criteria.address.is_none()
    {
        return Err(ServiceError::invalid(
            "origin",
            "give at least one of origin, from, until, address",
        ));
    }
    let range = match criteria.address.as_deref().map(str::trim) {
        Some(cidr) => Some(
            cidr.parse::<ipnet::IpNet>()
                .map_err(|_| ServiceError::invalid("address", "a range such as 203.0.113.0/24"))?,
        ),
        None => None,
    };
    let record = serde_json::to_string(&criteria).map_err(ServiceError::internal)?;
    let (key, moderator) = (id.trim().to_string(), who.actor.id);
    let (petition_id, n) = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<(i64, i64)> {
                let (petition, _) = find_visible(conn, &key, None)?;
                if !petition.local {
                    return Err(ServiceError::not_found("petition"));
                }
                let petition = petitions::lock(conn, petition.id)?;
                let found = petitions::standing_between(
                    conn,
                    petition.id,
                    criteria
                        .origin
                        .as_deref()
                        .map(str::to_ascii_lowercase)
                        .as_deref(),
                    criteria.from.map(|t| t.naive_utc()),
                    criteria.until.map(|t| t.naive_utc()),
                )?;
                let (mut n, mut counted_ended) = (0, false);
                for s in found {
                    if let Some(range) = &range
                        && !s.client_addr.as_deref().is_some_and(|a| in_range(range, a))
                    {
                        continue;
                    }
                    if s.leaf_index.is_some() {
                        log_end(conn, &petition, &s, Event::Invalidate)?;
                        counted_ended = true;
                    }
                    petitions::invalidate(conn, s.id, agora_db::now())?;
                    n += 1;
                }
                if counted_ended {
                    events::petition_counted(conn, &petition)?;
                }
                petitions::record_invalidation(conn, petition.id, moderator, &reason, &record, n)?;
                Ok((petition.id, n))
            })
        })
        .await?;
    ctx.petition_views.changed(petition_id);
    Ok(n)
}

/// Whether a stored address (IPv4, or an IPv6 /64) lies in a range.
fn in_range(range: &ipnet::IpNet, stored: &str) -> bool {
    match stored.parse::<ipnet::IpNet>() {
        Ok(net) => range.contains(&net),
        Err(_) => stored
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| range.contains(&ip)),
    }
}

/// For the fan-out, in its transaction: a petition with its counts. Reading it settles the
/// count update owed to its followers (later changes owe a new one).
pub fn for_update(conn: &mut DbConn, petition_id: i64) -> ServiceResult<PetitionDetails> {
    petitions::clear_update_due(conn, petition_id)?;
    details_by_id(conn, petition_id)
}

/// For the fan-out, in its transaction: a petition with its counts.
pub fn details_by_id(conn: &mut DbConn, petition_id: i64) -> ServiceResult<PetitionDetails> {
    let (petition, author) =
        petitions::by_id(conn, petition_id)?.ok_or_else(|| ServiceError::not_found("petition"))?;
    details(conn, petition, author)
}

/// A vote of a user here on another server's petition, for the fan-out.
pub struct OutgoingVote {
    /// The vote's id.
    pub id: String,
    /// Who votes.
    pub voter: Actor,
    /// The petition.
    pub petition: Petition,
    /// Its author, whose inbox takes the vote.
    pub author: Actor,
}

/// The vote a signature on another server's petition is.
pub fn outgoing_vote(conn: &mut DbConn, signature_id: i64) -> ServiceResult<OutgoingVote> {
    let signature = petitions::signature_by_id(conn, signature_id)?;
    let (petition, author) = petitions::by_id(conn, signature.petition_id)?
        .ok_or_else(|| ServiceError::not_found("petition"))?;
    Ok(OutgoingVote {
        id: signature
            .vote_ap_id
            .ok_or_else(|| ServiceError::not_found("vote"))?,
        // A signer deleted since has nothing more to send.
        voter: agora_db::actors::by_id(
            conn,
            signature
                .signer_id
                .ok_or_else(|| ServiceError::not_found("signer"))?,
        )?,
        petition,
        author,
    })
}

/// Counts the standing signatures of an account whose e-mail was just confirmed, on the
/// petitions still open. Runs in the confirmation's transaction; its caller tells
/// `Context::petition_views` once it is committed.
pub fn count_confirmed(conn: &mut DbConn, signer_id: i64) -> ServiceResult<()> {
    for (signature, status) in petitions::uncounted_of(conn, signer_id)? {
        if status != PetitionStatus::Open.as_str() {
            continue;
        }
        let Some((petition, _)) = petitions::by_id(conn, signature.petition_id)? else {
            continue;
        };
        if petition.deadline <= agora_db::now() {
            continue;
        }
        let petition = petitions::lock(conn, petition.id)?;
        count(conn, &petition, &signature)?;
    }
    Ok(())
}

/// What organizers hand to the target: the counts, the pseudonyms of the signers who chose
/// to be shown, and the checkpoint that lets anyone check the count.
#[derive(Debug, Clone)]
pub struct Export {
    /// The petition with its counts.
    pub details: PetitionDetails,
    /// `@name@host` of the signers shown.
    pub public_signers: Vec<String>,
    /// The latest checkpoint (the final one once closed), a C2SP signed note.
    pub checkpoint: String,
    /// The node's checkpoint key.
    pub key: String,
}

/// The export of a local petition, for its author and the initiative's organizers.
pub async fn export(ctx: &Context, who: &SignedIn, id: &str) -> ServiceResult<Export> {
    let details = get(ctx, id, Some(who)).await?;
    let (petition_id, viewer) = (details.petition.id, who.actor.id);
    let allowed = {
        let petition = details.petition.clone();
        ctx.db
            .run(move |conn| is_author(conn, &petition, Some(viewer)))
            .await?
    };
    if !allowed || !details.petition.local {
        return Err(ServiceError::forbidden(
            "only its author or the initiative's organizers export a petition",
        ));
    }
    let public_signers = public_signers(ctx, &details.petition, i64::MAX)
        .await?
        .iter()
        .map(Actor::acct)
        .collect();
    let checkpoint = petition_log::checkpoint(ctx, petition_id).await?;
    let key = petition_log::key(ctx).await?;
    Ok(Export {
        details,
        public_signers,
        checkpoint: checkpoint.text(),
        key: key.public,
    })
}

/// The pseudonyms of counted signers who chose to show them.
pub async fn public_signers(
    ctx: &Context,
    petition: &Petition,
    limit: i64,
) -> ServiceResult<Vec<Actor>> {
    let id = petition.id;
    Ok(ctx
        .db
        .run(move |conn| petitions::public_signers(conn, id, limit))
        .await?)
}
