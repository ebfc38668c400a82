//! Federation errors. A refusal of a remote request carries a [`Reason`]: its code is what the
//! sender reads and what `agora_inbox_refused_total{reason}` counts; the detail stays in our log.

use agora_core::ErrorKind;
use agora_service::ServiceError;

/// Why a request from another server (or a lookup a user asked for) was refused. The code is
/// sent; the detail that led to it never is, so the node cannot be used to read other servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The body is over the size limit.
    TooLarge,
    /// The body is not JSON.
    MalformedJson,
    /// The JSON is not an activity we can read.
    MalformedActivity,
    /// The object inside the activity cannot be read.
    MalformedObject,
    /// A document fetched as an actor is not one.
    NotAnActor,
    /// The actor's server is blocked here.
    BlockedDomain,
    /// The actor is blocked here by a moderator.
    BlockedActor,
    /// The activity claims to come from one of our own actors.
    LocalActor,
    /// The activity's id is not on its actor's host.
    IdHostMismatch,
    /// The object of a `Create`/`Update`/`Delete` is not on the actor's host.
    ObjectHostMismatch,
    /// The object is attributed to someone else than the activity's actor.
    AuthorMismatch,
    /// The actor document fetched has another id than the activity's actor (a redirect).
    ActorIdMismatch,
    /// An actor's inbox, outbox or collections point to another host than its id.
    EndpointHostMismatch,
    /// The signature was made for another server (`Host` / `@authority` is not ours).
    WrongHost,
    /// The request is not signed.
    SignatureMissing,
    /// The signature header cannot be read.
    SignatureMalformed,
    /// The signature uses an algorithm we do not verify.
    SignatureAlgorithm,
    /// The signature does not cover what it must.
    SignatureCoverage,
    /// The signature has no date.
    DateMissing,
    /// The signed date cannot be read.
    DateMalformed,
    /// The signed date is too far from our clock.
    DateSkew,
    /// The signature has expired.
    SignatureExpired,
    /// The body digest is missing.
    DigestMissing,
    /// The body digest does not match the body.
    DigestMismatch,
    /// The signing key belongs to someone else than the activity's actor.
    KeyOwnerMismatch,
    /// The signature does not verify with the actor's key.
    SignatureInvalid,
    /// The actor could not be fetched to verify the signature.
    ActorUnavailable,
    /// A handle could not be read.
    BadHandle,
    /// A URL could not be read.
    BadUrl,
    /// Nothing is known at that address.
    NotFound,
    /// The activity's target is not on this node.
    UnknownTarget,
    /// The address is loopback or private, and this node may not fetch it.
    AddressNotAllowed,
    /// The other server could not be reached or answered nonsense.
    RemoteUnavailable,
}

impl Reason {
    /// Every reason, for checks that each has its translation.
    pub const ALL: [Reason; 33] = [
        Reason::TooLarge,
        Reason::MalformedJson,
        Reason::MalformedActivity,
        Reason::MalformedObject,
        Reason::NotAnActor,
        Reason::BlockedDomain,
        Reason::BlockedActor,
        Reason::LocalActor,
        Reason::IdHostMismatch,
        Reason::ObjectHostMismatch,
        Reason::AuthorMismatch,
        Reason::ActorIdMismatch,
        Reason::EndpointHostMismatch,
        Reason::WrongHost,
        Reason::SignatureMissing,
        Reason::SignatureMalformed,
        Reason::SignatureAlgorithm,
        Reason::SignatureCoverage,
        Reason::DateMissing,
        Reason::DateMalformed,
        Reason::DateSkew,
        Reason::SignatureExpired,
        Reason::DigestMissing,
        Reason::DigestMismatch,
        Reason::KeyOwnerMismatch,
        Reason::SignatureInvalid,
        Reason::ActorUnavailable,
        Reason::BadHandle,
        Reason::BadUrl,
        Reason::NotFound,
        Reason::UnknownTarget,
        Reason::AddressNotAllowed,
        Reason::RemoteUnavailable,
    ];

