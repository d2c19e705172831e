//! The rate limit of the public verification look-ups: one limiter per application, kept in
//! `AppState` (so this file imports no page and no state); the pages check it through their
//! `VerifyQuota` extractor.
//!
//! The limit (`verify_rate_per_minute`, GCRA via `governor`: a burst of that many, then one
//! more every 60/n seconds) keeps anyone from walking the code space or scraping names. IPv6
//! clients count per /64, the block one subscriber usually has.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The key an address counts under: IPv4 as is, IPv6 by its /64 (an IPv4-mapped address as
/// the IPv4 one).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mask = !0u128 << 64;
                IpAddr::V6((u128::from(v6) & mask).into())
            }
        },
    }
}

/// One application's limiter (in `AppState`): every worker thread shares it.
pub struct VerifyLimiter {
    /// None when the limit is set to 0: no limit.
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    checks: AtomicU32,
}

/// Forget addresses that are back to a full allowance every this many checks, so the table
/// holds only recent clients.
const PRUNE_EVERY: u32 = 1024;

impl VerifyLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            limiter: NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            checks: AtomicU32::new(0),
        }
    }

    /// Ok, or the seconds this client address must wait.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        let key = client_key(client);
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(limiter.clock().now());
            // Whole seconds, rounded up, at least one.
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        let other: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(
            client_key(mapped),
            "192.0.2.7".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn the_limit_allows_a_burst_then_asks_to_wait() {
        let limiter = VerifyLimiter::new(3);
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        for _ in 0..3 {
            assert_eq!(limiter.check(ip), Ok(()));
        }
        let wait = limiter.check(ip).expect_err("fourth refused");
        assert!((1..=20).contains(&wait), "{wait}");
        // Another address has its own allowance.
        assert_eq!(limiter.check("192.0.2.2".parse().expect("ip")), Ok(()));
        // 0 turns the limit off.
        let off = VerifyLimiter::new(0);
        assert!((0..100).all(|_| off.check(ip).is_ok()));
    }
}
