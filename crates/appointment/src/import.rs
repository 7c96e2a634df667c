//! Schedules and appointments brought over from the legacy monolith
//! (`quickcare import-legacy`).
//!
//! Rows keep their legacy ids (explicit ids move both backends'
//! autoincrement past them, so new slots and bookings get ids after the
//! legacy ones). Each row passes the rules a new one does: a slot is
//! shaped by [`shape`] and may not overlap another of its doctor's
//! ([`clashes`]); an appointment's instants come from its slot's time of
//! day on its date in the doctor's zone ([`instants_of`]), and no two
//! active appointments share a slot and date: an active legacy one whose
//! slot and date an appointment booked on QuickCare since an earlier run
//! holds is left out and reported ([`Outcome::skipped`], [`refused`] for a
//! dry run), as the booking rule would refuse it, instead of failing the
//! unique index and with it the whole import. So is one whose id QuickCare
//! has given to another patient's appointment meanwhile, which the import
//! must not overwrite. A legacy slot whose id QuickCare has given a slot
//! of its own is left out by the importer, with the appointments on it,
//! before any of them is judged ([`taken_schedules`]).
//!
//! History must not look due: a pending appointment whose start has
//! passed is stored expired (what the expiry job would have made of it,
//! without its mail), past ones get no reminder, and a future one whose
//! reminder time passed before the cut-over counts as reminded (the
//! monolith sent its reminders). Later ones are reminded like a new
//! booking. Nothing is announced: the importer fills the other services'
//! read models itself ([`fact`]).
//!
//! Re-running is idempotent: a row equal to what is stored is left alone,
//! and so is one the platform changed since (a later `updated_at`: a
//! cancellation, the expiry job), so a re-run never undoes what happened
//! on QuickCare.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use kit::{
    Result,
    events::catalog,
    ids::{AppointmentId, DoctorId, PatientId, ScheduleId, UserId},
    import::{AppointmentFact, Counts, Watermarks, upsert},
};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect};

use crate::{
    announce,
    booking::{double_booking, placement::instants_of, reminder},
    entity::{appointment, doctor, schedule},
    schedules::{overlap::clashes, shape::shape},
    slots,
    status::{Status, slot_hold},
};

