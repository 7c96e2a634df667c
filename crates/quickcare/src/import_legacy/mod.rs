//! `quickcare import-legacy`: the monolith's data into each service's own
//! database, opened exactly as `up` / `serve` open them (embedded SQLite
//! under the data dir, or `QUICKCARE_DATABASE_URL`). The legacy rows are
//! read and checked first, so a dry run reports every row it would leave
//! out without writing anything; each service's share is then written
//! through that service's public `import` module. Files the monolith kept
//! (CVs, profile pictures) come from `--files DIR` into the platform's
//! object store.
//!
//! A dry run writes nowhere: it only looks into the services' databases
//! that already exist (`databases`), for legacy emails another platform
//! account has and legacy ids QuickCare has given rows of its own.
//!
//! A legacy row is never written over a row made on QuickCare (which,
//! used between a rehearsal and the final run, numbers on as the monolith
//! does): every table written by legacy id is checked against its
//! service's database before what hangs off it is (`taken`; accounts by
//! `auth::import::clashes`), so the row and everything on it are reported
//! skips, on a dry run too.
//!
//! Moved: accounts and pictures (auth); records, directory and care
//! relationships (patient); specialties, profiles, applications and the
//! doctors' history (doctor); slots and appointments (appointment);
//! ratings, visits and summaries (rating); in-app notifications and
//! contacts (notification). A terminal shows the progress (`progress`).
//!
//! Nothing written is announced, so history sends no mail and each read
//! model is built one way: what one service keeps of another's rows (the
//! doctor directories, from the doctor import's stored profiles; care
//! relationships, visits and metrics, from the stored appointments; the
//! rating summaries on the profiles) is handed to that service's `import`
//! module here, in the shape the event would have carried.
//!
//! A later run passes on only what changed in the monolith since the
//! previous one (`delta`): each service records how far it has absorbed
//! each legacy table in the transaction of its last import writes, and
//! the next run starts from the oldest of those marks. So a clinic
//! rehearses the import, then freezes the monolith for a final run that
//! takes seconds. `--full` passes everything on again.

mod applications;
mod appointments;
mod databases;
mod delta;
mod doctors;
mod files;
mod notifications;
mod patients;
mod pictures;
mod progress;
mod ratings;
mod report;
mod source;
mod taken;
mod users;

use std::path::Path;

use anyhow::Context;
use chrono::Utc;
use kit::{config::Settings, crypto::Keyring, objects::Objects};

use databases::Databases;
use delta::Since;
use files::Files;
use progress::Progress;
use report::Report;

/// What `import-legacy` was asked to do.
pub struct Options<'a> {
    pub from: &'a str,
    pub dry_run: bool,
    pub report_file: Option<&'a Path>,
    pub files: Option<&'a Path>,
    /// Pass every row on, whatever the watermarks say.
    pub full: bool,
}

