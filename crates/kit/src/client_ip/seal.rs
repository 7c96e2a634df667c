//! How a service believes the gateway about the client without trusting
//! the network in between: the gateway sends the address it resolved
//! sealed with the platform keyring (`QUICKCARE_ENCRYPTION_KEYS`, which every
//! distributed process already shares), with the time it was sealed. Only
//! a holder of the keys can produce a value that opens, so a caller that
//! reaches a service directly cannot claim to be someone else, and no
//! address list has to name the gateway's (changing) pod addresses.

use std::{
    net::IpAddr,
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
    let plain = keyring.open_str(value).ok()?;
    let (ip, at) = plain.strip_prefix(LABEL)?.strip_prefix(' ')?.split_once(' ')?;
    let at: u64 = at.parse().ok()?;
    (now().abs_diff(at) <= MAX_AGE_SECS).then_some(())?;
    ip.parse().ok()
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
}