/// One legacy `schedules` row. The monolith wrote the weekday on one-off
/// rows too; `specific_date` decides.
#[derive(Clone, Debug)]
pub struct LegacySchedule {
    pub id: ScheduleId,
    pub doctor_id: DoctorId,
    pub day: String,
    pub specific_date: Option<NaiveDate>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One legacy `appointments` row, its status already read
/// ([`crate::status::from_legacy`]).
#[derive(Clone, Debug)]
pub struct LegacyAppointment {
    pub id: AppointmentId,
    pub reason: String,
    pub status: Status,
    pub date: NaiveDate,
    pub doctor_comment: Option<String>,
    pub patient_id: PatientId,
    pub doctor_id: DoctorId,
    pub schedule_id: ScheduleId,
    pub check_in_time: Option<DateTime<Utc>>,
    pub check_out_time: Option<DateTime<Utc>>,
    pub travel_time_minutes: Option<i32>,
    /// `Patient_Disponibility`: when the patient said they could come.
    pub patient_availability: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What one import did, per table, and every imported appointment as it
/// now stands (what the platform changed since included): what the other
/// services' read models are built from ([`fact`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub doctors: Counts,
    pub schedules: Counts,
    pub appointments: Counts,
    pub stored: Vec<appointment::Model>,
    /// Appointments left out, with why (a slot taken on QuickCare).
    pub skipped: Vec<(AppointmentId, String)>,
}

/// The slot row `legacy` stands for, or the refusal a new slot of that
/// shape would get (422 malformed, 409 overlapping one of `others`, the
/// doctor's slots already accepted).
pub fn schedule(legacy: &LegacySchedule, others: &[schedule::Model]) -> Result<schedule::Model> {
    let day = legacy.specific_date.is_none().then_some(legacy.day.as_str());
    let (start, end) = (slots::format_time(legacy.start), slots::format_time(legacy.end));
    let slot = shape(day, legacy.specific_date, &start, Some(&end))?;
    if clashes(&slot, others, None) {
        return Err(crate::schedules::overlap::slot_overlaps());
    }
    Ok(schedule::Model {
        id: legacy.id,
        doctor_id: legacy.doctor_id,
        day: slot.day,
        specific_date: slot.specific_date,
        start: slot.start,
        end: slot.end,
        created_at: legacy.created_at,
        updated_at: legacy.updated_at,
    })
}

/// The ids of `schedules` QuickCare has given slots of its own since an
/// earlier import ([`kit::import::made_on_quickcare`]): the importer
/// leaves those legacy slots out, and the appointments on them, so none
/// lands on a QuickCare doctor's slot. (Appointments are judged in
/// [`import`] itself: one whose id QuickCare gave another patient's
/// appointment is left out.)
pub async fn taken_schedules(db: &DatabaseConnection, rows: &[schedule::Model]) -> Result<BTreeSet<i64>> {
    let legacy: Vec<_> = rows.iter().map(|s| (s.id.0, s.created_at)).collect();
    kit::import::made_on_quickcare::<schedule::Entity, _>(
        db,
        schedule::Column::Id,
        schedule::Column::CreatedAt,
        &legacy,
    )
    .await
}

/// The appointment row `legacy` stands for on `slot` (a slot of its
/// doctor) in the doctor's `timezone`, as of `now`; 422 when the slot is
/// not offered on its date. `lead_minutes` is the platform's reminder
/// lead time (imported patients have none of their own yet).
pub fn appointment(
    legacy: &LegacyAppointment,
    slot: &schedule::Model,
    timezone: &str,
    now: DateTime<Utc>,
    lead_minutes: i64,
) -> Result<appointment::Model> {
    let (start_at, end_at) = instants_of(slot, timezone, legacy.date)?;
    let status = match legacy.status {
        Status::Pending if start_at <= now => Status::Expired,
        s => s,
    };
    let (reminder_at, reminder_sent_at) = if status.is_active() && start_at > now {
        let at = reminder::due(start_at, None, lead_minutes);
        (Some(at), (at <= now).then_some(at))
    } else {
        (None, None)
    };
    Ok(appointment::Model {
        id: legacy.id,
        reason: legacy.reason.clone(),
        status,
        appointment_date: legacy.date,
        doctor_comment: legacy.doctor_comment.clone().filter(|c| !c.trim().is_empty()),
        patient_id: legacy.patient_id,
        doctor_id: legacy.doctor_id,
        schedule_id: slot.id,
        start_at,
        end_at,
        active_slot: slot_hold(status),
        cancel_reason: None,
        check_in_time: legacy.check_in_time,
        check_out_time: legacy.check_out_time,
        travel_time_minutes: legacy.travel_time_minutes,
        patient_availability: legacy
            .patient_availability
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned),
        reminder_sent_at,
        reminder_at,
        created_at: legacy.created_at,
        updated_at: legacy.updated_at,
    })
}

/// What the other services' read models learn of `row` (whose patient and
/// doctor have accounts `patient_user_id` and `doctor_user_id`): the
/// payload its events carry.
pub fn fact(row: &appointment::Model, patient_user_id: UserId, doctor_user_id: UserId) -> AppointmentFact {
    AppointmentFact {
        appointment: announce::payload(row, patient_user_id, doctor_user_id),
        active: row.status.is_active(),
        booked_at: row.created_at,
        changed_at: row.updated_at,
    }
}

