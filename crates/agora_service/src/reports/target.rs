//! What a report names: found among what this node knows, with the account answerable for it
//! and a copy of what it says now.

use crate::{ServiceError, ServiceResult};
use agora_core::{ErrorKind, actor_type::ActorType, report::TargetKind};
use agora_db::{DbConn, actors::Actor};
use serde_json::json;

/// What a report is about, as found here.
pub(crate) struct Found {
    /// Account, post, initiative or petition.
    pub kind: TargetKind,
    /// Its ActivityPub id.
    pub ap_id: String,
    /// The account answerable for it.
    pub answerable: Actor,
    /// What it says now.
    pub snapshot: serde_json::Value,
}

/// Finds what a report names among what this node knows: an account by address or id, or a
/// post, a petition or an initiative by id; with the account answerable for it and a copy
/// of what it says now.
pub(crate) fn find_target(
    conn: &mut DbConn,
    target: &str,
    our_domain: &str,
) -> ServiceResult<Found> {
    let unknown = || {
        ServiceError::new(
            ErrorKind::NotFound,
            "nothing this node knows has this address",
        )
    };
    if !target.starts_with("http://") && !target.starts_with("https://") {
        let (name, host) = agora_core::handle::parse_acct(target)
            .map(|(n, h)| (n.to_string(), h.to_ascii_lowercase()))
            .or_else(|| {
                let name = target.trim_start_matches('@');
                (!name.is_empty() && !name.contains('@'))
                    .then(|| (name.to_string(), our_domain.to_string()))
            })
            .ok_or_else(unknown)?;
        let actor = agora_db::actors::by_username_domain(conn, &name, &host)?
            .filter(|a| a.deleted_at.is_none())
            .ok_or_else(unknown)?;
        return account_or_initiative(conn, actor);
    }
    if let Some((post, author)) = agora_db::posts::by_ap_id(conn, target)?
        && post.deleted_at.is_none()
    {
        return Ok(Found {
            kind: TargetKind::Post,
            ap_id: post.ap_id.clone(),
            snapshot: json!({
                "type": "post",
                "id": post.ap_id,
                "author": author.ap_id,
                "content": post.content,
                "spoiler_text": post.spoiler_text,
                "published": post.published.and_utc().to_rfc3339(),
            }),
            answerable: author,
        });
    }
    if let Some((petition, author)) = agora_db::petitions::by_ap_id(conn, target)?
        && petition.status != agora_core::petition::PetitionStatus::Draft.as_str()
    {
        return Ok(Found {
            kind: TargetKind::Petition,
            ap_id: petition.ap_id.clone(),
            snapshot: json!({
                "type": "petition",
                "id": petition.ap_id,
                "author": author.ap_id,
                "title": petition.title,
                "text": petition.text,
                "target": petition.target,
            }),
            answerable: author,
        });
    }
    let actor = agora_db::actors::by_ap_id(conn, target)?
        .filter(|a| a.deleted_at.is_none())
        .ok_or_else(unknown)?;
    account_or_initiative(conn, actor)
}

fn account_or_initiative(conn: &mut DbConn, actor: Actor) -> ServiceResult<Found> {
    let kind = if actor.actor_type == ActorType::Group.as_str()
        || agora_db::initiatives::by_actor(conn, actor.id)?.is_some()
    {
        TargetKind::Initiative
    } else {
        TargetKind::Account
    };
    Ok(Found {
        kind,
        ap_id: actor.ap_id.clone(),
        snapshot: json!({
            "type": kind.as_str(),
            "id": actor.ap_id,
            "address": actor.acct(),
            "name": actor.display_name,
            "summary": actor.summary,
        }),
        answerable: actor,
    })
}
