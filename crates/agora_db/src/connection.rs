//! Connections to either backend, picked from the URL scheme, and the async-facing pool.

use crate::error::{DbError, DbResult};
use diesel::{
    Connection, PgConnection, SqliteConnection,
    connection::{AnsiTransactionManager, SimpleConnection, TransactionManager},
};
use std::{
    ops::{Deref, DerefMut},
    time::{Duration, Instant},
};

pub use multi::DbConn;

// The derive generates public helper types without docs; the lint is silenced for them only.
#[allow(missing_docs)]
mod multi {
    use diesel::{PgConnection, SqliteConnection};

    /// A connection to whichever backend the configuration names.
    #[derive(diesel::MultiConnection)]
    pub enum DbConn {
        /// PostgreSQL, for several app processes.
        Pg(PgConnection),
        /// SQLite, the embedded default.
        Sqlite(SqliteConnection),
    }
}

impl DbConn {
    /// Whether this is the SQLite backend (one process, serialised writes).
    pub fn is_sqlite(&self) -> bool {
        matches!(self, DbConn::Sqlite(_))
    }
}

/// Which backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `postgres://` or `postgresql://`.
    Postgres,
    /// `sqlite://PATH`.
    Sqlite,
}

impl Backend {
    /// Reads the backend from a URL's scheme.
    pub fn of(url: &str) -> DbResult<Backend> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite://") {
            Ok(Backend::Sqlite)
        } else {
            Err(DbError::Setup(format!(
                "unsupported database URL `{url}`: use sqlite:// or postgres://"
            )))
        }
    }
}

/// Opens connections for r2d2, choosing the backend by scheme (the derived `establish` would try
/// each in turn, and SQLite accepts any string as a file name).
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
}

impl ConnectionManager {
    fn sqlite_path(&self) -> &str {
        self.url.trim_start_matches("sqlite://")
    }
}

/// A connection handed back to the pool this recently, after work that succeeded, is not
/// tested before its next use: a busy node hands each one out thousands of times a second,
/// and a `SELECT 1` round trip before each is a good part of PostgreSQL's work. One idle for
/// longer, or whose last work failed (the server may have restarted or closed it), is tested
/// and replaced if it must be.
const TRUSTED_FOR: Duration = Duration::from_secs(2);

/// A connection of the pool, with when it was last handed back.
pub struct Pooled {
    conn: DbConn,
    returned: Instant,
    /// The last work on it failed: test it before the next.
    suspect: bool,
}

/// A connection taken from the pool, back in it when dropped.
pub struct Checkout(r2d2::PooledConnection<ConnectionManager>);

impl Checkout {
    /// Runs `f` on the connection; if it fails, the connection is tested before its next use.
    fn work<T, E>(&mut self, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E> {
        let result = f(&mut self.0.conn);
        if result.is_err() {
            self.0.suspect = true;
        }
        result
    }
}

impl Deref for Checkout {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        &self.0.conn
    }
}

impl DerefMut for Checkout {
    fn deref_mut(&mut self) -> &mut DbConn {
        &mut self.0.conn
    }
}