    /// The snake_case code sent to the other side and counted in metrics.
    pub fn code(self) -> &'static str {
        match self {
            Reason::TooLarge => "too_large",
            Reason::MalformedJson => "malformed_json",
            Reason::MalformedActivity => "malformed_activity",
            Reason::MalformedObject => "malformed_object",
            Reason::NotAnActor => "not_an_actor",
            Reason::BlockedDomain => "blocked_domain",
            Reason::BlockedActor => "blocked_actor",
            Reason::LocalActor => "local_actor",
            Reason::IdHostMismatch => "id_host_mismatch",
            Reason::ObjectHostMismatch => "object_host_mismatch",
            Reason::AuthorMismatch => "author_mismatch",
            Reason::ActorIdMismatch => "actor_id_mismatch",
            Reason::EndpointHostMismatch => "endpoint_host_mismatch",
            Reason::WrongHost => "wrong_host",
            Reason::SignatureMissing => "signature_missing",
            Reason::SignatureMalformed => "signature_malformed",
            Reason::SignatureAlgorithm => "signature_algorithm",
            Reason::SignatureCoverage => "signature_coverage",
            Reason::DateMissing => "date_missing",
            Reason::DateMalformed => "date_malformed",
            Reason::DateSkew => "date_skew",
            Reason::SignatureExpired => "signature_expired",
            Reason::DigestMissing => "digest_missing",
            Reason::DigestMismatch => "digest_mismatch",
            Reason::KeyOwnerMismatch => "key_owner_mismatch",
            Reason::SignatureInvalid => "signature_invalid",
            Reason::ActorUnavailable => "actor_unavailable",
            Reason::BadHandle => "bad_handle",
            Reason::BadUrl => "bad_url",
            Reason::NotFound => "not_found",
            Reason::UnknownTarget => "unknown_target",
            Reason::AddressNotAllowed => "address_not_allowed",
            Reason::RemoteUnavailable => "remote_unavailable",
        }
    }

    /// The error kind (and so the HTTP status) of this refusal.
    pub fn kind(self) -> ErrorKind {
        match self {
            Reason::TooLarge => ErrorKind::PayloadTooLarge,
            Reason::MalformedJson
            | Reason::MalformedActivity
            | Reason::MalformedObject
            | Reason::NotAnActor
            | Reason::EndpointHostMismatch
            | Reason::BadHandle
            | Reason::BadUrl => ErrorKind::BadRequest,
            Reason::BlockedDomain
            | Reason::BlockedActor
            | Reason::LocalActor
            | Reason::IdHostMismatch
            | Reason::ObjectHostMismatch
            | Reason::AuthorMismatch
            | Reason::AddressNotAllowed => ErrorKind::Forbidden,
            Reason::ActorIdMismatch
            | Reason::WrongHost
            | Reason::SignatureMissing
            | Reason::SignatureMalformed
            | Reason::SignatureAlgorithm
            | Reason::SignatureCoverage
            | Reason::DateMissing
            | Reason::DateMalformed
            | Reason::DateSkew
            | Reason::SignatureExpired
            | Reason::DigestMissing
            | Reason::DigestMismatch
            | Reason::KeyOwnerMismatch
            | Reason::SignatureInvalid
            | Reason::ActorUnavailable => ErrorKind::Unauthorized,
            Reason::NotFound | Reason::UnknownTarget => ErrorKind::NotFound,
            Reason::RemoteUnavailable => ErrorKind::RemoteUnavailable,
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a federation operation failed.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    /// A refused request: the reason (sent) and a detail for our log only.
    #[error("{reason}: {detail}")]
    Refused {
        /// Why, as the other side reads it.
        reason: Reason,
        /// What exactly, for the log (may quote remote content; never sent).
        detail: String,
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

/// Longest detail kept in a log line: remote bodies can be large and are not ours to store.
const MAX_DETAIL: usize = 300;

impl FederationError {
    /// A refusal with its reason and a detail for the log (cut to a few hundred characters).
    pub fn refused(reason: Reason, detail: impl Into<String>) -> FederationError {
        let mut detail = detail.into();
        if detail.len() > MAX_DETAIL {
            let mut end = MAX_DETAIL;
            while !detail.is_char_boundary(end) {
                end -= 1;
            }
            detail.truncate(end);
            detail.push('…');
        }
        FederationError::Refused { reason, detail }
    }

    /// A failed fetch from another server, as a refusal: refusals and our own failures
    /// (database, bugs: the sender should retry) stay as they are; an address this node may
    /// not fetch (loopback, private, an explicit port without
    /// `federation.allow_private_addresses`) is `AddressNotAllowed`; anything else is
    /// `otherwise`, its cause kept for the log.
    pub fn fetch_failed(self, otherwise: Reason) -> FederationError {
        use activitypub_federation::error::Error as Lib;
        match self {
            FederationError::Db(_)
            | FederationError::Other(_)
            | FederationError::Refused { .. } => self,
            FederationError::Library(
                ref lib @ (Lib::UrlVerificationError(_)
                | Lib::DomainResolveError(_)
                | Lib::ResolveInternalIpError(..)),
            ) => FederationError::refused(Reason::AddressNotAllowed, lib.to_string()),
            e => FederationError::refused(otherwise, format!("fetching: {e}")),
        }
    }

    /// The refusal's reason, if this is a refusal.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            FederationError::Refused { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// The error kind, which decides the HTTP status and the API code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            FederationError::Refused { reason, .. } => reason.kind(),
            FederationError::Service(e) => e.kind,
            FederationError::Library(activitypub_federation::error::Error::NotFound) => {
                ErrorKind::NotFound
            }
            FederationError::Library(_) => ErrorKind::RemoteUnavailable,
            FederationError::Db(agora_db::DbError::NotFound) => ErrorKind::NotFound,
            FederationError::Json(_) => ErrorKind::BadRequest,
            FederationError::Db(_) | FederationError::Other(_) => ErrorKind::Internal,
        }
    }
}

impl From<url::ParseError> for FederationError {
    fn from(e: url::ParseError) -> Self {
        FederationError::refused(Reason::BadUrl, format!("invalid URL: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_cut_for_the_log() {
        let e = FederationError::refused(Reason::ActorUnavailable, "é".repeat(1_000_000));
        let FederationError::Refused { detail, .. } = e else {
            panic!("not a refusal")
        };
        assert!(
            detail.len() <= MAX_DETAIL + '…'.len_utf8(),
            "{}",
            detail.len()
        );
    }
}
