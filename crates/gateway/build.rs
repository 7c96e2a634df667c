//! Builds the web app (`web/dist`, embedded by `src/web.rs`) when a release
//! build finds it missing or older than its sources, so that
//! `cargo run --release -p quickcare -- up` from a fresh clone serves it.
//!
//! `QUICKCARE_WEB_BUILD` decides: `auto` (default) builds for release
//! profiles only — `cargo clippy`/`cargo test` (debug) never run npm and
//! need no Node, and debug binaries read `web/dist` from disk at run time
//! anyway; `always` builds for any profile; `never` never does. Without
//! npm the binary is built without the app (a warning says how to fix it)
//! and `/` shows a landing page.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::SystemTime,
};

/// Inputs of the web build; a change to any of them makes `dist` stale.
const SOURCES: &[&str] = &[
    "src",
    "public",
    "docs",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let web = manifest.join("../../web");
    println!("cargo:rerun-if-env-changed=QUICKCARE_WEB_BUILD");
    println!("cargo:rerun-if-changed={}", web.join("dist").display());
    for s in SOURCES {
        println!("cargo:rerun-if-changed={}", web.join(s).display());
    }
    let mode = std::env::var("QUICKCARE_WEB_BUILD").unwrap_or_else(|_| "auto".into());
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let wanted = match mode.as_str() {
        "never" => false,
        "always" => true,
        _ => release,
    };
    if !wanted || !web.join("package.json").is_file() || !stale(&web) {
        return;
    }
    if Command::new("npm").arg("--version").output().is_err() {
        println!(
            "cargo:warning=web/dist is missing or stale and npm is not installed: the binary serves no web app. \
             Install Node 20 + npm, then rebuild (or run `npm ci && npm run build` in web/)."
        );
        return;
    }
    println!("cargo:warning=building the web app (npm ci && npm run build in web/) ...");
    let fresh_modules = newest(&web.join("node_modules/.package-lock.json"))
        .zip(newest(&web.join("package-lock.json")))
        .is_some_and(|(installed, lock)| installed >= lock);
    if !fresh_modules && !run(&web, &["ci", "--no-audit", "--no-fund"]) {
        return;
    }
    run(&web, &["run", "build"]);
}

/// Runs npm in `web`; on failure says so as a warning (the build goes on without the app).
fn run(web: &Path, args: &[&str]) -> bool {
    match Command::new("npm").args(args).current_dir(web).status() {
        Ok(s) if s.success() => true,
        Ok(s) => {
            println!("cargo:warning=`npm {}` failed ({s}); the web app is not embedded", args.join(" "));
            false
        }
        Err(e) => {
            println!("cargo:warning=could not run npm: {e}");
            false
        }
    }
}

/// Whether `dist` is missing or older than any source.
fn stale(web: &Path) -> bool {
    let Some(built) = newest(&web.join("dist/index.html")) else { return true };
    SOURCES.iter().filter_map(|s| newest(&web.join(s))).any(|t| t > built)
}

/// The newest modification time under `path` (a file or a directory tree).
fn newest(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path).ok()?.filter_map(Result::ok).filter_map(|e| newest(&e.path())).max()
}
