//! Revoked access tokens. Access tokens are verified locally and live 15
//! minutes, so disabling an account, a password change or a stolen refresh
//! token would leave them working until they expire. A revocation is a rule
//! — "tokens of user `sub` (all of them, one session, or all but one
//! session) issued up to instant T" — that every verifier honours until
//! the last such token has expired anyway.
//!
//! Fan-out: consumer groups hand an event to one instance per service,
//! but every instance (and the gateway) verifies tokens, so rules travel
//! by broadcast ([`crate::fanout`]: Redis pub/sub, or in-process when
//! embedded). Broadcasts are ephemeral, so with Redis each rule is also
//! kept in a sorted set (`<namespace>:identity:revocations`, scored by
//! expiry): an instance loads it when it starts, and reloads it every
//! [`RESYNC_EVERY`], which heals a missed message or a pub/sub reconnect.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::Duration,
};

use chrono::Utc;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

use super::{ACCESS_TOKEN_TTL_SECS, Claims};
use crate::{config::Settings, fanout::Fanout};

/// The fan-out topic of revocation rules.
const TOPIC: &str = "identity.revoked";
/// How often the rules are reloaded from Redis.
pub const RESYNC_EVERY: Duration = Duration::from_secs(5);
/// A rule outlives the tokens it covers by the verifier's leeway and a margin.
const KEEP_SECS: i64 = ACCESS_TOKEN_TTL_SECS + 60;

/// Which of a user's tokens a rule covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "sid", rename_all = "snake_case")]
pub enum Scope {
    /// Every session (disable, delete, password reset).
    All,
    /// One session (refresh-token reuse, logout).
    Session(String),
    /// Every session but this one (a password change keeps the caller's).
    AllBut(String),
}

/// One rule: `sub`'s tokens in `scope` issued at or before `issued_until_ms`
/// (Unix ms) are refused until `expires_at` (Unix s), when all of them
/// have expired on their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub sub: String,
    pub scope: Scope,
    pub issued_until_ms: i64,
    pub expires_at: i64,
}

impl Revocation {
    /// Revokes, from now on, the tokens of `user_id` in `scope` issued so far.
    pub fn now(user_id: i64, scope: Scope) -> Self {
        let now = Utc::now();
        Self {
            sub: user_id.to_string(),
            scope,
            issued_until_ms: now.timestamp_millis(),
            expires_at: now.timestamp() + KEEP_SECS,
        }
    }

    fn covers(&self, claims: &Claims) -> bool {
        let in_scope = match &self.scope {
            Scope::All => true,
            Scope::Session(sid) => claims.sid.as_deref() == Some(sid),
            Scope::AllBut(sid) => claims.sid.as_deref() != Some(sid),
        };
        in_scope && issued_ms(claims) <= self.issued_until_ms
    }
}

/// When a token was issued, to the millisecond: auth's `jti` is a UUIDv7,
/// whose first 48 bits are its creation time in Unix ms (taken after
/// `iat`). Any other `jti` counts as issued at the first millisecond of
/// its `iat` second, so a rule made at any point of that second covers it
/// (erring towards refusing).
fn issued_ms(claims: &Claims) -> i64 {
    let from_jti = uuid::Uuid::parse_str(&claims.jti)
        .ok()
        .filter(|u| u.get_version_num() == 7)
        .and_then(|u| u.get_timestamp())
        .map(|ts| {
            let (secs, nanos) = ts.to_unix();
            secs as i64 * 1000 + i64::from(nanos / 1_000_000)
        });
    from_jti.unwrap_or(claims.iat.saturating_mul(1000))
}

/// The rules this process knows, per `sub`, and how new ones reach every
/// other process.
pub struct Revocations {
    rules: RwLock<HashMap<String, Vec<Revocation>>>,
    fanout: Option<Arc<dyn Fanout>>,
    store: Option<Store>,
}

/// The sorted set that instances starting later (or that missed a message) read.
struct Store {
    conn: redis::aio::ConnectionManager,
    key: String,
}

impl Revocations {
    /// Rules made in this process only (tests, one-off commands).
    pub fn local() -> Arc<Self> {
        Arc::new(Self { rules: RwLock::default(), fanout: None, store: None })
    }

