//! The SQLite and PostgreSQL migrations give the same schema, not only the same migration names:
//! after each migration, every table has the same columns in the same order (type, nullability,
//! primary key, default), the same foreign keys (columns, referenced table and columns, ON DELETE
//! and ON UPDATE), the same unique and plain indexes, triggers and views on both backends, and
//! reverting each migration gives back the schema it found, down to no table at all.
//! Needs PostgreSQL on both runs of the suite: `AGORA_TEST_DATABASE`, or
//! postgres://postgres@127.0.0.1:5432 when it is unset; it fails, saying so, when none answers.
#![allow(missing_docs, clippy::unwrap_used)]

use agora_db::{DbConn, migrations};
use diesel::{
    Connection, PgConnection, RunQueryDsl, SqliteConnection,
    connection::SimpleConnection,
    sql_types::{BigInt, Nullable, Text},
};
use diesel_migrations::MigrationHarness;
use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    path::PathBuf,
};

/// The server used when `AGORA_TEST_DATABASE` is unset: the one .ci/run starts.
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

/// Differences that released migrations left between the backends and a later pair removes:
/// (first migration showing it, the migration removing it, the difference as reported). A
/// released migration cannot change any more; a new pair must add no difference, and the latest
/// schema must have none at all.
const KNOWN: &[(&str, &str, &str)] = &[(
    "20261123000005",
    "20261129000008",
    "posts: foreign key (group_id) -> actors (id) on delete NO ACTION on update NO ACTION only on postgres",
)];

/// The default of a column filled by a sequence (PostgreSQL) or an `INTEGER PRIMARY KEY
/// AUTOINCREMENT` (SQLite).
const AUTO: &str = "autoincrement";

#[test]
fn every_migration_gives_the_same_schema_on_sqlite_and_postgresql() {
    let mut sqlite = fresh_sqlite("same");
    let mut postgres = fresh_postgres("same");
    let sides = Sides {
        a: "sqlite",
        b: "postgres",
    };
    let mut failures = Vec::new();
    let mut latest = Vec::new();
    let mut applied = 0;
    loop {
        let version = apply_next(&mut sqlite.conn);
        assert_eq!(
            version,
            apply_next(&mut postgres.conn),
            "the two backends must apply the same migrations in the same order"
        );
        let Some(version) = version else { break };
        applied += 1;
        latest = differences(
            sides,
            &read_schema(&mut sqlite.conn),
            &read_schema(&mut postgres.conn),
        );
        let unexpected: Vec<&str> = latest
            .iter()
            .map(String::as_str)
            .filter(|d| !known(&version, d))
            .collect();
        if !unexpected.is_empty() {
            failures.push(format!(
                "after migration {version}:\n    {}",
                unexpected.join("\n    ")
            ));
        }
    }
    assert!(applied > 0, "no migration ran");
    assert!(
        failures.is_empty(),
        "the SQLite and PostgreSQL migrations give different schemas (change both folders the \
         same way; a released migration is fixed by a new pair):\n{}",
        failures.join("\n")
    );
    assert!(
        latest.is_empty(),
        "the latest SQLite and PostgreSQL schemas differ:\n    {}",
        latest.join("\n    ")
    );
}

#[test]
fn reverting_each_migration_gives_back_the_schema_it_found() {
    for mut fresh in [fresh_sqlite("revert"), fresh_postgres("revert")] {
        let backend = label(&fresh.conn);
        let mut states = vec![(String::from("none"), read_schema(&mut fresh.conn))];
        while let Some(version) = apply_next(&mut fresh.conn) {
            let schema = read_schema(&mut fresh.conn);
            states.push((version, schema));
        }
        assert!(states.len() > 1, "no migration ran on {backend}");
        let mut failures = Vec::new();
        while let Some(version) = revert_last(&mut fresh.conn) {
            let (latest, _) = states.pop().unwrap();
            assert_eq!(
                latest, version,
                "on {backend}, the migration reverted is not the last one applied"
            );
            let (_, before) = states.last().unwrap();
            let diffs = differences(
                Sides {
                    a: "the schema up.sql found",
                    b: "the schema down.sql left",
                },
                before,
                &read_schema(&mut fresh.conn),
            );
            if !diffs.is_empty() {
                failures.push(format!("{version}:\n    {}", diffs.join("\n    ")));
            }
        }
        assert_eq!(
            states.len(),
            1,
            "on {backend}, not every migration was reverted"
        );
        assert!(
            failures.is_empty(),
            "on {backend}, down.sql does not give back the schema up.sql found:\n{}",
            failures.join("\n")
        );
        let left = leftovers(&mut fresh.conn);
        assert!(
            left.is_empty(),
            "on {backend}, reverting every migration leaves more than diesel's table:\n    {}",
            left.join("\n    ")
        );
    }
}

