//! Petitions and their signatures.

use crate::{
    DbConn,
    actors::Actor,
    error::{DbResult, OptionalExt},
    schema::{
        actors,
        petition_signatures::{self, dsl as sig},
        petition_tallies::dsl as tally,
        petitions::{self, dsl},
    },
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A petition row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = petitions)]
pub struct Petition {
    /// Row id (the API's `id`).
    pub id: i64,
    /// ActivityPub id of its `Question`.
    pub ap_id: String,
    /// Whether this node hosts it.
    pub local: bool,
    /// The actor it is attributed to (a person, or an initiative's group).
    pub author_id: i64,
    /// The local account that wrote it.
    pub created_by: Option<i64>,
    /// Title.
    pub title: String,
    /// Text (sanitised HTML).
    pub text: String,
    /// Whom it addresses: free text, or a public body's actor id.
    pub target: String,
    /// The public body's actor, when the target is one.
    pub target_actor_id: Option<i64>,
    /// When it closes.
    pub deadline: NaiveDateTime,
    /// JSON array of counts.
    pub milestones: String,
    /// `local_verified`, `fediverse` or `trusted_instances`.
    pub signature_policy: String,
    /// JSON array of host names.
    pub trusted_instances: String,
    /// Whether signers may show their pseudonym.
    pub public_names: bool,
    /// `draft`, `open`, `closed` or `answered`.
    pub status: String,
    /// The text of its one option, as its server wrote it.
    pub option_name: String,
    /// Another server's count, as its `Question` last said.
    pub remote_count: i64,
    /// Highest milestone already announced.
    pub milestone_reached: i64,
    /// The target's official response.
    pub response: Option<String>,
    /// When it was given.
    pub response_at: Option<NaiveDateTime>,
    /// When it closed.
    pub closed_at: Option<NaiveDateTime>,
    /// Since when followers are owed an update of the count.
    pub update_due_at: Option<NaiveDateTime>,
    /// Another server's petition: where its log is.
    pub transparency_log: Option<String>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change of its text or status (not of its count).
    pub updated_at: NaiveDateTime,
    /// Hidden by a moderator: kept, shown to nobody.
    pub hidden_at: Option<NaiveDateTime>,
    /// The size of the activity that carried it to other servers, in bytes.
    pub payload_bytes: i64,
    /// How many inboxes received it.
    pub delivered_inboxes: i64,
}

/// Hides a petition (a moderator's decision), or shows it again with `None`.
pub fn set_hidden(conn: &mut DbConn, id: i64, at: Option<NaiveDateTime>) -> DbResult<()> {
    diesel::update(dsl::petitions.find(id))
        .set(dsl::hidden_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Fields of a new petition.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = petitions)]
pub struct PetitionForm {
    /// ActivityPub id (a placeholder for a local one until its row id is known).
    pub ap_id: String,
    /// Hosted here.
    pub local: bool,
    /// Attributed to.
    pub author_id: i64,
    /// Written by.
    pub created_by: Option<i64>,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
    /// Target.
    pub target: String,
    /// Target actor.
    pub target_actor_id: Option<i64>,
    /// Deadline.
    pub deadline: NaiveDateTime,
    /// Milestones (JSON).
    pub milestones: String,
    /// Signature policy.
    pub signature_policy: String,
    /// Trusted instances (JSON).
    pub trusted_instances: String,
    /// Signers may show their names.
    pub public_names: bool,
    /// Status.
    pub status: String,
    /// The option's text.
    pub option_name: String,
    /// Remote count.
    pub remote_count: i64,
    /// Where another server's petition keeps its log.
    pub transparency_log: Option<String>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Same as creation at first.
    pub updated_at: NaiveDateTime,
}

/// A signature row.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = petition_signatures)]
pub struct Signature {
    /// Row id.
    pub id: i64,
    /// The petition.
    pub petition_id: i64,
    /// Who signed; `None` once the signer's account was deleted (the signature stays,
    /// anonymised, where the petition had closed).
    pub signer_id: Option<i64>,
    /// The signer's server.
    pub origin: String,
    /// The remote vote's id.
    pub vote_ap_id: Option<String>,
    /// Whether the signer shows their pseudonym.
    pub show_name: bool,
    /// The receipt's secret (hex).
    pub salt: String,
    /// The commitment in the log (hex).
    pub commitment: String,
    /// Its sign leaf, once counted.
    pub leaf_index: Option<i64>,
    /// When it was made.
    pub signed_at: NaiveDateTime,
    /// When it was withdrawn.
    pub withdrawn_at: Option<NaiveDateTime>,
    /// When a moderator invalidated it.
    pub invalidated_at: Option<NaiveDateTime>,
    /// A local signer's address (IPv4, or IPv6 /64), for moderators only.
    pub client_addr: Option<String>,
}

