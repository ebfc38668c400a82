//! How often one address, or one account, may sign one petition: as the UK Parliament's
//! petitions site has it, per address and petition a few a minute and a few more per five
//! minutes (a household shares an address; a surge comes from many), and per account and
//! petition the same, so signing and withdrawing in a loop does not churn the log.
//!
//! Kept in memory (`governor`'s keyed GCRA limiters), not in the database like the other
//! limits: every signature of a viral petition is checked, and rows per address cost two
//! writes per signature in the one transaction all signatures share. A restart forgets the
//! counts, which lets an address start over once; the moderators' bulk invalidation is the
//! remedy for what passes.

use agora_core::config::LimitsConfig;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Checks between two sweeps of the keys whose limit has fully recovered.
const SWEEP_EVERY: u64 = 1 << 16;

/// The signing limits of the node, shared by every request.
pub struct SignLimits {
    limiters: Arc<Limiters>,
    checks: AtomicU64,
}

struct Limiters {
    per_minute: DefaultKeyedRateLimiter<(i64, String)>,
    per_five: DefaultKeyedRateLimiter<(i64, String)>,
    per_account: DefaultKeyedRateLimiter<(i64, i64)>,
    sweeping: AtomicBool,
}

/// `count` per `period`, all of them at once if need be; a limit below one is one.
fn quota(count: i32, period: Duration) -> Quota {
    let count = u32::try_from(count.max(1)).unwrap_or(1);
    let burst = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period / count)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl SignLimits {
    /// Limits from the configuration's `limits` section.
    pub fn new(limits: &LimitsConfig) -> SignLimits {
        let minute = quota(
            limits.signatures_per_address_minute,
            Duration::from_secs(60),
        );
        let five = quota(limits.signatures_per_address_5min, Duration::from_secs(300));
        SignLimits {
            limiters: Arc::new(Limiters {
                per_minute: RateLimiter::keyed(minute),
                per_five: RateLimiter::keyed(five),
                per_account: RateLimiter::keyed(five),
                sweeping: AtomicBool::new(false),
            }),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts a new signature of `petition_id` from address `client` and, when it signed
    /// this petition before, account `signer_id`; false when a limit is reached (and then
    /// nothing is counted past it). Only an account that signed before can be looping: a
    /// first signature (most of a surge) skips its counter.
    pub fn allow(
        &self,
        petition_id: i64,
        signer_id: i64,
        client: &str,
        signed_before: bool,
    ) -> bool {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep_aside();
        }
        let l = &self.limiters;
        let address = (petition_id, client.to_string());
        l.per_minute.check_key(&address).is_ok()
            && l.per_five.check_key(&address).is_ok()
            && (!signed_before || l.per_account.check_key(&(petition_id, signer_id)).is_ok())
    }

    /// Sweeps on a thread of its own: a sweep walks every key, and checks run inside the
    /// transaction every signature waits for.
    fn sweep_aside(&self) {
        if self.limiters.sweeping.swap(true, Ordering::AcqRel) {
            return;
        }
        let limiters = self.limiters.clone();
        let spawned = std::thread::Builder::new()
            .name("agora-sign-limits".into())
            .spawn(move || {
                limiters.sweep();
                limiters.sweeping.store(false, Ordering::Release);
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the sweep of the signing limits");
            self.limiters.sweeping.store(false, Ordering::Release);
        }
    }
}

impl Limiters {
    /// Forgets the keys whose limits have fully recovered, so a surge's addresses do not
    /// stay in memory.
    fn sweep(&self) {
        self.per_minute.retain_recent();
        self.per_five.retain_recent();
        self.per_account.retain_recent();
        self.per_minute.shrink_to_fit();
        self.per_five.shrink_to_fit();
        self.per_account.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(minute: i32, five: i32) -> SignLimits {
        SignLimits::new(&LimitsConfig {
            signatures_per_address_minute: minute,
            signatures_per_address_5min: five,
            ..LimitsConfig::default()
        })
    }

    #[test]
    fn an_address_signs_once_a_minute_by_default() {
        let l = limits(1, 5);
        assert!(l.allow(1, 10, "192.0.2.1", false));
        assert!(!l.allow(1, 11, "192.0.2.1", false), "second in the minute");
        assert!(l.allow(2, 11, "192.0.2.1", false), "another petition");
        assert!(l.allow(1, 12, "192.0.2.2", false), "another address");
    }

    #[test]
    fn five_minutes_bound_an_address_under_a_generous_minute() {
        let l = limits(100, 5);
        let allowed = (0..20)
            .filter(|i| l.allow(1, *i, "192.0.2.1", false))
            .count();
        assert_eq!(allowed, 5);
    }

    #[test]
    fn an_account_that_signed_before_is_limited_on_any_address() {
        let l = limits(100, 2);
        let allowed = (0..10)
            .filter(|i| l.allow(1, 7, &format!("192.0.2.{i}"), true))
            .count();
        assert_eq!(allowed, 2);
        assert!(
            l.allow(1, 8, "192.0.2.200", false),
            "a first signature skips it"
        );
    }

    #[test]
    fn a_limit_below_one_is_one() {
        let l = limits(0, -3);
        assert!(l.allow(1, 1, "a", false));
        assert!(!l.allow(1, 2, "a", false));
    }
}
