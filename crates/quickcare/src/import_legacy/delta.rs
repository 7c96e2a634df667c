//! Delta runs: which legacy rows this run passes on to the services.
//!
//! Every service records, per legacy table, how far it has absorbed the
//! monolith (`kit::import::watermarks`: the legacy clock when a run began
//! reading, the largest id read). A run starts from the oldest mark of
//! each table over the six services ([`since`]; a service without one, or
//! `--full`, reads that table as new), and passes on only the rows added
//! or changed since — plus the rows whose outcome hangs on them
//! ([`changed`]): everything of a changed user, doctor, slot or patient,
//! and the rows a uniqueness check weighs against a changed one (the same
//! email, token or specialty name, the same slot and date, the same
//! patient and doctor). The checks themselves still see every legacy row,
//! so each row is decided exactly as a full run decides it and the report
//! lists every skipped row either way; only the writing shrinks.
//!
//! Read models a service computes over several rows stay whole: all of a
//! changed appointment's patient's appointments are passed on (their care
//! relationships are counted from them), and rating summaries are
//! recomputed from the ratings stored (`rating::import`).
//!
//! What a delta cannot see needs `--full`: a change made without touching
//! `updated_at`, and a row left out earlier for a reason that has gone
//! away without the row itself changing (its parent arrived later, the
//! slot it overlapped was moved). Deletions are never carried over.

use std::{
    collections::{HashMap, HashSet},
    hash::Hash,
};

use anyhow::Context;
use chrono::{DateTime, Utc};
use kit::import::{Watermark, Watermarks};

use super::{
    databases::Databases,
    doctors::specialty_key,
    report::Report,
    source::{
        AddressRow, AppointmentRow, Legacy, NotificationRow, PatientRow, RatingRow, ScheduleRow, UserRow,
        doctors::{ApplicationRow, DoctorRow, SpecialityRow},
    },
    users::email_key,
};

/// Since when each legacy table's rows count as changed; a table without
/// a mark is read as new.
#[derive(Debug, Default)]
pub struct Since(HashMap<String, Watermark>);

impl Since {
    /// Every row counts (`--full`, or a first run).
    pub fn full() -> Self {
        Self::default()
    }

    /// The oldest mark of each table over `services`; none for a table one
    /// of them has no mark for.
    fn oldest(services: &[Watermarks]) -> Self {
        let Some((first, rest)) = services.split_first() else { return Self::full() };
        Self(
            first
                .iter()
                .filter_map(|(table, mark)| {
                    rest.iter()
                        .try_fold(*mark, |oldest, marks| marks.get(table).map(|m| oldest.oldest(*m)))
                        .map(|mark| (table.clone(), mark))
                })
                .collect(),
        )
    }

    fn of(&self, table: &str) -> Option<Watermark> {
        self.0.get(table).copied()
    }
}

/// The marks the services hold, read from the databases the run opened
/// (a service with no database yet has none, so every table is new).
pub async fn since(dbs: &Databases) -> anyhow::Result<Since> {
    let mut services = Vec::new();
    for (service, db) in dbs.each() {
        let Some(db) = db else { return Ok(Since::full()) };
        services.push(kit::import::watermarks(db).await.with_context(|| format!("{service} watermarks"))?);
    }
    Ok(Since::oldest(&services))
}

/// A legacy row's id and timestamps, what a mark is compared with.
trait Stamped {
    fn stamps(&self) -> (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
}

macro_rules! stamped {
    ($($row:ty),*) => {$(
        impl Stamped for $row {
            fn stamps(&self) -> (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
                (self.id, self.created_at, self.updated_at)
            }
        }
    )*};
}

stamped!(
    UserRow,
    AddressRow,
    PatientRow,
    SpecialityRow,
    DoctorRow,
    ApplicationRow,
    ScheduleRow,
    AppointmentRow,
    RatingRow,
    NotificationRow
);

/// The rows of one table this run passes on.
#[derive(Debug, Clone, Default)]
pub enum Rows {
    #[default]
    All,
    Only(HashSet<i64>),
}

impl Rows {
    pub fn has(&self, id: i64) -> bool {
        match self {
            Self::All => true,
            Self::Only(ids) => ids.contains(&id),
        }
    }

