//! How a doctor profile is shown: the listing's summary and the detail.

use kit::Result;
use std::collections::HashMap;

use kit::ids::{DoctorId, SpecialtyId, UserId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::{doctor, specialty};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpecialtyRef {
    pub id: SpecialtyId,
    /// Empty when the specialty is not (yet) known to this service.
    pub name: String,
}

/// One row of the public listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoctorSummary {
    pub id: DoctorId,
    pub user_id: UserId,
    pub name: String,
    pub specialty: SpecialtyRef,
    pub degree: String,
    pub city: Option<String>,
    pub avg_rating: f64,
    pub rating_count: i64,
    pub img_url: Option<String>,
}

/// A profile page: the summary plus what only the detail shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoctorDetail {
    #[serde(flatten)]
    pub summary: DoctorSummary,
    pub bio: Option<String>,
    pub languages: Vec<String>,
    /// `active` or `inactive`.
    pub status: doctor::Status,
    /// IANA time zone of the doctor's slots.
    pub timezone: String,
}

fn summary(d: doctor::Model, names: &HashMap<SpecialtyId, String>) -> DoctorSummary {
    DoctorSummary {
        specialty: SpecialtyRef {
            id: d.specialty_id,
            name: names.get(&d.specialty_id).cloned().unwrap_or_default(),
        },
        id: d.id,
        user_id: d.user_id,
        name: d.name,
        degree: d.degree,
        city: d.city,
        avg_rating: d.avg_rating,
        rating_count: d.rating_count,
        img_url: d.img_url,
    }
}

/// Specialty names for a page of doctors, in one query.
async fn specialty_names<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<SpecialtyId>,
) -> Result<HashMap<SpecialtyId, String>> {
    Ok(specialty::Entity::find()
        .filter(specialty::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

pub async fn summaries<C: ConnectionTrait>(conn: &C, rows: Vec<doctor::Model>) -> Result<Vec<DoctorSummary>> {
    let names = specialty_names(conn, rows.iter().map(|d| d.specialty_id).collect()).await?;
    Ok(rows.into_iter().map(|d| summary(d, &names)).collect())
}

pub async fn detail<C: ConnectionTrait>(conn: &C, d: doctor::Model) -> Result<DoctorDetail> {
    let names = specialty_names(conn, vec![d.specialty_id]).await?;
    let languages = d.language_list();
    let (bio, status, timezone) = (d.bio.clone(), d.status, d.timezone.clone());
    Ok(DoctorDetail { summary: summary(d, &names), bio, languages, status, timezone })
}
