//! Applications to practise: the form, CV checks, review, the registration token.

use axum::{Router, body::Body, http::Request};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::*;

/// Submits an application through the public form (multipart).
async fn submit(app: &Router, name: &str, email: &str, file: &str, cv: &[u8]) -> (StatusCode, Value) {
    let boundary = "xQuickCareBoundary";
    let mut body = Vec::new();
    for (field, value) in [("name", name), ("email", email), ("details", "Cardiologist in Rabat")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"{file}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(cv);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/doctor-applications")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null))
}

/// Submits an application with a PDF CV.
pub(crate) async fn apply(app: &Router, name: &str, email: &str) -> i64 {
    let (status, body) = submit(app, name, email, "cv.pdf", b"%PDF-1.4\n%curriculum").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

/// A ZIP archive of `entries`, deflated, as Word writes a DOCX.
fn docx(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, data) in entries {
        out.start_file(*name, options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

kit::per_backend! {
    async fn cv_archives_are_inspected_and_files_served_as_attachments(backend: Backend) {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let body = b"<w:document><w:body><w:p>Dr Applicant, cardiology</w:p></w:body></w:document>";
        let real = docx(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", body)]);
        let (status, created) = submit(&s.app, "Dr Docx", "docx@example.com", "cv.docx", &real).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");

        // 64 MiB of zeros deflate to about 64 KB (1000:1); a real bomb
        // nests or repeats such entries up to the upload limit.
        let bomb = docx(&[("word/document.xml", &vec![0u8; 64 * 1024 * 1024])]);
        assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
        let (status, problem) = submit(&s.app, "Dr Bomb", "bomb@example.com", "cv.docx", &bomb).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "zip bomb: {problem}");
        assert!(problem["errors"]["cv"].is_array(), "{problem}");
        let (status, _) = submit(
            &s.app,
            "Dr Sheet",
            "sheet@example.com",
            "cv.docx",
            &docx(&[("xl/workbook.xml", b"<x/>")]),
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "a ZIP that is not a Word document");
        let (status, problem) =
            call(&s.app, "POST", "/api/v1/doctor-applications", None, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "not a form: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains("multipart"),
            "a problem+json answer: {problem}"
        );

        let id = created["id"].as_i64().unwrap();
        let req = Request::get(format!("/api/v1/doctor-applications/{id}/cv"))
            .header("authorization", format!("Bearer {admin}"))
            .body(Body::empty())
            .unwrap();
        let res = s.app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        assert_eq!(
            h["content-type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment;"), "{h:?}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["cache-control"], "no-store");
        assert_eq!(res.into_body().collect().await.unwrap().to_bytes().as_ref(), real.as_slice());
        s.stop().await;
    }
}

kit::per_backend! {
    async fn application_steps_are_events_and_the_sealed_token_redeems(backend: Backend) {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let id = apply(&s.app, "Dr Applicant", "Applicant@Example.com").await;
        let other = apply(&s.app, "Dr Other", "other@example.com").await;
        let (status, _) =
            call(&s.app, "POST", &format!("/api/v1/doctor-applications/{id}/approve"), Some(&admin), None)
                .await;
        assert_eq!(status, StatusCode::OK);
        let reason = json!({"reason": "  Licence number missing "});
        let path = format!("/api/v1/doctor-applications/{other}/reject");
        assert_eq!(call(&s.app, "POST", &path, Some(&admin), Some(reason)).await.0, StatusCode::OK);

        let events: Vec<(String, Value)> =
            outbox(&s.ctx).await.into_iter().filter(|(k, _)| k.contains("application")).collect();
        let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            kinds,
            [
                catalog::EventType::DoctorApplicationSubmitted.as_str(),
                catalog::EventType::DoctorApplicationSubmitted.as_str(),
                catalog::EventType::DoctorApplicationApproved.as_str(),
                catalog::EventType::DoctorApplicationRejected.as_str()
            ],
            "{backend:?}"
        );
        let submitted: catalog::DoctorApplicationSubmitted =
            serde_json::from_value(events[0].1.clone()).unwrap();
        assert_eq!((submitted.application_id.0, submitted.email.as_str()), (id, "applicant@example.com"));
        let approved: catalog::DoctorApplicationApproved =
            serde_json::from_value(events[2].1.clone()).unwrap();
        let ttl = approved.expires_at - chrono::Utc::now();
        assert!(ttl > chrono::Duration::hours(23) && ttl <= chrono::Duration::hours(24), "{ttl}");
        let token = s.ctx.keyring.open_str(&approved.token_sealed).unwrap();
        assert!(!events[2].1.to_string().contains(&token), "the token is not in the event in clear");
        let rejected: catalog::DoctorApplicationRejected =
            serde_json::from_value(events[3].1.clone()).unwrap();
        assert_eq!(rejected.reason, "Licence number missing");

        // The token the event carries is the one that redeems, once, and
        // only auth may redeem it: the call is internal.
        let redeem = json!({"token": token});
        let public = "/api/v1/doctor-applications/redeem";
        // (405: the path is `/{id}`'s now, which only DELETE answers.)
        let at_public = call(&s.app, "POST", public, None, Some(redeem.clone())).await.0;
        assert_eq!(at_public, StatusCode::METHOD_NOT_ALLOWED);
        let (redeem_path, release_path) =
            (kit::internal::registration::REDEEM, kit::internal::registration::RELEASE);
        let as_service =
            |service: &'static str| internal_post(&s.app, &s.ctx, service, redeem_path, redeem.clone());
        assert_eq!(as_service("patient").await.0, StatusCode::NOT_FOUND, "{backend:?}");
        let (status, body) = as_service("auth").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["application_id"], id);
        assert_eq!(as_service("auth").await.0, StatusCode::GONE);

        // Released with the redeemer's claim (only), it redeems again.
        let release = |claim: &Value| json!({"token": token, "claim": claim});
        let wrong = internal_post(&s.app, &s.ctx, "auth", release_path, release(&json!("not-it"))).await;
        assert_eq!(wrong.0, StatusCode::NOT_FOUND);
        let released = internal_post(&s.app, &s.ctx, "auth", release_path, release(&body["claim"])).await;
        assert_eq!(released.0, StatusCode::NO_CONTENT, "{backend:?}");
        assert_eq!(as_service("auth").await.0, StatusCode::OK, "{backend:?}");
        s.stop().await;
    }
}

kit::per_backend! {
    async fn an_approval_racing_a_rejection_never_approves_a_rejected_application(backend: Backend) {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let mut ids = Vec::new();
        for i in 0..10 {
            ids.push(apply(&s.app, &format!("Dr Race {i}"), &format!("race{i}@example.com")).await);
        }
        futures::future::join_all(ids.iter().map(|id| {
            let (app, admin) = (&s.app, &admin);
            async move {
                let approve = format!("/api/v1/doctor-applications/{id}/approve");
                let reject = format!("/api/v1/doctor-applications/{id}/reject");
                let reason = json!({"reason": "race"});
                tokio::join!(
                    call(app, "POST", &approve, Some(admin), None),
                    call(app, "POST", &reject, Some(admin), Some(reason))
                )
            }
        }))
        .await;
        let (_, page) =
            call(&s.app, "GET", "/api/v1/doctor-applications?per_page=100", Some(&admin), None).await;
        let events = outbox(&s.ctx).await;
        for id in ids {
            let status =
                page["data"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap()["status"].clone();
            let decisions: Vec<&str> = events
                .iter()
                .filter(|(k, d)| d["application_id"] == id && !k.contains("submitted"))
                .map(|(k, _)| if k.contains("approved") { "approved" } else { "rejected" })
                .collect();
            // Approve then reject is allowed; reject then approve is not.
            assert!(
                decisions == ["rejected"] || decisions == ["approved", "rejected"],
                "{backend:?}: application {id} decided {decisions:?}"
            );
            assert_eq!(status, "rejected", "{backend:?}: application {id}");
        }
        s.stop().await;
    }
}
