//! Applications to practise: the form, CV checks, review, the registration token.

use kit::testing::FilePart;

use crate::support::*;

/// Submits an application through the public form (multipart).
async fn submit(s: &TestApp, name: &str, email: &str, file_name: &str, cv: &[u8]) -> Reply {
    let fields = [("name", name), ("email", email), ("details", "Cardiologist in Rabat")];
    let cv = FilePart { field: "cv", file_name, mime: "application/octet-stream", bytes: cv };
    s.api.post("/api/v1/doctor-applications").multipart(&fields, &cv).send().await
}

/// Submits an application with a PDF CV.
pub(crate) async fn apply(s: &TestApp, name: &str, email: &str) -> i64 {
    let reply = submit(s, name, email, "cv.pdf", b"%PDF-1.4\n%curriculum").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.id()
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

/// Events about applications in the outbox, oldest first.
async fn application_events(s: &TestApp) -> Vec<(String, Value)> {
    outbox(&s.ctx).await.into_iter().filter(|(k, _)| k.contains("application")).collect()
}

/// Application `id` approved by an admin; the registration token its
/// approval event carries (sealed), opened.
async fn approved_token(s: &TestApp) -> (i64, String) {
    let admin = s.issuer.token(1, Role::Admin);
    let id = apply(s, "Dr Applicant", "applicant@example.com").await;
    let path = format!("/api/v1/doctor-applications/{id}/approve");
    assert_eq!(s.api.post(&path).bearer(&admin).send().await.status, StatusCode::OK);
    let (_, data) = application_events(s).await.pop().unwrap();
    let approved: catalog::DoctorApplicationApproved = serde_json::from_value(data).unwrap();
    (id, s.ctx.keyring.open_str(&approved.token_sealed).unwrap())
}

kit::per_backend! {
    async fn a_docx_cv_is_accepted_and_served_as_an_attachment(backend: Backend) {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let body = b"<w:document><w:body><w:p>Dr Applicant, cardiology</w:p></w:body></w:document>";
        let real = docx(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", body)]);
        let created = submit(&s, "Dr Docx", "docx@example.com", "cv.docx", &real).await;
        assert_eq!(created.status, StatusCode::CREATED, "{backend:?}: {}", created.body);

        let cv = s
            .api
            .get(&format!("/api/v1/doctor-applications/{}/cv", created.id()))
            .bearer(&admin)
            .send()
            .await;
        assert_eq!(cv.status, StatusCode::OK);
        assert_eq!(
            cv.header("content-type"),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        let disposition = cv.header("content-disposition").unwrap_or_default();
        assert!(disposition.starts_with("attachment;"), "{:?}", cv.headers);
        assert_eq!(cv.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(cv.header("cache-control"), Some("no-store"));
        assert_eq!(cv.bytes, real);
        s.stop().await;
    }

    async fn a_zip_bomb_cv_is_refused(backend: Backend) {
        let s = start(backend).await;
        // 64 MiB of zeros deflate to about 64 KB (1000:1); a real bomb
        // nests or repeats such entries up to the upload limit.
        let bomb = docx(&[("word/document.xml", &vec![0u8; 64 * 1024 * 1024])]);
        assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
        let problem = submit(&s, "Dr Bomb", "bomb@example.com", "cv.docx", &bomb).await;
        assert_eq!(problem.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {}", problem.body);
        assert!(problem.body["errors"]["cv"].is_array(), "{}", problem.body);
        s.stop().await;
    }

    async fn a_zip_that_is_not_a_word_document_is_unsupported(backend: Backend) {
        let s = start(backend).await;
        let sheet = docx(&[("xl/workbook.xml", b"<x/>")]);
        let reply = submit(&s, "Dr Sheet", "sheet@example.com", "cv.docx", &sheet).await;
        assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{backend:?}: {}", reply.body);
        s.stop().await;
    }

    async fn an_application_that_is_not_a_form_is_unsupported(backend: Backend) {
        let s = start(backend).await;
        let problem = s.api.post("/api/v1/doctor-applications").json(&json!({})).send().await;
        assert_eq!(problem.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{backend:?}: {}", problem.body);
        let detail = problem.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("multipart"), "a problem+json answer: {}", problem.body);
        s.stop().await;
    }

    async fn application_steps_are_announced_in_order(backend: Backend) {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let id = apply(&s, "Dr Applicant", "Applicant@Example.com").await;
        let other = apply(&s, "Dr Other", "other@example.com").await;
        let approve = format!("/api/v1/doctor-applications/{id}/approve");
        assert_eq!(s.api.post(&approve).bearer(&admin).send().await.status, StatusCode::OK);
        let reject = format!("/api/v1/doctor-applications/{other}/reject");
        let reason = json!({"reason": "  Licence number missing "});
        assert_eq!(s.api.post(&reject).bearer(&admin).json(&reason).send().await.status, StatusCode::OK);

        let events = application_events(&s).await;
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
        s.stop().await;
    }

    async fn the_approval_token_redeems_once_and_only_for_auth(backend: Backend) {
        let s = start(backend).await;
        let (id, token) = approved_token(&s).await;
        let redeem = json!({"token": token});
        // (405: the public path is `/{id}`'s now, which only DELETE answers.)
        let public = s.api.post("/api/v1/doctor-applications/redeem").json(&redeem).send().await;
        assert_eq!(public.status, StatusCode::METHOD_NOT_ALLOWED);
        let path = kit::internal::registration::REDEEM;
        assert_eq!(
            s.internal_post("patient", path, &redeem).await.status,
            StatusCode::NOT_FOUND,
            "{backend:?}"
        );
        let redeemed = s.internal_post("auth", path, &redeem).await;
        assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
        assert_eq!(redeemed.body["application_id"], id);
        assert_eq!(s.internal_post("auth", path, &redeem).await.status, StatusCode::GONE);
        s.stop().await;
    }

    async fn a_token_released_with_the_redeemers_claim_redeems_again(backend: Backend) {
        let s = start(backend).await;
        let (_, token) = approved_token(&s).await;
        let (redeem, release) = (kit::internal::registration::REDEEM, kit::internal::registration::RELEASE);
        let redeemed = s.internal_post("auth", redeem, &json!({"token": token})).await;
        assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
        let claimed = |claim: &Value| json!({"token": token, "claim": claim});
        let wrong = s.internal_post("auth", release, &claimed(&json!("not-it"))).await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND);
        let released = s.internal_post("auth", release, &claimed(&redeemed.body["claim"])).await;
        assert_eq!(released.status, StatusCode::NO_CONTENT, "{backend:?}");
        let again = s.internal_post("auth", redeem, &json!({"token": token})).await;
        assert_eq!(again.status, StatusCode::OK, "{backend:?}");
        s.stop().await;
    }

    async fn an_approval_racing_a_rejection_never_approves_a_rejected_application(backend: Backend) {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let mut ids = Vec::new();
        for i in 0..10 {
            ids.push(apply(&s, &format!("Dr Race {i}"), &format!("race{i}@example.com")).await);
        }
        futures::future::join_all(ids.iter().map(|id| {
            let (api, admin) = (&s.api, &admin);
            async move {
                let approve = format!("/api/v1/doctor-applications/{id}/approve");
                let reject = format!("/api/v1/doctor-applications/{id}/reject");
                let reason = json!({"reason": "race"});
                tokio::join!(
                    api.post(&approve).bearer(admin).send(),
                    api.post(&reject).bearer(admin).json(&reason).send()
                )
            }
        }))
        .await;
        let page = s.api.get("/api/v1/doctor-applications?per_page=100").bearer(&admin).send().await.body;
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
