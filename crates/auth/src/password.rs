//! Password hashing: argon2id with OWASP's parameters (19 MiB, t=2, p=1).
//! Legacy bcrypt `$2y$` hashes from the monolith verify too; callers rehash
//! them to argon2id on the next successful login.
//!
//! Every hash or verification takes 19 MiB and a core for tens of
//! milliseconds, so they are bounded: at most one per core runs, off the
//! async workers, on a fixed pool of one thread per core (not tokio's
//! blocking pool, whose threads come and go: each new thread's allocator
//! arena keeps a freed 19 MiB block, which added up to ~200 MiB of resident
//! memory under a flood); a few per core wait their turn,
//! and beyond that the answer is [`PasswordError::Busy`] (503 with
//! `Retry-After`) at once. Memory for hashing is then at most cores × 19 MiB
//! however many logins arrive, and a queue that cannot grow keeps the wait
//! of a legitimate login short. Logins also have a share per client
//! address (one place per core): a flood from one address cannot fill the
//! queue, so everyone else's login still finds a place at once.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
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
    #[error("too many password checks in progress")]
    Busy,
    #[error("could not start the hashing threads: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
    #[error("the hashing thread went away")]
    Lost,
}

/// A full queue is the caller's 503 (try again in a second); anything else
/// is unexpected.
impl From<PasswordError> for kit::Error {
    fn from(e: PasswordError) -> Self {
        match e {
            PasswordError::Busy => kit::Error::Busy {
                detail: "too many password checks in progress, please try again".into(),
                retry_after: 1,
            },
            other => kit::Error::internal(other),
        }
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Waiting hashes allowed per running one.
const QUEUE_PER_CORE: usize = 8;

/// The bound on concurrent hashing, one per auth instance (held in its
/// state, so every instance — and every test — has its own).
pub struct Hasher {
    threads: rayon::ThreadPool,
    running: Arc<Semaphore>,
    /// Running plus waiting.
    admitted: Arc<AtomicUsize>,
    capacity: usize,
    /// Places held per client address (logins), and how many one may hold.
    per_address: Shares,
    share: usize,
}

/// Places held per client address.
type Shares = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// One admitted hash; leaving (done, or its request dropped) frees its place.
struct Ticket {
    admitted: Arc<AtomicUsize>,
    address: Option<(Shares, IpAddr)>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.admitted.fetch_sub(1, Ordering::AcqRel);
        if let Some((map, ip)) = &self.address {
            let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = map.get_mut(ip) {
                *n -= 1;
                if *n == 0 {
                    map.remove(ip);
                }
            }
        }
    }
}

impl Hasher {
    /// One running per core, [`QUEUE_PER_CORE`] waiting per core, one place
    /// per core for any one address.
    pub fn for_this_machine() -> Result<Self, PasswordError> {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Self::new(cores, cores * QUEUE_PER_CORE, cores)
    }

    fn new(running: usize, waiting: usize, share: usize) -> Result<Self, PasswordError> {
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(running)
            .thread_name(|i| format!("argon2-{i}"))
            .build()?;
        Ok(Self {
            threads,
            running: Arc::new(Semaphore::new(running)),
            admitted: Arc::new(AtomicUsize::new(0)),
            capacity: running + waiting,
            per_address: Arc::default(),
            share,
        })
    }

    /// A place in the queue, or `Busy`: the queue is full, or `from`
    /// already holds its share.
    fn admit(&self, from: Option<IpAddr>) -> Result<Ticket, PasswordError> {
        let busy = || {
            metrics::counter!("password_hash_rejected_total").increment(1);
            PasswordError::Busy
        };
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= self.capacity {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(busy());
        }
        let mut ticket = Ticket { admitted: self.admitted.clone(), address: None };
        if let Some(ip) = from {
            let mut map = self.per_address.lock().unwrap_or_else(|p| p.into_inner());
            let held = map.entry(ip).or_insert(0);
            if *held >= self.share {
                return Err(busy()); // dropping the ticket frees the place
            }
            *held += 1;
            ticket.address = Some((self.per_address.clone(), ip));
        }
        Ok(ticket)
    }

    /// Runs `work` on the hashing threads within the bound. The permit and
    /// the ticket move into the job: a request dropped midway cannot free
    /// a place while its hash still holds the memory.
    async fn bounded<T: Send + 'static>(
        &self,
        ticket: Ticket,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let permit = self.running.clone().acquire_owned().await.map_err(|_| PasswordError::Busy)?;
        let (done, result) = tokio::sync::oneshot::channel();
        self.threads.spawn(move || {
            let out = work();
            // The hash's memory is gone: free the place before answering.
            drop((permit, ticket));
            // The receiver is gone only if the request was dropped.
            let _ = done.send(out);
        });
        result.await.map_err(|_| PasswordError::Lost)
    }

