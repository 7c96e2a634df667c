//! `QUICKCARE_SERVICES`: where each service's instances are.
//! `auth=http://h:p,http://h:p;patient=dns+http://patient:8080` — `;`
//! between services, `,` between instances; `dns+` resolves every address
//! of a name (a Kubernetes headless service) and is re-resolved over time.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A base URL like `http://127.0.0.1:8101`.
    Static(String),
    /// Every address `host` resolves to, on `port`.
    Dns { scheme: String, host: String, port: u16 },
}

impl Target {
    /// A base URL for clients that resolve names themselves (e.g. JWKS fetches).
    pub fn base_url(&self) -> String {
        match self {
            Target::Static(u) => u.clone(),
            Target::Dns { scheme, host, port } => format!("{scheme}://{host}:{port}"),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("service entry {0:?} is not name=url[,url…]")]
    Entry(String),
    #[error("{0:?} is not an http:// or dns+http:// URL with host and port")]
    Url(String),
    #[error("service {0:?} is listed twice")]
    Duplicate(String),
}

pub fn parse_services(spec: &str) -> Result<Vec<(String, Vec<Target>)>, ParseError> {
    let mut out: Vec<(String, Vec<Target>)> = Vec::new();
    for entry in spec.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let (name, urls) = entry.split_once('=').ok_or_else(|| ParseError::Entry(entry.into()))?;
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(ParseError::Entry(entry.into()));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(ParseError::Duplicate(name.into()));
        }
        let targets = urls
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(parse_target)
            .collect::<Result<Vec<_>, _>>()?;
        if targets.is_empty() {
            return Err(ParseError::Entry(entry.into()));
        }
        out.push((name.to_owned(), targets));
    }
    Ok(out)
}

fn parse_target(url: &str) -> Result<Target, ParseError> {
    let bad = || ParseError::Url(url.into());
    let (dns, rest) = match url.strip_prefix("dns+") {
        Some(r) => (true, r),
        None => (false, url),
    };
    let (scheme, hostport) = rest.split_once("://").ok_or_else(bad)?;
    if scheme != "http" {
        return Err(bad());
    }
    let hostport = hostport.trim_end_matches('/');
    let (host, port) = hostport.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.is_empty() || hostport.contains('/') {
        return Err(bad());
    }
    Ok(if dns {
        Target::Dns { scheme: scheme.into(), host: host.into(), port }
    } else {
        Target::Static(format!("{scheme}://{host}:{port}"))
    })
}

/// The base URLs a target stands for right now.
pub async fn resolve(target: &Target) -> Vec<String> {
    match target {
        Target::Static(u) => vec![u.clone()],
        Target::Dns { scheme, host, port } => match tokio::net::lookup_host((host.as_str(), *port)).await {
            Ok(addrs) => {
                let mut urls: Vec<String> = addrs.map(|a| format!("{scheme}://{a}")).collect();
                urls.sort();
                urls.dedup();
                urls
            }
            Err(e) => {
                tracing::warn!(host, error = %e, "cannot resolve service name");
                Vec::new()
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_services_and_instances() {
        let s = parse_services(
            "auth=http://127.0.0.1:8101,http://127.0.0.1:8111; patient=dns+http://patient:8080",
        )
        .unwrap();
        assert_eq!(s[0].0, "auth");
        assert_eq!(s[0].1.len(), 2);
        assert_eq!(s[0].1[1], Target::Static("http://127.0.0.1:8111".into()));
        assert_eq!(s[1].1[0], Target::Dns { scheme: "http".into(), host: "patient".into(), port: 8080 });
    }

    #[test]
    fn rejects_bad_specs() {
        assert!(matches!(parse_services("auth"), Err(ParseError::Entry(_))));
        assert!(matches!(parse_services("auth=ftp://x:1"), Err(ParseError::Url(_))));
        assert!(matches!(parse_services("auth=http://x"), Err(ParseError::Url(_))));
        assert!(matches!(parse_services("auth=http://x:1;auth=http://y:2"), Err(ParseError::Duplicate(_))));
        assert!(parse_services("").unwrap().is_empty());
    }

    #[tokio::test]
    async fn resolves_dns_targets() {
        let urls = resolve(&Target::Dns { scheme: "http".into(), host: "localhost".into(), port: 9 }).await;
        assert!(urls.iter().any(|u| u.contains(":9")));
    }
}
