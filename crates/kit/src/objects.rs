//! Uploaded files (doctors' CVs): one interface over local disk (embedded
//! mode, under the data directory) and any S3-compatible store
//! (production), through Apache Arrow's `object_store`.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, local::LocalFileSystem, path::Path};

use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum ObjectsError {
    #[error("object store url {0:?} is not valid")]
    Url(String),
    #[error("cannot create the uploads directory {0}: {1}")]
    Dir(String, std::io::Error),
    #[error("object not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

#[derive(Clone)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
    prefix: Path,
}

impl Objects {
    pub fn from_settings(settings: &Settings) -> Result<Self, ObjectsError> {
        match settings.object_store_url.as_deref() {
            Some(raw) => {
                let url = url::Url::parse(raw).map_err(|_| ObjectsError::Url(raw.to_owned()))?;
                // `AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT`, … as the store's options.
                let options = std::env::vars()
                    .filter(|(k, _)| k.starts_with("AWS_"))
                    .map(|(k, v)| (k.to_ascii_lowercase(), v));
                let (store, prefix) = object_store::parse_url_opts(&url, options)?;
                Ok(Self { store: Arc::from(store), prefix })
            }
            None => Self::local(&settings.data_dir.join("uploads")),
        }
    }

    /// Files under `dir` on local disk.
    pub fn local(dir: &std::path::Path) -> Result<Self, ObjectsError> {
        std::fs::create_dir_all(dir).map_err(|e| ObjectsError::Dir(dir.display().to_string(), e))?;
        let store = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self { store: Arc::new(store), prefix: Path::default() })
    }

    fn path(&self, key: &str) -> Path {
        self.prefix.clone().join(key)
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), ObjectsError> {
        self.store.put(&self.path(key), PutPayload::from_bytes(bytes)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, ObjectsError> {
        match self.store.get(&self.path(key)).await {
            Ok(found) => Ok(found.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(ObjectsError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Deleting what is already gone succeeds.
    pub async fn delete(&self, key: &str) -> Result<(), ObjectsError> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_reads_and_deletes_on_local_disk() {
        let dir = tempfile::tempdir().unwrap();
        let objects = Objects::local(dir.path()).unwrap();
        objects.put("cv/1.pdf", Bytes::from_static(b"%PDF-1.4")).await.unwrap();
        assert_eq!(objects.get("cv/1.pdf").await.unwrap().as_ref(), b"%PDF-1.4");
        objects.delete("cv/1.pdf").await.unwrap();
        assert!(matches!(objects.get("cv/1.pdf").await, Err(ObjectsError::NotFound)));
        objects.delete("cv/1.pdf").await.unwrap();
    }
}