fn known(version: &str, difference: &str) -> bool {
    KNOWN
        .iter()
        .any(|(from, until, text)| (*from..*until).contains(&version) && *text == difference)
}

// ---------------------------------------------------------------------------------------------
// Fresh databases, removed afterwards.

struct Fresh {
    conn: DbConn,
    /// Dropped after `conn`: fields drop in declaration order.
    _cleanup: Cleanup,
}

enum Cleanup {
    Directory(PathBuf),
    Postgres { base: String, database: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::Directory(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { base, database } => {
                if let Ok(mut admin) = PgConnection::establish(&format!("{base}/postgres")) {
                    let _ = diesel::sql_query(format!(
                        "DROP DATABASE IF EXISTS {database} WITH (FORCE)"
                    ))
                    .execute(&mut admin);
                }
            }
        }
    }
}

fn fresh_sqlite(name: &str) -> Fresh {
    let dir = std::env::temp_dir().join(format!("agora-schema-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut conn =
        SqliteConnection::establish(&dir.join("schema.sqlite3").to_string_lossy()).unwrap();
    // As every pooled connection of the server (connection.rs).
    conn.batch_execute("PRAGMA foreign_keys = ON;").unwrap();
    Fresh {
        conn: DbConn::Sqlite(conn),
        _cleanup: Cleanup::Directory(dir),
    }
}

fn fresh_postgres(name: &str) -> Fresh {
    let base = std::env::var("AGORA_TEST_DATABASE")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| DEFAULT_POSTGRES.to_string())
        .trim_end_matches('/')
        .to_string();
    let mut admin = PgConnection::establish(&format!("{base}/postgres")).unwrap_or_else(|e| {
        panic!(
            "this test compares the schemas of the SQLite and PostgreSQL migrations, on every run \
             of the suite: it needs a PostgreSQL server where it may create databases, at {base} \
             (set AGORA_TEST_DATABASE=postgres://… for another one). It does not answer: {e}\n\
             Start it as .ci/run does: \
             pg_ctlcluster --skip-systemctl-redirect \"$(ls /etc/postgresql)\" main start"
        )
    });
    let database = format!("agora_schema_{}_{name}", std::process::id());
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
    diesel::sql_query(format!("CREATE DATABASE {database}"))
        .execute(&mut admin)
        .unwrap();
    let conn = PgConnection::establish(&format!("{base}/{database}")).unwrap();
    Fresh {
        conn: DbConn::Pg(conn),
        _cleanup: Cleanup::Postgres { base, database },
    }
}

fn label(conn: &DbConn) -> &'static str {
    if conn.is_sqlite() {
        "sqlite"
    } else {
        "postgres"
    }
}

/// Applies the next pending migration of the connection's backend; its version, or `None` when
/// none is left.
fn apply_next(conn: &mut DbConn) -> Option<String> {
    let backend = label(conn);
    let next = match conn {
        DbConn::Sqlite(c) => match c.has_pending_migration(migrations::SQLITE) {
            Ok(true) => c
                .run_next_migration(migrations::SQLITE)
                .map(|v| Some(v.to_string())),
            Ok(false) => Ok(None),
            Err(e) => Err(e),
        },
        DbConn::Pg(c) => match c.has_pending_migration(migrations::POSTGRES) {
            Ok(true) => c
                .run_next_migration(migrations::POSTGRES)
                .map(|v| Some(v.to_string())),
            Ok(false) => Ok(None),
            Err(e) => Err(e),
        },
    };
    next.unwrap_or_else(|e| panic!("a migration failed on {backend}: {e}"))
}