    /// Rules shared through `fanout` (and Redis when configured): loads the
    /// stored rules, then listens and resyncs until `shutdown`.
    pub async fn start(
        settings: &Settings,
        fanout: Arc<dyn Fanout>,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Arc<Self>> {
        let store = match settings.redis_url.as_deref() {
            Some(url) => {
                let conn = crate::redis_conn::connect(url).await?;
                Some(Store { conn, key: format!("{}:identity:revocations", settings.namespace) })
            }
            None => None,
        };
        let me = Arc::new(Self { rules: RwLock::default(), fanout: Some(fanout.clone()), store });
        // Subscribe before the first load: a rule published in between is
        // then heard rather than lost.
        let mut messages = fanout.subscribe();
        me.resync().await;
        let listener = me.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(RESYNC_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tick.tick() => listener.resync().await,
                    msg = messages.recv() => match msg {
                        Ok(m) if m.topic == TOPIC => match serde_json::from_str(&m.payload) {
                            Ok(rule) => listener.apply(rule),
                            Err(e) => tracing::warn!(error = %e, "unreadable revocation message"),
                        },
                        Ok(_) => {}
                        Err(RecvError::Lagged(_)) => listener.resync().await,
                        Err(RecvError::Closed) => return,
                    },
                }
            }
        });
        Ok(me)
    }

    /// Makes `rule` effective here at once, stores it and tells every
    /// other process. Failing to store or broadcast is logged: the rule
    /// still holds here, and the refresh tokens are revoked in auth's
    /// database regardless.
    pub async fn revoke(&self, rule: Revocation) {
        self.apply(rule.clone());
        let payload = match serde_json::to_string(&rule) {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "revocation not serializable");
                return;
            }
        };
        if let Some(store) = &self.store {
            let mut conn = store.conn.clone();
            let res: redis::RedisResult<()> = redis::pipe()
                .zadd(&store.key, &payload, rule.expires_at)
                .ignore()
                .expire(&store.key, KEEP_SECS)
                .ignore()
                .query_async(&mut conn)
                .await;
            if let Err(e) = res {
                tracing::warn!(error = %e, "revocation not stored in Redis; relying on the broadcast");
            }
        }
        if let Some(fanout) = &self.fanout {
            fanout.publish(TOPIC, &payload).await;
        }
    }

    /// True when a rule refuses this (otherwise valid) token.
    pub fn is_revoked(&self, claims: &Claims) -> bool {
        let rules = self.rules.read().unwrap_or_else(|p| p.into_inner());
        rules.get(&claims.sub).is_some_and(|list| list.iter().any(|r| r.covers(claims)))
    }

    /// Adds a rule, dropping the ones it supersedes and those expired.
    fn apply(&self, rule: Revocation) {
        let now = Utc::now().timestamp();
        let mut rules = self.rules.write().unwrap_or_else(|p| p.into_inner());
        let list = rules.entry(rule.sub.clone()).or_default();
        list.retain(|r| {
            r.expires_at > now && !(r.scope == rule.scope && r.issued_until_ms <= rule.issued_until_ms)
        });
        if !list.iter().any(|r| r.scope == rule.scope && r.issued_until_ms >= rule.issued_until_ms) {
            list.push(rule);
        }
    }

    /// Reloads the stored rules (keeping those this process already had)
    /// and forgets expired ones.
    async fn resync(&self) {
        let now = Utc::now().timestamp();
        if let Some(store) = &self.store {
            let mut conn = store.conn.clone();
            let res: redis::RedisResult<((), Vec<String>)> = redis::pipe()
                .zrembyscore(&store.key, "-inf", now)
                .zrangebyscore(&store.key, format!("({now}"), "+inf")
                .query_async(&mut conn)
                .await;
            match res {
                Ok(((), stored)) => {
                    for raw in stored {
                        match serde_json::from_str(&raw) {
                            Ok(rule) => self.apply(rule),
                            Err(e) => tracing::warn!(error = %e, "unreadable stored revocation"),
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not reload revocations from Redis"),
            }
        }
        let mut rules = self.rules.write().unwrap_or_else(|p| p.into_inner());
        rules.retain(|_, list| {
            list.retain(|r| r.expires_at > now);
            !list.is_empty()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{AUDIENCE, ISSUER, Role};

    fn claims(sub: &str, sid: &str) -> Claims {
        let now = Utc::now().timestamp();
        Claims {
            sub: sub.into(),
            role: Role::Patient,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: now + 900,
            iat: now,
            jti: uuid::Uuid::now_v7().to_string(),
            sid: Some(sid.into()),
        }
    }

    #[tokio::test]
    async fn rules_cover_their_scope_and_only_earlier_tokens() {
        let r = Revocations::local();
        let (a1, a2, other) = (claims("1", "s1"), claims("1", "s2"), claims("2", "s1"));
        tokio::time::sleep(Duration::from_millis(3)).await;
        r.revoke(Revocation::now(1, Scope::AllBut("s1".into()))).await;
        assert!(!r.is_revoked(&a1), "the kept session");
        assert!(r.is_revoked(&a2));
        assert!(!r.is_revoked(&other), "another user");
        r.revoke(Revocation::now(1, Scope::Session("s1".into()))).await;
        assert!(r.is_revoked(&a1));
        tokio::time::sleep(Duration::from_millis(3)).await;
        assert!(!r.is_revoked(&claims("1", "s2")), "issued after the rule");
        r.revoke(Revocation::now(2, Scope::All)).await;
        assert!(r.is_revoked(&other));
    }

    #[test]
    fn a_non_uuid_jti_counts_as_issued_at_the_start_of_its_second() {
        let mut c = claims("1", "s");
        c.jti = "x".into();
        c.iat = 10;
        assert_eq!(issued_ms(&c), 10_000);
    }

    #[tokio::test]
    async fn rules_reach_other_processes_and_late_starters_through_redis() {
        let mut settings = crate::testing::default_settings();
        settings.namespace = format!("t_rev_{}", uuid::Uuid::new_v4().simple());
        settings.redis_url = Some("redis://127.0.0.1:6379".into());
        let shutdown = CancellationToken::new();
        let fanout = || crate::fanout::from_settings(&settings, shutdown.clone()).unwrap();
        let a = Revocations::start(&settings, fanout(), shutdown.clone()).await.unwrap();
        let b = Revocations::start(&settings, fanout(), shutdown.clone()).await.unwrap();
        let token = claims("7", "s");
        tokio::time::sleep(Duration::from_millis(3)).await;
        a.revoke(Revocation::now(7, Scope::All)).await;
        let mut heard = false;
        for _ in 0..200 {
            if b.is_revoked(&token) {
                heard = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(heard, "the other process hears the rule");
        let late = Revocations::start(&settings, fanout(), shutdown.clone()).await.unwrap();
        assert!(late.is_revoked(&token), "a process started later loads it");
        shutdown.cancel();
    }
}
