//! Transparency logs watched by others and watching others: what this node last saw of
//! another node's petition log as its witness, and the cosignatures witnesses sent us.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::{petition_cosignatures as cosig, petition_witnessing as seen},
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What we last saw of another node's petition log.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = seen)]
pub struct Witnessing {
    /// The (remote) petition.
    pub petition_id: i64,
    /// Its node's checkpoint key, pinned on first sight.
    pub log_key: String,
    /// The size of the last checkpoint found consistent.
    pub size: i64,
    /// That checkpoint (signed note).
    pub checkpoint: String,
    /// When it was checked.
    pub checked_at: NaiveDateTime,
    /// A checkpoint that contradicts it: proof the node showed two histories.
    pub fork: Option<String>,
    /// When the contradiction was caught.
    pub fork_at: Option<NaiveDateTime>,
}

/// What we saw of a petition's log, if we watch it.
pub fn get(conn: &mut DbConn, petition_id: i64) -> DbResult<Option<Witnessing>> {
    seen::table
        .find(petition_id)
        .select(Witnessing::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Records a checkpoint found consistent with what we saw before (or the first one, whose
/// key is pinned from then on). One statement: two checks of the same log at once cannot
/// both insert.
pub fn save(
    conn: &mut DbConn,
    petition_id: i64,
    log_key: &str,
    size: i64,
    checkpoint: &str,
) -> DbResult<()> {
    let now = crate::now();
    crate::on_backend!(&mut *conn, |c| diesel::insert_into(seen::table)
        .values((
            seen::petition_id.eq(petition_id),
            seen::log_key.eq(log_key),
            seen::size.eq(size),
            seen::checkpoint.eq(checkpoint),
            seen::checked_at.eq(now),
        ))
        .on_conflict(seen::petition_id)
        .do_update()
        .set((
            seen::size.eq(size),
            seen::checkpoint.eq(checkpoint),
            seen::checked_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}

/// Records the evidence of a fork (the first one caught is kept).
pub fn record_fork(conn: &mut DbConn, petition_id: i64, checkpoint: &str) -> DbResult<()> {
    diesel::update(seen::table.find(petition_id))
        .filter(seen::fork.is_null())
        .set((
            seen::fork.eq(Some(checkpoint)),
            seen::fork_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every log we caught showing two histories.
pub fn forks(conn: &mut DbConn) -> DbResult<Vec<Witnessing>> {
    Ok(seen::table
        .filter(seen::fork.is_not_null())
        .order(seen::fork_at.desc())
        .select(Witnessing::as_select())
        .load(conn)?)
}

/// A witness's cosignature of one of our checkpoints.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cosig)]
pub struct Cosignature {
    /// Row id.
    pub id: i64,
    /// Our petition.
    pub petition_id: i64,
    /// The witness's key name (its host).
    pub witness: String,
    /// The size of the checkpoint it cosigned.
    pub size: i64,
    /// The signature line.
    pub signature: String,
    /// When the witness cosigned.
    pub cosigned_at: NaiveDateTime,
}

/// Keeps a witness's latest cosignature of a petition (an older one is replaced).
pub fn save_cosignature(
    conn: &mut DbConn,
    petition_id: i64,
    witness: &str,
    size: i64,
    signature: &str,
    cosigned_at: NaiveDateTime,
) -> DbResult<()> {
    diesel::delete(
        cosig::table
            .filter(cosig::petition_id.eq(petition_id))
            .filter(cosig::witness.eq(witness))
            .filter(cosig::size.le(size)),
    )
    .execute(conn)?;
    let kept: i64 = cosig::table
        .filter(cosig::petition_id.eq(petition_id))
        .filter(cosig::witness.eq(witness))
        .count()
        .get_result(conn)?;
    if kept == 0 {
        diesel::insert_into(cosig::table)
            .values((
                cosig::petition_id.eq(petition_id),
                cosig::witness.eq(witness),
                cosig::size.eq(size),
                cosig::signature.eq(signature),
                cosig::cosigned_at.eq(cosigned_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The witnesses' cosignatures of a petition, largest checkpoint first.
pub fn cosignatures(conn: &mut DbConn, petition_id: i64) -> DbResult<Vec<Cosignature>> {
    Ok(cosig::table
        .filter(cosig::petition_id.eq(petition_id))
        .order((cosig::size.desc(), cosig::witness.asc()))
        .select(Cosignature::as_select())
        .load(conn)?)
}
