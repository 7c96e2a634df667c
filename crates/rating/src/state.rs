//! What handlers share.

use std::sync::Arc;

use kit::service::ServiceContext;

use crate::moderation::BlockList;

#[derive(Clone)]
pub struct AppState {
    pub ctx: ServiceContext,
    /// Built once at start from the built-in lists and the settings.
    pub blocked: Arc<BlockList>,
}