/// Fields of a new signature.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = petition_signatures)]
// `None` is NULL, never DEFAULT: rows of many signatures go in one statement.
#[diesel(treat_none_as_default_value = false)]
pub struct SignatureForm {
    /// Petition.
    pub petition_id: i64,
    /// Signer.
    pub signer_id: i64,
    /// Signer's server.
    pub origin: String,
    /// Remote vote id.
    pub vote_ap_id: Option<String>,
    /// Shows the pseudonym.
    pub show_name: bool,
    /// Salt (hex).
    pub salt: String,
    /// Commitment (hex).
    pub commitment: String,
    /// Its sign leaf, when it is counted as it is made.
    pub leaf_index: Option<i64>,
    /// Time.
    pub signed_at: NaiveDateTime,
    /// A local signer's address.
    pub client_addr: Option<String>,
}

impl SignatureForm {
    /// The row this form makes once inserted with `id`.
    pub fn into_row(self, id: i64) -> Signature {
        Signature {
            id,
            petition_id: self.petition_id,
            signer_id: Some(self.signer_id),
            origin: self.origin,
            vote_ap_id: self.vote_ap_id,
            show_name: self.show_name,
            salt: self.salt,
            commitment: self.commitment,
            leaf_index: self.leaf_index,
            signed_at: self.signed_at,
            withdrawn_at: None,
            invalidated_at: None,
            client_addr: self.client_addr,
        }
    }
}

/// Inserts a petition.
pub fn insert(conn: &mut DbConn, form: &PetitionForm) -> DbResult<Petition> {
    let id: i64 = diesel::insert_into(petitions::table)
        .values(form)
        .returning(dsl::id)
        .get_result(conn)?;
    row(conn, id)
}

fn row(conn: &mut DbConn, id: i64) -> DbResult<Petition> {
    Ok(dsl::petitions
        .find(id)
        .select(Petition::as_select())
        .first(conn)?)
}

/// Sets the final ActivityPub id of a freshly inserted local petition.
pub fn set_ap_id(conn: &mut DbConn, id: i64, ap_id: &str) -> DbResult<Petition> {
    diesel::update(dsl::petitions.find(id))
        .set(dsl::ap_id.eq(ap_id))
        .execute(conn)?;
    row(conn, id)
}

