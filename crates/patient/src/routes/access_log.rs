//! The patient's view of who touched their record. Reading this log is not
//! itself logged: it is not a read of the record.

use axum::extract::State;
use chrono::{DateTime, Utc};
use kit::extract::Query;
use kit::{
    Result,
    authz::{Authorized, Patients},
    json::Json,
    pagination::{Page, PageParams},
};
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{access, entity::access_log, state::AppState};

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessEntry {
    pub at: DateTime<Utc>,
    pub actor_user_id: i64,
    pub actor_role: String,
    pub action: String,
    pub resource: String,
}

#[utoipa::path(get, path = "/api/v1/patients/me/access-log", tag = "patients", params(PageParams),
    responses((status = 403), (status = 200, body = Page<AccessEntry>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    Query(page): Query<PageParams>,
) -> Result<Json<Page<AccessEntry>>> {
    let p = access::own(&state.ctx, &caller).await?;
    let page = page.check()?;
    let query = access_log::Entity::find().filter(access_log::Column::PatientId.eq(p.id));
    let total = query.clone().count(&state.ctx.db).await?;
    let rows = query
        .order_by_desc(access_log::Column::Id)
        .offset(page.offset())
        .limit(page.per_page())
        .all(&state.ctx.db)
        .await?;
    let data = rows
        .into_iter()
        .map(|r| AccessEntry {
            at: r.at,
            actor_user_id: r.actor_user_id.0,
            actor_role: r.actor_role.as_str().to_owned(),
            action: r.action.to_value(),
            resource: r.resource.to_value(),
        })
        .collect();
    Ok(Json(Page::new(data, page, total)))
}
