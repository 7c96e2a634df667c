//! Encryption at rest for PHI (national id, medical history, insurance):
//! XChaCha20-Poly1305 with the key id stored beside the ciphertext, so keys
//! rotate without rewriting old rows at once. The random 24-byte nonce of
//! XChaCha makes random nonces safe at any volume we will see.

use std::path::Path;

use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit},
};
use rand::RngCore;

use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("unknown key id {0}")]
    UnknownKey(String),
    #[error("ciphertext is malformed or was tampered with")]
    Invalid,
    #[error("bad key configuration: {0}")]
    Config(String),
}

const NONCE_LEN: usize = 24;

/// The platform's data keys: the first encrypts, all decrypt.
pub struct Keyring {
    keys: Vec<(String, XChaCha20Poly1305)>,
    /// Per key, a subkey for service credentials (see `internal`), so the
    /// encryption keys themselves never sign anything.
    credential_keys: Vec<(String, [u8; 32])>,
}

/// What the credential subkey of a data key is derived for.
const CREDENTIAL_PURPOSE: &[u8] = b"quickcare service credential v1";

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Vec<&str> = self.keys.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("Keyring").field("kids", &kids).finish_non_exhaustive()
    }
}

impl Keyring {
    /// From `QUICKCARE_ENCRYPTION_KEYS`, or (embedded mode, unset) a key
    /// generated once under the data dir.
    pub fn from_settings(settings: &Settings) -> Result<Self, CryptoError> {
        match settings.encryption_keys.as_deref() {
            Some(spec) => Self::parse(spec),
            None if settings.is_distributed() => Err(CryptoError::Config(
                "QUICKCARE_ENCRYPTION_KEYS is required in distributed mode (every instance must share it)"
                    .into(),
            )),
            None => Self::parse(&local_key(&settings.data_dir.join("keys"))?),
        }
    }

    /// `kid:base64(32 bytes)[,kid:…]`.
    pub fn parse(spec: &str) -> Result<Self, CryptoError> {
        let mut keys = Vec::new();
        let mut credential_keys = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (kid, b64) =
                part.split_once(':').ok_or_else(|| CryptoError::Config("expected kid:base64key".into()))?;
            if kid.is_empty() || kid.contains(':') {
                return Err(CryptoError::Config("key ids must be non-empty and without ':'".into()));
            }
            let raw =
                STANDARD.decode(b64).map_err(|_| CryptoError::Config(format!("key {kid} is not base64")))?;
            let cipher = XChaCha20Poly1305::new_from_slice(&raw)
                .map_err(|_| CryptoError::Config(format!("key {kid} must be 32 bytes")))?;
            keys.push((kid.to_owned(), cipher));
            credential_keys.push((kid.to_owned(), derive(&raw, CREDENTIAL_PURPOSE)));
        }
        if keys.is_empty() {
            return Err(CryptoError::Config("no encryption key given".into()));
        }
        Ok(Self { keys, credential_keys })
    }

    /// `kid:base64(nonce || ciphertext)`.
    pub fn seal(&self, plaintext: &[u8]) -> String {
        let (kid, cipher) = &self.keys[0];
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce length cannot fail.
        let ct = cipher.encrypt(XNonce::from_slice(&nonce), plaintext).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("{kid}:{}", STANDARD.encode(out))
    }

    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, CryptoError> {
        let (kid, b64) = sealed.split_once(':').ok_or(CryptoError::Invalid)?;
        let cipher = self
            .keys
            .iter()
            .find(|(k, _)| k == kid)
            .map(|(_, c)| c)
            .ok_or_else(|| CryptoError::UnknownKey(kid.to_owned()))?;
        let raw = STANDARD.decode(b64).map_err(|_| CryptoError::Invalid)?;
        if raw.len() < NONCE_LEN {
            return Err(CryptoError::Invalid);
        }
        let (nonce, ct) = raw.split_at(NONCE_LEN);
        cipher.decrypt(XNonce::from_slice(nonce), ct).map_err(|_| CryptoError::Invalid)
    }

    pub fn seal_str(&self, plaintext: &str) -> String {
        self.seal(plaintext.as_bytes())
    }

    pub fn open_str(&self, sealed: &str) -> Result<String, CryptoError> {
        String::from_utf8(self.open(sealed)?).map_err(|_| CryptoError::Invalid)
    }

    /// Key id that new ciphertexts use.
    pub fn current_kid(&self) -> &str {
        &self.keys[0].0
    }

    /// The service-credential subkeys, current first.
    pub(crate) fn credential_keys(&self) -> &[(String, [u8; 32])] {
        &self.credential_keys
    }
}

/// HMAC-SHA256(key, purpose): a subkey bound to one purpose.
fn derive(key: &[u8], purpose: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    // HMAC takes keys of any length.
    let Ok(mut mac) = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key) else { return [0; 32] };
    mac.update(purpose);
    mac.finalize().into_bytes().into()
}

/// Reads (or creates, mode 0600) the embedded-mode key file.
fn local_key(dir: &Path) -> Result<String, CryptoError> {
    let path = dir.join("encryption.key");
    if let Ok(s) = std::fs::read_to_string(&path) {
        return Ok(s.trim().to_owned());
    }
    std::fs::create_dir_all(dir).map_err(|e| CryptoError::Config(format!("{}: {e}", dir.display())))?;
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    let spec = format!("local1:{}", STANDARD.encode(key));
    write_private(&path, &spec).map_err(|e| CryptoError::Config(format!("{}: {e}", path.display())))?;
    Ok(spec)
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(content.as_bytes())
}

/// SHA-256 of a secret as lowercase hex: how single-use secrets (refresh,
/// reset and registration tokens) are stored, so a database leak does not
/// hand them out.
pub fn secret_digest(secret: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes, URL-safe base64: a secret to mail or hand out.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kid: &str) -> String {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        format!("{kid}:{}", STANDARD.encode(k))
    }

    #[test]
    fn round_trips_and_hides_the_plaintext() {
        let ring = Keyring::parse(&spec("a")).unwrap();
        let sealed = ring.seal_str("AB123456");
        assert!(sealed.starts_with("a:") && !sealed.contains("AB123456"));
        assert_eq!(ring.open_str(&sealed).unwrap(), "AB123456");
        assert_ne!(ring.seal_str("AB123456"), sealed, "nonces are random");
    }

    #[test]
    fn detects_tampering_and_unknown_keys() {
        let ring = Keyring::parse(&spec("a")).unwrap();
        let sealed = ring.seal_str("secret");
        let mut raw = STANDARD.decode(&sealed[2..]).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        assert!(matches!(ring.open(&format!("a:{}", STANDARD.encode(raw))), Err(CryptoError::Invalid)));
        assert!(matches!(ring.open("zz:AAAA"), Err(CryptoError::UnknownKey(_))));
    }

    #[test]
    fn old_keys_still_decrypt_after_rotation() {
        let old = spec("old");
        let sealed = Keyring::parse(&old).unwrap().seal_str("x");
        let rotated = Keyring::parse(&format!("{},{old}", spec("new"))).unwrap();
        assert_eq!(rotated.open_str(&sealed).unwrap(), "x");
        assert!(rotated.seal_str("x").starts_with("new:"));
    }

    #[test]
    fn embedded_key_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = local_key(dir.path()).unwrap();
        assert_eq!(local_key(dir.path()).unwrap(), a);
    }
}
