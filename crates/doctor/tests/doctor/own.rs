//! A doctor's own profile and credentials, and what admins do to a profile.

use crate::support::*;

const ME: &str = "/api/v1/doctors/me";
const CREDENTIALS: &str = "/api/v1/doctors/me/credentials";

/// Two registered doctors (901 is Dr. Leïla Fassi in Agadir, 902 Dr.
/// Mehdi Berrada), the demo specialties, and tokens for them, an admin
/// and a patient.
struct Clinic {
    s: TestApp,
    /// Dr. Fassi's profile id.
    id: i64,
    admin: String,
    fassi: String,
    berrada: String,
    patient: String,
}

impl Clinic {
    async fn open(backend: Backend) -> Self {
        let s = start(backend).await;
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let id = s.register(901, "Dr. Leïla Fassi", 1, "Agadir").await["id"].as_i64().unwrap();
        s.register(902, "Dr. Mehdi Berrada", 1, "Oujda").await;
        Self {
            admin: s.issuer.token(1, Role::Admin),
            fassi: s.issuer.token(901, Role::Doctor),
            berrada: s.issuer.token(902, Role::Doctor),
            patient: s.issuer.token(903, Role::Patient),
            id,
            s,
        }
    }

    /// `/api/v1/doctors/{id}` of Dr. Fassi.
    fn profile(&self) -> String {
        format!("/api/v1/doctors/{}", self.id)
    }
}