/// Writes the doctor directory (the rows `doctor.changed` would have
/// made of `doctors`, the imported profiles as the doctor service now has
/// them: `doctor::import` announces none), the slots and the appointments
/// in one transaction: all or none. Slots and appointments come from
/// [`schedule()`] and [`appointment()`]. This run's `marks`
/// ([`kit::import::advance`]) are recorded in the same transaction: the
/// legacy rows count as absorbed here only once these writes committed.
pub async fn import(
    db: &DatabaseConnection,
    doctors: &[catalog::DoctorChanged],
    schedules: &[schedule::Model],
    appointments: &[appointment::Model],
    marks: &Watermarks,
) -> Result<Outcome> {
    let txn = kit::db::begin_write(db).await?;
    let mut outcome = Outcome::default();
    for d in doctors {
        let wanted = doctor::Model::from(d);
        let stored = doctor::Entity::find_by_id(wanted.doctor_id).one(&txn).await?;
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.doctors).await?;
    }
    for wanted in schedules {
        let stored = schedule::Entity::find_by_id(wanted.id).one(&txn).await?;
        match &stored {
            Some(s) if s.updated_at > wanted.updated_at => outcome.schedules.unchanged += 1,
            _ => upsert(&txn, stored.as_ref(), wanted.clone(), &mut outcome.schedules).await?,
        }
    }
    for wanted in appointments {
        let stored = appointment::Entity::find_by_id(wanted.id).one(&txn).await?;
        match plan(&txn, wanted, stored, |s| (s.patient_id, s.updated_at)).await? {
            Plan::Keep(stored) => {
                outcome.appointments.unchanged += 1;
                outcome.stored.push(stored);
            }
            refused @ (Plan::SlotTaken(_) | Plan::IdTaken(_)) => {
                outcome.skipped.push((wanted.id, refused.refusal(wanted).unwrap_or_default()));
            }
            Plan::Write(stored) => {
                // A reminder once sent stays sent.
                let reminder_sent_at =
                    stored.as_ref().and_then(|s| s.reminder_sent_at).or(wanted.reminder_sent_at);
                let wanted = appointment::Model { reminder_sent_at, ..wanted.clone() };
                upsert(&txn, stored.as_ref(), wanted.clone(), &mut outcome.appointments).await?;
                outcome.stored.push(wanted);
            }
        }
    }
    kit::import::advance(&txn, marks).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// What [`import`] does with one appointment, given what is stored under
/// its id (`S`: the row, or as much of it as a dry run reads).
enum Plan<S> {
    /// The platform changed the row since (a later `updated_at`): it stays.
    Keep(S),
    /// Left out: the slot and date are held by this other appointment.
    SlotTaken(AppointmentId),
    /// Left out: QuickCare gave the id to this patient's appointment (the
    /// monolith, still open after an earlier run, numbered on). A legacy
    /// row never changes patient, so another patient is another row.
    IdTaken(PatientId),
    /// Written over the stored row, if any.
    Write(Option<S>),
}

impl<S> Plan<S> {
    /// Why `wanted` is left out, if it is.
    fn refusal(&self, wanted: &appointment::Model) -> Option<String> {
        match self {
            Self::SlotTaken(holder) => Some(format!(
                "slot taken on QuickCare: appointments {holder} holds schedule {} on {}",
                wanted.schedule_id, wanted.appointment_date
            )),
            Self::IdTaken(patient) => {
                Some(format!("id taken on QuickCare by an appointment of patient {patient}"))
            }
            Self::Keep(_) | Self::Write(_) => None,
        }
    }
}

