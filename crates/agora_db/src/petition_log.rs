//! A petition's transparency log as stored: its leaves and the tree's hashes, both
//! insert-only. The hashes are read back through `agora_tlog`'s `HashReader`.

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::{petition_log_hashes as hashes, petition_log_leaves as leaves},
};
use diesel::prelude::*;

/// How many leaves the log holds: one past the last index, read from the primary key's end
/// (a count would read every leaf, and this runs for each signature).
pub fn size(conn: &mut DbConn, petition_id: i64) -> DbResult<i64> {
    let last: Option<i64> = leaves::table
        .filter(leaves::petition_id.eq(petition_id))
        .select(diesel::dsl::max(leaves::idx))
        .first(conn)?;
    Ok(last.map_or(0, |i| i + 1))
}

/// A leaf row, for inserts of many.
#[derive(Insertable)]
#[diesel(table_name = leaves)]
struct LeafRow<'a> {
    petition_id: i64,
    idx: i64,
    leaf: &'a str,
}

/// A hash row, for inserts of many.
#[derive(Insertable)]
#[diesel(table_name = hashes)]
struct HashRow<'a> {
    petition_id: i64,
    idx: i64,
    hash: &'a str,
}

/// Rows per insert statement: far below both backends' limits on bound values.
const ROWS_PER_INSERT: usize = 500;

/// Appends leaves `first_idx..` and the hashes they add, starting at stored index
/// `first_hash`, in a few statements: a viral petition appends hundreds per transaction.
pub fn append_many(
    conn: &mut DbConn,
    petition_id: i64,
    first_idx: i64,
    new_leaves: &[String],
    first_hash: i64,
    added: &[String],
) -> DbResult<()> {
    let leaf_rows: Vec<LeafRow> = new_leaves
        .iter()
        .enumerate()
        .map(|(i, leaf)| LeafRow {
            petition_id,
            idx: first_idx + i as i64,
            leaf,
        })
        .collect();
    for chunk in leaf_rows.chunks(ROWS_PER_INSERT) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(leaves::table)
            .values(chunk)
            .execute(c))?;
    }
    let hash_rows: Vec<HashRow> = added
        .iter()
        .enumerate()
        .map(|(i, hash)| HashRow {
            petition_id,
            idx: first_hash + i as i64,
            hash,
        })
        .collect();
    for chunk in hash_rows.chunks(ROWS_PER_INSERT) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(hashes::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// The stored hashes with these indexes, in the order asked; missing ones are left out.
/// One lookup each: an append asks for one or two, and a statement with a fixed shape is
/// prepared once per connection where an `IN` list of varying length is prepared each time.
pub fn read_hashes(
    conn: &mut DbConn,
    petition_id: i64,
    indexes: &[i64],
) -> DbResult<Vec<(i64, String)>> {
    let mut out = Vec::with_capacity(indexes.len());
    for &idx in indexes {
        let found: Option<String> = hashes::table
            .find((petition_id, idx))
            .select(hashes::hash)
            .first(conn)
            .map_err(Into::into)
            .found()?;
        out.extend(found.map(|h| (idx, h)));
    }
    Ok(out)
}

/// Leaves `start..start+limit`, in order.
pub fn leaves(
    conn: &mut DbConn,
    petition_id: i64,
    start: i64,
    limit: i64,
) -> DbResult<Vec<(i64, String)>> {
    Ok(leaves::table
        .filter(leaves::petition_id.eq(petition_id))
        .filter(leaves::idx.ge(start))
        .order(leaves::idx.asc())
        .limit(limit)
        .select((leaves::idx, leaves::leaf))
        .load(conn)?)
}
