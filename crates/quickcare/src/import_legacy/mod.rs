//! `quickcare import-legacy`: the monolith's data into each service's own
//! database, opened exactly as `up` / `serve` open them (embedded SQLite
//! under the data dir, or `QUICKCARE_DATABASE_URL`). The legacy rows are
//! read and checked first, so a dry run reports every row it would leave
//! out without writing anything; each service's share is then written
//! through that service's public `import` module.
//!
//! Moved so far: accounts (auth), records and directory (patient),
//! slots and appointments (appointment) with the read models appointments
//! drive elsewhere (care relationships, visits, metrics' facts), ratings
//! and their summaries (rating, and the doctor profiles' copy), in-app
//! notifications and contacts (notification). Doctors themselves come
//! from `doctor_placeholder` until their importer lands (issue 13).

mod appointments;
mod doctor_placeholder;
mod doctor_refs;
mod notifications;
mod patients;
mod ratings;
mod report;
mod source;
mod users;

use std::path::Path;

use anyhow::Context;
use chrono::Utc;
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
    let doctors = doctor_placeholder::profiles(&legacy, &accounts, &mut report);
    let doctor_directory = doctor_refs::directory(&legacy, &accounts, &doctors);
    let slots = appointments::schedules(&legacy, &doctors, &mut report);
    let now = (Utc::now(), settings.reminder_lead_minutes);
    let history = appointments::appointments(&legacy, &doctors, &records, &slots, now, &mut report);
    let ratings = ratings::ratings(&legacy, &doctors, &records, &mut report);
    let contacts = notifications::contacts(&accounts);
    let messages = notifications::notifications(&legacy, &accounts, &mut report);
    if dry_run {
        report.count("users to import", accounts.len());
        report.count("patients to import", records.len());
        report.count("schedules to import", slots.len());
        report.count("appointments to import", history.len());
        report.count("ratings to import", ratings.len());
        report.count("notifications to import", messages.len());
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
        report.written("user_directory", done.directory);
        report.written("addresses", done.addresses);
        report.written("patients", done.patients);

        let appointment_db =
            kit::db::connect(&settings, "appointment").await.context("appointment database")?;
        appointment::migrate(&appointment_db).await?;
        let done = appointment::import::import(&appointment_db, &doctor_directory, &slots, &history)
            .await
            .context("importing appointments")?;
        report.written("doctor_directory", done.doctors);
        report.written("schedules", done.schedules);
        report.written("appointments", done.appointments);
        let facts = appointments::facts(&done.stored, &doctors, &records);
        let care =
            patient::import::care(&patient_db, &facts).await.context("importing care relationships")?;
        report.written("care_relationships", care);

        let rating_db = kit::db::connect(&settings, "rating").await.context("rating database")?;
        rating::migrate(&rating_db).await?;
        let rated =
            rating::import::import(&rating_db, &facts, &ratings).await.context("importing ratings")?;
        report.written("visits", rated.visits);
        report.written("ratings", rated.ratings);
        report.written("rating_summaries", rated.summaries);

        // After the doctor profiles: the summaries land on them.
        let doctor_db = kit::db::connect(&settings, "doctor").await.context("doctor database")?;
        doctor::migrate(&doctor_db).await?;
        let done = doctor::import_history::import(&doctor_db, &facts, &rated.standing)
            .await
            .context("importing the doctors' history")?;
        report.written("appointment_facts", done.facts);
        report.written("doctor_summaries", done.summaries);

        let notification_db =
            kit::db::connect(&settings, "notification").await.context("notification database")?;
        notification::migrate(&notification_db).await?;
        let done = notification::import::import(&notification_db, &contacts, &doctor_directory, &messages)
            .await
            .context("importing notifications")?;
        report.written("contacts", done.contacts);
        report.written("doctor_names", done.doctors);
        report.written("notifications", done.notifications);
    }
    let text = report.to_string();
    print!("{text}");
    if let Some(path) = report_file {
        std::fs::write(path, &text).with_context(|| format!("writing the report to {}", path.display()))?;
    }
    Ok(())
}