/// A petition by row id, with the actor it is attributed to.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<Option<(Petition, Actor)>> {
    petitions::table
        .inner_join(actors::table.on(actors::id.eq(dsl::author_id)))
        .filter(dsl::id.eq(id))
        .select((Petition::as_select(), Actor::as_select()))
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// A petition by ActivityPub id, with the actor it is attributed to.
pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> DbResult<Option<(Petition, Actor)>> {
    petitions::table
        .inner_join(actors::table.on(actors::id.eq(dsl::author_id)))
        .filter(dsl::ap_id.eq(ap_id))
        .select((Petition::as_select(), Actor::as_select()))
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Takes the petition's write lock until the transaction ends, so that concurrent signatures
/// append to its log one after the other. On SQLite the write transaction (`BEGIN
/// IMMEDIATE`) already excludes every other writer; an update of the row there would cost a
/// foreign-key check of every table that points at petitions.
/// Gives the row as it is once locked: what was read before the lock may have changed.
pub fn lock(conn: &mut DbConn, id: i64) -> DbResult<Petition> {
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query("SELECT id FROM petitions WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::BigInt, _>(id)
            .execute(pg)?;
    }
    row(conn, id)
}

/// Sets a petition's status (and its closing time when it closes).
pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    closed_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> DbResult<Petition> {
    diesel::update(dsl::petitions.find(id))
        .set((
            dsl::status.eq(status),
            dsl::closed_at.eq(closed_at),
            dsl::updated_at.eq(now),
        ))
        .execute(conn)?;
    row(conn, id)
}

/// Notes that followers are owed an update of the count; true when none was owed yet (the
/// caller then queues it).
pub fn mark_update_due(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> DbResult<bool> {
    let changed = diesel::update(dsl::petitions.find(id))
        .filter(dsl::update_due_at.is_null())
        .set(dsl::update_due_at.eq(Some(now)))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The update owed is being built: changes from now on owe a new one.
pub fn clear_update_due(conn: &mut DbConn, id: i64) -> DbResult<()> {
    diesel::update(dsl::petitions.find(id))
        .set(dsl::update_due_at.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    Ok(())
}

/// A signature by the id of the remote vote that made it, on any petition.
pub fn by_vote_any(conn: &mut DbConn, vote_ap_id: &str) -> DbResult<Option<Signature>> {
    sig::petition_signatures
        .filter(sig::vote_ap_id.eq(vote_ap_id))
        .select(Signature::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Refreshes what another server's petition says (text, deadline, status, count).
pub fn refresh_remote(conn: &mut DbConn, id: i64, form: &PetitionForm) -> DbResult<Petition> {
    diesel::update(dsl::petitions.find(id))
        .set((
            dsl::title.eq(&form.title),
            dsl::text.eq(&form.text),
            dsl::target.eq(&form.target),
            dsl::deadline.eq(form.deadline),
            dsl::status.eq(&form.status),
            dsl::option_name.eq(&form.option_name),
            dsl::remote_count.eq(form.remote_count),
            dsl::signature_policy.eq(&form.signature_policy),
            dsl::transparency_log.eq(&form.transparency_log),
            dsl::updated_at.eq(form.updated_at),
        ))
        .execute(conn)?;
    row(conn, id)
}

/// Standing, counted signatures of a petition, optionally from one origin and within a time
/// window, oldest first (moderators narrow them down further by address).
pub fn standing_between(
    conn: &mut DbConn,
    petition_id: i64,
    origin: Option<&str>,
    from: Option<NaiveDateTime>,
    until: Option<NaiveDateTime>,
) -> DbResult<Vec<Signature>> {
    let mut query = sig::petition_signatures
        .filter(sig::petition_id.eq(petition_id))
        .filter(sig::withdrawn_at.is_null())
        .filter(sig::invalidated_at.is_null())
        .into_boxed();
    if let Some(origin) = origin {
        query = query.filter(sig::origin.eq(origin.to_string()));
    }
    if let Some(from) = from {
        query = query.filter(sig::signed_at.ge(from));
    }
    if let Some(until) = until {
        query = query.filter(sig::signed_at.lt(until));
    }
    Ok(query
        .order(sig::id.asc())
        .select(Signature::as_select())
        .load(conn)?)
}

/// Marks a signature invalidated.
pub fn invalidate(conn: &mut DbConn, signature_id: i64, at: NaiveDateTime) -> DbResult<()> {
    let ended: Option<(i64, String, Option<i64>)> =
        diesel::update(standing().filter(sig::id.eq(signature_id)))
            .set(sig::invalidated_at.eq(Some(at)))
            .returning((sig::petition_id, sig::origin, sig::leaf_index))
            .get_result(conn)
            .map_err(Into::into)
            .found()?;
    untally(conn, ended)
}

/// Standing signatures: neither withdrawn nor invalidated.
fn standing() -> diesel::dsl::Filter<
    diesel::dsl::Filter<petition_signatures::table, diesel::dsl::IsNull<sig::withdrawn_at>>,
    diesel::dsl::IsNull<sig::invalidated_at>,
> {
    sig::petition_signatures
        .filter(sig::withdrawn_at.is_null())
        .filter(sig::invalidated_at.is_null())
}

/// Adds `verified` and `unverified` (either may be negative) to an origin's tally.
fn adjust_tally(
    conn: &mut DbConn,
    petition_id: i64,
    origin: &str,
    verified: i64,
    unverified: i64,
) -> DbResult<()> {
    let changed = diesel::update(
        tally::petition_tallies
            .filter(tally::petition_id.eq(petition_id))
            .filter(tally::origin.eq(origin)),
    )
    .set((
        tally::verified.eq(tally::verified + verified),
        tally::unverified.eq(tally::unverified + unverified),
    ))
    .execute(conn)?;
    if changed == 0 {
        // Writes to one petition hold its lock, so no other insert of this row can race.
        diesel::insert_into(tally::petition_tallies)
            .values((
                tally::petition_id.eq(petition_id),
                tally::origin.eq(origin),
                tally::verified.eq(verified),
                tally::unverified.eq(unverified),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds counted signatures from `origin` to a petition's tally (signatures a moved petition's
/// log brought with it, whose rows stayed on its old node).
pub fn add_to_tally(
    conn: &mut DbConn,
    petition_id: i64,
    origin: &str,
    verified: i64,
) -> DbResult<()> {
    adjust_tally(conn, petition_id, origin, verified, 0)
}

/// Takes a signature that stopped standing out of its tally.
fn untally(conn: &mut DbConn, ended: Option<(i64, String, Option<i64>)>) -> DbResult<()> {
    match ended {
        Some((petition_id, origin, Some(_))) => adjust_tally(conn, petition_id, &origin, -1, 0),
        Some((petition_id, origin, None)) => adjust_tally(conn, petition_id, &origin, 0, -1),
        None => Ok(()),
    }
}

/// Records a moderator's bulk invalidation.
pub fn record_invalidation(
    conn: &mut DbConn,
    petition_id: i64,
    moderator_id: i64,
    reason: &str,
    criteria: &str,
    invalidated: i64,
) -> DbResult<()> {
    use crate::schema::petition_invalidations::dsl as inv;
    diesel::insert_into(inv::petition_invalidations)
        .values((
            inv::petition_id.eq(petition_id),
            inv::moderator_id.eq(Some(moderator_id)),
            inv::reason.eq(reason),
            inv::criteria.eq(criteria),
            inv::invalidated.eq(invalidated),
            inv::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records the target's official response: the petition is answered.
pub fn answer(conn: &mut DbConn, id: i64, response: &str, at: NaiveDateTime) -> DbResult<Petition> {
    diesel::update(dsl::petitions.find(id))
        .set((
            dsl::response.eq(Some(response)),
            dsl::response_at.eq(Some(at)),
            dsl::status.eq("answered"),
            dsl::updated_at.eq(at),
        ))
        .execute(conn)?;
    row(conn, id)
}

/// Records the highest milestone announced.
pub fn set_milestone_reached(conn: &mut DbConn, id: i64, milestone: i64) -> DbResult<()> {
    diesel::update(dsl::petitions.find(id))
        .set(dsl::milestone_reached.eq(milestone))
        .execute(conn)?;
    Ok(())
}

/// The standing signature of a signer on a petition, if any.
pub fn standing_signature(
    conn: &mut DbConn,
    petition_id: i64,
    signer_id: i64,
) -> DbResult<Option<Signature>> {
    sig::petition_signatures
        .filter(sig::petition_id.eq(petition_id))
        .filter(sig::signer_id.eq(signer_id))
        .filter(sig::withdrawn_at.is_null())
        .filter(sig::invalidated_at.is_null())
        .select(Signature::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Every signature a signer ever made on a petition: the standing one, if any, and those
/// withdrawn or invalidated.
pub fn signatures_of(
    conn: &mut DbConn,
    petition_id: i64,
    signer_id: i64,
) -> DbResult<Vec<Signature>> {
    // By signer first: an account has few signatures, a petition may have millions.
    Ok(sig::petition_signatures
        .filter(sig::signer_id.eq(signer_id))
        .filter(sig::petition_id.eq(petition_id))
        .select(Signature::as_select())
        .load(conn)?)
}

/// The signature a remote vote made, standing or not.
pub fn by_vote(
    conn: &mut DbConn,
    petition_id: i64,
    vote_ap_id: &str,
) -> DbResult<Option<Signature>> {
    sig::petition_signatures
        .filter(sig::petition_id.eq(petition_id))
        .filter(sig::vote_ap_id.eq(vote_ap_id))
        .select(Signature::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// A signature by row id.
pub fn signature_by_id(conn: &mut DbConn, id: i64) -> DbResult<Signature> {
    Ok(sig::petition_signatures
        .find(id)
        .select(Signature::as_select())
        .first(conn)?)
}

/// Inserts a signature.
pub fn insert_signature(conn: &mut DbConn, form: &SignatureForm) -> DbResult<Signature> {
    let id = insert_signatures(conn, std::slice::from_ref(form))?
        .into_iter()
        .next()
        .ok_or_else(|| crate::DbError::Task("a new signature came back without its id".into()))?;
    // The row is the form as written: no read back.
    Ok(form.clone().into_row(id))
}

/// Inserts many signatures in a few statements; gives their row ids, in order. Counts them
/// in the tallies once per origin.
pub fn insert_signatures(conn: &mut DbConn, forms: &[SignatureForm]) -> DbResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(forms.len());
    for chunk in forms.chunks(ROWS_PER_INSERT) {
        // A statement's returned rows need not come in the order of its values: they are
        // matched back by signer, unique among a petition's new signatures.
        let made: Vec<(Option<i64>, i64)> =
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(
                petition_signatures::table
            )
            .values(chunk)
            .returning((sig::signer_id, sig::id))
            .get_results(c))?;
        let by_signer: std::collections::HashMap<i64, i64> = made
            .into_iter()
            .filter_map(|(signer, id)| Some((signer?, id)))
            .collect();
        for form in chunk {
            let id = by_signer.get(&form.signer_id).ok_or_else(|| {
                crate::DbError::Task("a new signature came back without its id".into())
            })?;
            ids.push(*id);
        }
    }
    let mut counts: Vec<(i64, &str, i64, i64)> = Vec::new();
    for form in forms {
        let (verified, unverified) = if form.leaf_index.is_some() {
            (1, 0)
        } else {
            (0, 1)
        };
        let key = (form.petition_id, form.origin.as_str());
        match counts.iter_mut().find(|c| (c.0, c.1) == key) {
            Some(count) => {
                count.2 += verified;
                count.3 += unverified;
            }
            None => counts.push((key.0, key.1, verified, unverified)),
        }
    }
    for (petition_id, origin, verified, unverified) in counts {
        adjust_tally(conn, petition_id, origin, verified, unverified)?;
    }
    Ok(ids)
}

/// Rows per insert statement: far below both backends' limits on bound values.
const ROWS_PER_INSERT: usize = 500;

/// The signatures, standing or not, of any of `signers` on a petition.
pub fn signatures_of_many(
    conn: &mut DbConn,
    petition_id: i64,
    signers: &[i64],
) -> DbResult<Vec<Signature>> {
    let mut out = Vec::new();
    for chunk in signers.chunks(ROWS_PER_INSERT) {
        let found: Vec<Signature> = match &mut *conn {
            DbConn::Sqlite(c) => sig::petition_signatures
                .filter(sig::signer_id.eq_any(chunk))
                .filter(sig::petition_id.eq(petition_id))
                .select(Signature::as_select())
                .load(c)?,
            // One index lookup per signer, the petition kept in Rust. The statistics of a
            // table that grows fast (a viral petition's, exactly) lag behind, and with them
            // `signer_id = ANY($1)` or a join on the list is planned as a walk through all
            // the petition's signatures testing each; the lateral subquery, kept apart by
            // `OFFSET 0`, leaves the planner only the signer index.
            DbConn::Pg(c) => diesel::sql_query(
                "SELECT s.* FROM unnest($1::int8[]) AS w(id) CROSS JOIN LATERAL \
                 (SELECT * FROM petition_signatures p WHERE p.signer_id = w.id OFFSET 0) s",
            )
            .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(chunk)
            .load::<Signature>(c)?
            .into_iter()
            .filter(|s| s.petition_id == petition_id)
            .collect(),
        };
        out.extend(found);
    }
    Ok(out)
}

/// Records the sign leaf of a standing signature now counted.
pub fn set_leaf(conn: &mut DbConn, signature_id: i64, leaf_index: i64) -> DbResult<()> {
    let counted: Option<(i64, String)> = diesel::update(
        standing()
            .filter(sig::id.eq(signature_id))
            .filter(sig::leaf_index.is_null()),
    )
    .set(sig::leaf_index.eq(Some(leaf_index)))
    .returning((sig::petition_id, sig::origin))
    .get_result(conn)
    .map_err(Into::into)
    .found()?;
    match counted {
        Some((petition_id, origin)) => adjust_tally(conn, petition_id, &origin, 1, -1),
        None => Ok(()),
    }
}

/// Marks a standing signature withdrawn.
pub fn withdraw(conn: &mut DbConn, signature_id: i64, at: NaiveDateTime) -> DbResult<()> {
    let ended: Option<(i64, String, Option<i64>)> =
        diesel::update(standing().filter(sig::id.eq(signature_id)))
            .set(sig::withdrawn_at.eq(Some(at)))
            .returning((sig::petition_id, sig::origin, sig::leaf_index))
            .get_result(conn)
            .map_err(Into::into)
            .found()?;
    untally(conn, ended)
}

/// Standing signatures of a signer not yet counted (their e-mail was not confirmed), each
/// with its petition's status.
pub fn uncounted_of(conn: &mut DbConn, signer_id: i64) -> DbResult<Vec<(Signature, String)>> {
    Ok(petition_signatures::table
        .inner_join(petitions::table)
        .filter(sig::signer_id.eq(signer_id))
        .filter(sig::leaf_index.is_null())
        .filter(sig::withdrawn_at.is_null())
        .filter(sig::invalidated_at.is_null())
        .select((Signature::as_select(), dsl::status))
        .load(conn)?)
}

/// How many standing signatures of a petition are counted (in its log).
pub fn counted(conn: &mut DbConn, petition_id: i64) -> DbResult<i64> {
    let per_origin: Vec<i64> = tally::petition_tallies
        .filter(tally::petition_id.eq(petition_id))
        .select(tally::verified)
        .load(conn)?;
    Ok(per_origin.into_iter().sum())
}

/// Standing signatures of a petition by origin, counted and not yet counted:
/// `(origin, verified, unverified)` by origin, from the tallies kept with each change.
pub fn tally(conn: &mut DbConn, petition_id: i64) -> DbResult<Vec<(String, i64, i64)>> {
    Ok(tally::petition_tallies
        .filter(tally::petition_id.eq(petition_id))
        .filter(tally::verified.ne(0).or(tally::unverified.ne(0)))
        .order(tally::origin.asc())
        .select((tally::origin, tally::verified, tally::unverified))
        .load(conn)?)
}

/// The pseudonyms of standing, counted signers who chose to show them, oldest first.
pub fn public_signers(conn: &mut DbConn, petition_id: i64, limit: i64) -> DbResult<Vec<Actor>> {
    Ok(petition_signatures::table
        .inner_join(actors::table.on(actors::id.nullable().eq(sig::signer_id)))
        .filter(sig::petition_id.eq(petition_id))
        // The bare column, not `= true`: a bound value would not match the partial index's
        // condition, and the query would read every signature of the petition.
        .filter(sig::show_name)
        .filter(sig::leaf_index.is_not_null())
        .filter(sig::withdrawn_at.is_null())
        .filter(sig::invalidated_at.is_null())
        .order(sig::id.asc())
        .limit(limit)
        .select(Actor::as_select())
        .load(conn)?)
}

/// The petitions an actor wrote (for itself or for an initiative), oldest first.
pub fn created_by(conn: &mut DbConn, actor_id: i64) -> DbResult<Vec<Petition>> {
    Ok(dsl::petitions
        .filter(dsl::created_by.eq(actor_id).or(dsl::author_id.eq(actor_id)))
        .order(dsl::id.asc())
        .select(Petition::as_select())
        .load(conn)?)
}

/// Every signature of a signer, with its petition, oldest first.
pub fn by_signer(conn: &mut DbConn, signer_id: i64) -> DbResult<Vec<(Signature, Petition)>> {
    Ok(sig::petition_signatures
        .inner_join(petitions::table)
        .filter(sig::signer_id.eq(signer_id))
        .order(sig::id.asc())
        .select((Signature::as_select(), Petition::as_select()))
        .load(conn)?)
}

/// Stores many petitions at once (load tests); gives their ids, in order.
pub fn insert_many(conn: &mut DbConn, forms: &[PetitionForm]) -> DbResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(forms.len());
    for chunk in forms.chunks(500) {
        crate::on_backend!(conn, |c| diesel::insert_into(petitions::table)
            .values(chunk)
            .execute(c))?;
        let aps: Vec<&str> = chunk.iter().map(|f| f.ap_id.as_str()).collect();
        let mut found: Vec<(String, i64)> = dsl::petitions
            .filter(dsl::ap_id.eq_any(&aps))
            .select((dsl::ap_id, dsl::id))
            .load(conn)?;
        found.sort_by_key(|(ap, _)| aps.iter().position(|a| a == ap));
        ids.extend(found.into_iter().map(|(_, id)| id));
    }
    Ok(ids)
}

/// Counts a delivery of one of our petitions (see `posts::add_delivery`).
pub fn add_delivery(conn: &mut DbConn, ap_id: &str, bytes: i64, inboxes: i64) -> DbResult<bool> {
    let changed = diesel::update(
        dsl::petitions
            .filter(dsl::ap_id.eq(ap_id))
            .filter(dsl::local.eq(true)),
    )
    .set((
        dsl::payload_bytes.eq(bytes),
        dsl::delivered_inboxes.eq(dsl::delivered_inboxes + inboxes),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}