/// Reverts the last applied migration; its version, or `None` when none is applied.
fn revert_last(conn: &mut DbConn) -> Option<String> {
    let backend = label(conn);
    let reverted = match conn {
        DbConn::Sqlite(c) => match c.applied_migrations() {
            Ok(applied) if applied.is_empty() => Ok(None),
            Ok(_) => c
                .revert_last_migration(migrations::SQLITE)
                .map(|v| Some(v.to_string())),
            Err(e) => Err(e),
        },
        DbConn::Pg(c) => match c.applied_migrations() {
            Ok(applied) if applied.is_empty() => Ok(None),
            Ok(_) => c
                .revert_last_migration(migrations::POSTGRES)
                .map(|v| Some(v.to_string())),
            Err(e) => Err(e),
        },
    };
    reverted.unwrap_or_else(|e| panic!("reverting a migration failed on {backend}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The normalised schema.

#[derive(Default)]
struct Schema {
    tables: BTreeMap<String, Table>,
    /// `view NAME` and `trigger TABLE.NAME`.
    others: BTreeSet<String>,
}

#[derive(Default)]
struct Table {
    /// In table order: `INSERT … SELECT *` and rebuilt SQLite tables depend on it.
    columns: Vec<(String, Column)>,
    foreign_keys: BTreeSet<ForeignKey>,
    indexes: BTreeSet<Index>,
}

#[derive(PartialEq, Eq)]
struct Column {
    ty: String,
    nullable: bool,
    /// Position in the primary key from 1, or 0.
    primary_key: i64,
    default: Option<String>,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: Vec<String>,
    table: String,
    references: Vec<String>,
    on_delete: String,
    on_update: String,
}

/// An index other than the primary key's. `name` is that of an index made with CREATE INDEX
/// (down.sql files drop them by name); those backing a UNIQUE constraint are named by each
/// backend its own way and compared by their columns only.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    name: Option<String>,
    unique: bool,
    partial: bool,
    columns: Vec<String>,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.ty)?;
        if !self.nullable {
            write!(f, " NOT NULL")?;
        }
        if self.primary_key > 0 {
            write!(f, " PRIMARY KEY #{}", self.primary_key)?;
        }
        if let Some(default) = &self.default {
            write!(f, " DEFAULT {default}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}) -> {} ({}) on delete {} on update {}",
            self.columns.join(", "),
            self.table,
            self.references.join(", "),
            self.on_delete,
            self.on_update
        )
    }
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", if self.unique { "unique index" } else { "index" })?;
        if let Some(name) = &self.name {
            write!(f, " {name}")?;
        }
        write!(f, " ({})", self.columns.join(", "))?;
        if self.partial {
            write!(f, " partial")?;
        }
        Ok(())
    }
}

/// Names of the two schemas compared, for the report.
#[derive(Clone, Copy)]
struct Sides<'a> {
    a: &'a str,
    b: &'a str,
}

/// Every difference between two schemas, one readable line each, naming the table.
fn differences(sides: Sides<'_>, a: &Schema, b: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = a.tables.keys().chain(b.tables.keys()).collect();
    for name in names {
        match (a.tables.get(name), b.tables.get(name)) {
            (Some(x), Some(y)) => table_differences(name, sides, x, y, &mut out),
            (Some(_), None) => out.push(format!("table {name}: only on {}", sides.a)),
            (None, Some(_)) => out.push(format!("table {name}: only on {}", sides.b)),
            (None, None) => {}
        }
    }
    one_sided(sides, "", &a.others, &b.others, &mut out);
    out
}

