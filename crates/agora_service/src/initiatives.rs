//! Citizen initiatives: `Group` actors with goals, a status, tags, a place and organizers.

use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn, keys};
use agora_core::{ErrorKind, handle, text};
use agora_db::{
    actors::{self, Actor},
    initiatives::{self, Initiative, InitiativeForm, Search},
};

/// Where an initiative happens.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// In words ("Lyon 7e", "Lycée Jean Moulin").
    pub name: String,
    /// Latitude in degrees, with `longitude`.
    pub latitude: Option<f64>,
    /// Longitude in degrees, with `latitude`.
    pub longitude: Option<f64>,
}

/// What a citizen gives to start an initiative.
#[derive(Debug, Clone)]
pub struct NewInitiative {
    /// Handle, in the namespace shared with people: `@handle@host`.
    pub handle: String,
    /// Name.
    pub name: String,
    /// Description, rich text (HTML is sanitised).
    pub description: String,
    /// Goals, plain text.
    pub goals: Option<String>,
    /// Tags, without `#`.
    pub tags: Vec<String>,
    /// Place.
    pub place: Option<Place>,
}

/// An initiative with what pages and the API show of it.
#[derive(Debug, Clone)]
pub struct InitiativeDetails {
    /// The initiative row.
    pub initiative: Initiative,
    /// Its `Group` actor (name, description, handle).
    pub actor: Actor,
    /// Tags, sorted.
    pub tags: Vec<String>,
    /// Members with their roles, organizers first.
    pub members: Vec<(String, Actor)>,
    /// Accepted followers.
    pub followers: i64,
}

impl InitiativeDetails {
    /// Whether this actor organizes the initiative.
    pub fn is_organizer(&self, actor_id: i64) -> bool {
        self.members
            .iter()
            .any(|(role, a)| a.id == actor_id && role == initiatives::ORGANIZER)
    }

    /// How many organizers it has.
    pub fn organizer_count(&self) -> usize {
        self.members
            .iter()
            .filter(|(role, _)| role == initiatives::ORGANIZER)
            .count()
    }
}

/// Statuses an initiative can have.
pub const STATUSES: &[&str] = &["open", "achieved", "closed"];
/// Most tags on one initiative.
pub const MAX_TAGS: usize = 10;

/// One tag normalised: lower case, no `#`, letters, digits, `_` and `-`, 1–50 characters.
fn normalise_tag(tag: &str) -> Option<String> {
    let t = tag.trim().trim_start_matches('#').to_lowercase();
    let valid = !t.is_empty()
        && t.chars().count() <= 50
        && t.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    valid.then_some(t)
}

/// Normalises tags (see [`normalise_tag`]), unique, at most [`MAX_TAGS`].
pub fn normalise_tags(tags: &[String]) -> ServiceResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let Some(t) = normalise_tag(tag) else {
            return Err(ServiceError::invalid(
                "tags",
                format!("`{tag}`: letters, digits, _ and -, 1 to 50 characters"),
            ));
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(ServiceError::invalid("tags", format!("at most {MAX_TAGS}")));
    }
    Ok(out)
}

/// What another node says about one of its groups, as read from its document.
#[derive(Debug, Clone, Default)]
pub struct RemoteInitiative {
    /// Goals (plain text).
    pub goals: Option<String>,
    /// Status, if one we know.
    pub status: Option<String>,
    /// Place.
    pub place: Option<Place>,
    /// Tags as the group wrote them (`#x` or `x`).
    pub tags: Vec<String>,
}

