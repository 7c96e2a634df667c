//! `QUICKCARE_TRUSTED_PROXIES`: the peers whose forwarding headers are believed.

use std::{net::IpAddr, str::FromStr};

use ipnet::IpNet;

/// A list of networks (CIDRs, or single addresses). Empty — the default —
/// trusts nobody: the client is always the socket peer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

#[derive(Debug, thiserror::Error)]
#[error("not a CIDR or IP address: {0:?}")]
pub struct BadProxy(String);

impl TrustedProxies {
    /// `10.0.0.0/8, 192.168.1.7, fd00::/8`; empty entries are ignored.
    pub fn parse(spec: &str) -> Result<Self, BadProxy> {
        spec.split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(parse_entry)
            .collect::<Result<_, _>>()
            .map(Self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// IPv4-mapped IPv6 peers (`::ffff:10.1.2.3`, what a dual-stack socket
    /// reports) match the IPv4 networks.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }
}

fn parse_entry(entry: &str) -> Result<IpNet, BadProxy> {
    IpNet::from_str(entry)
        .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
        .map_err(|_| BadProxy(entry.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cidrs_and_single_addresses() {
        let t = TrustedProxies::parse(" 10.0.0.0/8, 192.168.1.7 ,, fd00::/8").unwrap();
        assert!(t.contains("10.200.3.4".parse().unwrap()));
        assert!(t.contains("192.168.1.7".parse().unwrap()));
        assert!(!t.contains("192.168.1.8".parse().unwrap()));
        assert!(t.contains("fd00::1".parse().unwrap()));
        assert!(t.contains("::ffff:10.1.2.3".parse().unwrap()), "mapped IPv4");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
    }
}
