//! What handlers share.

use kit::service::ServiceContext;

#[derive(Clone)]
pub struct AppState {
    pub ctx: ServiceContext,
}
