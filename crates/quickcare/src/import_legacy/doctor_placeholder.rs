//! PLACEHOLDER — replaced at merge by `import_legacy::doctors::profiles`
//! (the doctors' importer, written at the same time), which checks,
//! reports and imports the legacy `doctors` rows into the doctor service.
//!
//! Until then the appointment side needs to know which doctors are
//! imported: this reads the legacy rows minimally and accepts a doctor
//! whose user is an imported account of role doctor, in the doctor
//! service's default zone. It writes nothing to the doctor service.

use auth::import::LegacyUser;
use kit::{
    identity::Role,
    ids::{DoctorId, SpecialtyId, UserId},
};
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult, Statement};

use super::{report::Report, source::Legacy};

#[derive(Debug, Clone, FromQueryResult)]
pub struct DoctorRow {
    pub id: i64,
    pub specialty_id: i64,
    pub user_id: i64,
}

pub async fn read(db: &DatabaseConnection) -> Result<Vec<DoctorRow>, DbErr> {
    let sql = "SELECT CAST(id AS SIGNED) AS id, CAST(specialty_id AS SIGNED) AS specialty_id, \
               CAST(user_id AS SIGNED) AS user_id FROM doctors ORDER BY id";
    DoctorRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql)).all(db).await
}

/// The shape the doctors' importer returns (`doctor::import::LegacyDoctor`).
#[derive(Debug, Clone)]
pub struct LegacyDoctor {
    pub id: DoctorId,
    pub user_id: UserId,
    pub specialty_id: SpecialtyId,
    pub timezone: String,
}

pub fn profiles(legacy: &Legacy, accounts: &[LegacyUser], report: &mut Report) -> Vec<LegacyDoctor> {
    let mut out: Vec<LegacyDoctor> = Vec::new();
    for d in &legacy.placeholder_doctors {
        let account = accounts.iter().find(|u| u.id == UserId(d.user_id));
        if !account.is_some_and(|u| u.role == Role::Doctor) {
            report.skip("doctors", d.id, format!("user {} is not an imported doctor account", d.user_id));
            continue;
        }
        if out.iter().any(|o| o.user_id == UserId(d.user_id)) {
            report.skip("doctors", d.id, format!("user {} already has a doctor row", d.user_id));
            continue;
        }
        out.push(LegacyDoctor {
            id: DoctorId(d.id),
            user_id: UserId(d.user_id),
            specialty_id: SpecialtyId(d.specialty_id),
            timezone: doctor::entity::doctor::DEFAULT_TIMEZONE.to_owned(),
        });
    }
    out
}
