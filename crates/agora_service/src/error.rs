//! The error of a business operation: a kind clients act on, and a detail for the message.

use agora_core::ErrorKind;
use agora_db::DbError;

/// Why an operation was refused or failed.
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {detail}")]
pub struct ServiceError {
    /// What a client can act on.
    pub kind: ErrorKind,
    /// Which field or thing, in plain English; safe to show (never an internal cause).
    pub detail: String,
}

/// Shorthand for operation results.
pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    /// An error of `kind` with a detail safe to show.
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> ServiceError {
        ServiceError {
            kind,
            detail: detail.into(),
        }
    }

    /// A field failed validation.
    pub fn invalid(field: &str, why: impl std::fmt::Display) -> ServiceError {
        ServiceError::new(ErrorKind::InvalidField, format!("{field}: {why}"))
    }

    /// Something does not exist.
    pub fn not_found(what: &str) -> ServiceError {
        ServiceError::new(ErrorKind::NotFound, format!("{what} not found"))
    }

    /// Not allowed.
    pub fn forbidden(why: &str) -> ServiceError {
        ServiceError::new(ErrorKind::Forbidden, why)
    }

    /// An internal failure; the cause goes to the log, not to the client.
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> ServiceError {
        let at = std::panic::Location::caller();
        tracing::error!(%cause, %at, "internal error");
        ServiceError::new(ErrorKind::Internal, "internal error")
    }
}

impl From<DbError> for ServiceError {
    #[track_caller]
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => ServiceError::not_found("record"),
            DbError::UniqueViolation => ServiceError::new(ErrorKind::Conflict, "already exists"),
            other => ServiceError::internal(other),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    #[track_caller]
    fn from(e: diesel::result::Error) -> Self {
        DbError::from(e).into()
    }
}
