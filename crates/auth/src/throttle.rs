//! Login throttling that stops guessing without handing anyone a lock-out.
//!
//! Three fixed-window counters, counted atomically *before* the password
//! is checked (so concurrent guesses cannot all slip under a limit that is
//! only read first, and a refused attempt costs no hash):
//!
//! - per client IP: `QUICKCARE_LOGIN_MAX_FAILURES_PER_IP` per window — one
//!   address spraying many accounts;
//! - per (account, client IP): `…_PER_ACCOUNT_IP` per window, the tight
//!   limit — one address guessing one account;
//! - per account: `…_PER_ACCOUNT` per hour from all addresses together, the
//!   loose limit (ASVS 2.2.1) — a distributed guesser.
//!
//! The account counter only moves for attempts the pair limit let through,
//! so one address adds at most the pair limit to it per window: the owner,
//! from an address with no failures, still gets in while the guesser is
//! throttled. A successful login clears its pair counter and takes its own
//! attempt back from the other two, so successes never use them up.
//! Unknown emails are counted exactly like known ones. Keys hold a digest
//! of the email, not the email.

use std::time::Duration;

use kit::{
    crypto::secret_digest,
    http::ClientIp,
    ratelimit::{Decision, RateLimiter},
    service::ServiceContext,
};

pub struct LoginThrottle<'a> {
    limiter: &'a dyn RateLimiter,
    limits: [(String, u32, Duration); 3],
}

/// Index of each counter in `limits`, in the order they are counted.
const IP: usize = 0;
const PAIR: usize = 1;
const ACCOUNT: usize = 2;

impl<'a> LoginThrottle<'a> {
    /// `email` as the account is looked up (trimmed, lowercased).
    pub fn new(ctx: &'a ServiceContext, email: &str, ip: ClientIp) -> Self {
        let s = &ctx.settings;
        let account = secret_digest(email);
        let ip = ip.label();
        Self {
            limiter: ctx.limiter.as_ref(),
            limits: [
                (format!("login:ip:{ip}"), s.login_max_failures_per_ip, s.login_window()),
                (format!("login:pair:{account}:{ip}"), s.login_max_failures_per_account_ip, s.login_window()),
                (format!("login:acct:{account}"), s.login_max_failures_per_account, s.login_account_window()),
            ],
        }
    }

    /// Counts this attempt; 429 (with the wait) when a limit is passed.
    pub async fn admit(&self) -> kit::Result<()> {
        for (key, limit, window) in &self.limits {
            let d: Decision = self.limiter.hit(key, *limit, *window).await;
            if !d.allowed {
                metrics::counter!("login_throttled_total").increment(1);
                return Err(kit::Error::Throttled { retry_after: d.retry_after_secs() });
            }
        }
        Ok(())
    }

    /// The password was right: this pair starts over, and the attempt no
    /// longer counts for the address or the account.
    pub async fn succeeded(&self) {
        self.limiter.reset(&self.limits[PAIR].0).await;
        self.limiter.forgive(&self.limits[IP].0).await;
        self.limiter.forgive(&self.limits[ACCOUNT].0).await;
    }
}