    /// Takes a place for a login from `from` now, before anything else is
    /// spent on it: a login that would be refused as busy is refused
    /// without a database read.
    pub fn reserve(&self, from: Option<IpAddr>) -> Result<Reserved<'_>, PasswordError> {
        Ok(Reserved { hasher: self, ticket: self.admit(from)? })
    }

    pub async fn hash(&self, password: &str) -> Result<String, PasswordError> {
        let password = password.to_owned();
        self.bounded(self.admit(None)?, move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| PasswordError::Hash(e.to_string()))
        })
        .await?
    }

    pub async fn verify(&self, password: &str, stored: &str) -> Result<Verdict, PasswordError> {
        self.reserve(None)?.verify(password, stored).await
    }
}

/// A place in the hashing queue, held from [`Hasher::reserve`] until its
/// verification is done (or it is dropped unused).
pub struct Reserved<'a> {
    hasher: &'a Hasher,
    ticket: Ticket,
}

impl Reserved<'_> {
    pub async fn verify(self, password: &str, stored: &str) -> Result<Verdict, PasswordError> {
        let (password, stored) = (password.to_owned(), stored.to_owned());
        self.hasher.bounded(self.ticket, move || check(&password, &stored)).await
    }
}

/// The result of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    Right,
    /// Right, but stored in a legacy or weaker form: rehash now.
    RightButRehash,
}

fn check(password: &str, stored: &str) -> Verdict {
    if stored.starts_with("$2y$") || stored.starts_with("$2b$") || stored.starts_with("$2a$") {
        return match bcrypt::verify(password, stored) {
            Ok(true) => Verdict::RightButRehash,
            _ => Verdict::Wrong,
        };
    }
    let Ok(parsed) = PasswordHash::new(stored) else { return Verdict::Wrong };
    if argon2().verify_password(password.as_bytes(), &parsed).is_err() {
        return Verdict::Wrong;
    }
    let current = Params::try_from(&parsed).ok().is_some_and(|p| p.m_cost() >= 19_456 && p.t_cost() >= 2);
    if parsed.algorithm.as_str() == "argon2id" && current { Verdict::Right } else { Verdict::RightButRehash }
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
        let hasher = Hasher::for_this_machine().unwrap();
        let h = hasher.hash("s3cret-pass").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(hasher.verify("s3cret-pass", &h).await.unwrap(), Verdict::Right);
        assert_eq!(hasher.verify("wrong", &h).await.unwrap(), Verdict::Wrong);
    }

    /// Far more verifications than the gate admits, at once: the surplus is
    /// refused as busy rather than queued without end, the rest all finish.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_is_bounded_and_answers_busy() {
        let hasher = Arc::new(Hasher::new(1, 3, 1).unwrap());
        let stored = hasher.hash("s3cret-pass").await.unwrap();
        let checks = (0..40).map(|_| {
            let (hasher, stored) = (hasher.clone(), stored.clone());
            tokio::spawn(async move { hasher.verify("wrong", &stored).await })
        });
        let results = futures::future::join_all(checks).await;
        let busy = results.iter().filter(|r| matches!(r, Ok(Err(PasswordError::Busy)))).count();
        let done = results.iter().filter(|r| matches!(r, Ok(Ok(Verdict::Wrong)))).count();
        assert_eq!(busy + done, 40);
        assert!(busy > 0 && done >= 4, "busy {busy}, done {done}");
        assert_eq!(hasher.admitted.load(Ordering::Acquire), 0, "every place freed");
        assert_eq!(hasher.verify("s3cret-pass", &stored).await.unwrap(), Verdict::Right, "and usable");
    }

    /// One address holds at most its share; others are still admitted.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_address_cannot_fill_the_queue() {
        let hasher = Arc::new(Hasher::new(1, 8, 2).unwrap());
        let stored = hasher.hash("s3cret-pass").await.unwrap();
        let flooder: IpAddr = "203.0.113.1".parse().unwrap();
        let flood = (0..20).map(|_| {
            let (hasher, stored) = (hasher.clone(), stored.clone());
            tokio::spawn(async move { hasher.reserve(Some(flooder))?.verify("wrong", &stored).await })
        });
        let flood = futures::future::join_all(flood);
        let owner = async {
            hasher.reserve(Some("198.51.100.1".parse().unwrap()))?.verify("s3cret-pass", &stored).await
        };
        let (flood, owner) = tokio::join!(flood, owner);
        assert_eq!(owner.unwrap(), Verdict::Right, "another address gets a place");
        let done = flood.iter().filter(|r| matches!(r, Ok(Ok(_)))).count();
        assert!((2..20).contains(&done), "the flooder got {done} places");
        assert!(hasher.per_address.lock().unwrap().is_empty(), "shares freed");
    }

    #[tokio::test]
    async fn legacy_bcrypt_verifies_and_asks_for_rehash() {
        let hasher = Hasher::for_this_machine().unwrap();
        assert_eq!(hasher.verify("password123", LEGACY).await.unwrap(), Verdict::RightButRehash);
        assert_eq!(hasher.verify("password124", LEGACY).await.unwrap(), Verdict::Wrong);
    }
}
