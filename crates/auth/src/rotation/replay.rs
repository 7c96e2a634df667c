//! The successor of a rotated refresh token, kept for the replay window.
//!
//! It is sealed (XChaCha20-Poly1305) under a key derived from the token it
//! replaced. The database keeps only that token's SHA-256, so neither a
//! dump of `refresh_tokens` nor the platform's data keys open the sealed
//! pair: only a client still holding the predecessor can, which is exactly
//! who the replay answers. No usable token is stored in clear.

use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    Key, XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit},
};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Separates this key from the token's stored digest (a plain SHA-256).
const PURPOSE: &[u8] = b"quickcare refresh successor v1\0";
const NONCE_LEN: usize = 24;

/// The pair a rotation handed out, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Successor {
    pub access_token: String,
    pub refresh_token: String,
    /// Unix seconds, so a replay can say how long the access token has left.
    pub issued_at: i64,
}

/// The cipher keyed by `presented`, a random 256-bit secret (so one hash
/// is a sound key derivation).
fn cipher(presented: &str) -> XChaCha20Poly1305 {
    let key = Sha256::new().chain_update(PURPOSE).chain_update(presented.as_bytes()).finalize();
    XChaCha20Poly1305::new(Key::from_slice(&key))
}

/// `base64(nonce || ciphertext)` of `successor`, openable with `presented` only.
pub fn seal(presented: &str, successor: &Successor) -> String {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    // Serializing strings and an integer cannot fail, nor can encrypting
    // with a valid key and nonce length.
    let plain = serde_json::to_vec(successor).unwrap_or_default();
    let sealed = cipher(presented).encrypt(XNonce::from_slice(&nonce), plain.as_slice()).unwrap_or_default();
    STANDARD.encode([nonce.as_slice(), &sealed].concat())
}

/// The successor sealed by [`seal`] with the same `presented` token; `None`
/// for another token, a tampered value or garbage.
pub fn open(presented: &str, sealed: &str) -> Option<Successor> {
    let raw = STANDARD.decode(sealed).ok()?;
    if raw.len() < NONCE_LEN {
        return None;
    }
    let (nonce, ciphertext) = raw.split_at(NONCE_LEN);
    let plain = cipher(presented).decrypt(XNonce::from_slice(nonce), ciphertext).ok()?;
    serde_json::from_slice(&plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn successor() -> Successor {
        Successor {
            access_token: "eyJ.access".into(),
            refresh_token: "next-secret".into(),
            issued_at: 1_700_000_000,
        }
    }

    #[test]
    fn the_predecessor_opens_its_successor() {
        let sealed = seal("old-secret", &successor());
        assert_eq!(open("old-secret", &sealed), Some(successor()));
    }

    #[test]
    fn the_sealed_value_holds_no_token_in_clear() {
        let sealed = seal("old-secret", &successor());
        let raw = STANDARD.decode(&sealed).unwrap_or_default();
        let text = String::from_utf8_lossy(&raw);
        assert!(!sealed.contains("next-secret") && !text.contains("next-secret"));
    }

    #[test]
    fn another_token_or_a_tampered_value_opens_nothing() {
        let sealed = seal("old-secret", &successor());
        assert_eq!(open("other-secret", &sealed), None);
        let mut raw = STANDARD.decode(&sealed).unwrap_or_default();
        if let Some(last) = raw.last_mut() {
            *last ^= 1;
        }
        assert_eq!(open("old-secret", &STANDARD.encode(raw)), None);
        assert_eq!(open("old-secret", "not base64 !"), None);
        assert_eq!(open("old-secret", ""), None);
    }
}