fn table_differences(table: &str, sides: Sides<'_>, a: &Table, b: &Table, out: &mut Vec<String>) {
    let a_columns: BTreeMap<&str, &Column> =
        a.columns.iter().map(|(n, c)| (n.as_str(), c)).collect();
    let b_columns: BTreeMap<&str, &Column> =
        b.columns.iter().map(|(n, c)| (n.as_str(), c)).collect();
    for (name, column) in &a.columns {
        match b_columns.get(name.as_str()) {
            None => out.push(format!("{table}.{name}: only on {} ({column})", sides.a)),
            Some(other) if *other != column => out.push(format!(
                "{table}.{name}: {column} on {}, {other} on {}",
                sides.a, sides.b
            )),
            Some(_) => {}
        }
    }
    for (name, column) in &b.columns {
        if !a_columns.contains_key(name.as_str()) {
            out.push(format!("{table}.{name}: only on {} ({column})", sides.b));
        }
    }
    let a_order: Vec<&str> = a
        .columns
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| b_columns.contains_key(n))
        .collect();
    let b_order: Vec<&str> = b
        .columns
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| a_columns.contains_key(n))
        .collect();
    if a_order != b_order {
        out.push(format!(
            "{table}: columns in another order: ({}) on {}, ({}) on {}",
            a_order.join(", "),
            sides.a,
            b_order.join(", "),
            sides.b
        ));
    }
    one_sided(
        sides,
        &format!("{table}: foreign key "),
        &a.foreign_keys,
        &b.foreign_keys,
        out,
    );
    one_sided(sides, &format!("{table}: "), &a.indexes, &b.indexes, out);
}

fn one_sided<T: Ord + fmt::Display>(
    sides: Sides<'_>,
    context: &str,
    a: &BTreeSet<T>,
    b: &BTreeSet<T>,
    out: &mut Vec<String>,
) {
    for x in a.difference(b) {
        out.push(format!("{context}{x} only on {}", sides.a));
    }
    for x in b.difference(a) {
        out.push(format!("{context}{x} only on {}", sides.b));
    }
}

/// Maps a declared type to a small vocabulary: SQLite has no sizes, and its rowid must be
/// declared `INTEGER` where PostgreSQL has `BIGSERIAL`. An unknown type is kept as declared.
fn normalise_type(declared: &str) -> String {
    let lower = declared.trim().to_ascii_lowercase();
    let base = lower.split('(').next().unwrap_or_default().trim();
    let kind = match base {
        "integer" | "int" | "bigint" | "smallint" | "int2" | "int4" | "int8" | "serial"
        | "bigserial" | "smallserial" => "int",
        "text" | "varchar" | "character varying" | "char" | "character" | "clob" => "text",
        "boolean" | "bool" => "bool",
        "timestamp" | "timestamp without time zone" | "datetime" => "timestamp",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "real" | "float" | "float4" | "float8" | "double" | "double precision" => "float",
        "blob" | "bytea" => "blob",
        "date" => "date",
        _ => return format!("{lower} (unmapped)"),
    };
    kind.to_string()
}

/// A default as written by either backend: PostgreSQL adds casts (`'citizen'::text`) and writes
/// booleans in lower case.
fn normalise_default(raw: &str) -> String {
    let raw = raw.trim();
    if raw.starts_with('\'') {
        let end = literal_end(raw);
        let (literal, rest) = raw.split_at(end);
        if rest.is_empty() || rest.starts_with("::") {
            return literal.to_string();
        }
        return raw.to_string();
    }
    raw.split("::")
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Where the string literal `s` starts with ends (`''` is a quote inside it).
fn literal_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    s.len()
}

// ---------------------------------------------------------------------------------------------
// Reading the schema of each backend.

#[derive(diesel::QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    /// The CREATE TABLE statement on SQLite, empty on PostgreSQL.
    #[diesel(sql_type = Text)]
    definition: String,
}

#[derive(diesel::QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    declared_type: String,
    #[diesel(sql_type = BigInt)]
    not_null: i64,
    #[diesel(sql_type = Nullable<Text>)]
    default_value: Option<String>,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

/// One column of a foreign key; rows of one key come together, in key order.
#[derive(diesel::QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
    #[diesel(sql_type = Text)]
    from_column: String,
    #[diesel(sql_type = Text)]
    to_table: String,
    #[diesel(sql_type = Text)]
    to_column: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
}

