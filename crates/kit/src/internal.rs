//! Service-to-service endpoints (`/internal/...`) and the credential that
//! opens them.
//!
//! Read models are filled by events; when one misses — a client's next
//! call arrived before the event of what it just did — the service asks
//! the owner once ([`learn`]) for the first event the owner wrote about
//! that subject, and applies it with its own consumer's handler, in one
//! transaction with its inbox row, exactly as if the bus had brought it.
//! The delivery that arrives later is then a duplicate: a no-op. It is
//! the *first* event about the subject, so what follows it still arrives
//! in order. The owner answers from its outbox ([`first_event`]); an owner
//! that never wrote one answers 404 and the reader's answer stands as
//! before (404, 403, 422).
//!
//! The credential: every service already holds the platform keyring
//! (`QUICKCARE_ENCRYPTION_KEYS`, shared by all instances). A caller sends
//! `QuickCare-Service: v1.<kid>.<service>.<unix seconds>.<hex HMAC-SHA256>`,
//! the MAC over `<service>\n<unix seconds>` under a subkey derived from
//! data key `<kid>` for this purpose only. The callee accepts any key of
//! its ring (so keys rotate) and a time within [`MAX_SKEW_SECS`]. Only
//! [`ServiceCaller`] accepts it; the gateway never routes `/internal/`,
//! and an internal route without the credential answers 404 like a route
//! that does not exist. Internal endpoints either only read (they are safe
//! to repeat), or, like the [`registration`] saga's, also need a secret of
//! their own that the request carries, so a replayed credential can do
//! nothing a service could not.

pub mod registration;

use std::{sync::Arc, time::Duration};

use axum::{extract::FromRequestParts, http::request::Parts};
use hmac::{Hmac, Mac};
use http::StatusCode;
use serde::de::DeserializeOwned;

use crate::{
    Problem,
    crypto::Keyring,
    events::{Event, Handler, HandlerError, catalog::EventType},
    json::Json,
    peer::PeerError,
    service::ServiceContext,
};

pub const HEADER: &str = "quickcare-service";
/// How far apart the caller's and the callee's clocks may be.
pub const MAX_SKEW_SECS: i64 = 300;
/// How long a read model waits for the owner before giving up (the client
/// then gets 503 and retries).
pub const ASK_TIMEOUT: Duration = Duration::from_secs(3);

type HmacSha256 = Hmac<sha2::Sha256>;

