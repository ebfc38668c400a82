//! The node's configuration: `agora.toml`, overridden key by key by `AGORA_*` variables.
//!
//! `AGORA_` + the key path in capitals with `__` between levels overrides a key:
//! `AGORA_DATABASE__URL`, `AGORA_INSTANCE__DOMAIN`, `AGORA_DATA_DIR`…

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use std::{net::SocketAddr, path::PathBuf};

/// Everything an Agora node reads at start-up.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Folder for the SQLite database, outgoing mail when no SMTP server is set, and exports.
    pub data_dir: PathBuf,
    /// Database connection.
    pub database: DatabaseConfig,
    /// HTTP listener.
    pub http: HttpConfig,
    /// Who this node is on the fediverse.
    pub instance: InstanceConfig,
    /// Federation rules.
    pub federation: FederationConfig,
    /// Outgoing e-mail.
    pub mail: MailConfig,
    /// Brute-force limits.
    pub limits: LimitsConfig,
    /// Labels and the artificial-virality detector.
    pub signage: crate::signage::SignageConfig,
    /// The energy label's model.
    pub energy: crate::energy::EnergyConfig,
}

/// Database connection settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` or `postgres://…`; empty means `sqlite://{data_dir}/agora.sqlite3`.
    pub url: String,
    /// Connections kept in the pool.
    pub pool_size: u32,
}

/// HTTP listener settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address and port to listen on.
    pub bind: String,
    /// Largest request body accepted, in bytes (inbox and API); larger ones get 413.
    pub max_body_bytes: usize,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Bearer token that `GET /metrics` requires (`Authorization: Bearer …`, as Prometheus
    /// sends with `authorization: {credentials: …}`); empty means `/metrics` is not served.
    pub metrics_token: String,
    /// Addresses or CIDRs of reverse proxies whose `X-Forwarded-For` / `Forwarded` names the
    /// client (for rate limits and logs); from anyone else these headers are ignored.
    pub trusted_proxies: Vec<String>,
}

/// Identity of the node.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstanceConfig {
    /// Public host name, with a port when not the default one (`localhost:8081` in tests).
    pub domain: String,
    /// `https` in production, `http` for local tests.
    pub scheme: String,
    /// Name shown in page titles and NodeInfo.
    pub name: String,
    /// One sentence describing the node.
    pub description: String,
    /// Who may create an account.
    pub registration: RegistrationMode,
    /// Language of pages when the browser states none we know: `en` or `fr`.
    pub default_locale: String,
}

/// Who may sign up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationMode {
    /// Anyone; the account works at once (e-mail confirmation still asked).
    Open,
    /// Anyone may apply; an administrator approves.
    Approval,
    /// Only administrators create accounts (CLI).
    Closed,
}

impl RegistrationMode {
    /// The snake_case name, as in the config file.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationMode::Open => "open",
            RegistrationMode::Approval => "approval",
            RegistrationMode::Closed => "closed",
        }
    }
}

/// Federation rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationConfig {
    /// Allow fetching from and delivering to loopback/private addresses, http and explicit ports.
    /// Tests and closed school networks need it; a public node must leave it off.
    pub allow_private_addresses: bool,
    /// Domains (host or host:port) whose requests get 403 and to which nothing is sent.
    pub blocked_domains: Vec<String>,
    /// `blocklist` (everyone but the blocked domains) or `allowlist` (the allowed domains
    /// only: a school network that talks to a few named nodes).
    pub mode: crate::federation_policy::FederationMode,
    /// With `allowlist`: the domains this node talks to (subdomains included).
    pub allowed_domains: Vec<String>,
    /// Oldest (and furthest in the future) `Date` accepted on a signed request, in seconds.
    /// Mastodon accepts 12 hours.
    pub max_date_skew_secs: i64,
    /// Time limit for one outgoing request, in seconds.
    pub request_timeout_secs: u64,
    /// Deliveries in flight at once; each remote server is sent to independently.
    pub delivery_concurrency: usize,
    /// Consecutive failures over which a server counts as dead and is retried once a day…
    pub dead_after_failures: i32,
    /// …provided it has also kept failing for this many hours.
    pub dead_after_hours: i64,
    /// First retry delay of a failed delivery, in seconds; each later one doubles, up to 12 h.
    pub retry_base_secs: i64,
}

