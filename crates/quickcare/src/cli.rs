//! Command line. Every setting is also a `QUICKCARE_*` environment variable
//! (`quickcare --help` lists them all); a config file of `KEY=value` lines
//! can be named with `--config` or `QUICKCARE_CONFIG`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use kit::config::Settings;

#[derive(Debug, Parser)]
#[command(name = "quickcare", version, about = "QuickCare healthcare appointment platform")]
pub struct Cli {
    /// A `KEY=value` file read before the environment (environment wins).
    #[arg(long, env = "QUICKCARE_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub settings: Settings,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every service and the gateway in one process (embedded: SQLite, in-process bus).
    Up,
    /// One service (or the gateway) as its own process.
    Serve {
        /// `gateway` or a service name (`auth`, `patient`, …).
        name: String,
    },
    /// Create or upgrade the databases of every service (or one).
    Migrate {
        #[arg(long)]
        service: Option<String>,
    },
    /// Seed data.
    Seed {
        /// The demo data set (admin, patients).
        #[arg(long)]
        demo: bool,
    },
    /// Administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Import the legacy monolith's MySQL database into the services'
    /// databases, keeping its ids. Prints every row it leaves out.
    ///
    /// A later run writes only the rows added or changed in the monolith
    /// since the previous run (by `updated_at`, `created_at` and ids) and
    /// what hangs off them: rehearse the import, then freeze the monolith
    /// for a short final run. Rows deleted in the monolith stay imported.
    ImportLegacy {
        /// The monolith's database, `mysql://user:pass@host:port/db`.
        #[arg(long)]
        from: String,
        /// Read and check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also write the report to this file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// The monolith's uploaded files (CVs, profile pictures), which
        /// legacy rows name relative to this directory.
        #[arg(long)]
        files: Option<PathBuf>,
        /// Pass every row on again, not only those changed since the last
        /// run: for changes made in the monolith without touching
        /// `updated_at`, or rows left out before whose reason went away
        /// without the row itself changing (a missing parent arrived).
        #[arg(long)]
        full: bool,
    },
    /// Signing keys of access tokens.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin account. The password comes from
    /// `QUICKCARE_ADMIN_PASSWORD` or, when unset, the first line of stdin.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new signing key current; the previous one stays in the JWKS
    /// until the next rotation so tokens it signed keep verifying.
    Rotate,
}

/// `--config FILE` / `--config=FILE` / `QUICKCARE_CONFIG`, found before clap
/// runs, because the file feeds clap's environment defaults.
pub fn config_file_from_args() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(v));
        }
    }
    kit::config::env_value("QUICKCARE_CONFIG").map(PathBuf::from)
}