fn mac(key: &[u8; 32], service: &str, at: i64) -> HmacSha256 {
    // HMAC takes keys of any length.
    let mut m = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(service.as_bytes());
    m.update(b"\n");
    m.update(at.to_string().as_bytes());
    m
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// A fresh credential for `service` (the caller's own name).
pub fn credential(keyring: &Keyring, service: &str) -> String {
    credential_at(keyring, service, chrono::Utc::now().timestamp())
}

fn credential_at(keyring: &Keyring, service: &str, at: i64) -> String {
    let (kid, key) = &keyring.credential_keys()[0];
    let tag = mac(key, service, at).finalize().into_bytes();
    format!("v1.{kid}.{service}.{at}.{}", hex(&tag))
}

/// The calling service's name, when `value` is a valid credential now.
pub fn verify(keyring: &Keyring, value: &str) -> Option<String> {
    verify_at(keyring, value, chrono::Utc::now().timestamp())
}

fn verify_at(keyring: &Keyring, value: &str, now: i64) -> Option<String> {
    let mut parts = value.split('.');
    let (Some("v1"), Some(kid), Some(service), Some(at), Some(tag), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let at: i64 = at.parse().ok()?;
    if (now - at).abs() > MAX_SKEW_SECS || service.is_empty() {
        return None;
    }
    let (_, key) = keyring.credential_keys().iter().find(|(k, _)| k == kid)?;
    mac(key, service, at).verify_slice(&unhex(tag)?).ok()?;
    Some(service.to_owned())
}

/// Extractor for `/internal/` handlers: the verified calling service.
/// Anything else is answered 404, as if the route did not exist.
#[derive(Debug, Clone)]
pub struct ServiceCaller(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ServiceCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let keyring = parts.extensions.get::<Arc<Keyring>>().ok_or_else(Problem::not_found)?;
        let Some(given) = parts.headers.get(HEADER) else { return Err(Problem::not_found()) };
        match given.to_str().ok().and_then(|v| verify(keyring, v)) {
            Some(service) => Ok(ServiceCaller(service)),
            None => {
                // A peer with another keyring (or a clock far off): say so
                // in the log, since the caller only sees a 404.
                tracing::warn!("internal call with an invalid service credential refused");
                Err(Problem::not_found())
            }
        }
    }
}

/// Asks `owner` for what it knows at `path` (a GET under `/internal/`),
/// as service `ctx.name`, within [`ASK_TIMEOUT`]. `Ok(None)`: the owner
/// has no such thing (404), or is not configured in this process — the
/// caller's "does not exist" answer stands.
pub async fn ask<T: DeserializeOwned>(
    ctx: &ServiceContext,
    owner: &str,
    path: &str,
) -> Result<Option<T>, PeerError> {
    let credential = credential(&ctx.keyring, ctx.name);
    let call = ctx.peers.get_json::<T>(owner, path, (HEADER, credential.as_str()));
    match tokio::time::timeout(ASK_TIMEOUT, call).await {
        Ok(Ok(answer)) => {
            metrics::counter!("read_model_fallbacks_total", "owner" => owner.to_owned(), "outcome" => "found")
                .increment(1);
            Ok(Some(answer.body))
        }
        Ok(Err(PeerError::Status { status: StatusCode::NOT_FOUND, .. })) => {
            metrics::counter!("read_model_fallbacks_total", "owner" => owner.to_owned(), "outcome" => "absent")
                .increment(1);
            Ok(None)
        }
        // Not reachable from this process at all (a service run on its own,
        // as in a service's tests): nothing to learn from, as before.
        Ok(Err(PeerError::Unknown(_))) => {
            tracing::warn!(owner, "read model missed, and its owner is not configured here");
            Ok(None)
        }
        Ok(Err(e)) => Err(e),
        Err(_) => Err(PeerError::Unavailable { service: owner.to_owned(), cause: "timed out".into() }),
    }
}

/// POSTs `body` to `owner` at `path` (under `/internal/`) as service
/// `ctx.name`, with an idempotency key so a repeat cannot act twice.
async fn post<B: serde::Serialize, T: DeserializeOwned>(
    ctx: &ServiceContext,
    owner: &str,
    path: &str,
    idempotency_key: &str,
    body: &B,
) -> Result<T, PeerError> {
    let credential = credential(&ctx.keyring, ctx.name);
    let answer = ctx
        .peers
        .post_json_as_service(owner, path, (HEADER, credential.as_str()), idempotency_key, body)
        .await?;
    Ok(answer.body)
}

/// What an owner answers on an `/internal/` route: the first event of
/// `kind` it wrote about `subject`, or 404.
pub async fn first_event<C: sea_orm::ConnectionTrait>(
    conn: &C,
    kind: EventType,
    subject: &str,
) -> crate::Result<Json<Event>> {
    let event = crate::events::first_written(conn, kind, subject).await?;
    event.map(Json).ok_or(crate::Error::NotFound)
}

/// What an owner answers on an `/internal/` route for a subject whose
/// readers keep the newest picture: the latest event about it, or 404.
pub async fn last_event<C: sea_orm::ConnectionTrait>(conn: &C, subject: &str) -> crate::Result<Json<Event>> {
    let event = crate::events::last_written(conn, subject).await?;
    event.map(Json).ok_or(crate::Error::NotFound)
}

/// Asks `owner` at `path` for an event and applies it with `handler` (see
/// the module doc) if it is one the caller `expects` (of the kind, about
/// the subject it asked for). True when the owner had it — handled now,
/// or already handled here; false when the owner knows nothing of the
/// subject. An owner out of reach is a 503 (with `Retry-After`).
pub async fn learn(
    ctx: &ServiceContext,
    handler: &dyn Handler,
    owner: &str,
    path: &str,
    expects: impl Fn(&Event) -> bool,
) -> crate::Result<bool> {
    let Some(event) = ask::<Event>(ctx, owner, path).await.map_err(unreachable_owner)? else {
        return Ok(false);
    };
    if !expects(&event) {
        tracing::warn!(owner, kind = %event.kind, "owner answered with an unexpected event; ignored");
        return Ok(false);
    }
    let mut retry = crate::db::Retry::default();
    loop {
        match crate::events::apply(&ctx.db, handler, &event).await {
            Ok(_) => return Ok(true),
            Err(HandlerError::Retry(e)) if retry.again(&e).await => continue,
            Err(HandlerError::Retry(e) | HandlerError::Permanent(e)) => {
                return Err(crate::Error::Internal(e));
            }
        }
    }
}

/// [`learn`] for an event handler that finds, inside its transaction
/// `txn`, that it needs an event that has not arrived yet (an appointment
/// booked by a patient whose registration is still on the bus): the
/// learned event is handled in the same transaction, with its inbox row.
/// An owner out of reach is a [`HandlerError::Retry`].
pub async fn learn_within(
    ctx: &ServiceContext,
    txn: &sea_orm::DatabaseTransaction,
    handler: &dyn Handler,
    owner: &str,
    path: &str,
    expects: impl Fn(&Event) -> bool,
) -> Result<bool, HandlerError> {
    let asked = ask::<Event>(ctx, owner, path).await;
    let Some(event) = asked.map_err(|e| HandlerError::Retry(e.into()))? else { return Ok(false) };
    if !expects(&event) {
        tracing::warn!(owner, kind = %event.kind, "owner answered with an unexpected event; ignored");
        return Ok(false);
    }
    crate::events::apply_within(txn, handler, &event).await?;
    Ok(true)
}

/// An owner that cannot answer now: the caller's client should try again.
fn unreachable_owner(e: PeerError) -> Problem {
    let mut p = e.into_problem();
    if p.status().is_server_error() {
        p.retry_after = Some(1);
    }
    p
}

/// `expects` for [`learn`]: the event of `kind` about `subject`.
pub fn about(kind: EventType, subject: &str) -> impl Fn(&Event) -> bool + '_ {
    move |e| e.event_type() == Some(kind) && e.subject.as_deref() == Some(subject)
}

