//! How a service believes the gateway about the client without trusting
//! the network in between: the gateway sends the address it resolved
//! sealed with the platform keyring (`QUICKCARE_ENCRYPTION_KEYS`, which every
//! distributed process already shares), with the time it was sealed. Only
//! a holder of the keys can produce a value that opens, so a caller that
//! reaches a service directly cannot claim to be someone else, and no
//! address list has to name the gateway's (changing) pod addresses.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{SystemTime, UNIX_EPOCH},
};

use http::HeaderName;

use crate::crypto::Keyring;

/// The header the gateway sets on every request it forwards (overwriting
/// whatever a client sent under that name).
pub const HEADER: HeaderName = HeaderName::from_static("x-quickcare-client");

/// A sealed value is believed this long (seconds) after it was made, so a
/// captured one is of little use later.
const MAX_AGE_SECS: u64 = 60;

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

/// Labels the plaintext, so no other sealed value (PHI) can pass for one.
const LABEL: &str = "client-ip";

pub fn seal(keyring: &Keyring, ip: IpAddr) -> String {
    keyring.seal_str(&format!("{LABEL} {ip} {}", now()))
}

/// The address, when `value` was sealed by the platform recently.
pub fn open(keyring: &Keyring, value: &str) -> Option<IpAddr> {
    let (ip, at) = open_with_time(keyring, value)?;
    fresh(at).then_some(ip)
}

fn open_with_time(keyring: &Keyring, value: &str) -> Option<(IpAddr, u64)> {
    let plain = keyring.open_str(value).ok()?;
    let (ip, at) = plain.strip_prefix(LABEL)?.strip_prefix(' ')?.split_once(' ')?;
    Some((ip.parse().ok()?, at.parse().ok()?))
}

fn fresh(sealed_at: u64) -> bool {
    now().abs_diff(sealed_at) <= MAX_AGE_SECS
}

/// A sealed value is reused for this long (seconds) by the gateway: well
/// inside [`MAX_AGE_SECS`], so it is believed wherever it arrives.
const REUSE_SECS: u64 = 10;

/// Past this many remembered values, a cache starts over (a flood of
/// distinct addresses must not grow memory).
const CACHE_LIMIT: usize = 4096;

/// [`seal`] and [`open`] for the request path: every request through the
/// gateway is sealed there and opened by its service, and one client
/// sends many. An AEAD seal or open, its base64 and its formatting cost
/// more than the request's own routing; the gateway reuses one client's
/// sealed value for [`REUSE_SECS`], and a service remembers what a value
/// it opened said, still checking its age on every use. Reuse gives an
/// eavesdropper nothing new: any sealed value can be replayed for its
/// [`MAX_AGE_SECS`] already, and it only ever travels gateway → service.
pub struct Sealer {
    keyring: Arc<Keyring>,
    sealed: Mutex<HashMap<IpAddr, (String, u64)>>,
    opened: Mutex<HashMap<String, (IpAddr, u64)>>,
}

impl Sealer {
    pub fn new(keyring: Arc<Keyring>) -> Self {
        Self { keyring, sealed: Mutex::default(), opened: Mutex::default() }
    }

    /// [`seal`], reusing this address's value while it is young.
    pub fn seal(&self, ip: IpAddr) -> String {
        let now = now();
        let mut sealed = self.sealed.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((value, _)) = sealed.get(&ip).filter(|(_, at)| now.saturating_sub(*at) < REUSE_SECS) {
            return value.clone();
        }
        if sealed.len() >= CACHE_LIMIT {
            sealed.clear();
        }
        let value = self.keyring.seal_str(&format!("{LABEL} {ip} {now}"));
        sealed.insert(ip, (value.clone(), now));
        value
    }

    /// [`open`], remembering what each value said.
    pub fn open(&self, value: &str) -> Option<IpAddr> {
        let known = self.opened.lock().unwrap_or_else(|p| p.into_inner()).get(value).copied();
        let (ip, at) = match known {
            Some(known) => known,
            None => {
                let opened = open_with_time(&self.keyring, value)?;
                let mut cache = self.opened.lock().unwrap_or_else(|p| p.into_inner());
                if cache.len() >= CACHE_LIMIT {
                    cache.clear();
                }
                cache.insert(value.to_owned(), opened);
                opened
            }
        };
        fresh(at).then_some(ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyring(kid: &str) -> Keyring {
        Keyring::parse(&format!(
            "{kid}:{}",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [7u8; 32])
        ))
        .unwrap()
    }

    #[test]
    fn round_trip_and_tampering() {
        let k = keyring("a");
        let ip: IpAddr = "203.0.113.5".parse().unwrap();
        let sealed = seal(&k, ip);
        assert_eq!(open(&k, &sealed), Some(ip));
        assert_eq!(open(&k, "203.0.113.5"), None, "a plain address is not believed");
        let mut bytes = sealed.into_bytes();
        let mid = bytes.len() / 2;
        bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
        assert_eq!(open(&k, &String::from_utf8(bytes).unwrap()), None, "tampered");
        let stale = k.seal_str(&format!("{LABEL} {ip} {}", now() - MAX_AGE_SECS - 5));
        assert_eq!(open(&k, &stale), None, "too old");
        assert_eq!(open(&k, &k.seal_str(&format!("{ip} {}", now()))), None, "another sealed value");
        assert_eq!(open(&keyring("b"), &seal(&k, ip)), None, "another platform's keys");
    }

    #[test]
    fn the_sealer_reuses_young_values_and_still_checks_age() {
        let k = Arc::new(keyring("a"));
        let sealer = Sealer::new(k.clone());
        let (one, two): (IpAddr, IpAddr) = ("203.0.113.5".parse().unwrap(), "203.0.113.6".parse().unwrap());
        let sealed = sealer.seal(one);
        assert_eq!(sealer.seal(one), sealed, "reused while young");
        assert_ne!(sealer.seal(two), sealed);
        assert_eq!(open(&k, &sealed), Some(one), "a reused value opens anywhere");
        assert_eq!((sealer.open(&sealed), sealer.open(&sealed)), (Some(one), Some(one)));
        let stale = k.seal_str(&format!("{LABEL} {one} {}", now() - MAX_AGE_SECS - 5));
        assert_eq!((sealer.open(&stale), sealer.open(&stale)), (None, None), "remembered, still too old");
        assert_eq!(sealer.open("203.0.113.5"), None, "a plain address is not believed");
        assert_eq!(Sealer::new(Arc::new(keyring("b"))).open(&sealed), None, "another platform's keys");
    }
}
