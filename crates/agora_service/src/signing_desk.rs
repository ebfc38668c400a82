//! The signing desk: local signatures and remote votes waiting at the same moment are taken
//! together (group commit, `agora_db::batch`). Per petition it reads the row, its lock and
//! the signers' earlier signatures once, checks each signature as `sign` and `receive_vote`
//! promise, then appends all the counted ones to the log in one go (tree hashes computed in
//! memory), inserts the rows in a few statements, and moves the tallies, the followers'
//! update and the milestones once. A refusal is decided before anything is written, so it
//! needs no savepoint.

use crate::{
    ServiceError, ServiceResult,
    events::{self, FederationEvent},
    petition_log,
    petitions::{is_author, milestones_reached, policy_allows, require_open},
    sign_limits::SignLimits,
};
use agora_core::{ErrorKind, petition::PetitionStatus};
use agora_db::{
    Bulk, DbConn,
    actors::Actor,
    petitions::{self, Petition, Signature, SignatureForm},
};
use agora_tlog::{Commitment, Event, Leaf, Salt};
use chrono::Utc;
use std::collections::HashMap;
use std::sync::Arc;

/// Who signs.
pub(crate) enum Signer {
    /// An account here, signed in.
    Local {
        /// Its actor.
        actor: Actor,
        /// Counted at once (its e-mail is confirmed); otherwise shown apart until it is.
        counted: bool,
        /// Whether it chose to be shown.
        show_name: bool,
        /// Its address, for the limits.
        client: String,
        /// The node's limits.
        limits: Arc<SignLimits>,
    },
    /// Another server's actor, by a vote whose HTTP signature verified.
    Remote {
        /// Its actor.
        actor: Actor,
        /// The vote's id.
        vote_id: String,
    },
}

impl Signer {
    fn actor(&self) -> &Actor {
        match self {
            Signer::Local { actor, .. } | Signer::Remote { actor, .. } => actor,
        }
    }
}

/// One signature asked for.
pub(crate) struct SignWrite {
    /// The petition: its row id, or its URI.
    pub petition: String,
    /// Who signs.
    pub signer: Signer,
    /// The signer's server.
    pub origin: String,
}

/// A signature standing after the write (a new one, or the one the signer already had), with
/// its petition; `None` for a remote vote that changed nothing.
pub(crate) type Signed = Option<(Arc<Petition>, Signature)>;

impl Bulk for SignWrite {
    type Out = Signed;
    type Error = ServiceError;

    fn run_all(
        conn: &mut DbConn,
        writes: Vec<SignWrite>,
    ) -> ServiceResult<Vec<ServiceResult<Signed>>> {
        let mut results: Vec<Option<ServiceResult<Signed>>> = writes.iter().map(|_| None).collect();
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        for (i, w) in writes.iter().enumerate() {
            match groups.iter_mut().find(|(key, _)| *key == w.petition.trim()) {
                Some((_, members)) => members.push(i),
                None => groups.push((w.petition.trim(), vec![i])),
            }
        }
        for (key, members) in groups {
            let group: Vec<(usize, &SignWrite)> =
                members.iter().map(|&i| (i, &writes[i])).collect();
            for (i, result) in sign_petition(conn, key, &group)? {
                results[i] = Some(result);
            }
        }
        Ok(results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(ServiceError::internal("a signature was left out"))))
            .collect())
    }
}

/// A signature accepted, not written yet.
struct Accepted<'a> {
    write: &'a SignWrite,
    salt: Salt,
    commitment: Commitment,
    counted: bool,
}

/// What became of one write before anything is written.
enum Slot {
    /// Answered without writing (a refusal, or the signature the signer already had).
    Answered(Box<ServiceResult<Signed>>),
    /// To be written: its place among the accepted.
    Accepted(usize),
}