/// Records a remote group in the directory, keeping only what is well-formed: tags that
/// normalise, a known status (else `open`), a place with valid coordinates, bounded text.
pub fn record_remote(
    conn: &mut agora_db::DbConn,
    actor_id: i64,
    remote: &RemoteInitiative,
) -> ServiceResult<()> {
    let mut tags: Vec<String> = Vec::new();
    for tag in remote.tags.iter().filter_map(|t| normalise_tag(t)) {
        if !tags.contains(&tag) && tags.len() < MAX_TAGS {
            tags.push(tag);
        }
    }
    let place = remote
        .place
        .clone()
        .filter(|p| validate_place(&Some(p.clone())).is_ok());
    let fields = agora_db::initiatives::RemoteFields {
        goals: remote
            .goals
            .as_deref()
            .unwrap_or_default()
            .chars()
            .take(5_000)
            .collect(),
        status: remote
            .status
            .clone()
            .filter(|s| STATUSES.contains(&s.as_str()))
            .unwrap_or_else(|| "open".into()),
        place_name: place.as_ref().map(|p| p.name.trim().to_string()),
        latitude: place.as_ref().and_then(|p| p.latitude),
        longitude: place.as_ref().and_then(|p| p.longitude),
        tags,
    };
    Ok(agora_db::initiatives::upsert_remote(
        conn, actor_id, &fields,
    )?)
}

/// Records who moderates a remote group (its server says; we only show them), replacing what
/// was known.
pub async fn set_remote_moderators(
    ctx: &Context,
    group_actor_id: i64,
    people: Vec<i64>,
) -> ServiceResult<()> {
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                let group = actors::by_id(conn, group_actor_id)?;
                if group.local {
                    return Err(ServiceError::new(
                        ErrorKind::Forbidden,
                        "a local initiative's members are set by its organizers",
                    ));
                }
                let Some(initiative) = initiatives::by_actor(conn, group_actor_id)? else {
                    return Ok(());
                };
                for (_, member) in initiatives::members(conn, initiative.id)? {
                    initiatives::remove_member(conn, initiative.id, member.id)?;
                }
                for person in people {
                    initiatives::add_member(conn, initiative.id, person, initiatives::MODERATOR)?;
                }
                Ok(())
            })
        })
        .await
}

/// The limits of an initiative's texts, at creation and on edit (a description is checked
/// when one is given).
fn validate_fields(name: &str, description: Option<&str>, goals: &str) -> ServiceResult<()> {
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid("name", "1 to 100 characters"));
    }
    if description.is_some_and(|d| d.chars().count() > 10_000) {
        return Err(ServiceError::invalid(
            "description",
            "at most 10 000 characters",
        ));
    }
    if goals.chars().count() > 5_000 {
        return Err(ServiceError::invalid("goals", "at most 5 000 characters"));
    }
    Ok(())
}

/// One of [`STATUSES`].
fn validate_status(status: &str) -> ServiceResult<()> {
    if STATUSES.contains(&status) {
        Ok(())
    } else {
        Err(ServiceError::invalid("status", "open, achieved or closed"))
    }
}

fn validate_place(place: &Option<Place>) -> ServiceResult<()> {
    let Some(place) = place else { return Ok(()) };
    if place.name.trim().is_empty() || place.name.chars().count() > 200 {
        return Err(ServiceError::invalid("place.name", "1 to 200 characters"));
    }
    match (place.latitude, place.longitude) {
        (None, None) => Ok(()),
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Ok(())
        }
        _ => Err(ServiceError::invalid(
            "place",
            "latitude (−90…90) and longitude (−180…180) go together",
        )),
    }
}

/// Starts an initiative: its `Group` actor (with its own key pair), the initiative, and the
/// creator as its first organizer.
pub async fn create(
    ctx: &Context,
    creator: &SignedIn,
    new: NewInitiative,
) -> ServiceResult<InitiativeDetails> {
    handle::validate_handle(&new.handle).map_err(|e| ServiceError::invalid("handle", e))?;
    let name = new.name.trim().to_string();
    let goals = new.goals.unwrap_or_default();
    validate_fields(&name, Some(&new.description), &goals)?;
    let tags = normalise_tags(&new.tags)?;
    validate_place(&new.place)?;
    let keys = tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(ServiceError::internal)?
        .map_err(ServiceError::internal)?;
    let mut form = crate::accounts::local_actor_form(
        ctx,
        ctx.urls.initiative(&new.handle),
        &new.handle,
        agora_core::actor_type::ActorType::Group,
        &name,
        keys,
    );
    form.summary = text::sanitize_html(&new.description);
    let (creator_user, creator_actor) = (creator.user.id, creator.actor.id);
    let place = new.place;
    let urls = ctx.urls.clone();
    let id = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                if crate::accounts::handle_taken(conn, &urls, &form.username)? {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "handle: already taken",
                    ));
                }
                let actor = actors::insert(conn, &form)?;
                let now = agora_db::now();
                let row = InitiativeForm {
                    actor_id: actor.id,
                    goals,
                    status: "open".into(),
                    place_name: place.as_ref().map(|p| p.name.trim().to_string()),
                    latitude: place.as_ref().and_then(|p| p.latitude),
                    longitude: place.as_ref().and_then(|p| p.longitude),
                    created_by: Some(creator_user),
                    created_at: now,
                    updated_at: now,
                };
                Ok(initiatives::insert(conn, &row, &tags, creator_actor)?.actor_id)
            })
        })
        .await?;
    details_of_actor(ctx, id).await
}

