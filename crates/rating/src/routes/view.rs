//! What a rating looks like to each audience: the public never learns who
//! wrote it, its author also sees its moderation status, admins see all.

use chrono::{DateTime, Utc};
use kit::ids::{DoctorId, PatientId, RatingId};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::{rating, report};

/// A published rating as anyone may see it (no patient id).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicRating {
    pub id: RatingId,
    pub doctor_id: DoctorId,
    pub rating: i32,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<rating::Model> for PublicRating {
    fn from(r: rating::Model) -> Self {
        Self {
            id: r.id,
            doctor_id: r.doctor_id,
            rating: r.rating,
            comment: r.comment,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A rating as its author sees it: whatever its status.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnRating {
    pub id: RatingId,
    pub doctor_id: DoctorId,
    pub rating: i32,
    pub comment: Option<String>,
    /// `published`, `held` (waiting for moderation) or `rejected`.
    pub status: rating::Status,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<rating::Model> for OwnRating {
    fn from(r: rating::Model) -> Self {
        Self {
            id: r.id,
            doctor_id: r.doctor_id,
            rating: r.rating,
            comment: r.comment,
            status: r.status,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// One report, as moderators see it (not who sent it).
#[derive(Debug, Serialize, ToSchema)]
pub struct Report {
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl From<report::Model> for Report {
    fn from(r: report::Model) -> Self {
        Self { reason: r.reason, created_at: r.created_at }
    }
}

/// A rating with everything moderation needs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModeratedRating {
    pub id: RatingId,
    pub patient_id: PatientId,
    pub doctor_id: DoctorId,
    pub rating: i32,
    pub comment: Option<String>,
    pub status: rating::Status,
    pub hold_reason: Option<String>,
    /// Reports since the last moderation decision.
    pub report_count: i32,
    pub moderated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every report on it, oldest first.
    pub reports: Vec<Report>,
}

impl ModeratedRating {
    pub fn new(r: rating::Model, reports: Vec<report::Model>) -> Self {
        Self {
            id: r.id,
            patient_id: r.patient_id,
            doctor_id: r.doctor_id,
            rating: r.rating,
            comment: r.comment,
            status: r.status,
            hold_reason: r.hold_reason,
            report_count: r.report_count,
            moderated_at: r.moderated_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            reports: reports.into_iter().map(Report::from).collect(),
        }
    }
}
