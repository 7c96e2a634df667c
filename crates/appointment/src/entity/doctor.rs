use sea_orm::entity::prelude::*;

/// Read model of the doctor service's profiles (`doctor.changed`): what
/// booking and availability need — the time zone above all.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "doctor_directory")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub doctor_id: i64,
    #[sea_orm(unique)]
    pub user_id: i64,
    pub name: String,
    pub specialty_id: i64,
    pub city: Option<String>,
    pub timezone: String,
    pub status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