/// The initiative whose `Group` actor has this row id.
pub async fn details_of_actor(ctx: &Context, actor_id: i64) -> ServiceResult<InitiativeDetails> {
    ctx.db
        .run(move |conn| -> ServiceResult<InitiativeDetails> {
            let actor = actors::by_id(conn, actor_id)?;
            let initiative = initiatives::by_actor(conn, actor_id)?
                .ok_or_else(|| ServiceError::not_found("initiative"))?;
            let tags = initiatives::tags(conn, initiative.id)?;
            let members = initiatives::members(conn, initiative.id)?;
            let followers = agora_db::follows::count_followers(conn, actor_id)?;
            Ok(InitiativeDetails {
                initiative,
                actor,
                tags,
                members,
                followers,
            })
        })
        .await
}

/// The local initiative with this handle.
pub async fn by_handle(ctx: &Context, handle: &str) -> ServiceResult<InitiativeDetails> {
    let handle = handle.to_string();
    let actor = ctx
        .db
        .run(move |conn| actors::local_by_username(conn, &handle))
        .await?
        .filter(|a| a.is_group())
        .ok_or_else(|| ServiceError::not_found("initiative"))?;
    details_of_actor(ctx, actor.id).await
}

/// An initiative this node knows, by its handle here or by `handle@host` for another node's
/// (known ones only: nothing is fetched).
pub async fn known(ctx: &Context, handle: &str) -> ServiceResult<InitiativeDetails> {
    let Some((name, host)) = handle::parse_acct(handle) else {
        return by_handle(ctx, handle).await;
    };
    if host.eq_ignore_ascii_case(&ctx.config.instance.domain) {
        return by_handle(ctx, name).await;
    }
    let (name, host) = (name.to_string(), host.to_lowercase());
    let actor = ctx
        .db
        .run(move |conn| actors::by_username_domain(conn, &name, &host))
        .await?
        .filter(|a| a.is_group() && a.deleted_at.is_none())
        .ok_or_else(|| ServiceError::not_found("initiative"))?;
    details_of_actor(ctx, actor.id).await
}

/// Searches the directory (this node's initiatives and the other nodes' it knows), most
/// recently active first.
pub async fn search(
    ctx: &Context,
    mut search: Search,
) -> ServiceResult<Vec<agora_db::initiatives::DirectoryRow>> {
    if let Some(status) = &search.status {
        validate_status(status)?;
    }
    if let Some(tag) = search.tag.take() {
        search.tag = normalise_tags(&[tag])?.into_iter().next();
    }
    for (field, value) in [("q", &search.words), ("place", &search.place)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 200) {
            return Err(ServiceError::invalid(field, "at most 200 characters"));
        }
    }
    search.limit = search.limit.clamp(1, 100);
    Ok(ctx
        .db
        .run(move |conn| initiatives::search(conn, &search))
        .await?)
}

/// Checks that `who` organizes or moderates the initiative.
fn require_member(who: &SignedIn, details: &InitiativeDetails) -> ServiceResult<()> {
    if details.members.iter().any(|(_, a)| a.id == who.actor.id) {
        Ok(())
    } else {
        Err(ServiceError::forbidden(
            "only the organizers and moderators of this initiative can do this",
        ))
    }
}

