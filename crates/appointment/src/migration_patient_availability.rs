//! `appointments.patient_availability`: when the patient said they could
//! come (the monolith's `Patient_Disponibility`), kept so the import loses
//! nothing and new bookings may state it too.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum Appointments {
    Table,
    PatientAvailability,
}

pub struct AddPatientAvailability;

impl MigrationName for AddPatientAvailability {
    fn name(&self) -> &str {
        "m20261201_000001_appointment_patient_availability"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddPatientAvailability {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Appointments::Table)
                .add_column(string_len_null(Appointments::PatientAvailability, 255))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Appointments::Table)
                .drop_column(Appointments::PatientAvailability)
                .to_owned(),
        )
        .await
    }
}
