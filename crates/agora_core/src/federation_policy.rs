//! Which servers this node talks to, and how: the mode (`blocklist`, or `allowlist` for a
//! network that talks to a few named nodes only) and per-domain rules, from the configuration
//! and from moderators' live changes. Checked on every inbox POST, delivery and fetch: the
//! checks compare in place and allocate nothing.

use serde::{Deserialize, Serialize};

/// Whom a node federates with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FederationMode {
    /// Everyone but the blocked domains.
    #[default]
    Blocklist,
    /// The allowed domains only: anyone else gets 403 and is never contacted.
    Allowlist,
}

impl FederationMode {
    /// Every mode.
    pub const ALL: [FederationMode; 2] = [FederationMode::Blocklist, FederationMode::Allowlist];

    /// Its name in the configuration and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            FederationMode::Blocklist => "blocklist",
            FederationMode::Allowlist => "allowlist",
        }
    }

    /// The mode a name gives.
    pub fn parse(s: &str) -> Option<FederationMode> {
        FederationMode::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

named! {
    /// What a rule does to a domain.
    DomainPolicy {
        /// Nothing comes in, nothing goes out, nothing is fetched (403).
        Block = "block",
        /// Allowed (what an `allowlist` node talks to).
        Allow = "allow",
        /// Its accounts' new followers here wait for approval, and their replies are left out
        /// of threads.
        Silence = "silence",
        /// Its accounts' pictures are not shown.
        RejectMedia = "reject_media",
        /// Its reports (`Flag`) are not filed.
        RejectReports = "reject_reports",
    }
}

/// A rule on a domain (host, or host:port), and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRule {
    /// The domain; it covers its subdomains unless it names a port.
    pub domain: String,
    /// What it does.
    pub policy: DomainPolicy,
    /// Set in the configuration file (moderators cannot lift it) rather than from the desk.
    pub from_config: bool,
}

/// The policy in effect.
#[derive(Debug, Clone, Default)]
pub struct FederationPolicy {
    /// The mode.
    pub mode: FederationMode,
    /// Every rule, configuration first.
    pub rules: Vec<DomainRule>,
}

impl FederationPolicy {
    /// The policy of the configuration, with moderators' live rules and mode (if they changed
    /// it) on top.
    pub fn new(
        config: &crate::config::FederationConfig,
        live_mode: Option<FederationMode>,
        live: impl IntoIterator<Item = (String, DomainPolicy)>,
    ) -> FederationPolicy {
        let configured = |domains: &[String], policy| {
            domains
                .iter()
                .map(move |d| DomainRule {
                    domain: d.clone(),
                    policy,
                    from_config: true,
                })
                .collect::<Vec<_>>()
        };
        let mut rules = configured(&config.blocked_domains, DomainPolicy::Block);
        rules.extend(configured(&config.allowed_domains, DomainPolicy::Allow));
        rules.extend(live.into_iter().map(|(domain, policy)| DomainRule {
            domain,
            policy,
            from_config: false,
        }));
        FederationPolicy {
            mode: live_mode.unwrap_or(config.mode),
            rules,
        }
    }

    /// Whether `domain` has a rule of this kind.
    pub fn has(&self, domain: &str, policy: DomainPolicy) -> bool {
        self.rules
            .iter()
            .any(|r| r.policy == policy && domain_within(domain, &r.domain))
    }

    /// Whether this node refuses `domain`: blocked, or, in `allowlist` mode, not allowed.
    pub fn refuses(&self, domain: &str) -> bool {
        self.has(domain, DomainPolicy::Block)
            || (self.mode == FederationMode::Allowlist && !self.has(domain, DomainPolicy::Allow))
    }
}

/// Whether `domain` (host or host:port) is `entry` or one of its subdomains, ignoring case and
/// a final dot; an entry with a port covers that port only.
pub fn domain_within(domain: &str, entry: &str) -> bool {
    let domain = domain.trim_end_matches('.');
    let entry = entry.trim().trim_end_matches('.');
    if entry.is_empty() {
        return false;
    }
    if entry.contains(':') {
        return domain.eq_ignore_ascii_case(entry);
    }
    let host = domain.split(':').next().unwrap_or(domain);
    let Some(start) = host.len().checked_sub(entry.len()) else {
        return false;
    };
    host.get(start..)
        .is_some_and(|tail| tail.eq_ignore_ascii_case(entry))
        && (start == 0 || host.get(..start).is_some_and(|p| p.ends_with('.')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FederationConfig;

    #[test]
    fn an_allowlist_node_refuses_everyone_it_does_not_name() {
        let config = FederationConfig {
            mode: FederationMode::Allowlist,
            allowed_domains: vec!["ecole-a.example".into(), "localhost:9000".into()],
            ..FederationConfig::default()
        };
        let policy = FederationPolicy::new(&config, None, []);
        assert!(!policy.refuses("ecole-a.example"));
        assert!(!policy.refuses("www.ecole-a.example"));
        assert!(!policy.refuses("localhost:9000"));
        assert!(policy.refuses("localhost:9001"));
        assert!(policy.refuses("mastodon.example"));
        assert!(policy.refuses("notecole-a.example"));
        // A live change: one more school, and one blocked inside the list.
        let live = [
            ("ecole-b.example".to_string(), DomainPolicy::Allow),
            ("spam.ecole-a.example".to_string(), DomainPolicy::Block),
        ];
        let policy = FederationPolicy::new(&config, None, live);
        assert!(!policy.refuses("ecole-b.example"));
        assert!(policy.refuses("spam.ecole-a.example"));
        assert!(!policy.refuses("ecole-a.example"));
        // Moderators switched the mode back.
        let policy = FederationPolicy::new(&config, Some(FederationMode::Blocklist), []);
        assert!(!policy.refuses("mastodon.example"));
    }

    #[test]
    fn rules_cover_subdomains_and_ports_as_written() {
        for (domain, entry, within) in [
            ("a.spam.example", "spam.example", true),
            ("SPAM.example.", "spam.example", true),
            ("spam.example:8443", "spam.example", true),
            ("notspam.example", "spam.example", false),
            ("localhost:9000", "localhost:9000", true),
            ("localhost:9001", "localhost:9000", false),
            ("example", "spam.example", false),
            ("spam.example", "", false),
        ] {
            assert_eq!(domain_within(domain, entry), within, "{domain} in {entry}");
        }
        assert!(DomainPolicy::parse("silence").is_some());
        assert_eq!(
            FederationMode::parse("allowlist"),
            Some(FederationMode::Allowlist)
        );
    }
}