pub async fn run(settings: Settings, options: Options<'_>) -> anyhow::Result<()> {
    let progress = Progress::new(if options.dry_run { 2 } else { 11 });
    progress.step("reading the monolith");
    let legacy = source::read(options.from).await?;
    progress.step("checking its rows");
    let mut report = Report { dry_run: options.dry_run, ..Report::default() };
    let dbs = Databases::open(&settings, options.dry_run).await?;
    let since = if options.full { Since::full() } else { delta::since(&dbs).await? };
    let changed = delta::changed(&legacy, &since, &mut report);
    let marks = delta::marks(&legacy);
    let files = options.files.map(Files::new);
    let accounts = users::accounts(&legacy, &mut report);
    let accounts = match &dbs.auth {
        Some(db) => {
            let clashes = auth::import::clashes(db, &accounts).await.context("checking emails")?;
            users::without_clashes(accounts, &clashes, &mut report)
        }
        None => accounts,
    };
    // Every row is checked among all of its table's; what is passed on
    // to the services is narrowed afterwards (`delta`). A row whose id
    // QuickCare has given a row of its own is left out before what hangs
    // off it is checked (`taken`).
    let records = patients::records(&legacy, &accounts, &mut report);
    let records = patients::without_taken_addresses(dbs.patient.as_ref(), records, &mut report)
        .await
        .context("checking addresses")?;
    let records = taken::without(
        dbs.patient.as_ref(),
        records,
        "patients",
        |p| p.id.0,
        async |db, rows| patient::import::taken_patients(db, rows).await,
        &mut report,
    )
    .await
    .context("checking patients")?;
    let specialties = doctors::specialties(&legacy, &mut report);
    let specialties = taken::without(
        dbs.doctor.as_ref(),
        specialties,
        "specialities",
        |s| s.id.0,
        async |db, rows| doctor::import::taken_specialties(db, rows).await,
        &mut report,
    )
    .await
    .context("checking specialities")?;
    let doctors = doctors::profiles(&legacy, &accounts, &specialties, &mut report);
    let doctors = taken::without(
        dbs.doctor.as_ref(),
        doctors,
        "doctors",
        |d| d.id.0,
        async |db, rows| doctor::import::taken_doctors(db, rows).await,
        &mut report,
    )
    .await
    .context("checking doctors")?;
    let applications =
        applications::applications(&legacy, &changed.applications, files.as_ref(), &mut report);
    let applications = taken::without(
        dbs.doctor.as_ref(),
        applications,
        "applications",
        |a| a.id.0,
        async |db, rows| doctor::import::taken_applications(db, rows).await,
        &mut report,
    )
    .await
    .context("checking applications")?;
    let all_slots = appointments::schedules(&legacy, &doctors, &mut report);
    let all_slots = taken::without(
        dbs.appointment.as_ref(),
        all_slots,
        "schedules",
        |s| s.id.0,
        async |db, rows| appointment::import::taken_schedules(db, rows).await,
        &mut report,
    )
    .await
    .context("checking schedules")?;
    let now = (Utc::now(), settings.reminder_lead_minutes);
    let history = appointments::appointments(&legacy, &doctors, &records, &all_slots, now, &mut report);
    let ratings = ratings::ratings(&legacy, &doctors, &records, &mut report);
    let ratings = taken::without(
        dbs.rating.as_ref(),
        ratings,
        "ratings",
        |r| r.id.0,
        async |db, rows| rating::import::taken_ratings(db, rows).await,
        &mut report,
    )
    .await
    .context("checking ratings")?;
    let messages = notifications::notifications(&legacy, &accounts, &mut report);
    let messages = taken::without(
        dbs.notification.as_ref(),
        messages,
        "notifications",
        |n| n.id.0,
        async |db, rows| notification::import::taken_notifications(db, rows).await,
        &mut report,
    )
    .await
    .context("checking notifications")?;
    // The facts of the appointments written name their patients' and
    // doctors' accounts: every imported one's.
    let (all_records, all_doctors) = (records, doctors);

    let accounts = changed.users.keep(accounts, |u| u.id.0);
    let pictures = pictures::pictures(&legacy, &accounts, files.as_ref(), &mut report);
    let directory = patients::directory(&accounts);
    let contacts = notifications::contacts(&accounts);
    let records = changed.patients.keep(all_records.clone(), |p| p.id.0);
    let specialties = changed.specialities.keep(specialties, |s| s.id.0);
    let doctors = changed.doctors.keep(all_doctors.clone(), |d| d.id.0);
    let slots = changed.schedules.keep(all_slots, |s| s.id.0);
    let history = changed.appointments.keep(history, |a| a.id.0);
    let ratings = changed.ratings.keep(ratings, |r| r.id.0);
    let messages = changed.notifications.keep(messages, |n| n.id.0);
    if options.dry_run {
        let history = appointments::taken_on_quickcare(dbs.appointment.as_ref(), history, &mut report)
            .await
            .context("checking slots")?;
        report.count("users to import", accounts.len());
        report.count("patients to import", records.len());
        report.count("specialities to import", specialties.len());
        report.count("doctors to import", doctors.len());
        report.count("applications to import", applications.len());
        report.count("schedules to import", slots.len());
        report.count("appointments to import", history.len());
        report.count("ratings to import", ratings.len());
        report.count("notifications to import", messages.len());
    } else {
        let auth_db = dbs.auth.context("auth database")?;
        let keyring = Keyring::from_settings(&settings).context("encryption keys")?;
        let objects = Objects::from_settings(&settings).context("object store")?;
        progress.step("users");
        let done =
            auth::import::import_users(&auth_db, &accounts, &marks).await.context("importing users")?;
        report.count("users inserted", done.inserted);
        report.count("users updated", done.updated);
        report.count("users unchanged", done.unchanged);
        progress.step("pictures");
        let done = auth::import::import_pictures(&auth_db, &objects, &pictures)
            .await
            .context("importing pictures")?;
        report.written("pictures", done);

        let patient_db = dbs.patient.context("patient database")?;
        progress.step("patients");
        let done = patient::import::import(&patient_db, &keyring, &directory, &records)
            .await
            .context("importing patients")?;
        report.written("user_directory", done.directory);
        report.written("addresses", done.addresses);
        report.written("patients", done.patients);

        let doctor_db = dbs.doctor.context("doctor database")?;
        progress.step("doctors");
        let done = doctor::import::import(&doctor_db, &objects, &specialties, &doctors, &applications)
            .await
            .context("importing doctors")?;
        report.written("specialities", done.specialties);
        report.written("doctors", done.doctors);
        report.written("applications", done.applications);
        report.written("CV files", done.cv_files);
        let doctor_directory = done.profiles;

        let appointment_db = dbs.appointment.context("appointment database")?;
        progress.step("schedules and appointments");
        let done = appointment::import::import(&appointment_db, &doctor_directory, &slots, &history, &marks)
            .await
            .context("importing appointments")?;
        report.written("doctor_directory", done.doctors);
        report.written("schedules", done.schedules);
        report.written("appointments", done.appointments);
        for (id, reason) in done.skipped {
            report.skip("appointments", id.0, reason);
        }
        let facts = appointments::facts(&done.stored, &all_doctors, &all_records);
        progress.step("care relationships");
        let care = patient::import::care(&patient_db, &facts, &marks)
            .await
            .context("importing care relationships")?;
        report.written("care_relationships", care);

        let rating_db = dbs.rating.context("rating database")?;
        progress.step("ratings");
        let blocked = rating::moderation::BlockList::new(settings.rating_blocked_words.as_deref());
        let rated = rating::import::import(&rating_db, &blocked, &facts, &ratings, &marks)
            .await
            .context("importing ratings")?;
        report.written("visits", rated.visits);
        report.written("ratings", rated.ratings);
        report.written("rating_summaries", rated.summaries);

        // After the doctor profiles: the summaries land on them.
        progress.step("the doctors' history");
        let done = doctor::import_history::import(&doctor_db, &facts, &rated.standing, &marks)
            .await
            .context("importing the doctors' history")?;
        report.written("appointment_facts", done.facts);
        report.written("doctor_summaries", done.summaries);

        let notification_db = dbs.notification.context("notification database")?;
        progress.step("notifications");
        let done =
            notification::import::import(&notification_db, &contacts, &doctor_directory, &messages, &marks)
                .await
                .context("importing notifications")?;
        report.written("contacts", done.contacts);
        report.written("doctor_names", done.doctors);
        report.written("notifications", done.notifications);
    }
    progress.finish();
    let text = report.to_string();
    print!("{text}");
    if let Some(path) = options.report_file {
        std::fs::write(path, &text).with_context(|| format!("writing the report to {}", path.display()))?;
    }
    Ok(())
}
