//! What each subcommand does.

use std::{io::BufRead, net::SocketAddr};

use anyhow::{Context, bail};
use axum::Router;
use kit::{config::Settings, service::ServiceHandle};
use tokio::task::JoinHandle;

use crate::{
    cli::{AdminCommand, Cli, Command, KeysCommand},
    event_loops,
    registry::{self, SERVICES},
    wiring::{self, Shared},
};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = cli.settings;
    match cli.command {
        Command::Up => {
            let demo = settings.demo_enabled(true);
            settings.demo = Some(if demo { "1" } else { "0" }.into());
            let _telemetry = kit::telemetry::init(&settings, "quickcare")?;
            up(settings, demo).await
        }
        Command::Serve { name } => {
            let _telemetry = kit::telemetry::init(&settings, &name)?;
            serve(settings, &name).await
        }
        Command::Migrate { service } => migrate(settings, service.as_deref()).await,
        Command::Seed { demo } => {
            if !demo {
                bail!("nothing to seed: pass --demo");
            }
            seed_demo(settings).await
        }
        Command::Admin { command: AdminCommand::Create { email, name } } => {
            admin_create(settings, &email, &name).await
        }
        Command::ImportLegacy { from, dry_run, report, files, full } => {
            let options = crate::import_legacy::Options {
                from: &from,
                dry_run,
                report_file: report.as_deref(),
                files: files.as_deref(),
                full,
            };
            crate::import_legacy::run(settings, options).await
        }
        Command::Keys { command: KeysCommand::Rotate } => {
            let shared = Shared::new(settings).await?;
            let db = kit::db::connect(&shared.settings, "auth").await?;
            auth::migrate(&db).await?;
            let kid = auth::rotate_signing_key(&db, &shared.keyring).await?;
            println!(
                "new signing key {kid} is current; the previous one stays published until the next rotation"
            );
            Ok(())
        }
    }
}

/// Embedded: every service in this process, the gateway calling their
/// routers directly, demo data seeded when asked.
async fn up(settings: Settings, demo: bool) -> anyhow::Result<()> {
    // Events flow once every service has subscribed, so events a previous
    // run left in an outbox reach services that start after their producer.
    let gate = settings.redis_url.is_none().then(kit::events::InProcessBus::gated);
    let mut shared = Shared::new(settings).await?;
    if let Some(bus) = &gate {
        shared.bus = bus.clone();
    }
    let verifier = wiring::local_verifier(&shared).await?;
    let mut handles = Vec::new();
    let mut contexts = Vec::new();
    for spec in SERVICES {
        let ctx = shared.context(spec.name, verifier.clone()).await?;
        contexts.push((spec, ctx.clone()));
        let handle = (spec.start)(ctx).await.with_context(|| format!("starting {}", spec.name))?;
        shared.peers.register_local(spec.name, handle.router.clone());
        handles.push(handle);
    }
    if let Some(bus) = gate {
        bus.open();
    }
    if demo {
        for (spec, ctx) in contexts {
            if let Some(seed) = spec.demo {
                seed(ctx).await.with_context(|| format!("seeding {} demo data", spec.name))?;
            }
        }
    }
    let (upstreams, openapi, mut tasks) = split(handles);
    let (router, gw_tasks) = gateway::build(gateway::GatewayConfig {
        settings: shared.settings.clone(),
        upstreams: upstreams.into_iter().map(|(n, r)| (n, gateway::Upstream::InProcess(r))).collect(),
        verifier,
        keyring: shared.keyring.clone(),
        openapi,
        web_dir: shared.settings.web_dir.clone(),
        shutdown: shared.shutdown.clone(),
    })
    .await?;
    tasks.extend(gw_tasks);
    tracing::info!(addr = %shared.settings.http_addr, demo, "QuickCare is up (embedded)");
    listen(router, shared.settings.http_addr, &shared).await?;
    drain(tasks).await;
    Ok(())
}