/// One column of an index; rows of one index come together, in index order.
#[derive(diesel::QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = BigInt)]
    is_unique: i64,
    #[diesel(sql_type = BigInt)]
    partial: i64,
    #[diesel(sql_type = BigInt)]
    named: i64,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(diesel::QueryableByName)]
struct ObjectRow {
    #[diesel(sql_type = Text)]
    object: String,
}

macro_rules! load {
    ($conn:expr, $row:ty, $sql:expr) => {
        diesel::sql_query($sql)
            .load::<$row>(&mut *$conn)
            .unwrap_or_else(|e| panic!("reading the schema failed: {e}\n{}", $sql))
    };
}

fn read_schema(conn: &mut DbConn) -> Schema {
    match conn {
        DbConn::Sqlite(c) => sqlite_schema(c),
        DbConn::Pg(c) => postgres_schema(c),
    }
}

/// Objects left besides diesel's own table.
fn leftovers(conn: &mut DbConn) -> Vec<String> {
    let rows = match conn {
        DbConn::Sqlite(c) => load!(c, ObjectRow, SQLITE_LEFTOVERS),
        DbConn::Pg(c) => load!(c, ObjectRow, POSTGRES_LEFTOVERS),
    };
    rows.into_iter().map(|r| r.object).collect()
}

fn sqlite_schema(conn: &mut SqliteConnection) -> Schema {
    let tables = load!(conn, TableRow, SQLITE_TABLES);
    let rows = load!(conn, ColumnRow, SQLITE_COLUMNS);
    let mut pk_sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.pk > 0) {
        *pk_sizes.entry(row.table_name.as_str()).or_default() += 1;
    }
    let columns = rows
        .iter()
        .map(|row| {
            let definition = tables
                .iter()
                .find(|t| t.table_name == row.table_name)
                .map(|t| t.definition.to_ascii_uppercase())
                .unwrap_or_default();
            // The one `INTEGER PRIMARY KEY` column is the rowid: never NULL, numbered by SQLite.
            let rowid = row.pk == 1
                && pk_sizes.get(row.table_name.as_str()) == Some(&1)
                && row.declared_type.eq_ignore_ascii_case("INTEGER")
                && !definition.contains("WITHOUT ROWID");
            let default = if rowid {
                Some(if definition.contains("AUTOINCREMENT") {
                    AUTO.to_string()
                } else {
                    "rowid (the ids of deleted rows come back)".to_string()
                })
            } else {
                row.default_value.as_deref().map(normalise_default)
            };
            let column = Column {
                ty: normalise_type(&row.declared_type),
                nullable: row.not_null == 0 && !rowid,
                primary_key: row.pk,
                default,
            };
            (row.table_name.clone(), row.column_name.clone(), column)
        })
        .collect();
    assemble(
        &tables,
        columns,
        load!(conn, ForeignKeyRow, SQLITE_FOREIGN_KEYS),
        load!(conn, IndexRow, SQLITE_INDEXES),
        load!(conn, ObjectRow, SQLITE_OTHERS),
    )
}

fn postgres_schema(conn: &mut PgConnection) -> Schema {
    let tables = load!(conn, TableRow, POSTGRES_TABLES);
    let columns = load!(conn, ColumnRow, POSTGRES_COLUMNS)
        .into_iter()
        .map(|row| {
            let default = row.default_value.as_deref().map(|d| {
                if d.starts_with("nextval(") {
                    AUTO.to_string()
                } else {
                    normalise_default(d)
                }
            });
            let column = Column {
                ty: normalise_type(&row.declared_type),
                nullable: row.not_null == 0,
                primary_key: row.pk,
                default,
            };
            (row.table_name, row.column_name, column)
        })
        .collect();
    assemble(
        &tables,
        columns,
        load!(conn, ForeignKeyRow, POSTGRES_FOREIGN_KEYS),
        load!(conn, IndexRow, POSTGRES_INDEXES),
        load!(conn, ObjectRow, POSTGRES_OTHERS),
    )
}