/// The signatures of one petition; one result per write, by its place in the batch.
fn sign_petition(
    conn: &mut DbConn,
    key: &str,
    group: &[(usize, &SignWrite)],
) -> ServiceResult<Vec<(usize, ServiceResult<Signed>)>> {
    let found = match key.parse::<i64>() {
        Ok(id) => petitions::by_id(conn, id)?,
        Err(_) => petitions::by_ap_id(conn, key)?,
    };
    let Some((petition, _)) = found else {
        return Ok(group
            .iter()
            .map(|&(at, _)| (at, Err(ServiceError::not_found("petition"))))
            .collect());
    };
    let petition = Arc::new(petitions::lock(conn, petition.id)?);
    let signers: Vec<i64> = group.iter().map(|(_, w)| w.signer.actor().id).collect();
    let earlier = petitions::signatures_of_many(conn, petition.id, &signers)?;
    let mut accepted: Vec<Accepted> = Vec::new();
    // Each signer's place among the accepted.
    let mut accepted_at: HashMap<i64, usize> = HashMap::new();
    let mut slots = Vec::with_capacity(group.len());
    let mut votes: Vec<&str> = Vec::new();
    for &(at, write) in group {
        let actor = write.signer.actor().id;
        // A signer twice in one batch (a double click) is one signature.
        let slot = match accepted_at.get(&actor) {
            Some(&i) => Slot::Accepted(i),
            None => match decide(conn, &petition, &earlier, &votes, write)? {
                Ok(Some(a)) => {
                    if let Signer::Remote { vote_id, .. } = &write.signer {
                        votes.push(vote_id);
                    }
                    accepted_at.insert(actor, accepted.len());
                    accepted.push(a);
                    Slot::Accepted(accepted.len() - 1)
                }
                Ok(None) => Slot::Answered(Box::new(Ok(standing(&petition, &earlier, write)))),
                Err(refused) => Slot::Answered(Box::new(Err(refused))),
            },
        };
        slots.push((at, write, slot));
    }
    let written = write_accepted(conn, &petition, &accepted)?;
    Ok(slots
        .into_iter()
        .map(|(at, write, slot)| {
            let result = match slot {
                Slot::Answered(result) => *result,
                Slot::Accepted(i) => Ok(match &write.signer {
                    Signer::Local { .. } => written
                        .get(i)
                        .map(|signature| (petition.clone(), signature.clone())),
                    Signer::Remote { .. } => None,
                }),
            };
            (at, result)
        })
        .collect())
}

/// Decides one signature: `Ok(None)` when the signer's stands already (or the vote was
/// seen), `Ok(Some)` to write it, `Err` to refuse it; the outer result is the database's.
fn decide<'a>(
    conn: &mut DbConn,
    petition: &Petition,
    earlier: &[Signature],
    votes: &[&str],
    write: &'a SignWrite,
) -> ServiceResult<ServiceResult<Option<Accepted<'a>>>> {
    let actor = write.signer.actor();
    let draft = petition.status == PetitionStatus::Draft.as_str();
    let mine = || earlier.iter().filter(|s| s.signer_id == Some(actor.id));
    let stands = || mine().any(|s| s.withdrawn_at.is_none() && s.invalidated_at.is_none());
    let counted = match &write.signer {
        Signer::Local {
            counted,
            client,
            limits,
            ..
        } => {
            if draft && !is_author(conn, petition, Some(actor.id))? {
                return Ok(Err(ServiceError::not_found("petition")));
            }
            if let Err(closed) = require_open(petition) {
                return Ok(Err(closed));
            }
            if stands() {
                return Ok(Ok(None));
            }
            let signed_before = mine().next().is_some();
            if !limits.allow(petition.id, actor.id, client, signed_before) {
                return Ok(Err(ServiceError::new(
                    ErrorKind::RateLimited,
                    "too many signatures from your address on this petition: try again in a few minutes",
                )));
            }
            *counted && petition.local
        }
        Signer::Remote { vote_id, .. } => {
            if !petition.local || draft {
                return Ok(Err(ServiceError::not_found("petition")));
            }
            // A retry, a replay, or a withdrawal kept from before the vote: nothing changes.
            if stands()
                || votes.contains(&vote_id.as_str())
                || petitions::by_vote(conn, petition.id, vote_id)?.is_some()
            {
                return Ok(Ok(None));
            }
            if let Err(refused) =
                require_open(petition).and_then(|()| policy_allows(petition, &actor.domain))
            {
                return Ok(Err(refused));
            }
            true
        }
    };
    let salt = Salt::random();
    Ok(Ok(Some(Accepted {
        write,
        salt,
        commitment: Commitment::new(salt, &actor.ap_id),
        counted,
    })))
}

