//! The hops a request passed through, as proxies record them: the de-facto
//! `X-Forwarded-For` or RFC 7239 `Forwarded: for=…`. Each proxy appends the
//! peer it saw, so the list reads client first, nearest proxy last; only
//! the trusted suffix of it is evidence.
//!
//! Exactly one of the two is read, the one the trusted proxies maintain
//! (`QUICKCARE_FORWARDED_HEADER`): a proxy passes the other through as the
//! client wrote it, so reading it — or preferring whichever is present —
//! would let any client choose its own address.

use std::net::{IpAddr, SocketAddr};

use http::HeaderMap;

/// Which header the trusted proxies write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For` (ingress-nginx, cloud load balancers, HAProxy, Envoy).
    #[default]
    #[value(name = "x-forwarded-for")]
    XForwardedFor,
    /// RFC 7239 `Forwarded`.
    #[value(name = "forwarded")]
    Forwarded,
}

/// Every hop recorded in `which`, left to right, across all its header
/// lines. `None` stands for an entry that is not an address (`unknown`, an
/// obfuscated `_name`, garbage): the chain cannot be followed past it.
pub fn hops(headers: &HeaderMap, which: ForwardedHeader) -> Vec<Option<IpAddr>> {
    match which {
        ForwardedHeader::Forwarded => lines(headers, "forwarded")
            .flat_map(|line| line.split(',').map(forwarded_for).collect::<Vec<_>>())
            .flatten()
            .collect(),
        ForwardedHeader::XForwardedFor => lines(headers, "x-forwarded-for")
            .flat_map(|line| line.split(',').map(node).collect::<Vec<_>>())
            .collect(),
    }
}

fn lines<'a>(headers: &'a HeaderMap, name: &'static str) -> impl Iterator<Item = &'a str> {
    headers.get_all(name).iter().map(|v| v.to_str().unwrap_or("unknown"))
}

/// The `for` parameter of one forwarded-element (`for=…;proto=…;by=…`);
/// `None` when the element has no `for` (it then says nothing about hops).
fn forwarded_for(element: &str) -> Option<Option<IpAddr>> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim().eq_ignore_ascii_case("for").then(|| node(value))
    })
}

/// `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`, `2001:db8::1`.
fn node(raw: &str) -> Option<IpAddr> {
    let v = raw.trim().trim_matches('"').trim();
    if let Ok(ip) = v.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = v.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    v.strip_prefix('[').and_then(|r| r.strip_suffix(']')).and_then(|inner| inner.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn reads_x_forwarded_for_across_lines() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9, 10.0.0.2"),
            ("x-forwarded-for", "10.0.0.3:8080"),
            ("forwarded", "for=192.0.2.1"),
        ]);
        assert_eq!(hops(&h, XFF), vec![ip("203.0.113.9"), ip("10.0.0.2"), ip("10.0.0.3")]);
        let unknown = headers(&[("x-forwarded-for", "unknown, 10.0.0.2")]);
        assert_eq!(hops(&unknown, XFF), vec![None, ip("10.0.0.2")]);
    }

    #[test]
    fn reads_rfc_7239_forwarded() {
        let h = headers(&[
            ("forwarded", r#"for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711""#),
            ("forwarded", "for=_hidden, proto=https"),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(
            hops(&h, ForwardedHeader::Forwarded),
            vec![ip("192.0.2.60"), ip("2001:db8:cafe::17"), None]
        );
    }

    #[test]
    fn no_headers_no_hops() {
        assert!(hops(&HeaderMap::new(), XFF).is_empty());
        assert!(
            hops(&headers(&[("forwarded", "for=192.0.2.1")]), XFF).is_empty(),
            "the other header is ignored"
        );
    }
}
