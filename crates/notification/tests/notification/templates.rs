//! Admins rewrite templates, within limits: one that would render forever
//! or too large is refused on `body`.

use kit::{identity::Role, testing::SmtpSink};
use serde_json::{Value, json};

use crate::support::{TestApp, sms::SmsProvider};

kit::per_backend! {
    async fn an_admin_template_must_render_within_the_limits(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let welcome = |body: &str| json!({"locale": "en", "subject": "Welcome", "body": body});
        let endless = "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}";
        for (body, says) in [(endless, "too much work"), ("{{ 'x' * 1000000 }}", "64 KiB")] {
            let v = s.put_template("welcome", &welcome(body)).await;
            assert_eq!(v.status, 422, "{backend:?}");
            let v = v.body;
            assert!(v["errors"]["body"][0].as_str().unwrap().contains(says), "{backend:?}: {v}");
        }
        let fine = s.put_template("welcome", &welcome("Hello {{ name }}, welcome.")).await;
        assert_eq!(fine.status, 200, "{backend:?}");
        s.stop().await;
    }

    async fn a_preview_renders_with_samples_and_names_the_field_that_breaks(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let (api, issuer) = (&s.api, &s.issuer);
        let preview = |role: Option<Role>, key: &str, body: Value| {
            let token = role.map(|role| issuer.token(1, role));
            let path = format!("/api/v1/notification-templates/{key}/preview");
            async move {
                let res = api.post(&path).maybe_bearer(token.as_deref()).json(&body).send().await;
                (res.status.as_u16(), res.body)
            }
        };
        let admin = Some(Role::Admin);
        let ok = json!({"locale": "fr", "subject": "Bonjour {{ name }}", "body": "RDV avec {{ doctor }} le {{ when }}, {{ extra }}",
            "vars": {"extra": "à bientôt"}});
        let (status, body) = preview(admin, "welcome", ok.clone()).await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        assert_eq!(body["subject"], "Bonjour Amina El Amrani");
        assert_eq!(body["text"], "RDV avec Dr Tazi le mardi 3 décembre 2030, 09:00, à bientôt");

        let (status, body) = preview(admin, "welcome", json!({"locale": "fr", "subject": "{{ name", "body": "fine"})).await;
        assert_eq!(status, 422);
        assert!(body["errors"]["subject"][0].as_str().unwrap().contains("does not parse"), "{body}");
        let (status, body) = preview(admin, "welcome", json!({"locale": "fr", "subject": "ok", "body": "{% if %}"})).await;
        assert_eq!(status, 422);
        assert!(body["errors"]["body"][0].is_string(), "{body}");
        assert_eq!(preview(admin, "no_such_template", ok.clone()).await.0, 404);
        assert_eq!(preview(Some(Role::Patient), "welcome", ok.clone()).await.0, 403);
        assert_eq!(preview(None, "welcome", ok).await.0, 401);
        let listed: Value = s.get("/api/v1/notification-templates", 1, Role::Admin).await;
        assert!(listed.as_array().unwrap().iter().all(|t| t["customized"] == false), "a preview stores nothing");
        s.stop().await;
    }
}
