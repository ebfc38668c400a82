//! Signage: the labels shown on posts, initiatives and petitions, who may set each, and the
//! artificial-virality detector's settings (published live on `/about/algorithms`).

use serde::{Deserialize, Serialize};

named! {
    /// A label on content.
    Label {
        /// A moderator links a fact-check.
        Disputed = "disputed",
        /// Commercial content: set by a moderator, or shown for every post of a `business`
        /// account.
        Commercial = "commercial",
        /// Set by the detector: a burst of boosts, likes and replies mostly from very young
        /// accounts or from very few servers.
        ArtificialVirality = "artificial_virality",
    }
}

named! {
    /// Who set a label.
    LabelSource {
        /// A moderator, by a report's decision or from the desk.
        Moderator = "moderator",
        /// The artificial-virality detector.
        Detector = "detector",
        /// The author's account kind (`business`): shown, never stored.
        AccountKind = "account_kind",
    }
}

named! {
    /// What someone did to one of our posts or petitions that the detector counts.
    InteractionKind {
        /// `Announce` by a person.
        Boost = "boost",
        /// `Like`.
        Like = "like",
        /// A reply (`Create{Note}` with `inReplyTo`).
        Reply = "reply",
    }
}

/// The artificial-virality detector: an object is labelled when, within `window_minutes`, it
/// gets at least `min_interactions` boosts, likes and replies from other servers, and either
/// at least `young_share` of the accounts behind them are under `young_account_days` old, or
/// they come from `max_servers` servers or fewer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignageConfig {
    /// The sliding window, in minutes.
    pub window_minutes: i64,
    /// Interactions within the window below which nothing is said (an organic trickle).
    pub min_interactions: i64,
    /// An account younger than this many days counts as very young.
    pub young_account_days: i64,
    /// The share of very young accounts (0–1) from which a burst is labelled.
    pub young_share: f64,
    /// A burst from this many servers or fewer is labelled.
    pub max_servers: i64,
}

impl Default for SignageConfig {
    fn default() -> Self {
        SignageConfig {
            window_minutes: 60,
            min_interactions: 20,
            young_account_days: 7,
            young_share: 0.6,
            max_servers: 2,
        }
    }
}

/// What the detector saw of one object within the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burst {
    /// Interactions.
    pub interactions: i64,
    /// Distinct accounts behind them.
    pub accounts: i64,
    /// Of those, the very young ones.
    pub young_accounts: i64,
    /// Distinct servers.
    pub servers: i64,
}

impl SignageConfig {
    /// Whether a burst is labelled `artificial_virality`, and why, in words.
    pub fn judge(&self, b: &Burst) -> Option<String> {
        if b.interactions < self.min_interactions || b.accounts == 0 {
            return None;
        }
        let young = b.young_accounts as f64 / b.accounts as f64;
        if young >= self.young_share {
            return Some(format!(
                "{} interactions in {} min, {:.0} % of the {} accounts under {} days old",
                b.interactions,
                self.window_minutes,
                young * 100.0,
                b.accounts,
                self.young_account_days
            ));
        }
        if b.servers <= self.max_servers {
            return Some(format!(
                "{} interactions in {} min from {} server(s)",
                b.interactions, self.window_minutes, b.servers
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_young_accounts_or_few_servers_trips_and_an_organic_pattern_does_not() {
        let c = SignageConfig::default();
        let burst = |interactions, accounts, young_accounts, servers| Burst {
            interactions,
            accounts,
            young_accounts,
            servers,
        };
        assert!(c.judge(&burst(40, 40, 30, 12)).is_some(), "young accounts");
        assert!(c.judge(&burst(40, 40, 0, 1)).is_some(), "one server");
        assert!(c.judge(&burst(40, 40, 5, 15)).is_none(), "organic");
        assert!(c.judge(&burst(19, 19, 19, 1)).is_none(), "too few to say");
        assert!(c.judge(&burst(20, 0, 0, 0)).is_none());
    }
}
