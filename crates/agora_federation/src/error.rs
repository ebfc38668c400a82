//! Federation errors. Inbox refusals carry the status and the reason counted in metrics.

use agora_core::ErrorKind;
use agora_service::ServiceError;

/// Why a federation operation failed.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    /// Refused incoming request: HTTP status, metric reason, and a message for the sender.
    #[error("{reason}: {message}")]
    Refused {
        /// HTTP status to answer.
        status: u16,
        /// Short reason, counted in `agora_inbox_refused_total`.
        reason: &'static str,
        /// Message for the sender and the log.
        message: String,
    },
    /// A business rule refused it.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The ActivityPub library failed (fetch, signature, parse).
    #[error("activitypub: {0}")]
    Library(#[from] activitypub_federation::error::Error),
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] agora_db::DbError),
    /// JSON could not be made or read.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

impl FederationError {
    /// A refusal with its status and reason.
    pub fn refused(
        status: u16,
        reason: &'static str,
        message: impl Into<String>,
    ) -> FederationError {
        FederationError::Refused {
            status,
            reason,
            message: message.into(),
        }
    }

    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            FederationError::Refused { status, .. } => *status,
            FederationError::Service(e) => e.kind.status(),
            FederationError::Library(activitypub_federation::error::Error::NotFound) => 404,
            FederationError::Library(_) => 502,
            FederationError::Db(agora_db::DbError::NotFound) => 404,
            FederationError::Json(_) => 400,
            FederationError::Db(_) | FederationError::Other(_) => 500,
        }
    }

    /// The error kind for the JSON API.
    pub fn kind(&self) -> ErrorKind {
        match self {
            FederationError::Service(e) => e.kind,
            other => match other.status() {
                400 => ErrorKind::BadRequest,
                401 => ErrorKind::Unauthorized,
                403 => ErrorKind::Forbidden,
                404 => ErrorKind::NotFound,
                413 => ErrorKind::PayloadTooLarge,
                502 => ErrorKind::RemoteUnavailable,
                _ => ErrorKind::Internal,
            },
        }
    }
}

impl From<url::ParseError> for FederationError {
    fn from(e: url::ParseError) -> Self {
        FederationError::refused(400, "bad_url", format!("invalid URL: {e}"))
    }
}