fn assemble(
    tables: &[TableRow],
    columns: Vec<(String, String, Column)>,
    foreign_keys: Vec<ForeignKeyRow>,
    indexes: Vec<IndexRow>,
    others: Vec<ObjectRow>,
) -> Schema {
    let mut schema = Schema::default();
    for table in tables {
        schema.tables.entry(table.table_name.clone()).or_default();
    }
    for (table, name, column) in columns {
        schema
            .tables
            .entry(table)
            .or_default()
            .columns
            .push((name, column));
    }
    let mut keys: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for ForeignKeyRow {
        table_name,
        constraint_name,
        from_column,
        to_table,
        to_column,
        on_delete,
        on_update,
    } in foreign_keys
    {
        let key = keys
            .entry((table_name, constraint_name))
            .or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: to_table,
                references: Vec::new(),
                on_delete,
                on_update,
            });
        key.columns.push(from_column);
        key.references.push(to_column);
    }
    for ((table, _), key) in keys {
        schema
            .tables
            .entry(table)
            .or_default()
            .foreign_keys
            .insert(key);
    }
    let mut grouped: BTreeMap<(String, String), Index> = BTreeMap::new();
    for IndexRow {
        table_name,
        index_name,
        is_unique,
        partial,
        named,
        column_name,
    } in indexes
    {
        let name = if named != 0 {
            Some(index_name.clone())
        } else {
            None
        };
        let index = grouped
            .entry((table_name, index_name))
            .or_insert_with(|| Index {
                name,
                unique: is_unique != 0,
                partial: partial != 0,
                columns: Vec::new(),
            });
        index.columns.push(column_name);
    }
    for ((table, _), index) in grouped {
        schema
            .tables
            .entry(table)
            .or_default()
            .indexes
            .insert(index);
    }
    schema.others = others.into_iter().map(|r| r.object).collect();
    schema
}

// SQLite: the schema table and the table-valued pragmas. Its own tables (sqlite_sequence…) and
// diesel's are left out.

const SQLITE_TABLES: &str = r#"
SELECT name AS table_name, COALESCE(sql, '') AS definition
FROM sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND name <> '__diesel_schema_migrations'
ORDER BY name"#;

const SQLITE_COLUMNS: &str = r#"
SELECT m.name AS table_name, p.name AS column_name, p.type AS declared_type,
       p."notnull" AS not_null, p.dflt_value AS default_value, p.pk AS pk
FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.name <> '__diesel_schema_migrations'
ORDER BY m.name, p.cid"#;

const SQLITE_FOREIGN_KEYS: &str = r#"
SELECT m.name AS table_name, CAST(f.id AS TEXT) AS constraint_name,
       f."from" AS from_column, f."table" AS to_table,
       COALESCE(f."to",
                (SELECT p.name FROM pragma_table_info(f."table") AS p WHERE p.pk = f.seq + 1),
                '?') AS to_column,
       f.on_delete AS on_delete, f.on_update AS on_update
FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.name <> '__diesel_schema_migrations'
ORDER BY m.name, f.id, f.seq"#;

const SQLITE_INDEXES: &str = r#"
SELECT m.name AS table_name, l.name AS index_name, l."unique" AS is_unique,
       l.partial AS partial, CASE WHEN l.origin = 'c' THEN 1 ELSE 0 END AS named,
       COALESCE(i.name, '<expression>') AS column_name
FROM sqlite_master AS m
JOIN pragma_index_list(m.name) AS l
JOIN pragma_index_info(l.name) AS i
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.name <> '__diesel_schema_migrations' AND l.origin <> 'pk'
ORDER BY m.name, l.name, i.seqno"#;

const SQLITE_OTHERS: &str = r#"
SELECT type || ' ' || CASE WHEN type = 'trigger' THEN tbl_name || '.' || name ELSE name END
       AS object
FROM sqlite_master
WHERE type IN ('view', 'trigger')
ORDER BY 1"#;

const SQLITE_LEFTOVERS: &str = r#"
SELECT type || ' ' || name AS object
FROM sqlite_master
WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' AND tbl_name <> '__diesel_schema_migrations'
ORDER BY 1"#;

// PostgreSQL: information_schema and the catalogs, in the current schema (public).

const POSTGRES_TABLES: &str = r#"
SELECT table_name::text AS table_name, ''::text AS definition
FROM information_schema.tables
WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
  AND table_name <> '__diesel_schema_migrations'
