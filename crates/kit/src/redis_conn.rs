//! One way to open a Redis connection for request-path work (rate limits,
//! revocation rules): a self-reconnecting manager whose connects and answers
//! give up after 2 s, so a Redis outage slows a request by at most that.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

const TIMEOUT: Duration = Duration::from_secs(2);

/// A connection manager for `url` with the 2 s connect and response timeouts.
pub async fn connect(url: &str) -> redis::RedisResult<ConnectionManager> {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(TIMEOUT))
        .set_response_timeout(Some(TIMEOUT));
    ConnectionManager::new_with_config(redis::Client::open(url)?, config).await
}