/// Outgoing e-mail settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// `smtp://user:pass@host:port` (or `smtps://`); empty writes each message under `{data_dir}/mail`.
    pub smtp_url: String,
    /// Sender address; empty means `noreply@{domain without port}`.
    pub from: String,
}

/// Brute-force limits, counted per client address and stored in the database.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Log-in attempts allowed per address (IPv6: per /64) per 15 minutes; successes are not
    /// counted.
    pub login_failures_per_15min: i32,
    /// Failed log-ins on one account per 15 minutes, from any addresses, after which the
    /// account takes attempts only from addresses it logged in from before.
    pub login_failures_per_account_15min: i32,
    /// Sign-ups allowed per address per hour.
    pub signups_per_hour: i32,
    /// The shortest time between starting a petition and its deadline, in seconds.
    pub petition_min_duration_secs: i64,
    /// New signatures on one petition per client address (IPv6: per /64) per minute.
    pub signatures_per_address_minute: i32,
    /// New signatures on one petition per client address per 5 minutes (and per account).
    pub signatures_per_address_5min: i32,
    /// Hours between asking for an account's deletion and the deletion, during which its
    /// owner can cancel.
    pub deletion_grace_hours: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            database: DatabaseConfig::default(),
            http: HttpConfig::default(),
            instance: InstanceConfig::default(),
            federation: FederationConfig::default(),
            mail: MailConfig::default(),
            limits: LimitsConfig::default(),
            signage: crate::signage::SignageConfig::default(),
            energy: crate::energy::EnergyConfig::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: String::new(),
            pool_size: 8,
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            bind: "127.0.0.1:8080".into(),
            max_body_bytes: 1024 * 1024,
            workers: 0,
            metrics_token: String::new(),
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for InstanceConfig {
    fn default() -> Self {
        InstanceConfig {
            domain: "localhost:8080".into(),
            scheme: "https".into(),
            name: "Agora".into(),
            description: "A civic network node".into(),
            registration: RegistrationMode::Open,
            default_locale: "en".into(),
        }
    }
}

impl Default for FederationConfig {
    fn default() -> Self {
        FederationConfig {
            allow_private_addresses: false,
            blocked_domains: Vec::new(),
            mode: crate::federation_policy::FederationMode::Blocklist,
            allowed_domains: Vec::new(),
            max_date_skew_secs: 12 * 3600,
            request_timeout_secs: 10,
            delivery_concurrency: 64,
            dead_after_failures: 10,
            dead_after_hours: 48,
            retry_base_secs: 30,
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            login_failures_per_15min: 10,
            login_failures_per_account_15min: 20,
            signups_per_hour: 10,
            petition_min_duration_secs: 3600,
            signatures_per_address_minute: 1,
            signatures_per_address_5min: 5,
            deletion_grace_hours: 7 * 24,
        }
    }
}

/// The top-level keys of the configuration, as `AGORA_*` variables spell them (lower-cased).
const TOP_LEVEL_KEYS: &[&str] = &[
    "data_dir",
    "database",
    "http",
    "instance",
    "federation",
    "mail",
    "limits",
    "signage",
    "energy",
];

/// Why the configuration could not be used. Each message names the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file or a variable could not be read or has the wrong type.
    #[error("{0}")]
    Load(#[from] Box<figment::Error>),
    /// A value has the right type but cannot work.
    #[error("invalid value for `{key}`: {reason}")]
    Invalid {
        /// The dotted key path, e.g. `instance.domain`.
        key: &'static str,
        /// What is wrong and how to fix it.
        reason: String,
    },
}

impl Config {
    /// Reads `path` (when it exists), then `AGORA_*` variables, over the defaults, and validates.
    pub fn load(path: Option<&std::path::Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = path {
            figment = figment.merge(Toml::file_exact(path));
        }
        Self::from_figment(figment)
    }

