//! Tokens whose signature already checked out, by SHA-256 of the token,
//! so a client sending the same bearer token again costs a hash and a map
//! lookup instead of an Ed25519 verification. Only what a signature
//! proved is cached (the claims); expiry and revocation are checked on
//! every use, so a cached token stops working exactly when an uncached
//! one would.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::Claims;

/// At most this many tokens are remembered (a few hundred bytes each);
/// the least recently used make room for new ones.
const CAPACITY: usize = 50_000;

pub struct VerifiedTokens {
    cache: quick_cache::sync::Cache<[u8; 32], Arc<Claims>>,
}

impl Default for VerifiedTokens {
    fn default() -> Self {
        Self { cache: quick_cache::sync::Cache::new(CAPACITY) }
    }
}

impl VerifiedTokens {
    pub fn key(token: &str) -> [u8; 32] {
        Sha256::digest(token.as_bytes()).into()
    }

    pub fn get(&self, key: &[u8; 32]) -> Option<Arc<Claims>> {
        self.cache.get(key)
    }

    pub fn insert(&self, key: [u8; 32], claims: Claims) {
        self.cache.insert(key, Arc::new(claims));
    }

    pub fn forget(&self, key: &[u8; 32]) {
        self.cache.remove(key);
    }
}
