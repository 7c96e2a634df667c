//! Admins read and rewrite the message templates (per key and locale).

use axum::extract::State;
use kit::extract::Path;
use kit::{
    authz::{Admins, Authorized},
    json::{Json, ValidJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    state::AppState,
    template_edits::{self, Effective, Preview},
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

impl From<Effective> for Template {
    fn from(t: Effective) -> Self {
        Self { key: t.key, locale: t.locale, subject: t.subject, body: t.body, customized: t.customized }
    }
}

#[utoipa::path(get, path = "/api/v1/notification-templates", tag = "notifications",
    responses((status = 200, body = [Template]), (status = 403)))]
pub async fn list(State(state): State<AppState>, _: Authorized<Admins>) -> kit::Result<Json<Vec<Template>>> {
    let templates = template_edits::effective(&state.ctx.db).await?;
    Ok(Json(templates.into_iter().map(Template::from).collect()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct TemplateInput {
    pub locale: String,
    #[validate(custom(function = "kit::validate::required"))]
    pub subject: String,
    #[validate(custom(function = "kit::validate::required_up_to::<10000>"))]
    pub body: String,
}

#[utoipa::path(put, path = "/api/v1/notification-templates/{key}", tag = "notifications", request_body = TemplateInput,
    responses((status = 200, body = Template), (status = 403), (status = 404), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(key): Path<String>,
    ValidJson(req): ValidJson<TemplateInput>,
) -> kit::Result<Json<Template>> {
    let saved = template_edits::customize(&state.ctx.db, &key, &req.locale, &req.subject, &req.body).await?;
    Ok(Json(saved.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct PreviewInput {
    pub locale: String,
    pub subject: String,
    #[validate(length(max = 10000, message = "is at most 10000 characters"))]
    pub body: String,
    /// Values for the template's variables, over the samples.
    pub vars: Option<serde_json::Map<String, serde_json::Value>>,
}

#[utoipa::path(post, path = "/api/v1/notification-templates/{key}/preview", tag = "notifications",
    request_body = PreviewInput,
    responses((status = 200, body = Preview), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "errors.subject or errors.body: the template does not parse or render")))]
pub async fn preview(
    _: Authorized<Admins>,
    Path(key): Path<String>,
    ValidJson(req): ValidJson<PreviewInput>,
) -> kit::Result<Json<Preview>> {
    Ok(Json(template_edits::preview(&key, &req.locale, &req.subject, &req.body, req.vars)?))
}
