//! What handlers share.

use std::sync::Arc;

use kit::{service::ServiceContext, signing::SigningKey};
use tokio::sync::RwLock;

use kit::Result;

use crate::{keys, password::Hasher};

/// A signing key and when it was read.
type CachedKey = (Arc<SigningKey>, tokio::time::Instant);

#[derive(Clone)]
pub struct AppState {
    pub ctx: ServiceContext,
    /// Bounds password hashing (memory, cores) for this instance.
    pub hasher: Arc<Hasher>,
    /// The current signing key, cached; reloaded when another instance rotated.
    key: Arc<RwLock<Option<CachedKey>>>,
}

/// How long an instance signs with a cached key before re-reading the
/// table, so a rotation done elsewhere takes effect within this time.
const KEY_CACHE: std::time::Duration = std::time::Duration::from_secs(60);

impl AppState {
    pub fn new(ctx: ServiceContext) -> Result<Self> {
        Ok(Self { ctx, hasher: Arc::new(Hasher::for_this_machine()?), key: Arc::default() })
    }

    pub async fn signing_key(&self) -> Result<Arc<SigningKey>> {
        if let Some((k, at)) = self.key.read().await.as_ref()
            && at.elapsed() < KEY_CACHE
        {
            return Ok(k.clone());
        }
        let key = Arc::new(keys::current(&self.ctx.db, &self.ctx.keyring).await?);
        *self.key.write().await = Some((key.clone(), tokio::time::Instant::now()));
        Ok(key)
    }
}
