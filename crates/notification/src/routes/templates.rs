//! Admins read and rewrite the message templates (per key and locale).

use axum::extract::State;
use chrono::Utc;
use kit::extract::Path;
use kit::{
    authz::{Admins, Authorized},
    json::{Json, ValidJson},
};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::template,
    error::{NotificationError, Result},
    state::AppState,
    templates,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Template {
    pub key: String,
    pub locale: String,
    pub subject: String,
    pub body: String,
    /// An admin's version rather than the built-in one.
    pub customized: bool,
}

#[utoipa::path(get, path = "/api/v1/notification-templates", tag = "notifications",
    responses((status = 200, body = [Template]), (status = 403)))]
pub async fn list(State(state): State<AppState>, _: Authorized<Admins>) -> Result<Json<Vec<Template>>> {
    let stored = template::Entity::find().all(&state.ctx.db).await?;
    let mut out = Vec::new();
    for (key, locale, subject, body) in templates::BUILT_IN {
        let own = stored.iter().find(|t| t.key == *key && t.locale == *locale);
        out.push(Template {
            key: (*key).to_owned(),
            locale: (*locale).to_owned(),
            subject: own.map(|t| t.subject.clone()).unwrap_or_else(|| (*subject).to_owned()),
            body: own.map(|t| t.body.clone()).unwrap_or_else(|| (*body).to_owned()),
            customized: own.is_some(),
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct TemplateInput {
    pub locale: String,
    #[validate(custom(function = "kit::validate::required"))]
    pub subject: String,
    #[validate(length(min = 1, max = 10000, message = "is required (at most 10000 characters)"))]
    pub body: String,
}

#[utoipa::path(put, path = "/api/v1/notification-templates/{key}", tag = "notifications", request_body = TemplateInput,
    responses((status = 200, body = Template), (status = 403), (status = 404), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(key): Path<String>,
    ValidJson(req): ValidJson<TemplateInput>,
) -> Result<Json<Template>> {
    if templates::built_in(&key, &req.locale).is_none() {
        return Err(NotificationError::NotFound);
    }
    for (field, source) in [("subject", &req.subject), ("body", &req.body)] {
        templates::check(source).map_err(|e| NotificationError::invalid(field, e))?;
    }
    let row = template::Model {
        key: key.clone(),
        locale: req.locale.clone(),
        subject: req.subject.clone(),
        body: req.body.clone(),
        updated_at: Utc::now(),
    };
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let exists = template::Entity::find_by_id((key.clone(), req.locale.clone())).one(&txn).await?.is_some();
    let active = row.into_active_model().reset_all();
    if exists {
        active.update(&txn).await?;
    } else {
        active.insert(&txn).await?;
    }
    txn.commit().await?;
    Ok(Json(Template { key, locale: req.locale, subject: req.subject, body: req.body, customized: true }))
}