impl ConnectionManager {
    /// Opens one connection, outside any pool.
    pub fn open(&self) -> Result<DbConn, diesel::ConnectionError> {
        match self.backend {
            Backend::Postgres => Ok(DbConn::Pg(PgConnection::establish(&self.url)?)),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(self.sqlite_path())?;
                // WAL is set once at open (see `Db::open`); per connection only these.
                conn.batch_execute(
                    // Temporary tables and the journals of savepoints (each grouped write has
                    // one) in memory rather than in files written and read back.
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                     PRAGMA temp_store = MEMORY;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = Pooled;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<Pooled, diesel::ConnectionError> {
        Ok(Pooled {
            conn: self.open()?,
            returned: Instant::now(),
            suspect: false,
        })
    }

    fn is_valid(&self, conn: &mut Pooled) -> Result<(), diesel::ConnectionError> {
        if !conn.suspect && conn.returned.elapsed() < TRUSTED_FOR {
            return Ok(());
        }
        conn.conn
            .batch_execute("SELECT 1")
            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
        conn.suspect = false;
        Ok(())
    }

    /// Called as a connection goes back: one whose transaction could not be closed (a panic
    /// inside it, a failed rollback) is dropped rather than handed to the next caller.
    fn has_broken(&self, conn: &mut Pooled) -> bool {
        conn.returned = Instant::now();
        let broken = match &mut conn.conn {
            DbConn::Pg(c) => AnsiTransactionManager::is_broken_transaction_manager(c),
            DbConn::Sqlite(c) => AnsiTransactionManager::is_broken_transaction_manager(c),
        };
        broken || std::thread::panicking()
    }
}

/// The connection pool, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
    manager: ConnectionManager,
}

impl Db {
    /// Opens the database (creating the SQLite file and its folder), sets WAL on SQLite and
    /// runs pending migrations.
    pub fn open(url: &str, pool_size: u32) -> DbResult<Db> {
        let backend = Backend::of(url)?;
        let manager = ConnectionManager {
            url: url.to_string(),
            backend,
        };
        if backend == Backend::Sqlite {
            let path = std::path::Path::new(manager.sqlite_path());
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbError::Setup(format!("cannot create {}: {e}", dir.display())))?;
            }
            // journal_mode is persistent in the file; setting it from every pooled connection
            // at once races into "database is locked", so do it once here.
            let mut conn = SqliteConnection::establish(manager.sqlite_path())
                .map_err(|e| DbError::Setup(e.to_string()))?;
            conn.batch_execute("PRAGMA journal_mode = WAL")
                .map_err(|e| DbError::Setup(format!("cannot enable WAL: {e}")))?;
        }
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            // A file on this machine does not drop a connection: no `SELECT 1` before use.
            .test_on_check_out(backend == Backend::Postgres)
            .connection_timeout(Duration::from_secs(30))
            .build(manager.clone())?;
        let db = Db {
            pool,
            backend,
            manager,
        };
        let mut conn = db.get()?;
        crate::migrations::run(&mut conn)?;
        Ok(db)
    }

    /// `sqlite` or `postgres`, for logs.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Which backend this pool talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` with a pooled connection on a blocking thread.
    /// The error type is the caller's, so services can return their own errors from inside.
    pub async fn run<F, T, E>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = Checkout(pool.get().map_err(DbError::from)?);
            conn.work(f)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }

    /// Runs a read of a few indexed rows (a session lookup on every signed-in request): on
    /// SQLite, when a pooled connection is free at once, right here on the calling thread —
    /// the query takes microseconds, less than handing it to a blocking thread and back —
    /// and otherwise as `run` does. On PostgreSQL it is `run`: a round trip must not stall
    /// the async thread.
    pub async fn run_quick<F, T, E>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        if self.backend == Backend::Sqlite
            && let Some(conn) = self.pool.try_get()
        {
            return Checkout(conn).work(f);
        }
        self.run(f).await
    }

    /// A group-commit desk for writes of kind `W` (see `batch`): writes queued at the same
    /// moment are done together, in one transaction, on a connection of the desk's own.
    pub fn desk<W: crate::batch::Bulk>(&self) -> crate::batch::Desk<W> {
        crate::batch::Desk::new(self.manager.clone())
    }

    /// A pooled connection for synchronous callers (CLI, tests).
    pub fn get(&self) -> DbResult<Checkout> {
        Ok(Checkout(self.pool.get()?))
    }
}

/// Runs the same diesel statement on whichever backend `conn` is, typed for that backend: for
/// what the multi-backend connection cannot build, such as inserts of many rows at once.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::DbConn::Sqlite($c) => $body,
            $crate::DbConn::Pg($c) => $body,
        }
    };
}

/// Runs `f` in a write transaction. On SQLite the outermost one begins `IMMEDIATE`, taking the
/// write lock up front: a deferred transaction that reads first and writes later fails at
/// once with "database is locked" when another connection (another request, or the CLI while
/// the server runs) wrote in between, because SQLite cannot upgrade a stale read snapshot.
/// Nested calls become savepoints. On PostgreSQL it is an ordinary transaction.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let outermost_sqlite = match conn {
        DbConn::Sqlite(inner) => AnsiTransactionManager::transaction_manager_status_mut(inner)
            .transaction_depth()
            .map_err(E::from)?
            .is_none(),
        DbConn::Pg(_) => false,
    };
    if !outermost_sqlite {
        return conn.transaction(f);
    }
    if let DbConn::Sqlite(inner) = conn {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE").map_err(E::from)?;
    }
    let result = f(conn);
    if let DbConn::Sqlite(inner) = conn {
        match &result {
            Ok(_) => AnsiTransactionManager::commit_transaction(inner).map_err(E::from)?,
            Err(_) => AnsiTransactionManager::rollback_transaction(inner).map_err(E::from)?,
        }
    }
    result
}
