//! What every operation needs: the database and the configuration.

use agora_core::federation_policy::FederationPolicy;
use agora_core::{Config, urls::Urls};
use agora_db::Db;
use std::sync::Arc;

/// Shared state of a running node, cheap to clone.
#[derive(Clone)]
pub struct Context {
    /// The database pool.
    pub db: Db,
    /// The configuration in effect.
    pub config: Arc<Config>,
    /// Local URL builder.
    pub urls: Urls,
    /// Petition curves read so far.
    pub curves: Arc<crate::petition_curve::Curves>,
    /// What visitors see of each petition, until it changes.
    pub petition_views: Arc<crate::petition_views::PetitionViews>,
    /// Where signatures and votes are written, many at once.
    pub(crate) signing: agora_db::Desk<crate::signing_desk::SignWrite>,
    /// Where PostgreSQL looks sessions up, many at once.
    pub(crate) sessions: agora_db::Desk<crate::session_desk::SessionLookup>,
    /// Where the ids of processed activities are recorded, many at once.
    pub(crate) received: agora_db::Desk<crate::received::Received>,
    /// How often an address or an account may sign a petition.
    pub(crate) sign_limits: Arc<crate::sign_limits::SignLimits>,
    /// The federation policy in effect (configuration and moderators' live rules).
    pub(crate) federation_policy: Arc<std::sync::RwLock<Arc<FederationPolicy>>>,
    /// The version of the terms of service in effect (`policies::sync` sets it).
    pub(crate) terms_version: Arc<std::sync::atomic::AtomicI32>,
}

impl Context {
    /// Opens the database named by the configuration (creating and migrating it).
    pub fn open(config: Config) -> Result<Context, agora_db::DbError> {
        let db = Db::open(&config.database_url(), config.database.pool_size)?;
        Ok(Context::new(db, config))
    }

    /// Wraps an open database.
    pub fn new(db: Db, config: Config) -> Context {
        let urls = Urls::new(config.base_url());
        // The configuration's until `federation_policy::reload` adds the live rules.
        let policy = FederationPolicy::new(&config.federation, None, []);
        Context {
            federation_policy: Arc::new(std::sync::RwLock::new(Arc::new(policy))),
            terms_version: Arc::default(),
            signing: db.desk(),
            sessions: db.desk(),
            received: db.desk(),
            sign_limits: Arc::new(crate::sign_limits::SignLimits::new(&config.limits)),
            db,
            config: Arc::new(config),
            urls,
            curves: Arc::default(),
            petition_views: Arc::default(),
        }
    }

    /// The federation policy in effect: whom this node refuses, silences, takes no media or
    /// reports from.
    pub fn federation_policy(&self) -> Arc<FederationPolicy> {
        match self.federation_policy.read() {
            Ok(policy) => policy.clone(),
            // A writer panicked mid-swap: the last policy stored is still whole.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}
