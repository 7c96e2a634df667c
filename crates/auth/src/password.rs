//! Password hashing: argon2id with OWASP's parameters (19 MiB, t=2, p=1).
//! Legacy bcrypt `$2y$` hashes from the monolith verify too; callers rehash
//! them to argon2id on the next successful login. Hashing is CPU-bound, so
//! it runs on the blocking pool.

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("could not hash: {0}")]
    Hash(String),
    #[error("hashing task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
}

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: &str) -> Result<String, PasswordError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
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
    Ok(tokio::task::spawn_blocking(move || {
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
    .await?)
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

    #[tokio::test]
    async fn legacy_bcrypt_verifies_and_asks_for_rehash() {
        assert_eq!(verify("password123", LEGACY).await.unwrap(), Verdict::RightButRehash);
        assert_eq!(verify("password124", LEGACY).await.unwrap(), Verdict::Wrong);
    }
}