/// The answer to a signer whose signature stands already.
fn standing(petition: &Arc<Petition>, earlier: &[Signature], write: &SignWrite) -> Signed {
    match write.signer {
        Signer::Local { ref actor, .. } => earlier
            .iter()
            .find(|s| {
                s.signer_id == Some(actor.id)
                    && s.withdrawn_at.is_none()
                    && s.invalidated_at.is_none()
            })
            .map(|s| (petition.clone(), s.clone())),
        Signer::Remote { .. } => None,
    }
}

/// Writes the accepted signatures of one petition: the counted ones' leaves first (their
/// indexes go in the rows), then the rows, then what their count sets off, once.
fn write_accepted(
    conn: &mut DbConn,
    petition: &Petition,
    accepted: &[Accepted],
) -> ServiceResult<Vec<Signature>> {
    if accepted.is_empty() {
        return Ok(Vec::new());
    }
    let at = Utc::now();
    let leaves: Vec<Leaf> = accepted
        .iter()
        .filter(|a| a.counted)
        .map(|a| Leaf {
            event: Event::Sign,
            at,
            commitment: a.commitment,
        })
        .collect();
    let first_leaf = if leaves.is_empty() {
        0
    } else {
        petition_log::append_many(conn, petition.id, &leaves)?
    };
    let signed_at = agora_db::now();
    let mut next_leaf = first_leaf;
    let forms: Vec<SignatureForm> = accepted
        .iter()
        .map(|a| {
            let leaf_index = a.counted.then(|| {
                next_leaf += 1;
                next_leaf - 1
            });
            let actor = a.write.signer.actor();
            let (vote_ap_id, show_name, client_addr) = match &a.write.signer {
                Signer::Local {
                    show_name, client, ..
                } => {
                    // On another server's petition, our record of the vote that goes to its
                    // author as Mastodon sends votes (ids are fragments of the voter's URL).
                    let vote = (!petition.local).then(|| {
                        format!("{}#votes/{}", actor.ap_id, uuid::Uuid::new_v4().simple())
                    });
                    let client = petition.local.then(|| client.clone());
                    (vote, *show_name && petition.public_names, client)
                }
                Signer::Remote { vote_id, .. } => (Some(vote_id.clone()), false, None),
            };
            SignatureForm {
                petition_id: petition.id,
                signer_id: actor.id,
                origin: a.write.origin.clone(),
                vote_ap_id,
                show_name,
                salt: a.salt.to_hex(),
                commitment: a.commitment.to_hex(),
                leaf_index,
                signed_at,
                client_addr,
            }
        })
        .collect();
    let ids = petitions::insert_signatures(conn, &forms)?;
    let rows: Vec<Signature> = forms
        .into_iter()
        .zip(ids)
        .map(|(form, id)| form.into_row(id))
        .collect();
    if petition.local {
        if !leaves.is_empty() {
            events::petition_counted(conn, petition)?;
            milestones_reached(conn, petition, next_leaf)?;
        }
    } else {
        // Its count is that server's: our votes go to it.
        for row in &rows {
            let signature_id = row.id;
            events::queue(conn, &FederationEvent::VoteCast { signature_id })?;
        }
    }
    Ok(rows)
}
