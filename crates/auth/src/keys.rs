//! The signing key store: the newest unretired key signs; the JWKS
//! publishes it and its predecessor, so rotation never invalidates tokens
//! still within their 15 minutes.

use std::sync::Arc;

use chrono::Utc;
use jsonwebtoken::jwk::JwkSet;
use kit::{crypto::Keyring, signing::SigningKey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::Expr,
};

use crate::entity::signing_key;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("stored signing key is unreadable: {0}")]
    Corrupt(String),
}

impl From<KeyError> for kit::Error {
    fn from(e: KeyError) -> Self {
        kit::Error::internal(e)
    }
}

/// Published keys, newest first: current and previous.
async fn published(db: &DatabaseConnection) -> Result<Vec<signing_key::Model>, DbErr> {
    signing_key::Entity::find().order_by_desc(signing_key::Column::Id).limit(2).all(db).await
}

fn open(keyring: &Keyring, row: &signing_key::Model) -> Result<SigningKey, KeyError> {
    let der = keyring.open(&row.private_key).map_err(|e| KeyError::Corrupt(e.to_string()))?;
    SigningKey::from_pkcs8_der(row.kid.clone(), &der).map_err(|e| KeyError::Corrupt(e.to_string()))
}

/// The key that signs now; creates the first one when there is none.
pub async fn current(db: &DatabaseConnection, keyring: &Keyring) -> Result<SigningKey, KeyError> {
    match published(db).await?.into_iter().find(|k| k.retired_at.is_none()) {
        Some(row) => open(keyring, &row),
        None => {
            insert_new(db, keyring).await?;
            let row = published(db)
                .await?
                .into_iter()
                .next()
                .ok_or(KeyError::Corrupt("no key after insert".into()))?;
            open(keyring, &row)
        }
    }
}

async fn insert_new(db: &DatabaseConnection, keyring: &Keyring) -> Result<String, KeyError> {
    let key = SigningKey::generate().map_err(|e| KeyError::Corrupt(e.to_string()))?;
    let der = key.pkcs8_der().map_err(|e| KeyError::Corrupt(e.to_string()))?;
    signing_key::ActiveModel {
        kid: Set(key.kid.clone()),
        private_key: Set(keyring.seal(&der)),
        created_at: Set(Utc::now()),
        retired_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(key.kid)
}

/// Makes a new key current; the previous stays published, older ones are
/// retired (they leave the JWKS). Returns the new `kid`.
pub async fn rotate(db: &DatabaseConnection, keyring: &Keyring) -> Result<String, KeyError> {
    let kid = insert_new(db, keyring).await?;
    let keep: Vec<String> = published(db).await?.into_iter().map(|k| k.kid).collect();
    signing_key::Entity::update_many()
        .col_expr(signing_key::Column::RetiredAt, Expr::value(Utc::now()))
        .filter(signing_key::Column::Kid.is_not_in(keep))
        .filter(signing_key::Column::RetiredAt.is_null())
        .exec(db)
        .await?;
    Ok(kid)
}

pub async fn jwks(db: &DatabaseConnection, keyring: &Keyring) -> Result<JwkSet, KeyError> {
    let mut keys = Vec::new();
    for row in published(db).await? {
        keys.push(open(keyring, &row)?.public_jwk());
    }
    Ok(JwkSet { keys })
}

/// The JWKS read straight from auth's database: auth itself, and every
/// service in embedded mode, verify with this instead of HTTP.
pub struct LocalJwks {
    db: DatabaseConnection,
    keyring: Arc<Keyring>,
}

impl LocalJwks {
    pub fn new(db: DatabaseConnection, keyring: Arc<Keyring>) -> Self {
        Self { db, keyring }
    }
}

#[async_trait::async_trait]
impl kit::identity::JwksSource for LocalJwks {
    async fn fetch(&self) -> anyhow::Result<JwkSet> {
        Ok(jwks(&self.db, &self.keyring).await?)
    }
}
