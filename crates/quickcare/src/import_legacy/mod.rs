//! `quickcare import-legacy`: the monolith's data into each service's own
//! database, opened exactly as `up` / `serve` open them (embedded SQLite
//! under the data dir, or `QUICKCARE_DATABASE_URL`). The legacy rows are
//! read and checked first, so a dry run reports every row it would leave
//! out without writing anything; each service's share is then written
//! through that service's public `import` module. Files the monolith kept
//! (CVs, profile pictures) come from `--files DIR` into the platform's
//! object store.
//!
//! A dry run writes nowhere: it only looks into the platform's accounts
//! when their database already exists (`kit::db::connect_existing`), for
//! legacy emails another platform account has.
//!
//! So far: auth's accounts and pictures, the patient service's records and
//! directory, the doctor service's specialties, profiles and applications;
//! schedules, appointments, notifications and ratings are still to come
//! (issue 13).

mod applications;
mod doctors;
mod files;
mod patients;
mod pictures;
mod report;
mod source;
mod users;

use std::path::Path;

use anyhow::Context;
use kit::{config::Settings, crypto::Keyring, objects::Objects};

use files::Files;
use report::Report;

/// What `import-legacy` was asked to do.
pub struct Options<'a> {
    pub from: &'a str,
    pub dry_run: bool,
    pub report_file: Option<&'a Path>,
    pub files: Option<&'a Path>,
}

pub async fn run(settings: Settings, options: Options<'_>) -> anyhow::Result<()> {
    let legacy = source::read(options.from).await?;
    let mut report = Report { dry_run: options.dry_run, ..Report::default() };
    let files = options.files.map(Files::new);
    let accounts = users::accounts(&legacy, &mut report);
    let auth_db = if options.dry_run {
        kit::db::connect_existing(&settings, "auth").await.context("auth database")?
    } else {
        let db = kit::db::connect(&settings, "auth").await.context("auth database")?;
        auth::migrate(&db).await?;
        Some(db)
    };
    let accounts = match &auth_db {
        Some(db) => {
            let clashes = auth::import::clashes(db, &accounts).await.context("checking emails")?;
            users::without_clashes(accounts, &clashes, &mut report)
        }
        None => accounts,
    };
    let pictures = pictures::pictures(&legacy, &accounts, files.as_ref(), &mut report);
    let records = patients::records(&legacy, &accounts, &mut report);
    let directory = patients::directory(&accounts);
    let specialties = doctors::specialties(&legacy, &mut report);
    let profiles = doctors::profiles(&legacy, &accounts, &mut report);
    let applications = applications::applications(&legacy, files.as_ref(), &mut report);
    match auth_db.filter(|_| !options.dry_run) {
        None => {
            report.count("users to import", accounts.len());
            report.count("patients to import", records.len());
            report.count("specialities to import", specialties.len());
            report.count("doctors to import", profiles.len());
            report.count("applications to import", applications.len());
        }
        Some(auth_db) => {
            let keyring = Keyring::from_settings(&settings).context("encryption keys")?;
            let objects = Objects::from_settings(&settings).context("object store")?;
            let done = auth::import::import_users(&auth_db, &accounts).await.context("importing users")?;
            report.count("users inserted", done.inserted);
            report.count("users updated", done.updated);
            report.count("users unchanged", done.unchanged);
            let done = auth::import::import_pictures(&auth_db, &objects, &pictures)
                .await
                .context("importing pictures")?;
            report.written("pictures", done);
            let patient_db = kit::db::connect(&settings, "patient").await.context("patient database")?;
            patient::migrate(&patient_db).await?;
            let done = patient::import::import(&patient_db, &keyring, &directory, &records)
                .await
                .context("importing patients")?;
            for (table, counts) in [
                ("user_directory", done.directory),
                ("addresses", done.addresses),
                ("patients", done.patients),
            ] {
                report.written(table, counts);
            }
            let doctor_db = kit::db::connect(&settings, "doctor").await.context("doctor database")?;
            doctor::migrate(&doctor_db).await?;
            let done = doctor::import::import(&doctor_db, &objects, &specialties, &profiles, &applications)
                .await
                .context("importing doctors")?;
            for (table, counts) in [
                ("specialities", done.specialties),
                ("doctors", done.doctors),
                ("applications", done.applications),
                ("CV files", done.cv_files),
            ] {
                report.written(table, counts);
            }
        }
    }
    let text = report.to_string();
    print!("{text}");
    if let Some(path) = options.report_file {
        std::fs::write(path, &text).with_context(|| format!("writing the report to {}", path.display()))?;
    }
    Ok(())
}
