//! A new application: the form's fields checked, the CV checked
//! ([`crate::cv`]) and stored, the row and its event written together.

use chrono::Utc;
use kit::{Error, Result, events::catalog, service::ServiceContext};
use sea_orm::{ActiveModelTrait, Set};

use super::{MAX_CV_BYTES, announce};
use crate::{cv, entity::application};

/// The form's fields, checked.
#[derive(Debug)]
pub struct Form {
    pub name: String,
    pub email: String,
    pub details: String,
    pub cv: Vec<u8>,
}

/// The answer to a CV over [`MAX_CV_BYTES`].
pub fn cv_too_large() -> Error {
    kit::Problem::payload_too_large("the CV may be at most 2 MB").into()
}

impl Form {
    /// Trims and checks the fields as sent (any may be missing): a name of
    /// 1 to 255 characters, an email address (lower-cased), details of at
    /// most 10000 characters, and a CV of at most 2 MB.
    pub fn check(
        name: Option<String>,
        email: Option<String>,
        details: Option<String>,
        cv: Option<Vec<u8>>,
    ) -> Result<Self> {
        let name = name.map(|n| n.trim().to_owned()).filter(|n| (1..=255).contains(&n.len()));
        let name = name.ok_or_else(|| Error::invalid("name", kit::validate::required_message(255)))?;
        let email = email.map(|e| e.trim().to_lowercase()).unwrap_or_default();
        if email.len() > 255 || !validator::ValidateEmail::validate_email(&email) {
            return Err(Error::invalid("email", "is not an email address"));
        }
        let details = details.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty() && d.len() <= 10_000);
        let details =
            details.ok_or_else(|| Error::invalid("details", kit::validate::required_message(10_000)))?;
        let cv = cv.filter(|c| !c.is_empty()).ok_or_else(|| Error::invalid("cv", "is required"))?;
        if cv.len() > MAX_CV_BYTES {
            return Err(cv_too_large());
        }
        Ok(Self { name, email, details, cv })
    }
}

/// Checks and stores the CV, then records the application and announces
/// it. A CV stored for an application that could not be recorded is
/// removed again.
pub async fn submit(ctx: &ServiceContext, mut form: Form) -> Result<application::Model> {
    let file = std::mem::take(&mut form.cv);
    let (kind, file) = tokio::task::spawn_blocking(move || cv::check(&file).map(|kind| (kind, file)))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(|rejected| match rejected {
            cv::Rejected::ArchiveTooLarge => kit::Problem::invalid_field("cv", rejected.to_string()),
            cv::Rejected::UnknownType | cv::Rejected::BrokenArchive => {
                kit::Problem::unsupported_media_type(rejected.to_string())
            }
        })?;
    let key = format!("cv/{}.{}", uuid::Uuid::new_v4(), kind.extension());
    ctx.objects.put(&key, file.into()).await.map_err(anyhow::Error::from)?;
    match record(ctx, form, key.clone(), kind.media_type()).await {
        Ok(row) => Ok(row),
        Err(e) => {
            // No row points at the file: remove it rather than leave it orphaned.
            if let Err(gone) = ctx.objects.delete(&key).await {
                tracing::warn!(error = %gone, "could not remove the CV of a failed application");
            }
            Err(e)
        }
    }
}

/// The application row and its event, in one transaction.
async fn record(
    ctx: &ServiceContext,
    form: Form,
    key: String,
    media_type: &str,
) -> Result<application::Model> {
    let now = Utc::now();
    let txn = kit::db::begin_write(&ctx.db).await?;
    let row = application::ActiveModel {
        name: Set(form.name),
        email: Set(form.email),
        details: Set(form.details),
        cv: Set(key),
        cv_content_type: Set(media_type.to_owned()),
        status: Set(application::Status::Pending),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let submitted = catalog::DoctorApplicationSubmitted {
        application_id: row.id,
        name: row.name.clone(),
        email: row.email.clone(),
    };
    announce(&txn, catalog::EventType::DoctorApplicationSubmitted, &row, &submitted).await?;
    txn.commit().await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    fn field_of(e: Error) -> String {
        match e {
            Error::Invalid { field, .. } => field.into_owned(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn fields_are_trimmed_and_the_email_lower_cased() {
        let f =
            Form::check(some(" Dr Who "), some(" WHO@Example.org "), some(" cv "), Some(vec![1])).unwrap();
        assert_eq!(
            (f.name.as_str(), f.email.as_str(), f.details.as_str()),
            ("Dr Who", "who@example.org", "cv")
        );
    }

    #[test]
    fn each_missing_or_bad_field_is_named() {
        let cv = || Some(vec![1u8]);
        assert_eq!(field_of(Form::check(some("  "), some("a@b.org"), some("d"), cv()).unwrap_err()), "name");
        assert_eq!(field_of(Form::check(some("n"), some("nope"), some("d"), cv()).unwrap_err()), "email");
        assert_eq!(field_of(Form::check(some("n"), some("a@b.org"), None, cv()).unwrap_err()), "details");
        assert_eq!(
            field_of(Form::check(some("n"), some("a@b.org"), some("d"), Some(vec![])).unwrap_err()),
            "cv"
        );
        let big = Some(vec![0u8; MAX_CV_BYTES + 1]);
        assert!(matches!(Form::check(some("n"), some("a@b.org"), some("d"), big), Err(Error::Problem(_))));
    }
}
