//! Who may see which appointments: the one query every listing and report
//! starts from, so no route can forget to narrow it to the caller.

use chrono::NaiveDate;
use kit::{
    Error, Result,
    ids::{DoctorId, PatientId},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{actor::Actor, entity::appointment, status::Status};

/// The filters a listing or a report may add, all optional.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// A status name as the query string gives it; checked by [`scoped`].
    pub status: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub doctor_id: Option<DoctorId>,
    pub patient_id: Option<PatientId>,
}

/// The appointments `actor` may see (admins all, patients and doctors
/// their own), narrowed by `filter`; 422 for an unknown status.
pub fn scoped(actor: &Actor, filter: &Filter) -> Result<sea_orm::Select<appointment::Entity>> {
    let mut query = appointment::Entity::find();
    match actor {
        Actor::Patient(p) => query = query.filter(appointment::Column::PatientId.eq(p.patient_id)),
        Actor::Doctor(d) => query = query.filter(appointment::Column::DoctorId.eq(d.doctor_id)),
        Actor::Admin => {}
    }
    if let Some(name) = &filter.status {
        let status = Status::parse(name)
            .ok_or_else(|| Error::invalid("status", format!("must be one of {}", Status::names(", "))))?;
        query = query.filter(appointment::Column::Status.eq(status));
    }
    if let Some(from) = filter.from {
        query = query.filter(appointment::Column::AppointmentDate.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(appointment::Column::AppointmentDate.lte(to));
    }
    if let Some(id) = filter.doctor_id {
        query = query.filter(appointment::Column::DoctorId.eq(id));
    }
    if let Some(id) = filter.patient_id {
        query = query.filter(appointment::Column::PatientId.eq(id));
    }
    Ok(query)
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;
    use crate::entity::patient;

    fn sql(actor: &Actor, filter: &Filter) -> String {
        scoped(actor, filter).map(|q| q.build(DbBackend::Sqlite).to_string()).unwrap_or_default()
    }

    #[test]
    fn a_patient_sees_only_their_own() {
        let me = patient::Model {
            patient_id: PatientId(7),
            user_id: kit::ids::UserId(70),
            name: "P".into(),
            reminder_minutes: None,
        };
        let query = sql(&Actor::Patient(me), &Filter::default());
        assert!(query.contains(r#""appointments"."patient_id" = 7"#), "{query}");
        assert!(!sql(&Actor::Admin, &Filter::default()).contains("WHERE"));
    }

    #[test]
    fn an_unknown_status_is_refused() {
        let bogus = Filter { status: Some("bogus".into()), ..Filter::default() };
        assert!(matches!(scoped(&Actor::Admin, &bogus), Err(Error::Invalid { .. })));
    }
}