ORDER BY 1"#;

const POSTGRES_COLUMNS: &str = r#"
SELECT c.table_name::text AS table_name, c.column_name::text AS column_name,
       c.data_type::text AS declared_type,
       CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END::bigint AS not_null,
       COALESCE(c.column_default::text,
                CASE WHEN c.is_identity = 'YES' THEN 'nextval(identity)' END) AS default_value,
       COALESCE(k.ordinal_position, 0)::bigint AS pk
FROM information_schema.columns AS c
JOIN information_schema.tables AS t
  ON t.table_schema = c.table_schema AND t.table_name = c.table_name
LEFT JOIN information_schema.table_constraints AS tc
  ON tc.table_schema = c.table_schema AND tc.table_name = c.table_name
 AND tc.constraint_type = 'PRIMARY KEY'
LEFT JOIN information_schema.key_column_usage AS k
  ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
 AND k.table_name = c.table_name AND k.column_name = c.column_name
WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
  AND c.table_name <> '__diesel_schema_migrations'
ORDER BY c.table_name, c.ordinal_position"#;

const POSTGRES_FOREIGN_KEYS: &str = r#"
SELECT cl.relname::text AS table_name, con.conname::text AS constraint_name,
       a.attname::text AS from_column, rcl.relname::text AS to_table,
       ra.attname::text AS to_column,
       CASE con.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
            WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
            ELSE con.confdeltype::text END AS on_delete,
       CASE con.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
            WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
            ELSE con.confupdtype::text END AS on_update
FROM pg_constraint AS con
JOIN pg_class AS cl ON cl.oid = con.conrelid
JOIN pg_namespace AS ns ON ns.oid = cl.relnamespace
JOIN pg_class AS rcl ON rcl.oid = con.confrelid
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(from_num, to_num, ord)
JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.from_num
JOIN pg_attribute AS ra ON ra.attrelid = con.confrelid AND ra.attnum = k.to_num
WHERE con.contype = 'f' AND ns.nspname = current_schema()
ORDER BY cl.relname, con.conname, k.ord"#;

const POSTGRES_INDEXES: &str = r#"
SELECT t.relname::text AS table_name, i.relname::text AS index_name,
       CASE WHEN ix.indisunique THEN 1 ELSE 0 END::bigint AS is_unique,
       CASE WHEN ix.indpred IS NULL THEN 0 ELSE 1 END::bigint AS partial,
       CASE WHEN EXISTS (SELECT 1 FROM pg_constraint AS con
                         WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid
                           AND con.contype IN ('p', 'u', 'x'))
            THEN 0 ELSE 1 END::bigint AS named,
       COALESCE(a.attname::text, '<expression>') AS column_name
FROM pg_index AS ix
JOIN pg_class AS t ON t.oid = ix.indrelid
JOIN pg_class AS i ON i.oid = ix.indexrelid
JOIN pg_namespace AS ns ON ns.oid = t.relnamespace
CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
WHERE ns.nspname = current_schema() AND NOT ix.indisprimary AND k.ord <= ix.indnkeyatts
  AND t.relname <> '__diesel_schema_migrations'
ORDER BY t.relname, i.relname, k.ord"#;

const POSTGRES_OTHERS: &str = r#"
SELECT 'view ' || table_name::text AS object
FROM information_schema.views
WHERE table_schema = current_schema()
UNION
SELECT 'trigger ' || c.relname::text || '.' || t.tgname::text
FROM pg_trigger AS t
JOIN pg_class AS c ON c.oid = t.tgrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND n.nspname = current_schema()
ORDER BY 1"#;

const POSTGRES_LEFTOVERS: &str = r#"
SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'i' THEN 'index'
            WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
            ELSE 'relation' END || ' ' || c.relname::text AS object
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema()
  AND c.relname::text NOT LIKE '\_\_diesel\_schema\_migrations%'
UNION ALL
SELECT 'type ' || t.typname::text
FROM pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace
WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'r')
UNION ALL
SELECT 'function ' || p.proname::text
FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname = current_schema()
ORDER BY 1"#;