    /// Builds from a figment after adding the environment; public so tests can use a jail.
    pub fn from_figment(figment: Figment) -> Result<Config, ConfigError> {
        // Only variables naming a known top-level key are read: other AGORA_* variables (the
        // CLI's AGORA_PASSWORD, a script's own) are not configuration. Inside a known section
        // an unknown key is still an error, so typos are reported with their name.
        let figment = figment.merge(
            Env::prefixed("AGORA_")
                .filter(|key| {
                    let top = key.as_str().split("__").next().unwrap_or_default();
                    TOP_LEVEL_KEYS.iter().any(|k| k.eq_ignore_ascii_case(top))
                })
                .split("__"),
        );
        let config: Config = figment.extract().map_err(Box::new)?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what types alone cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, reason: &str| {
            Err(ConfigError::Invalid {
                key,
                reason: reason.into(),
            })
        };
        if self.http.bind.parse::<SocketAddr>().is_err() {
            return invalid(
                "http.bind",
                "expected an address and port such as 127.0.0.1:8080",
            );
        }
        if !crate::handle::is_valid_domain(&self.instance.domain) {
            return invalid(
                "instance.domain",
                "expected a host name, optionally with a port (example.org, localhost:8081); not a URL, not an IP address",
            );
        }
        if self.instance.scheme != "https" && self.instance.scheme != "http" {
            return invalid("instance.scheme", "expected `https` or `http`");
        }
        if !["en", "fr"].contains(&self.instance.default_locale.as_str()) {
            return invalid("instance.default_locale", "expected `en` or `fr`");
        }
        let url = self.database_url();
        if !(url.starts_with("sqlite://")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return invalid(
                "database.url",
                "expected sqlite://PATH or postgres://USER@HOST/DB",
            );
        }
        if self.limits.petition_min_duration_secs < 1 {
            return invalid("limits.petition_min_duration_secs", "must be at least 1");
        }
        if self.database.pool_size == 0 {
            return invalid("database.pool_size", "must be at least 1");
        }
        if let Err(why) = crate::client_addr::TrustedProxies::parse(&self.http.trusted_proxies) {
            return invalid("http.trusted_proxies", &why);
        }
        if self.http.max_body_bytes < 1024 {
            return invalid("http.max_body_bytes", "must be at least 1024");
        }
        let e = &self.energy;
        if e.network_kwh_per_gb < 0.0
            || e.storage_kwh_per_gb_year < 0.0
            || e.grid_g_co2_per_kwh < 0.0
        {
            return invalid("energy", "the model's parameters cannot be negative");
        }
        if e.label_bounds_wh.len() != 6 || e.label_bounds_wh.windows(2).any(|w| w[0] > w[1]) {
            return invalid(
                "energy.label_bounds_wh",
                "six ascending bounds, for labels A to F",
            );
        }
        let s = &self.signage;
        if s.window_minutes < 1 || s.min_interactions < 1 || s.young_account_days < 1 {
            return invalid(
                "signage",
                "window_minutes, min_interactions and young_account_days must be at least 1",
            );
        }
        if !(0.0..=1.0).contains(&s.young_share) || s.max_servers < 0 {
            return invalid("signage.young_share", "must be between 0 and 1");
        }
        if self.federation.max_date_skew_secs < 60 {
            return invalid("federation.max_date_skew_secs", "must be at least 60");
        }
        if self.federation.retry_base_secs < 1 {
            return invalid("federation.retry_base_secs", "must be at least 1");
        }
        if self.federation.delivery_concurrency == 0 {
            return invalid("federation.delivery_concurrency", "must be at least 1");
        }
        let smtp = &self.mail.smtp_url;
        if !(smtp.is_empty() || smtp.starts_with("smtp://") || smtp.starts_with("smtps://")) {
            return invalid(
                "mail.smtp_url",
                "expected smtp://HOST:PORT or smtps://USER:PASS@HOST:PORT",
            );
        }
        Ok(())
    }