/// Distributed: one service, or the gateway proxying to `QUICKCARE_SERVICES`.
async fn serve(settings: Settings, name: &str) -> anyhow::Result<()> {
    let shared = Shared::new(settings).await?;
    if name == "gateway" {
        let spec = shared.settings.services.clone().context("the gateway needs QUICKCARE_SERVICES")?;
        let upstreams = gateway::parse_services(&spec)?
            .into_iter()
            .filter_map(|(svc, targets)| {
                registry::find(&svc).map(|s| (s.name, gateway::Upstream::Remote(targets)))
            })
            .collect();
        let (router, tasks) = gateway::build(gateway::GatewayConfig {
            settings: shared.settings.clone(),
            upstreams,
            verifier: wiring::remote_verifier(&shared)?,
            keyring: shared.keyring.clone(),
            openapi: SERVICES.iter().map(|s| (s.name, (s.openapi)())).collect(),
            web_dir: shared.settings.web_dir.clone(),
            shutdown: shared.shutdown.clone(),
        })
        .await?;
        let loops = shared.settings.gateway_loops;
        let addr = shared.settings.http_addr;
        let threads = event_loops::start(router, addr, loops, shared.shutdown.clone())?;
        tracing::info!(addr = %addr, loops, "gateway listening");
        wait_for_signal().await;
        tracing::info!("shutting down");
        shared.shutdown.cancel();
        event_loops::join(threads).await?;
        drain(tasks).await;
        return Ok(());
    }
    let spec = registry::find(name)
        .with_context(|| format!("unknown service {name:?}; known: gateway, {}", registry::names()))?;
    let verifier = if name == "auth" {
        wiring::local_verifier(&shared).await?
    } else {
        wiring::remote_verifier(&shared)?
    };
    let ctx = shared.context(spec.name, verifier).await?;
    let handle = (spec.start)(ctx).await?;
    tracing::info!(service = name, addr = %shared.settings.http_addr, "service listening");
    listen(handle.router, shared.settings.http_addr, &shared).await?;
    drain(handle.tasks).await;
    Ok(())
}

async fn migrate(settings: Settings, only: Option<&str>) -> anyhow::Result<()> {
    if let Some(name) = only {
        registry::find(name)
            .with_context(|| format!("unknown service {name:?}; known: {}", registry::names()))?;
    }
    for spec in SERVICES.iter().filter(|s| only.is_none_or(|n| n == s.name)) {
        let db = kit::db::connect(&settings, spec.name).await?;
        (spec.migrate)(db).await.with_context(|| format!("migrating {}", spec.name))?;
        println!("{}: up to date", spec.name);
    }
    Ok(())
}

/// Seeds every service's demo data against its storage. What others
/// derive from events (auth's demo accounts become profiles and read
/// models) waits in the producers' outboxes and appears once the services
/// run.
async fn seed_demo(settings: Settings) -> anyhow::Result<()> {
    let shared = Shared::new(settings).await?;
    let verifier = wiring::local_verifier(&shared).await?;
    for spec in SERVICES {
        let Some(seed) = spec.demo else { continue };
        let ctx = shared.context(spec.name, verifier.clone()).await?;
        (spec.migrate)(ctx.db.clone()).await?;
        seed(ctx).await.with_context(|| format!("seeding {} demo data", spec.name))?;
    }
    println!("demo data seeded");
    Ok(())
}

async fn admin_create(settings: Settings, email: &str, name: &str) -> anyhow::Result<()> {
    let password = match kit::config::env_value("QUICKCARE_ADMIN_PASSWORD") {
        Some(p) => p,
        None => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).context("reading the password from stdin")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let shared = Shared::new(settings).await?;
    let verifier = wiring::local_verifier(&shared).await?;
    let ctx = shared.context("auth", verifier).await?;
    auth::migrate(&ctx.db).await?;
    let id = auth::create_admin(&ctx, name, email, &password).await?;
    println!("admin {id} created");
    Ok(())
}

type Split =
    (Vec<(&'static str, Router)>, Vec<(&'static str, utoipa::openapi::OpenApi)>, Vec<JoinHandle<()>>);

fn split(handles: Vec<ServiceHandle>) -> Split {
    let mut routers = Vec::new();
    let mut docs = Vec::new();
    let mut tasks = Vec::new();
    for h in handles {
        routers.push((h.name, h.router));
        docs.push((h.name, h.openapi));
        tasks.extend(h.tasks);
    }
    (routers, docs, tasks)
}

/// Serves until SIGINT/SIGTERM, then cancels background work.
async fn listen(router: Router, addr: SocketAddr, shared: &Shared) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    let shutdown = shared.shutdown.clone();
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            wait_for_signal().await;
            tracing::info!("shutting down");
            shutdown.cancel();
        })
        .await?;
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// Gives background tasks a moment to finish their current item.
async fn drain(tasks: Vec<JoinHandle<()>>) {
    let all = futures::future::join_all(tasks);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), all).await;
}
