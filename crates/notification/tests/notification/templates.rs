//! Admins rewrite templates, within limits: one that would render forever
//! or too large is refused on `body`.

use kit::testing::SmtpSink;
use serde_json::{Value, json};

use crate::support::{TestApp, sms::SmsProvider};

kit::per_backend! {
    async fn an_admin_template_must_render_within_the_limits(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let welcome = |body: &str| json!({"locale": "en", "subject": "Welcome", "body": body});
        let endless = "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}";
        for (body, says) in [(endless, "too much work"), ("{{ 'x' * 1000000 }}", "64 KiB")] {
            let res = s.put_template("welcome", &welcome(body)).await;
            assert_eq!(res.status(), 422, "{backend:?}");
            let v: Value = res.json().await.unwrap();
            assert!(v["errors"]["body"][0].as_str().unwrap().contains(says), "{backend:?}: {v}");
        }
        let fine = s.put_template("welcome", &welcome("Hello {{ name }}, welcome.")).await;
        assert_eq!(fine.status(), 200, "{backend:?}");
        s.stop().await;
    }
}
