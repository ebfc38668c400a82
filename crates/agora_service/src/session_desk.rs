//! The session desk (PostgreSQL): every signed-in request asks which account its token belongs
//! to, and those asked at the same moment are answered by one query (`agora_db::batch`), not
//! one round trip and one backend each. SQLite answers a lookup in microseconds on the
//! request's own thread and does not need it.

use crate::ServiceError;
use agora_db::{Bulk, DbConn, actors::Actor, sessions, sessions::Session, users::User};
use std::collections::HashMap;

/// A session, its user and its actor, as one lookup finds them.
pub(crate) type Found = Option<(Session, User, Actor)>;

/// One lookup: the hash of a token.
pub(crate) struct SessionLookup(pub String);

impl Bulk for SessionLookup {
    const READ_ONLY: bool = true;
    type Out = Found;
    type Error = ServiceError;

    fn run_all(
        conn: &mut DbConn,
        lookups: Vec<SessionLookup>,
    ) -> Result<Vec<Result<Found, ServiceError>>, ServiceError> {
        let mut hashes: Vec<String> = lookups.iter().map(|l| l.0.clone()).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let by_hash: HashMap<String, (Session, User, Actor)> =
            sessions::valid_with_accounts(conn, &hashes)?
                .into_iter()
                .map(|found| (found.0.token_hash.clone(), found))
                .collect();
        // One client's two requests in one batch ask for the same token: each gets its copy.
        Ok(lookups
            .iter()
            .map(|l| Ok(by_hash.get(&l.0).cloned()))
            .collect())
    }
}
