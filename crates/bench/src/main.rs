//! `quickcare-bench`: starts a QuickCare platform from the real binary
//! (distributed on MariaDB + Redis by default), drives closed-loop load at
//! it from this separate process, and prints throughput and latency
//! percentiles per scenario, with the gateway's overhead against a direct
//! call to the service side by side.

mod booking;
mod load;
mod nginx;
mod report;
mod scenarios;

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use clap::{Parser, ValueEnum};
use harness::{Mode, Options, Platform};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RunMode {
    Distributed,
    Embedded,
}

#[derive(Debug, Parser)]
#[command(name = "quickcare-bench", about = "Load benchmarks against a real QuickCare platform")]
struct Args {
    /// The quickcare binary (default: next to this one).
    #[arg(long)]
    bin: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "distributed")]
    mode: RunMode,
    /// Measured seconds per scenario.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Warm-up seconds per scenario (not measured).
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Concurrent closed-loop workers.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Users registered for the run.
    #[arg(long, default_value_t = 50)]
    users: usize,
    /// Which groups to run: `auth` (login, /auth/me via the gateway, via
    /// nginx when installed, and direct),
    /// `booking` (booking throughput, availability latency).
    #[arg(long, value_delimiter = ',', default_value = "auth,booking")]
    scenarios: Vec<String>,
    /// `auth` group: split the `/auth/me` rows (gateway, nginx, direct)
    /// into this many interleaved slices, merged per row, so a noisy
    /// machine's drift affects all three alike.
    #[arg(long, default_value_t = 1)]
    rounds: usize,
    /// Also write the results as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let bin = match args.bin {
        Some(b) => b,
        None => std::env::current_exe()?.with_file_name("quickcare"),
    };
    anyhow::ensure!(bin.is_file(), "no quickcare binary at {} (build it, or pass --bin)", bin.display());
    if bin.components().any(|c| c.as_os_str() == "debug") {
        eprintln!(
            "WARNING: {} is a debug build; numbers mean little. Use `cargo build --release -p quickcare -p bench`.",
            bin.display()
        );
    }
    let mode = match args.mode {
        RunMode::Distributed => Mode::Distributed,
        RunMode::Embedded => Mode::Embedded,
    };
    eprintln!("starting the platform ({mode:?}) …");
    // The bench is the platform's proxy: it names each simulated client's
    // address in `X-Forwarded-For` (see `scenarios::client_address`).
    let mut options = Options::default();
    options.env.insert("QUICKCARE_TRUSTED_PROXIES".into(), "127.0.0.1,::1".into());
    let platform = Platform::start(&bin, mode, options).await.context("starting the platform")?;
    let config = load::Config {
        duration: Duration::from_secs(args.duration),
        warmup: Duration::from_secs(args.warmup),
        concurrency: args.concurrency,
    };
    let http = reqwest::Client::builder().pool_max_idle_per_host(config.concurrency * 2).build()?;
    let mut results = Vec::new();
    let mut failure = None;
    for group in &args.scenarios {
        let outcome = match group.as_str() {
            "auth" => scenarios::run_all(&platform, &config, &http, args.users, args.rounds).await,
            "booking" => booking::run_all(&platform, &config, &http).await,
            other => Err(anyhow::anyhow!("unknown scenario group {other:?} (auth, booking)")),
        };
        match outcome {
            Ok(r) => results.extend(r),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    platform.stop().await;
    if let Some(e) = failure {
        return Err(e);
    }
    print!("{}", report::table(&results, &config));
    if let Some(path) = args.json {
        std::fs::write(&path, serde_json::to_vec_pretty(&report::json(&results))?)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