/// The follow requests waiting for the initiative's approval (organizers and moderators).
pub async fn follow_requests(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
) -> ServiceResult<Vec<(agora_db::follows::Follow, Actor)>> {
    let details = by_handle(ctx, handle).await?;
    require_member(who, &details)?;
    let group = details.actor.id;
    Ok(ctx
        .db
        .run(move |conn| agora_db::follows::pending_for(conn, group))
        .await?)
}

/// An organizer or moderator accepts or refuses a follow request of the initiative; the
/// group answers `Accept` or `Reject`.
pub async fn answer_follow_request(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    follow_id: i64,
    accept: bool,
) -> ServiceResult<()> {
    let details = by_handle(ctx, handle).await?;
    require_member(who, &details)?;
    crate::follows::answer_request(ctx, &details.actor, follow_id, accept).await
}

/// Roles a member can have.
pub const ROLES: &[&str] = &[initiatives::ORGANIZER, initiatives::MODERATOR];

/// Checks that `who` organizes the initiative (its members are loaded with it).
pub(crate) fn require_organizer(who: &SignedIn, details: &InitiativeDetails) -> ServiceResult<()> {
    if details.is_organizer(who.actor.id) {
        Ok(())
    } else {
        Err(ServiceError::forbidden(
            "only an organizer of this initiative can do this",
        ))
    }
}

/// The local account an organizer names (`name`, `@name` or `@name@this-host`); `None` for an
/// account of another node, which cannot be a member.
fn local_member_name(ctx: &Context, input: &str) -> Option<String> {
    let input = input.trim();
    match handle::parse_acct(input) {
        Some((name, host)) => host
            .eq_ignore_ascii_case(&ctx.config.instance.domain)
            .then(|| name.to_string()),
        None => Some(input.trim_start_matches('@').to_string()),
    }
}

/// An organizer adds a local person as organizer or moderator (or changes their role).
pub async fn add_member(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    member: &str,
    role: &str,
) -> ServiceResult<InitiativeDetails> {
    if !ROLES.contains(&role) {
        return Err(ServiceError::invalid("role", "organizer or moderator"));
    }
    let details = by_handle(ctx, handle).await?;
    require_organizer(who, &details)?;
    let local_name = local_member_name(ctx, member)
        .ok_or_else(|| ServiceError::invalid("account", "organizers are accounts of this node"))?;
    let person = ctx
        .db
        .run(move |conn| actors::local_by_username(conn, &local_name))
        .await?
        .filter(|a| a.is_account())
        .ok_or_else(|| ServiceError::not_found("account"))?;
    let (id, person_id, role) = (details.initiative.id, person.id, role.to_string());
    change_members(ctx, id, who.actor.id, move |conn| {
        initiatives::add_member(conn, id, person_id, &role)
    })
    .await?;
    details_of_actor(ctx, details.actor.id).await
}

/// Applies a change of an initiative's members in one write transaction that holds the
/// initiative's lock, and keeps it only if the requester was still an organizer when it ran
/// and at least one organizer remains: two organizers demoting each other at once leave one.
async fn change_members(
    ctx: &Context,
    initiative_id: i64,
    requester: i64,
    change: impl FnOnce(&mut agora_db::DbConn) -> Result<(), agora_db::DbError> + Send + 'static,
) -> ServiceResult<()> {
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                initiatives::lock(conn, initiative_id)?;
                if initiatives::role_of(conn, initiative_id, requester)?.as_deref()
                    != Some(initiatives::ORGANIZER)
                {
                    return Err(ServiceError::new(
                        ErrorKind::Forbidden,
                        "only organizers may do this",
                    ));
                }
                change(conn)?;
                if initiatives::organizer_count(conn, initiative_id)? == 0 {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "an initiative keeps at least one organizer",
                    ));
                }
                Ok(())
            })
        })
        .await
}

/// An organizer removes a member; the last organizer stays.
pub async fn remove_member(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    member: &str,
) -> ServiceResult<InitiativeDetails> {
    let details = by_handle(ctx, handle).await?;
    require_organizer(who, &details)?;
    let Some((_, person)) = local_member_name(ctx, member).and_then(|name| {
        details
            .members
            .iter()
            .find(|(_, a)| a.username == name && a.local)
            .cloned()
    }) else {
        return Err(ServiceError::not_found("member"));
    };
    let (id, person_id) = (details.initiative.id, person.id);
    change_members(ctx, id, who.actor.id, move |conn| {
        initiatives::remove_member(conn, id, person_id).map(drop)
    })
    .await?;
    details_of_actor(ctx, details.actor.id).await
}

