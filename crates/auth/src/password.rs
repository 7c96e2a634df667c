//! Password hashing: argon2id with OWASP's parameters (19 MiB, t=2, p=1).
//! Legacy bcrypt `$2y$` hashes from the monolith verify too; callers rehash
//! them to argon2id on the next successful login.
//!
//! Every hash or verification takes 19 MiB and a core for tens of
//! milliseconds, so they are bounded: at most one per core runs (on the
//! blocking pool, off the async workers), a few per core wait their turn,
//! and beyond that the answer is [`PasswordError::Busy`] (503 with
//! `Retry-After`) at once. Memory for hashing is then at most cores × 19 MiB
//! however many logins arrive, and a queue that cannot grow keeps the wait
//! of a legitimate login short.

use std::sync::{
    Arc, LazyLock,
    atomic::{AtomicUsize, Ordering},
};

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("could not hash: {0}")]
    Hash(String),
    #[error("hashing task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("too many password checks in progress")]
    Busy,
}

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Waiting hashes allowed per running one.
const QUEUE_PER_CORE: usize = 8;

/// The bound on concurrent hashing, process-wide (cores are).
struct Gate {
    running: Arc<Semaphore>,
    /// Running plus waiting.
    admitted: Arc<AtomicUsize>,
    capacity: usize,
}

/// One admitted hash; leaving (done, or its request dropped) frees its place.
struct Ticket(Arc<AtomicUsize>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

static GATE: LazyLock<Gate> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    Gate {
        running: Arc::new(Semaphore::new(cores)),
        admitted: Arc::new(AtomicUsize::new(0)),
        capacity: cores * (1 + QUEUE_PER_CORE),
    }
});

/// Runs `work` on the blocking pool within the bound. The permit and the
/// ticket move into the blocking task: a request that is dropped midway
/// cannot free a slot while its hash still holds the memory.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, PasswordError> {
    let gate = &*GATE;
    if gate.admitted.fetch_add(1, Ordering::AcqRel) >= gate.capacity {
        gate.admitted.fetch_sub(1, Ordering::AcqRel);
        metrics::counter!("password_hash_rejected_total").increment(1);
        return Err(PasswordError::Busy);
    }
    let ticket = Ticket(gate.admitted.clone());
    let permit = gate.running.clone().acquire_owned().await.map_err(|_| PasswordError::Busy)?;
    Ok(tokio::task::spawn_blocking(move || {
        let _held = (permit, ticket);
        work()
    })
    .await?)
}

pub async fn hash(password: &str) -> Result<String, PasswordError> {
    let password = password.to_owned();
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| PasswordError::Hash(e.to_string()))
    })
    .await?
}

/// The result of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    Right,
    /// Right, but stored in a legacy or weaker form: rehash now.
    RightButRehash,
}

pub async fn verify(password: &str, stored: &str) -> Result<Verdict, PasswordError> {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    bounded(move || {
        if stored.starts_with("$2y$") || stored.starts_with("$2b$") || stored.starts_with("$2a$") {
            return match bcrypt::verify(&password, &stored) {
                Ok(true) => Verdict::RightButRehash,
                _ => Verdict::Wrong,
            };
        }
        let Ok(parsed) = PasswordHash::new(&stored) else { return Verdict::Wrong };
        if argon2().verify_password(password.as_bytes(), &parsed).is_err() {
            return Verdict::Wrong;
        }
        let current = Params::try_from(&parsed).ok().is_some_and(|p| p.m_cost() >= 19_456 && p.t_cost() >= 2);
        if parsed.algorithm.as_str() == "argon2id" && current {
            Verdict::Right
        } else {
            Verdict::RightButRehash
        }
    })
    .await
}

/// A hash of a random password, verified against when the account does not
/// exist so that timing does not reveal which emails have accounts.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(uuid::Uuid::new_v4().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `password123` as the monolith stored it.
    const LEGACY: &str = "$2y$10$YQYA.I/eHP3qkZKQF5Ngi.Bwebal2YeRGs1l3vJQAbK9ieHoGSByu";

    #[tokio::test]
    async fn argon2id_round_trip() {
        let h = hash("s3cret-pass").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(verify("s3cret-pass", &h).await.unwrap(), Verdict::Right);
        assert_eq!(verify("wrong", &h).await.unwrap(), Verdict::Wrong);
    }

    /// Far more verifications than the gate admits, at once: the surplus is
    /// refused as busy rather than queued without end, the rest all finish.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_is_bounded_and_answers_busy() {
        let stored = hash("s3cret-pass").await.unwrap();
        let checks = (0..GATE.capacity * 3).map(|_| {
            let stored = stored.clone();
            tokio::spawn(async move { verify("wrong", &stored).await })
        });
        let results = futures::future::join_all(checks).await;
        let busy = results.iter().filter(|r| matches!(r, Ok(Err(PasswordError::Busy)))).count();
        let done = results.iter().filter(|r| matches!(r, Ok(Ok(Verdict::Wrong)))).count();
        assert_eq!(busy + done, GATE.capacity * 3);
        assert!(busy > 0 && done >= GATE.capacity / 2, "busy {busy}, done {done}");
    }

    #[tokio::test]
    async fn legacy_bcrypt_verifies_and_asks_for_rehash() {
        assert_eq!(verify("password123", LEGACY).await.unwrap(), Verdict::RightButRehash);
        assert_eq!(verify("password124", LEGACY).await.unwrap(), Verdict::Wrong);
    }
}