/// `expects` for [`learn`]: an event of `kind`, about whatever subject
/// (for a lookup by account, whose subject the caller cannot know).
pub fn of_kind(kind: EventType) -> impl Fn(&Event) -> bool {
    move |e| e.event_type() == Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(spec: &str) -> Keyring {
        Keyring::parse(spec).unwrap_or_else(|e| panic!("{e}"))
    }

    const A: &str = "a:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const B: &str = "b:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    #[test]
    fn a_credential_names_its_service_under_the_shared_ring() {
        let c = credential(&ring(A), "appointment");
        assert_eq!(verify(&ring(A), &c).as_deref(), Some("appointment"));
        // After a rotation the old key still opens it.
        assert_eq!(verify(&ring(&format!("{B},{A}")), &c).as_deref(), Some("appointment"));
    }

    #[test]
    fn forged_stale_or_foreign_credentials_are_refused() {
        let a = ring(A);
        let now = chrono::Utc::now().timestamp();
        assert_eq!(verify(&ring(B), &credential(&a, "patient")), None, "another platform's key");
        assert_eq!(verify_at(&a, &credential_at(&a, "patient", now - 301), now), None, "too old");
        let c = credential(&a, "patient");
        assert_eq!(verify(&a, &c.replace(".patient.", ".auth.")), None, "renamed");
        assert_eq!(verify(&a, "v1.a.patient.1.00"), None);
        assert_eq!(verify(&a, ""), None);
        assert_eq!(verify(&a, &format!("{c}.x")), None);
    }
}
