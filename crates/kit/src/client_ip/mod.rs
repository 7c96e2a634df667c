//! The real client's address, decided once per request at the outermost
//! layer and used by everything after it: rate limits, login throttling,
//! the request log line, the record access log.
//!
//! - A socket peer in `QUICKCARE_TRUSTED_PROXIES` (a load balancer, the
//!   Ingress) vouches for the hops it recorded: the client is the
//!   right-most hop of `Forwarded` / `X-Forwarded-For` that is not itself
//!   trusted. Anyone else is the client, whatever headers they send.
//! - The gateway forwards what it decided to services sealed with the
//!   platform keyring ([`seal`]); a service believes that seal, so the
//!   gateway hop needs no address configuration in distributed mode.
//! - In one process (embedded), the gateway's decision travels with the
//!   request itself and the service keeps it.

pub mod forwarded;
pub mod seal;
mod trusted;

use std::{net::IpAddr, sync::Arc};

use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};
use http::HeaderMap;

pub use forwarded::ForwardedHeader;
pub use trusted::{BadProxy, TrustedProxies};

use crate::{config::Settings, crypto::Keyring};

/// The client's address, as [`layer`] decided it; `None` only for a
/// request that came from no socket at all (in-process calls).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// For keys and logs: the address, or `unknown`.
    pub fn label(&self) -> String {
        self.0.map(|ip| ip.to_string()).unwrap_or_else(|| "unknown".into())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ClientIp>().copied().unwrap_or_else(|| {
            // Outside the standard stack: the peer, never a header.
            ClientIp(
                parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_canonical()),
            )
        }))
    }
}

/// What a process believes about forwarding.
pub struct ClientIpPolicy {
    trusted: TrustedProxies,
    header: ForwardedHeader,
    sealer: seal::Sealer,
}

impl ClientIpPolicy {
    /// `QUICKCARE_TRUSTED_PROXIES` and `QUICKCARE_FORWARDED_HEADER`; the
    /// keyring seals and opens the gateway's word.
    pub fn new(settings: &Settings, keyring: Arc<Keyring>) -> Self {
        Self {
            trusted: settings.trusted_proxies.clone(),
            header: settings.forwarded_header,
            sealer: seal::Sealer::new(keyring),
        }
    }

    /// The value the gateway sends in [`seal::HEADER`].
    pub fn seal(&self, ip: IpAddr) -> String {
        self.sealer.seal(ip)
    }

    fn decide(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        if let Some(ip) =
            headers.get(seal::HEADER).and_then(|v| v.to_str().ok()).and_then(|v| self.sealer.open(v))
        {
            return Some(ip);
        }
        Some(resolve(peer?, headers, &self.trusted, self.header))
    }
}

/// Right-most untrusted hop: walk the recorded hops back from the peer for
/// as long as the one who recorded a hop is trusted. If every hop is
/// trusted, the left-most is the client.
pub fn resolve(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &TrustedProxies,
    which: ForwardedHeader,
) -> IpAddr {
    let mut client = peer.to_canonical();
    if trusted.is_empty() || !trusted.contains(client) {
        return client;
    }
    for hop in forwarded::hops(headers, which).into_iter().rev() {
        let Some(ip) = hop else { break };
        client = ip.to_canonical();
        if !trusted.contains(client) {
            break;
        }
    }
    client
}

/// Middleware: puts the [`ClientIp`] in the request's extensions, unless
/// the request already carries one (an in-process hop from the gateway).
pub async fn layer(State(policy): State<Arc<ClientIpPolicy>>, mut req: Request, next: Next) -> Response {
    if req.extensions().get::<ClientIp>().is_none() {
        let peer = req.extensions().get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        let ip = policy.decide(peer, req.headers());
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
        super::resolve(peer, headers, trusted, ForwardedHeader::XForwardedFor)
    }

    #[test]
    fn right_most_untrusted_hop() {
        let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // Forged left part, real client, then an inner proxy.
        let h = xff("1.1.1.1, 203.0.113.7, 10.0.0.5");
        assert_eq!(resolve(ip("10.0.0.9"), &h, &t), ip("203.0.113.7"));
        assert_eq!(
            resolve(ip("198.51.100.2"), &h, &t),
            ip("198.51.100.2"),
            "untrusted peer: headers ignored"
        );
        assert_eq!(
            resolve(ip("10.0.0.9"), &HeaderMap::new(), &t),
            ip("10.0.0.9"),
            "no hops: the proxy itself"
        );
        assert_eq!(resolve(ip("10.0.0.9"), &xff("10.0.0.7, 10.0.0.5"), &t), ip("10.0.0.7"), "all trusted");
        assert_eq!(resolve(ip("10.0.0.9"), &xff("203.0.113.7, garbage"), &t), ip("10.0.0.9"), "chain broken");
        assert_eq!(resolve(ip("10.0.0.9"), &h, &TrustedProxies::default()), ip("10.0.0.9"), "nobody trusted");
        assert_eq!(resolve(ip("::ffff:10.0.0.9"), &h, &t), ip("203.0.113.7"), "mapped peer");
        let mut both = h.clone();
        both.insert("forwarded", "for=1.2.3.4".parse().unwrap());
        assert_eq!(
            resolve(ip("10.0.0.9"), &both, &t),
            ip("203.0.113.7"),
            "a client-written Forwarded is ignored"
        );
        let rfc = super::resolve(ip("10.0.0.9"), &both, &t, ForwardedHeader::Forwarded);
        assert_eq!(rfc, ip("1.2.3.4"), "unless Forwarded is the one the proxies write");
    }
}
