//! `quickcare`: the one binary. Every service and the gateway live in it;
//! the subcommand decides whether they run together (`up`, embedded) or one
//! per process (`serve <name>`, distributed).

mod cli;
mod commands;
mod event_loops;
mod import_legacy;
mod registry;
mod wiring;

use clap::{CommandFactory, FromArgMatches};

/// mimalloc instead of the system allocator: every request allocates and
/// frees dozens of small blocks (headers, futures, buffers) across worker
/// threads, where glibc's malloc was an eighth of the gateway's time under
/// load (`perf`, `quickcare-bench --scenarios auth`); mimalloc's per-thread
/// free lists make that a fraction, for every service in the binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // The config file must be in the environment before clap reads it.
    let file = match cli::config_file_from_args().map(|path| (kit::config::load_file(&path), path)) {
        None => kit::config::FileValues::new(),
        Some((Ok(values), _)) => values,
        Some((Err(e), path)) => {
            eprintln!("quickcare: cannot read config file {}: {e}", path.display());
            return std::process::ExitCode::from(2);
        }
    };
    let matches = kit::config::empty_means_unset(cli::Cli::command(), &file).get_matches();
    let cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("quickcare: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quickcare: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
