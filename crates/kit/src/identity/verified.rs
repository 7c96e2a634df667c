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

    /// Forgets every token (a signing key was retired).
    pub fn clear(&self) {
        self.cache.clear();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::Utc;

    use crate::{
        identity::{AUDIENCE, ISSUER, JwtVerifier, Revocation, Role, Scope, VerifyError},
        testing::TestIssuer,
    };

    use super::*;

    #[tokio::test]
    async fn cached_tokens_still_expire_and_honour_revocations() {
        let issuer = TestIssuer::new();
        let v = JwtVerifier::new(issuer.clone());
        let now = Utc::now().timestamp();
        // Expired 4 s ago: still inside the 5 s leeway, for about a second.
        let ending = issuer.token_with(&Claims {
            sub: "5".into(),
            role: Role::Patient,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: now - 4,
            iat: now - 900,
            jti: uuid::Uuid::now_v7().to_string(),
            sid: None,
        });
        assert!(v.verify(&ending).await.is_ok());
        assert!(v.verified.get(&VerifiedTokens::key(&ending)).is_some(), "cached");

        let live = issuer.token(6, Role::Patient);
        assert!(v.verify(&live).await.is_ok());
        assert!(v.verify(&live).await.is_ok(), "from the cache");
        v.revocations().revoke(Revocation::now(6, Scope::All)).await;
        assert!(matches!(v.verify(&live).await, Err(VerifyError::Revoked)), "revoked although cached");

        while Utc::now().timestamp() <= now + 1 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(matches!(v.verify(&ending).await, Err(VerifyError::Expired)), "expired although cached");
        assert!(v.verified.get(&VerifiedTokens::key(&ending)).is_none(), "and forgotten");
    }
}
