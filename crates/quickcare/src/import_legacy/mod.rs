//! `quickcare import-legacy`: the monolith's data into each service's own
//! database, opened exactly as `up` / `serve` open them (embedded SQLite
//! under the data dir, or `QUICKCARE_DATABASE_URL`). The legacy rows are
//! read and checked first (`users`, `patients`), so a dry run reports
//! every row it would leave out without writing anything; each service's
//! share is then written through that service's public `import` module.
//!
//! This first slice moves auth's accounts and the patient service's
//! records and directory; doctors, schedules, appointments, notifications
//! and ratings are still to come (issue 13).

mod patients;
mod report;
mod source;
mod users;

use std::path::Path;

use anyhow::Context;
use kit::{config::Settings, crypto::Keyring};

use report::Report;

pub async fn run(
    settings: Settings,
    from: &str,
    dry_run: bool,
    report_file: Option<&Path>,
) -> anyhow::Result<()> {
    let legacy = source::read(from).await?;
    let mut report = Report { dry_run, ..Report::default() };
    let accounts = users::accounts(&legacy, &mut report);
    let records = patients::records(&legacy, &accounts, &mut report);
    let directory = patients::directory(&accounts);
    if dry_run {
        report.count("users to import", accounts.len());
        report.count("patients to import", records.len());
    } else {
        let keyring = Keyring::from_settings(&settings).context("encryption keys")?;
        let auth_db = kit::db::connect(&settings, "auth").await.context("auth database")?;
        auth::migrate(&auth_db).await?;
        let done = auth::import::import_users(&auth_db, &accounts).await.context("importing users")?;
        report.count("users inserted", done.inserted);
        report.count("users updated", done.updated);
        report.count("users unchanged", done.unchanged);
        let patient_db = kit::db::connect(&settings, "patient").await.context("patient database")?;
        patient::migrate(&patient_db).await?;
        let done = patient::import::import(&patient_db, &keyring, &directory, &records)
            .await
            .context("importing patients")?;
        for (table, counts) in
            [("user_directory", done.directory), ("addresses", done.addresses), ("patients", done.patients)]
        {
            report.count(format!("{table} written"), counts.written);
            report.count(format!("{table} unchanged"), counts.unchanged);
        }
    }
    let text = report.to_string();
    print!("{text}");
    if let Some(path) = report_file {
        std::fs::write(path, &text).with_context(|| format!("writing the report to {}", path.display()))?;
    }
    Ok(())
}
