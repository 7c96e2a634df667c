//! How the gateway serves when it runs on its own (`serve gateway`):
//! single-threaded event loops (`QUICKCARE_GATEWAY_LOOPS`, default one),
//! all accepting on the same listening socket, as nginx's worker
//! processes do.
//!
//! The gateway does little per request besides waiting: for the client,
//! then for the service, then for the client again. On tokio's
//! work-stealing runtime each of those wake-ups may land on another worker
//! (and wake a parked one to steal it), and on a small machine those
//! thread hand-offs were the largest part of the gateway's cost. In a loop
//! a request, its upstream call (the gateway keeps one connection pool per
//! thread) and the answer stay on one thread, and one loop handles every
//! connection that is ready at each wake-up. Background work (health
//! checks, rate-limit sync, key refresh) stays on the process's main
//! runtime. The numbers (`quickcare-bench --scenarios auth`) are in the
//! README's "Benchmarks" section.

use std::{net::SocketAddr, thread::JoinHandle};

use anyhow::Context;
use axum::Router;
use tokio_util::sync::CancellationToken;

/// Starts `loops` threads serving `router` on `addr` until `shutdown` is
/// cancelled (each finishes the requests it holds). Binding happens here,
/// so an address in use is an error before any thread starts.
pub fn start(
    router: Router,
    addr: SocketAddr,
    loops: u16,
    shutdown: CancellationToken,
) -> anyhow::Result<Vec<JoinHandle<anyhow::Result<()>>>> {
    let listener = std::net::TcpListener::bind(addr).with_context(|| format!("binding {addr}"))?;
    listener.set_nonblocking(true)?;
    (0..loops.max(1))
        .map(|n| {
            // Each loop polls its own handle on the one socket.
            let listener = listener.try_clone()?;
            let (router, shutdown) = (router.clone(), shutdown.clone());
            std::thread::Builder::new()
                .name(format!("gateway-loop-{n}"))
                .spawn(move || serve(listener, router, shutdown))
                .context("starting an event loop")
        })
        .collect()
}

fn serve(listener: std::net::TcpListener, router: Router, shutdown: CancellationToken) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await?;
        Ok(())
    })
}

/// Waits for the loops to finish (after `shutdown`), with the first error.
pub async fn join(threads: Vec<JoinHandle<anyhow::Result<()>>>) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || {
        threads.into_iter().try_for_each(|t| match t.join() {
            Ok(result) => result,
            Err(_) => Err(anyhow::anyhow!("an event loop panicked")),
        })
    })
    .await?
}
