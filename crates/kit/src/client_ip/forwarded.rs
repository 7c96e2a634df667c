//! The hops a request passed through, as proxies record them: RFC 7239
//! `Forwarded: for=…` when present, else the de-facto `X-Forwarded-For`.
//! Each proxy appends the peer it saw, so the list reads client first,
//! nearest proxy last; only the trusted suffix of it is evidence.

use std::net::{IpAddr, SocketAddr};

use http::HeaderMap;

/// Every recorded hop, left to right, across all header lines. `None`
/// stands for an entry that is not an address (`unknown`, an obfuscated
/// `_name`, garbage): the chain cannot be followed past it.
pub fn hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<Option<IpAddr>> = lines(headers, "forwarded")
        .flat_map(|line| line.split(',').map(forwarded_for).collect::<Vec<_>>())
        .flatten()
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    lines(headers, "x-forwarded-for").flat_map(|line| line.split(',').map(node).collect::<Vec<_>>()).collect()
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

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn reads_x_forwarded_for_across_lines() {
        let h =
            headers(&[("x-forwarded-for", "203.0.113.9, 10.0.0.2"), ("x-forwarded-for", "10.0.0.3:8080")]);
        assert_eq!(hops(&h), vec![ip("203.0.113.9"), ip("10.0.0.2"), ip("10.0.0.3")]);
        assert_eq!(hops(&headers(&[("x-forwarded-for", "unknown, 10.0.0.2")])), vec![None, ip("10.0.0.2")]);
    }

    #[test]
    fn prefers_rfc_7239_forwarded() {
        let h = headers(&[
            ("forwarded", r#"for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711""#),
            ("forwarded", "for=_hidden, proto=https"),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(hops(&h), vec![ip("192.0.2.60"), ip("2001:db8:cafe::17"), None]);
    }

    #[test]
    fn no_headers_no_hops() {
        assert!(hops(&HeaderMap::new()).is_empty());
    }
}