/// Changes an organizer may make; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct InitiativeChanges {
    /// Name.
    pub name: Option<String>,
    /// Description, rich text (sanitised).
    pub description: Option<String>,
    /// Goals.
    pub goals: Option<String>,
    /// Tags (replace all).
    pub tags: Option<Vec<String>>,
    /// Place: `Some(None)` removes it.
    pub place: Option<Option<Place>>,
    /// `open`, `achieved` or `closed`.
    pub status: Option<String>,
    /// Whether follows wait for an organizer's approval.
    pub manually_approves_followers: Option<bool>,
}

/// An organizer edits the initiative; followers' servers receive `Update{Group}`.
pub async fn edit(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    changes: InitiativeChanges,
) -> ServiceResult<InitiativeDetails> {
    let details = by_handle(ctx, handle).await?;
    require_organizer(who, &details)?;
    let name = changes
        .name
        .map(|n| n.trim().to_string())
        .unwrap_or_else(|| details.actor.display_name.clone());
    let goals = changes
        .goals
        .unwrap_or_else(|| details.initiative.goals.clone());
    validate_fields(&name, changes.description.as_deref(), &goals)?;
    let summary = match changes.description {
        Some(d) => text::sanitize_html(&d),
        None => details.actor.summary.clone(),
    };
    let status = changes
        .status
        .unwrap_or_else(|| details.initiative.status.clone());
    validate_status(&status)?;
    let tags = changes.tags.as_deref().map(normalise_tags).transpose()?;
    let i = &details.initiative;
    let place = match changes.place {
        Some(place) => {
            validate_place(&place)?;
            place
        }
        None => i.place_name.clone().map(|name| Place {
            name,
            latitude: i.latitude,
            longitude: i.longitude,
        }),
    };
    let manual = changes
        .manually_approves_followers
        .unwrap_or(details.actor.manually_approves_followers);
    let row = initiatives::InitiativeEdit {
        goals,
        status,
        place_name: place.as_ref().map(|p| p.name.trim().to_string()),
        latitude: place.as_ref().and_then(|p| p.latitude),
        longitude: place.as_ref().and_then(|p| p.longitude),
        updated_at: agora_db::now(),
    };
    let (id, actor_id) = (details.initiative.id, details.actor.id);
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                actors::update_profile(conn, actor_id, &name, &summary, manual)?;
                initiatives::edit(conn, id, &row)?;
                if let Some(tags) = &tags {
                    initiatives::set_tags(conn, id, tags)?;
                }
                crate::events::actor_changed(conn, actor_id)?;
                Ok(())
            })
        })
        .await?;
    details_of_actor(ctx, actor_id).await
}

/// An organizer sets (or, with `None`, removes) the initiative's avatar or banner; followers'
/// servers receive `Update{Group}`.
/// Refuses, before an upload is read, anyone who may not change the initiative's pictures:
/// a large body is not worth receiving from someone who will be refused.
pub async fn may_set_picture(ctx: &Context, who: &SignedIn, handle: &str) -> ServiceResult<()> {
    require_organizer(who, &by_handle(ctx, handle).await?)
}

/// Sets or removes an initiative's avatar or banner (organizers only).
pub async fn set_picture(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    purpose: crate::media::Purpose,
    image: Option<Vec<u8>>,
) -> ServiceResult<InitiativeDetails> {
    let details = by_handle(ctx, handle).await?;
    require_organizer(who, &details)?;
    let address = match image {
        Some(bytes) => Some(crate::media::store_image(ctx, bytes, purpose).await?),
        None => None,
    };
    let banner = purpose == crate::media::Purpose::Banner;
    let actor_id = details.actor.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                actors::set_picture(conn, actor_id, banner, address.as_deref())?;
                crate::events::actor_changed(conn, actor_id)?;
                Ok(())
            })
        })
        .await?;
    details_of_actor(ctx, actor_id).await
}