    /// The database URL in effect (the SQLite default when none is set).
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("agora.sqlite3").display())
        } else {
            self.database.url.clone()
        }
    }

    /// `scheme://domain`, the prefix of every local ActivityPub id.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.instance.scheme, self.instance.domain)
    }

    /// The mail sender address in effect.
    pub fn mail_from(&self) -> String {
        if self.mail.from.is_empty() {
            let host = self
                .instance
                .domain
                .split(':')
                .next()
                .unwrap_or("localhost");
            format!("noreply@{host}")
        } else {
            self.mail.from.clone()
        }
    }

    /// Whether the configuration blocks this domain (host or host:port). A blocked domain
    /// blocks its subdomains too (as Mastodon's domain blocks do): blocking `spam.example`
    /// blocks `a.spam.example`, not `notspam.example`. An entry with a port blocks that port
    /// only. The policy in effect, with the mode and moderators' changes, is
    /// `federation_policy::FederationPolicy`.
    pub fn is_domain_blocked(&self, domain: &str) -> bool {
        self.federation
            .blocked_domains
            .iter()
            .any(|b| crate::federation_policy::domain_within(domain, b))
    }

    /// The effective configuration as TOML, for `agora config check`.
    pub fn to_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database.url = self.database_url();
        toml::to_string_pretty(&shown).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
    }
}

#[cfg(test)]
// figment's Jail returns its own (large) error type; the lint is about that API, not ours.
#[expect(clippy::result_large_err, reason = "figment::Jail's error type")]
mod tests {
    use super::*;

    #[test]
    fn blocked_domains_cover_their_subdomains() {
        let mut config = Config::default();
        config.federation.blocked_domains = vec![
            "Spam.Example".into(),
            "localhost:9000".into(),
            String::new(),
        ];
        for blocked in [
            "spam.example",
            "a.spam.example",
            "deep.a.SPAM.example",
            "spam.example:8443",
            "spam.example.",
            "localhost:9000",
        ] {
            assert!(config.is_domain_blocked(blocked), "{blocked}");
        }
        for allowed in [
            "notspam.example",
            "spam.example.org",
            "example",
            "localhost:9001",
            "localhost",
        ] {
            assert!(!config.is_domain_blocked(allowed), "{allowed}");
        }
    }

    #[test]
    fn environment_overrides_nested_keys() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("AGORA_INSTANCE__DOMAIN", "localhost:8081");
            jail.set_env("AGORA_INSTANCE__SCHEME", "http");
            jail.set_env("AGORA_DATA_DIR", "/tmp/x");
            jail.set_env("AGORA_FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true");
            let config =
                Config::from_figment(Figment::from(Serialized::defaults(Config::default())))
                    .map_err(|e| e.to_string())?;
            assert_eq!(config.instance.domain, "localhost:8081");
            assert_eq!(config.base_url(), "http://localhost:8081");
            assert!(config.federation.allow_private_addresses);
            assert_eq!(config.database_url(), "sqlite:///tmp/x/agora.sqlite3");
            Ok(())
        });
    }

    #[test]
    fn unrelated_variables_are_ignored_but_typos_in_sections_are_not() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("AGORA_PASSWORD", "secret");
            jail.set_env("AGORA_BENCH_BIN", "/usr/bin/true");
            Config::from_figment(Figment::from(Serialized::defaults(Config::default())))
                .map_err(|e| e.to_string())?;
            jail.set_env("AGORA_INSTANCE__DOMIAN", "x.example");
            let err = Config::from_figment(Figment::from(Serialized::defaults(Config::default())))
                .expect_err("typo");
            assert!(err.to_string().contains("domian"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn wrong_values_name_their_key() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("AGORA_INSTANCE__SCHEME", "gopher");
            let err = Config::from_figment(Figment::from(Serialized::defaults(Config::default())))
                .expect_err("gopher is no scheme");
            assert!(err.to_string().contains("instance.scheme"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.create_file("agora.toml", "[http]\nbind = 12\n")?;
            let err = Config::load(Some(std::path::Path::new("agora.toml"))).expect_err("type");
            assert!(err.to_string().contains("bind"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.create_file("agora.toml", "[instance]\ndomian = \"x\"\n")?;
            let err = Config::load(Some(std::path::Path::new("agora.toml"))).expect_err("typo");
            assert!(err.to_string().contains("domian"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn effective_config_round_trips_as_toml() {
        let text = Config::default().to_toml();
        let back: Config = Figment::from(Toml::string(&text))
            .extract()
            .expect("parse back");
        assert_eq!(back.http.bind, "127.0.0.1:8080");
        assert_eq!(back.instance.registration, RegistrationMode::Open);
    }
}
