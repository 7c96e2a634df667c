//! Ed25519 signing keys for access tokens: generation, PKCS#8 storage form,
//! public JWK. Auth signs with these; test support mints tokens with them.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use jsonwebtoken::{
    Algorithm, EncodingKey, Header,
    jwk::{
        AlgorithmParameters, CommonParameters, EllipticCurve, Jwk, KeyAlgorithm, OctetKeyPairParameters,
        OctetKeyPairType, PublicKeyUse,
    },
};
use rand::RngCore;

use crate::identity::Claims;

#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error("invalid private key: {0}")]
    Key(String),
    #[error("could not sign: {0}")]
    Sign(#[from] jsonwebtoken::errors::Error),
}

/// One signing key with its `kid`.
pub struct SigningKey {
    pub kid: String,
    inner: ed25519_dalek::SigningKey,
    encoding: EncodingKey,
}

impl SigningKey {
    /// A fresh random key; `kid` is derived from its public half.
    pub fn generate() -> Result<Self, SigningError> {
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        let inner = ed25519_dalek::SigningKey::from_bytes(&seed);
        let kid = URL_SAFE_NO_PAD.encode(&inner.verifying_key().as_bytes()[..12]);
        Self::from_parts(kid, inner)
    }

    /// From the stored PKCS#8 DER form.
    pub fn from_pkcs8_der(kid: String, der: &[u8]) -> Result<Self, SigningError> {
        let inner =
            ed25519_dalek::SigningKey::from_pkcs8_der(der).map_err(|e| SigningError::Key(e.to_string()))?;
        Self::from_parts(kid, inner)
    }

    fn from_parts(kid: String, inner: ed25519_dalek::SigningKey) -> Result<Self, SigningError> {
        let der = inner.to_pkcs8_der().map_err(|e| SigningError::Key(e.to_string()))?;
        let encoding = EncodingKey::from_ed_der(der.as_bytes());
        Ok(Self { kid, inner, encoding })
    }

    /// PKCS#8 DER, the form auth stores (encrypted) in its database.
    pub fn pkcs8_der(&self) -> Result<Vec<u8>, SigningError> {
        self.inner.to_pkcs8_der().map(|d| d.as_bytes().to_vec()).map_err(|e| SigningError::Key(e.to_string()))
    }

    /// The public half as a JWK (`OKP`, `Ed25519`, `use: sig`).
    pub fn public_jwk(&self) -> Jwk {
        public_jwk(&self.kid, self.inner.verifying_key().as_bytes())
    }

    pub fn sign(&self, claims: &Claims) -> Result<String, SigningError> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.encoding)?)
    }
}

/// A JWK for a raw Ed25519 public key.
pub fn public_jwk(kid: &str, public: &[u8; 32]) -> Jwk {
    Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::EdDSA),
            key_id: Some(kid.to_owned()),
            ..Default::default()
        },
        algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
            key_type: OctetKeyPairType::OctetKeyPair,
            curve: EllipticCurve::Ed25519,
            x: URL_SAFE_NO_PAD.encode(public),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{AUDIENCE, ISSUER, Role};
    use jsonwebtoken::{DecodingKey, Validation};

    fn claims(exp_offset: i64) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: "42".into(),
            role: Role::Patient,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: now + exp_offset,
            iat: now,
            jti: "j".into(),
            sid: None,
        }
    }

    #[test]
    fn signs_and_verifies_through_the_public_jwk() {
        let key = SigningKey::generate().unwrap();
        let token = key.sign(&claims(60)).unwrap();
        let decoding = DecodingKey::from_jwk(&key.public_jwk()).unwrap();
        let mut v = Validation::new(Algorithm::EdDSA);
        v.set_audience(&[AUDIENCE]);
        let data = jsonwebtoken::decode::<Claims>(&token, &decoding, &v).unwrap();
        assert_eq!(data.claims.sub, "42");
        assert_eq!(jsonwebtoken::decode_header(&token).unwrap().kid.as_deref(), Some(key.kid.as_str()));
    }

    #[test]
    fn survives_the_pkcs8_round_trip() {
        let key = SigningKey::generate().unwrap();
        let again = SigningKey::from_pkcs8_der(key.kid.clone(), &key.pkcs8_der().unwrap()).unwrap();
        assert_eq!(key.public_jwk(), again.public_jwk());
    }
}
