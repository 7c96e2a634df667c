//! Building service contexts from settings: the adapters differ between
//! embedded and distributed mode, the services do not.

use std::sync::Arc;

use anyhow::Context;
use kit::{
    config::Settings,
    crypto::Keyring,
    events::Bus,
    fanout::Fanout,
    identity::{HttpJwks, JwtVerifier, Revocations},
    mail::Mailer,
    objects::Objects,
    peer::Peers,
    ratelimit::RateLimiter,
    service::ServiceContext,
};
use tokio_util::sync::CancellationToken;

/// What every service of one process shares.
#[derive(Clone)]
pub struct Shared {
    pub settings: Arc<Settings>,
    pub bus: Arc<dyn Bus>,
    pub limiter: Arc<dyn RateLimiter>,
    pub mailer: Arc<dyn Mailer>,
    pub keyring: Arc<Keyring>,
    /// Embedded: filled with each service's router as it starts;
    /// distributed: the instances of `QUICKCARE_SERVICES`.
    pub peers: Arc<Peers>,
    pub objects: Arc<Objects>,
    pub fanout: Arc<dyn Fanout>,
    /// Revoked access tokens, honoured by every verifier of the process.
    pub revocations: Arc<Revocations>,
    pub shutdown: CancellationToken,
}

impl Shared {
    pub async fn new(settings: Settings) -> anyhow::Result<Self> {
        let bus = kit::events::bus_from_settings(&settings).await.context("event bus")?;
        let limiter = kit::ratelimit::from_settings(&settings).await.context("rate limiter")?;
        let mailer = kit::mail::from_settings(&settings).context("mailer")?;
        let keyring = Arc::new(Keyring::from_settings(&settings).context("encryption keys")?);
        let peers = Arc::new(Peers::from_settings(&settings).context("QUICKCARE_SERVICES")?);
        let objects = Arc::new(Objects::from_settings(&settings).context("object store")?);
        let shutdown = CancellationToken::new();
        let fanout = kit::fanout::from_settings(&settings, shutdown.clone()).context("fan-out")?;
        let revocations = Revocations::start(&settings, fanout.clone(), shutdown.clone())
            .await
            .context("token revocations")?;
        Ok(Self {
            settings: Arc::new(settings),
            bus,
            limiter,
            mailer,
            keyring,
            peers,
            objects,
            fanout,
            revocations,
            shutdown,
        })
    }

    /// A context for `name` with its own database connection.
    pub async fn context(
        &self,
        name: &'static str,
        verifier: Arc<JwtVerifier>,
    ) -> anyhow::Result<ServiceContext> {
        let db = kit::db::connect(&self.settings, name).await.with_context(|| format!("{name} database"))?;
        Ok(ServiceContext {
            name,
            settings: self.settings.clone(),
            db,
            bus: self.bus.clone(),
            verifier,
            mailer: self.mailer.clone(),
            limiter: self.limiter.clone(),
            keyring: self.keyring.clone(),
            peers: self.peers.clone(),
            objects: self.objects.clone(),
            fanout: self.fanout.clone(),
            shutdown: self.shutdown.clone(),
        })
    }
}

/// Verifier reading auth's keys straight from its database (auth itself,
/// and every service when embedded).
pub async fn local_verifier(shared: &Shared) -> anyhow::Result<Arc<JwtVerifier>> {
    let db = kit::db::connect(&shared.settings, "auth").await.context("auth database")?;
    let source = Arc::new(auth::LocalJwks::new(db, shared.keyring.clone()));
    Ok(Arc::new(JwtVerifier::new(source).with_revocations(shared.revocations.clone())))
}

/// Verifier fetching auth's JWKS over HTTP (distributed mode).
pub fn remote_verifier(shared: &Shared) -> anyhow::Result<Arc<JwtVerifier>> {
    let settings = &shared.settings;
    let spec = settings
        .services
        .as_deref()
        .context("QUICKCARE_SERVICES must name the auth instances (auth=http://…) in distributed mode")?;
    let bases = gateway::parse_services(spec)?
        .into_iter()
        .find(|(name, _)| name == "auth")
        .map(|(_, targets)| targets.iter().map(|t| t.base_url()).collect::<Vec<_>>())
        .filter(|b| !b.is_empty())
        .context("QUICKCARE_SERVICES has no auth entry")?;
    let source = Arc::new(HttpJwks::new(bases, settings.upstream_timeout())?);
    Ok(Arc::new(JwtVerifier::new(source).with_revocations(shared.revocations.clone())))
}