/// `stored` is what is under `wanted`'s id; `key` reads its patient and
/// `updated_at`.
async fn plan<C: ConnectionTrait, S>(
    conn: &C,
    wanted: &appointment::Model,
    stored: Option<S>,
    key: impl Fn(&S) -> (PatientId, DateTime<Utc>),
) -> Result<Plan<S>> {
    let stored = match stored {
        Some(s) => {
            let (patient_id, updated_at) = key(&s);
            if patient_id != wanted.patient_id {
                return Ok(Plan::IdTaken(patient_id));
            }
            if updated_at > wanted.updated_at {
                return Ok(Plan::Keep(s));
            }
            Some(s)
        }
        None => None,
    };
    if wanted.active_slot.is_some()
        && let Some(holder) =
            double_booking::holder(conn, wanted.schedule_id, wanted.appointment_date, wanted.id).await?
    {
        return Ok(Plan::SlotTaken(holder));
    }
    Ok(Plan::Write(stored))
}

/// What [`import`] of `appointments` into `conn` would leave out, with
/// why, for a dry run. A holder the same run rewrites from its own legacy
/// row (cancelled or moved in the monolith since) is not counted: the
/// import writes it first, being earlier by id, and the importer never
/// passes two active rows on one slot and date.
pub async fn refused<C: ConnectionTrait>(
    conn: &C,
    appointments: &[appointment::Model],
) -> Result<Vec<(AppointmentId, String)>> {
    let mut plans = Vec::with_capacity(appointments.len());
    for wanted in appointments {
        // Only the columns the verdict needs, so a dry run also reads a
        // database whose schema is older than this binary.
        let stored: Option<(PatientId, DateTime<Utc>)> = appointment::Entity::find_by_id(wanted.id)
            .select_only()
            .columns([appointment::Column::PatientId, appointment::Column::UpdatedAt])
            .into_tuple()
            .one(conn)
            .await?;
        plans.push(plan(conn, wanted, stored, |s| *s).await?);
    }
    let rewritten: HashSet<AppointmentId> = appointments
        .iter()
        .zip(&plans)
        .filter(|(_, p)| matches!(p, Plan::Write(_)))
        .map(|(a, _)| a.id)
        .collect();
    let mut out = Vec::new();
    for (wanted, plan) in appointments.iter().zip(plans) {
        let counted = match plan {
            Plan::SlotTaken(holder) => !rewritten.contains(&holder),
            _ => true,
        };
        if let Some(reason) = plan.refusal(wanted).filter(|_| counted) {
            out.push((wanted.id, reason));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Duration};
    use sea_orm::IntoActiveModel;

    use super::*;
    use crate::test_db;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn slot(id: i64, day: &str, specific_date: Option<NaiveDate>, start: NaiveTime) -> LegacySchedule {
        let at = DateTime::UNIX_EPOCH + Duration::days(20_000);
        LegacySchedule {
            id: ScheduleId(id),
            doctor_id: DoctorId(1),
            day: day.into(),
            specific_date,
            start,
            end: start + Duration::minutes(30),
            created_at: at,
            updated_at: at,
        }
    }

    /// Appointment `id` of patient 1 on `slot` `days` from today (its
    /// weekday), with legacy `status`.
    fn booked(id: i64, slot: &schedule::Model, days: i64, status: Status) -> LegacyAppointment {
        let mut date = Utc::now().date_naive() + Duration::days(days);
        while Some(slots::day_name(date.weekday())) != slot.day.as_deref() {
            date += Duration::days(1);
        }
        LegacyAppointment {
            id: AppointmentId(id),
            reason: "Suivi".into(),
            status,
            date,
            doctor_comment: Some(" ".into()),
            patient_id: PatientId(1),
            doctor_id: DoctorId(1),
            schedule_id: slot.id,
            check_in_time: None,
            check_out_time: None,
            travel_time_minutes: Some(20),
            patient_availability: Some(" mornings ".into()),
            created_at: slot.created_at,
            updated_at: slot.updated_at,
        }
    }

    #[test]
    fn legacy_slots_pass_the_rules_of_new_ones() {
        let monday = schedule(&slot(1, "monday", None, t(9, 0)), &[]).unwrap();
        assert_eq!(monday.day.as_deref(), Some("Monday"));
        let date = NaiveDate::from_ymd_opt(2030, 1, 7); // a Monday
        let once = schedule(&slot(2, "Monday", date, t(12, 0)), std::slice::from_ref(&monday)).unwrap();
        assert_eq!((once.day, once.specific_date), (None, date), "one-off rows lose their weekday");
        let clash = schedule(&slot(3, "Monday", date, t(9, 15)), &[monday]).err().map(|e| e.to_string());
        assert_eq!(clash.as_deref(), Some("the slot overlaps another slot of this doctor"));
        let backwards = LegacySchedule { end: t(8, 0), ..slot(4, "Tuesday", None, t(9, 0)) };
        assert!(matches!(schedule(&backwards, &[]), Err(kit::Error::Invalid { .. })));
    }

    #[test]
    fn history_is_never_due_and_the_future_is_reminded_like_a_booking() {
        let now = Utc::now();
        let weekly = schedule(&slot(1, "Wednesday", None, t(10, 0)), &[]).unwrap();
        let old = appointment(&booked(1, &weekly, -14, Status::Pending), &weekly, "UTC", now, 1440).unwrap();
        assert_eq!((old.status, old.active_slot, old.reminder_at), (Status::Expired, None, None));
        assert_eq!((old.doctor_comment, old.travel_time_minutes), (None, Some(20)));
        let soon =
            appointment(&booked(2, &weekly, 1, Status::Approved), &weekly, "UTC", now, 60 * 24 * 8).unwrap();
        assert_eq!((soon.active_slot, soon.reminder_sent_at), (Some(true), soon.reminder_at), "already due");
        let later = appointment(&booked(3, &weekly, 14, Status::Pending), &weekly, "UTC", now, 1440).unwrap();
        assert_eq!(later.reminder_at, Some(later.start_at - Duration::days(1)));
        assert_eq!(later.reminder_sent_at, None);
        let thursday = LegacyAppointment {
            date: later.appointment_date + Duration::days(1),
            ..booked(4, &weekly, 14, Status::Pending)
        };
        let e = appointment(&thursday, &weekly, "UTC", now, 1440).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("date: the slot is not offered on that date"));
    }

    #[tokio::test]
    async fn imported_history_gives_the_jobs_nothing_to_do_and_a_rerun_changes_nothing() {
        let (_env, db) = test_db::sqlite().await;
        let now = Utc::now();
        let doctor = catalog::DoctorChanged {
            doctor_id: DoctorId(1),
            user_id: UserId(101),
            name: "Dr Legacy".into(),
            specialty_id: kit::ids::SpecialtyId(1),
            city: Some("Rabat".into()),
            timezone: "Africa/Casablanca".into(),
            status: catalog::DoctorStatus::Active,
        };
        let weekly = schedule(&slot(7, "Friday", None, t(10, 0)), &[]).unwrap();
        let rows: Vec<appointment::Model> =
            [(1, -21, Status::Pending), (2, -7, Status::Approved), (3, 1, Status::Approved)]
                .into_iter()
                .map(|(id, days, s)| {
                    appointment(&booked(id, &weekly, days, s), &weekly, &doctor.timezone, now, 60 * 24 * 8)
                        .unwrap()
                })
                .collect();
        let first = import(
            &db,
            std::slice::from_ref(&doctor),
            std::slice::from_ref(&weekly),
            &rows,
            &Watermarks::new(),
        )
        .await
        .unwrap();
        assert_eq!((first.doctors.written, first.schedules.written, first.appointments.written), (1, 1, 3));
        assert_eq!(crate::jobs::expire_due(&db).await.unwrap(), 0);
        assert_eq!(crate::jobs::remind_due(&db, Duration::days(8)).await.unwrap(), 0);
        let again = import(&db, &[doctor], &[weekly], &rows, &Watermarks::new()).await.unwrap();
        assert_eq!(
            (again.doctors.unchanged, again.schedules.unchanged, again.appointments.unchanged),
            (1, 1, 3)
        );
        assert_eq!(again.appointments.written, 0);
    }

    #[tokio::test]
    async fn a_slot_or_an_id_taken_on_quickcare_since_leaves_the_legacy_appointment_out_reported() {
        let (_env, db) = test_db::sqlite().await;
        let now = Utc::now();
        let weekly = schedule(&slot(7, "Friday", None, t(10, 0)), &[]).unwrap();
        let row = |legacy: LegacyAppointment| appointment(&legacy, &weekly, "UTC", now, 1440).unwrap();
        let first = row(booked(1, &weekly, 7, Status::Approved));
        import(&db, &[], std::slice::from_ref(&weekly), std::slice::from_ref(&first), &Watermarks::new())
            .await
            .unwrap();

        // On QuickCare, appointment 50 takes the slot a week later; in the
        // monolith, 1 is cancelled and 2 takes its place, and 3 books the
        // slot 50 holds.
        let later = LegacyAppointment { id: AppointmentId(50), ..booked(3, &weekly, 14, Status::Pending) };
        appointment::Entity::insert(row(later).into_active_model()).exec(&db).await.unwrap();
        let changed = first.updated_at + chrono::Duration::hours(1);
        let cancelled =
            row(LegacyAppointment { updated_at: changed, ..booked(1, &weekly, 7, Status::Cancelled) });
        // And QuickCare gave id 60 to patient 2, which the monolith gives
        // to patient 1 too.
        let ours = LegacyAppointment { patient_id: PatientId(2), ..booked(60, &weekly, 21, Status::Pending) };
        appointment::Entity::insert(row(ours).into_active_model()).exec(&db).await.unwrap();
        let rows = [
            cancelled,
            row(booked(2, &weekly, 7, Status::Pending)),
            row(booked(3, &weekly, 14, Status::Pending)),
            row(booked(60, &weekly, 28, Status::Pending)),
        ];
        let why = format!(
            "slot taken on QuickCare: appointments 50 holds schedule 7 on {}",
            rows[2].appointment_date
        );
        let clash = "id taken on QuickCare by an appointment of patient 2".to_owned();
        let expected = vec![(AppointmentId(3), why), (AppointmentId(60), clash)];
        assert_eq!(refused(&db, &rows).await.unwrap(), expected, "the dry run's verdict");
        let done = import(&db, &[], std::slice::from_ref(&weekly), &rows, &Watermarks::new()).await.unwrap();
        assert_eq!(done.skipped, expected);
        assert_eq!(done.stored.iter().map(|a| a.id.0).collect::<Vec<_>>(), [1, 2]);
        let stored = appointment::Entity::find_by_id(AppointmentId(2)).one(&db).await.unwrap().unwrap();
        assert_eq!(stored.patient_availability.as_deref(), Some("mornings"));
        let kept = appointment::Entity::find_by_id(AppointmentId(60)).one(&db).await.unwrap().unwrap();
        assert_eq!(kept.patient_id, PatientId(2), "QuickCare's appointment 60 was overwritten");
    }

    #[tokio::test]
    async fn a_dry_run_reads_a_database_older_than_this_binary() {
        use sea_orm_migration::MigratorTrait;
        let env = kit::testing::TestEnv::new(kit::testing::Backend::Sqlite);
        let db = kit::db::connect(&env.settings, "appointment").await.unwrap();
        // Every migration but the last (`patient_availability`).
        let older = crate::migration::Migrator::migrations().len() - 1;
        crate::migration::Migrator::up(&db, Some(u32::try_from(older).unwrap())).await.unwrap();
        let weekly = schedule(&slot(7, "Friday", None, t(10, 0)), &[]).unwrap();
        let wanted =
            appointment(&booked(1, &weekly, 7, Status::Pending), &weekly, "UTC", Utc::now(), 1440).unwrap();
        assert_eq!(refused(&db, &[wanted]).await.unwrap(), []);
    }
}
