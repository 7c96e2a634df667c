//! `applications` → the doctor service's applications. A row the
//! application form would refuse (no name, not an email address) or whose
//! registration token another row already has is reported and left out.
//! A CV that cannot be brought (no `--files`, the file missing or refused
//! by the upload's checks) does not cost the application: it is imported
//! without the file, with a warning.

use std::collections::HashMap;

use doctor::{
    applications::MAX_CV_BYTES,
    entity::application::Status,
    import::{Cv, LegacyApplication},
};
use kit::ids::ApplicationId;
use validator::ValidateEmail;

use super::{
    delta::Rows,
    files::Files,
    report::Report,
    source::{Legacy, doctors::ApplicationRow, instant},
};

/// The applications to import of those `passed` on (`delta`), in legacy
/// id order; every row is checked. Reads and checks the CV files of those
/// it returns (CPU-bound; the importer has the process to itself).
pub fn applications(
    legacy: &Legacy,
    passed: &Rows,
    files: Option<&Files>,
    report: &mut Report,
) -> Vec<LegacyApplication> {
    let mut tokens: HashMap<&str, i64> = HashMap::new();
    let mut out = Vec::new();
    for a in &legacy.doctor_side.applications {
        let email = a.email.trim().to_lowercase();
        if !email.validate_email() {
            report.skip("applications", a.id, format!("invalid email {:?}", a.email));
            continue;
        }
        let name = a.name.trim();
        if name.is_empty() {
            report.skip("applications", a.id, "empty name");
            continue;
        }
        let Some(status) = Status::parse(&a.status.trim().to_lowercase()) else {
            report.skip("applications", a.id, format!("unknown status {:?}", a.status));
            continue;
        };
        // Only an approved application's token registers anyone (a
        // rejection withdraws it).
        let token = a
            .registration_token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty() && status == Status::Approved);
        if let Some(t) = token {
            if let Some(first) = tokens.get(t) {
                report.skip("applications", a.id, format!("registration token of applications {first}"));
                continue;
            }
            tokens.insert(t, a.id);
        }
        if !passed.has(a.id) {
            continue;
        }
        out.push(LegacyApplication {
            id: ApplicationId(a.id),
            name: name.to_owned(),
            email,
            details: a.details.trim().to_owned(),
            status,
            token: token.map(str::to_owned),
            token_expiry: token.and(a.token_expiry),
            cv_name: a.cv.trim().to_owned(),
            cv: cv(a, files, report),
            created_at: instant(a.created_at, a.updated_at),
            updated_at: instant(a.updated_at, a.created_at),
        });
    }
    out
}

/// The application's CV file, checked, or a warning saying why not.
fn cv(a: &ApplicationRow, files: Option<&Files>, report: &mut Report) -> Option<Cv> {
    let Some(files) = files else {
        report.warn("applications", a.id, format!("CV {:?} not imported (no --files)", a.cv));
        return None;
    };
    match files.read(&a.cv, MAX_CV_BYTES + 1).and_then(Cv::check) {
        Ok(cv) => Some(cv),
        Err(why) => {
            report.warn("applications", a.id, format!("CV not imported: {why}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import_legacy::source::doctors::DoctorTables;

    fn application(id: i64, email: &str, status: &str, token: Option<&str>, cv: &str) -> ApplicationRow {
        ApplicationRow {
            id,
            name: format!(" Dr {id} "),
            email: email.into(),
            details: "GP".into(),
            cv: cv.into(),
            status: status.into(),
            registration_token: token.map(str::to_owned),
            token_expiry: Some(chrono::DateTime::UNIX_EPOCH),
            created_at: None,
            updated_at: None,
        }
    }

    #[test]
    fn applications_keep_approved_tokens_and_warn_about_their_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("CV_1.pdf"), b"%PDF-1.4 cv").unwrap();
        std::fs::write(dir.path().join("CV_2.pdf"), b"<html>not a cv").unwrap();
        let legacy = Legacy {
            doctor_side: DoctorTables {
                applications: vec![
                    application(1, "A@Example.com", "approved", Some("tok1"), "CV_1.pdf"),
                    application(2, "b@example.com", "rejected", Some("tok1"), "CV_2.pdf"),
                    application(3, "c@example.com", "approved", Some("tok1"), "CV_1.pdf"),
                    application(4, "nope", "pending", None, "CV_1.pdf"),
                    application(5, "e@example.com", "pending", None, "CV_5.pdf"),
                ],
                ..DoctorTables::default()
            },
            ..Legacy::default()
        };
        let mut report = Report::default();
        let files = Files::new(dir.path());
        let got = applications(&legacy, &Rows::All, Some(&files), &mut report);
        let summary: Vec<_> =
            got.iter().map(|a| (a.id.0, a.email.as_str(), a.token.as_deref(), a.cv.is_some())).collect();
        assert_eq!(
            summary,
            [
                (1, "a@example.com", Some("tok1"), true),
                (2, "b@example.com", None, false),
                (5, "e@example.com", None, false)
            ]
        );
        assert_eq!(got[0].name, "Dr 1");
        assert_eq!(got[1].token_expiry, None);
        let skipped: Vec<(i64, &str)> = report.skipped.iter().map(|s| (s.id, s.reason.as_str())).collect();
        assert_eq!(skipped, [(3, "registration token of applications 1"), (4, "invalid email \"nope\"")]);
        let warned: Vec<(i64, &str)> = report.warnings.iter().map(|w| (w.id, w.reason.as_str())).collect();
        assert_eq!(
            warned,
            [
                (2, "CV not imported: the CV must be a PDF, DOC or DOCX file"),
                (5, "CV not imported: file \"CV_5.pdf\" not found under --files"),
            ]
        );

        let mut report = Report::default();
        assert!(applications(&legacy, &Rows::All, None, &mut report).iter().all(|a| a.cv.is_none()));
        assert_eq!(report.warnings[0].reason, "CV \"CV_1.pdf\" not imported (no --files)");
    }
}
