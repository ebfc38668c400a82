//! Where the database holds a piece of text: every column of every table, searched. What an
//! administrator answers a person asking what the node keeps about them, and how a deletion is
//! checked to have left nothing.

use crate::{DbConn, error::DbResult};
use diesel::{prelude::*, sql_types::Text};

/// The rows of one column that hold the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
    /// How many rows.
    pub rows: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Every column holding `needle` (case-insensitive), with its number of rows. Diesel's own
/// bookkeeping table is left out.
pub fn holding(conn: &mut DbConn, needle: &str) -> DbResult<Vec<Found>> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return Ok(found);
    }
    for table in tables(conn)? {
        for column in columns(conn, &table)? {
            let rows = rows_holding(conn, &table, &column, needle)?;
            if rows > 0 {
                found.push(Found {
                    table: table.clone(),
                    column,
                    rows,
                });
            }
        }
    }
    Ok(found)
}

fn tables(conn: &mut DbConn) -> DbResult<Vec<String>> {
    let sql = match conn {
        DbConn::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name"
        }
        DbConn::Pg(_) => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    Ok(diesel::sql_query(sql)
        .load::<Name>(conn)?
        .into_iter()
        .map(|n| n.name)
        .filter(|n| n != "__diesel_schema_migrations")
        .collect())
}

fn columns(conn: &mut DbConn, table: &str) -> DbResult<Vec<String>> {
    let sql = match conn {
        DbConn::Sqlite(_) => "SELECT name FROM pragma_table_info(?) ORDER BY cid",
        DbConn::Pg(_) => {
            "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    Ok(diesel::sql_query(sql)
        .bind::<Text, _>(table)
        .load::<Name>(conn)?
        .into_iter()
        .map(|n| n.name)
        .collect())
}

fn rows_holding(conn: &mut DbConn, table: &str, column: &str, needle: &str) -> DbResult<i64> {
    // Names come from the catalog, quoted; the needle is bound.
    let (table, column) = (quoted(table), quoted(column));
    let sql = match conn {
        DbConn::Sqlite(_) => format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE instr(lower(CAST({column} AS TEXT)), lower(?)) > 0"
        ),
        DbConn::Pg(_) => format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE strpos(lower(CAST({column} AS TEXT)), lower($1)) > 0"
        ),
    };
    Ok(diesel::sql_query(sql)
        .bind::<Text, _>(needle)
        .get_result::<Count>(conn)?
        .n)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
