//! Which ratings a listing shows: a doctor's (or everyone's) published
//! ones for anyone, or a patient's own whatever their status; newest
//! change first.

use kit::{
    Result,
    ids::{DoctorId, PatientId},
    pagination::{Page, Paging},
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use crate::entity::rating;

/// One page of published ratings, of `doctor_id` only when given.
pub async fn published(
    db: &DatabaseConnection,
    doctor_id: Option<DoctorId>,
    paging: Paging,
) -> Result<Page<rating::Model>> {
    page(db, of_doctor(doctor_id).filter(rating::Column::Status.eq(rating::Status::Published)), paging).await
}

/// One page of `patient_id`'s ratings in any status (of `doctor_id` only
/// when given). A patient this service does not know yet (`None`) has
/// rated no one.
pub async fn own(
    db: &DatabaseConnection,
    patient_id: Option<PatientId>,
    doctor_id: Option<DoctorId>,
    paging: Paging,
) -> Result<Page<rating::Model>> {
    let query =
        of_doctor(doctor_id).filter(rating::Column::PatientId.eq(patient_id.unwrap_or(PatientId(-1))));
    page(db, query, paging).await
}

fn of_doctor(doctor_id: Option<DoctorId>) -> Select<rating::Entity> {
    let query = rating::Entity::find();
    match doctor_id {
        Some(id) => query.filter(rating::Column::DoctorId.eq(id)),
        None => query,
    }
}

async fn page(
    db: &DatabaseConnection,
    query: Select<rating::Entity>,
    paging: Paging,
) -> Result<Page<rating::Model>> {
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(rating::Column::UpdatedAt)
        .order_by_desc(rating::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(db)
        .await?;
    Ok(Page::new(rows, paging, total))
}