    /// `rows` but those not passed on.
    pub fn keep<T>(&self, rows: Vec<T>, id: impl Fn(&T) -> i64) -> Vec<T> {
        match self {
            Self::All => rows,
            Self::Only(ids) => rows.into_iter().filter(|r| ids.contains(&id(r))).collect(),
        }
    }
}

/// What this run passes on, per legacy table (addresses travel with their
/// users' rows).
#[derive(Debug, Default)]
pub struct Changed {
    pub users: Rows,
    pub patients: Rows,
    pub specialities: Rows,
    pub doctors: Rows,
    pub applications: Rows,
    pub schedules: Rows,
    pub appointments: Rows,
    pub ratings: Rows,
    pub notifications: Rows,
}

/// One table's rows added or changed since its mark, reported as read.
fn passed<R: Stamped>(
    table: &'static str,
    rows: &[R],
    since: &Since,
    report: &mut Report,
) -> Option<HashSet<i64>> {
    let mark = since.of(table);
    let ids = mark.map(|m| {
        rows.iter()
            .map(Stamped::stamps)
            .filter(|(id, created, updated)| m.passed_by(*id, *created, *updated))
            .map(|(id, _, _)| id)
            .collect::<HashSet<i64>>()
    });
    report.read(table, rows.len(), mark, ids.as_ref().map(HashSet::len));
    ids
}

/// Adds to `ids` every row sharing a key with one of them (a row without
/// a key shares it with none).
fn with_peers<R, K: Hash + Eq>(
    rows: &[R],
    ids: &mut HashSet<i64>,
    id: impl Fn(&R) -> i64,
    key: impl Fn(&R) -> Option<K>,
) {
    let keys: HashSet<K> = rows.iter().filter(|r| ids.contains(&id(r))).filter_map(&key).collect();
    ids.extend(rows.iter().filter(|r| key(r).is_some_and(|k| keys.contains(&k))).map(id));
}

/// The rows `legacy` holds that this run passes on, each table's read
/// reported. Without marks (a first run, `--full`) that is every row.
pub fn changed(legacy: &Legacy, since: &Since, report: &mut Report) -> Changed {
    let d = &legacy.doctor_side;
    let marked = (
        passed("users", &legacy.users, since, report),
        passed("addresses", &legacy.addresses, since, report),
        passed("patients", &legacy.patients, since, report),
        passed("specialities", &d.specialities, since, report),
        passed("doctors", &d.doctors, since, report),
        passed("applications", &d.applications, since, report),
        passed("schedules", &legacy.schedules, since, report),
        passed("appointments", &legacy.appointments, since, report),
        passed("ratings", &legacy.ratings, since, report),
        passed("notifications", &legacy.notifications, since, report),
    );
    // Every service records every table's mark at once, so one table
    // without a mark means a first (or `--full`) run.
    let (
        Some(users),
        Some(addresses),
        Some(patients),
        Some(mut specialities),
        Some(doctors),
        Some(mut applications),
        Some(schedules),
        Some(appointments),
        Some(ratings),
        Some(notifications),
    ) = marked
    else {
        return Changed::default();
    };

    // An address belongs to its user's row (the user's own check, the
    // patient's address, the doctor's city).
    let mut users: HashSet<i64> = legacy
        .users
        .iter()
        .filter(|u| users.contains(&u.id) || u.address_id.is_some_and(|a| addresses.contains(&a)))
        .map(|u| u.id)
        .collect();
    with_peers(&legacy.users, &mut users, |u| u.id, |u| Some(email_key(&u.email)));

    let mut patients: HashSet<i64> = legacy
        .patients
        .iter()
        .filter(|p| patients.contains(&p.id) || users.contains(&p.user_id))
        .map(|p| p.id)
        .collect();
    with_peers(&legacy.patients, &mut patients, |p| p.id, |p| Some(p.user_id));

    with_peers(&d.specialities, &mut specialities, |s| s.id, |s| Some(specialty_key(&s.name)));
    let mut doctors: HashSet<i64> = d
        .doctors
        .iter()
        .filter(|r| {
            doctors.contains(&r.id) || users.contains(&r.user_id) || specialities.contains(&r.specialty_id)
        })
        .map(|r| r.id)
        .collect();
    with_peers(&d.doctors, &mut doctors, |r| r.id, |r| Some(r.user_id));

    with_peers(
        &d.applications,
        &mut applications,
        |a| a.id,
        |a| a.registration_token.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned),
    );

    let schedules: HashSet<i64> = legacy
        .schedules
        .iter()
        .filter(|s| schedules.contains(&s.id) || doctors.contains(&s.doctor_id))
        .map(|s| s.id)
        .collect();

    let mut appointments: HashSet<i64> = legacy
        .appointments
        .iter()
        .filter(|a| {
            appointments.contains(&a.id)
                || schedules.contains(&a.schedule_id)
                || patients.contains(&a.patient_id)
                || doctors.contains(&a.doctor_id)
        })
        .map(|a| a.id)
        .collect();
    with_peers(
        &legacy.appointments,
        &mut appointments,
        |a| a.id,
        |a| Some((a.schedule_id, a.appointment_date)),
    );
    // Every appointment of their patients: the care relationships are
    // counted from them.
    with_peers(&legacy.appointments, &mut appointments, |a| a.id, |a| Some(a.patient_id));

    let mut ratings: HashSet<i64> = legacy
        .ratings
        .iter()
        .filter(|r| {
            ratings.contains(&r.id) || patients.contains(&r.patient_id) || doctors.contains(&r.doctor_id)
        })
        .map(|r| r.id)
        .collect();
    with_peers(&legacy.ratings, &mut ratings, |r| r.id, |r| Some((r.patient_id, r.doctor_id)));

