//! Storage errors, with the two outcomes callers act on singled out.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No row matched.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the row (SQLite and PostgreSQL codes both land here).
    #[error("already exists")]
    UniqueViolation,
    /// Any other database error.
    #[error("database error: {0}")]
    Diesel(DieselError),
    /// No connection could be had from the pool.
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    /// The database could not be opened or migrated.
    #[error("database setup: {0}")]
    Setup(String),
    /// A blocking task panicked or was cancelled.
    #[error("database task: {0}")]
    Task(String),
}

impl From<DieselError> for DbError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => DbError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                DbError::UniqueViolation
            }
            other => DbError::Diesel(other),
        }
    }
}

/// Shorthand for storage results.
pub type DbResult<T> = Result<T, DbError>;

/// Turns `NotFound` into `None`, for lookups where absence is normal.
pub trait OptionalExt<T> {
    /// `Ok(None)` for `NotFound`, other errors unchanged.
    fn found(self) -> DbResult<Option<T>>;
}

impl<T> OptionalExt<T> for DbResult<T> {
    fn found(self) -> DbResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(DbError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