kit::per_backend! {
    async fn a_bad_own_patch_names_each_bad_field(backend: Backend) {
        let c = Clinic::open(backend).await;
        let bad =
            json!({"timezone": "Mars/Olympus", "languages": [""], "img_url": "javascript:x", "degree": " "});
        let Reply { status, body, .. } = c.s.api.patch(ME).bearer(&c.fassi).json(&bad).send().await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {body}");
        for field in ["timezone", "languages", "img_url", "degree"] {
            assert!(body["errors"][field].is_array(), "{field}: {body}");
        }
        let unknown = json!({"specialty_id": 9999});
        let Reply { status, body, .. } = c.s.api.patch(ME).bearer(&c.fassi).json(&unknown).send().await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["specialty_id"].is_array(), "{body}");
        c.s.stop().await;
    }

    async fn only_a_doctor_has_an_own_profile_and_not_its_status(backend: Backend) {
        let c = Clinic::open(backend).await;
        let api = &c.s.api;
        let status = api.patch(ME).bearer(&c.fassi).json(&json!({"status": "inactive"})).send().await.status;
        assert_eq!(status, StatusCode::FORBIDDEN, "a doctor does not set their own status");
        assert_eq!(
            api.patch(ME).bearer(&c.patient).json(&json!({})).send().await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(api.get(ME).bearer(&c.admin).send().await.status, StatusCode::FORBIDDEN);
        c.s.stop().await;
    }

    async fn a_good_own_patch_changes_the_profile_and_announces_it_once(backend: Backend) {
        let c = Clinic::open(backend).await;
        let api = &c.s.api;
        let before = outbox(&c.s.ctx).await.len();
        // `null` clears, absent keeps.
        let good = json!({
            "degree": "MD, PhD", "specialty_id": 5, "city": null, "bio": "Headaches and sleep.",
            "languages": ["fr", "ar", "FR"], "timezone": "Europe/Paris", "img_url": "https://img.example/l.png"
        });
        let Reply { status, body, .. } = api.patch(ME).bearer(&c.fassi).json(&good).send().await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        assert_eq!(body["specialty"], json!({"id": 5, "name": "Neurology"}));
        assert_eq!(body["city"], Value::Null);
        assert_eq!(body["languages"], json!(["fr", "ar"]));
        assert_eq!(body["timezone"], "Europe/Paris");
        assert_eq!(body["name"], "Dr. Leïla Fassi");
        let events = outbox(&c.s.ctx).await;
        assert_eq!(events.len(), before + 1, "one change, one event");
        let (kind, data) = events.last().unwrap();
        assert_eq!(kind, catalog::EventType::DoctorChanged.as_str());
        assert_eq!(
            (data["doctor_id"].as_i64(), data["timezone"].as_str()),
            (Some(c.id), Some("Europe/Paris"))
        );
        // The same values again change nothing and announce nothing.
        let same = json!({"timezone": "Europe/Paris"});
        assert_eq!(api.patch(ME).bearer(&c.fassi).json(&same).send().await.status, StatusCode::OK);
        assert_eq!(outbox(&c.s.ctx).await.len(), before + 1);
        c.s.stop().await;
    }

    async fn admins_set_a_profiles_status_and_fields(backend: Backend) {
        let c = Clinic::open(backend).await;
        let (api, path) = (&c.s.api, c.profile());
        let other = api.patch(&path).bearer(&c.berrada).json(&json!({"degree": "X"})).send().await;
        assert_eq!(other.status, StatusCode::FORBIDDEN, "another doctor");
        let retired = api.patch(&path).bearer(&c.admin).json(&json!({"status": "retired"})).send().await;
        assert_eq!(retired.status, StatusCode::UNPROCESSABLE_ENTITY);
        let change = json!({"status": "inactive", "city": "Rabat"});
        let Reply { status, body, .. } = api.patch(&path).bearer(&c.admin).json(&change).send().await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        assert_eq!((body["status"].as_str(), body["city"].as_str()), (Some("inactive"), Some("Rabat")));
        assert_eq!(api.get(&path).send().await.status, StatusCode::NOT_FOUND, "inactive is not public");
        let missing = api.patch("/api/v1/doctors/999999").bearer(&c.admin).json(&json!({})).send().await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        c.s.stop().await;
    }

    async fn doctors_keep_their_own_credentials(backend: Backend) {
        let c = Clinic::open(backend).await;
        let api = &c.s.api;
        let licence =
            json!({"kind": "license", "issuer": "CNOM", "number": "RB-1234", "valid_until": "2099-12-31"});
        let Reply { status, body: c1, .. } =
            api.post(CREDENTIALS).bearer(&c.fassi).json(&licence).send().await;
        assert_eq!(status, StatusCode::CREATED, "{backend:?}: {c1}");
        assert_eq!(c1["expired"], false);
        let old = json!({"kind": "board_certification", "issuer": "EBN", "number": "42", "valid_until": "2001-01-01"});
        assert_eq!(api.post(CREDENTIALS).bearer(&c.fassi).json(&old).send().await.body["expired"], true);
        let odd = json!({"kind": "rumour", "issuer": "", "number": "1"});
        let Reply { status, body, .. } = api.post(CREDENTIALS).bearer(&c.fassi).json(&odd).send().await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["kind"].is_array() && body["errors"]["issuer"].is_array(), "{body}");
        assert_eq!(api.get(CREDENTIALS).bearer(&c.patient).send().await.status, StatusCode::FORBIDDEN);

        let mine = api.get(CREDENTIALS).bearer(&c.fassi).send().await.body;
        assert_eq!(mine["total"], 2, "{mine}");
        assert_eq!(api.get(CREDENTIALS).bearer(&c.berrada).send().await.body["total"], 0);
        let c1_path = format!("{CREDENTIALS}/{}", c1["id"]);
        assert_eq!(api.delete(&c1_path).bearer(&c.berrada).send().await.status, StatusCode::NOT_FOUND);
        assert_eq!(api.delete(&c1_path).bearer(&c.fassi).send().await.status, StatusCode::NO_CONTENT);
        assert_eq!(api.delete(&c1_path).bearer(&c.fassi).send().await.status, StatusCode::NOT_FOUND);
        c.s.stop().await;
    }

    async fn an_admin_deletes_a_profile_announced(backend: Backend) {
        let c = Clinic::open(backend).await;
        let (api, path) = (&c.s.api, c.profile());
        assert_eq!(api.delete(&path).bearer(&c.fassi).send().await.status, StatusCode::FORBIDDEN);
        assert_eq!(api.delete(&path).bearer(&c.admin).send().await.status, StatusCode::NO_CONTENT);
        assert_eq!(api.get(ME).bearer(&c.fassi).send().await.status, StatusCode::NOT_FOUND);
        assert_eq!(api.delete(&path).bearer(&c.admin).send().await.status, StatusCode::NOT_FOUND);
        let (kind, data) = outbox(&c.s.ctx).await.pop().unwrap();
        assert_eq!(
            (kind.as_str(), data["doctor_id"].as_i64()),
            (catalog::EventType::DoctorDeleted.as_str(), Some(c.id)),
            "{backend:?}"
        );
        c.s.stop().await;
    }
}