    let notifications: HashSet<i64> = legacy
        .notifications
        .iter()
        .filter(|n| notifications.contains(&n.id) || users.contains(&n.user_id))
        .map(|n| n.id)
        .collect();

    Changed {
        users: Rows::Only(users),
        patients: Rows::Only(patients),
        specialities: Rows::Only(specialities),
        doctors: Rows::Only(doctors),
        applications: Rows::Only(applications),
        schedules: Rows::Only(schedules),
        appointments: Rows::Only(appointments),
        ratings: Rows::Only(ratings),
        notifications: Rows::Only(notifications),
    }
}

/// The marks this run leaves for every table: the legacy clock before it
/// began reading, and the largest id read (0 for an empty table).
pub fn marks(legacy: &Legacy) -> Watermarks {
    fn max<R: Stamped>(rows: &[R]) -> i64 {
        rows.iter().map(|r| r.stamps().0).max().unwrap_or(0)
    }
    let d = &legacy.doctor_side;
    [
        ("users", max(&legacy.users)),
        ("addresses", max(&legacy.addresses)),
        ("patients", max(&legacy.patients)),
        ("specialities", max(&d.specialities)),
        ("doctors", max(&d.doctors)),
        ("applications", max(&d.applications)),
        ("schedules", max(&legacy.schedules)),
        ("appointments", max(&legacy.appointments)),
        ("ratings", max(&legacy.ratings)),
        ("notifications", max(&legacy.notifications)),
    ]
    .into_iter()
    .map(|(table, max_id)| (table.to_owned(), Watermark { read_at: legacy.read_at, max_id }))
    .collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(s: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(s, 0)
    }

    fn visit(id: i64, patient_id: i64, date: u32, updated: i64) -> AppointmentRow {
        AppointmentRow {
            id,
            reason: "Suivi".into(),
            status: "Pending".into(),
            appointment_date: NaiveDate::from_ymd_opt(2030, 1, date).unwrap_or_default(),
            doctor_comment: None,
            patient_id,
            doctor_id: 1,
            schedule_id: 1,
            created_at: at(0),
            updated_at: at(updated),
            check_in_time: None,
            check_out_time: None,
            travel_time_minutes: None,
            patient_availability: None,
        }
    }

    fn ids(rows: &Rows) -> Vec<i64> {
        let Rows::Only(ids) = rows else { return vec![-1] };
        let mut ids: Vec<i64> = ids.iter().copied().collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn changed_rows_bring_what_hangs_off_them_and_the_rows_weighed_against_them() {
        let user = |id, email: &str| UserRow {
            created_at: at(0),
            updated_at: at(0),
            ..UserRow::for_tests(id, "U", email, "patient", None)
        };
        let patient = |id, user_id| PatientRow {
            id,
            cin: "AB1".into(),
            birth_date: NaiveDate::default(),
            user_id,
            created_at: at(0),
            updated_at: at(0),
        };
        let legacy = Legacy {
            // User 2 is renamed; user 1 has the same email (its duplicate
            // check weighs them); the others are untouched.
            users: vec![
                user(1, "a@example.com"),
                UserRow { updated_at: at(500), ..user(2, " A@example.com ") },
                user(3, "c@example.com"),
                user(4, "d@example.com"),
                user(5, "e@example.com"),
            ],
            patients: vec![patient(1, 1), patient(2, 3), patient(3, 4), patient(4, 5)],
            // Patient 2's appointment 1 changed: appointment 3 on the
            // same slot and date comes with it (which holds the slot), and
            // every appointment of both patients (care is counted from
            // them); patient 4's appointment 5 does not.
            appointments: vec![
                visit(1, 2, 7, 500),
                visit(2, 2, 14, 0),
                visit(3, 3, 7, 0),
                visit(4, 3, 21, 0),
                visit(5, 4, 28, 0),
            ],
            ..Legacy::default()
        };
        let mark = Watermark { read_at: at(400).unwrap_or_default(), max_id: 10 };
        let since = Since(marks(&legacy).into_keys().map(|table| (table, mark)).collect());
        let mut report = Report::default();
        let got = changed(&legacy, &since, &mut report);
        assert_eq!(ids(&got.users), [1, 2]);
        assert_eq!(ids(&got.patients), [1]);
        assert_eq!(ids(&got.appointments), [1, 2, 3, 4]);
        assert_eq!(ids(&got.notifications), Vec::<i64>::new());
        let users = report.reads.iter().find(|r| r.table == "users").map(|r| (r.rows, r.since));
        assert_eq!(users, Some((5, Some((mark, 1)))));

        let mut report = Report::default();
        assert!(matches!(changed(&legacy, &Since::full(), &mut report).appointments, Rows::All));
        assert!(report.reads.iter().all(|r| r.since.is_none()));
    }
}
