//! `auth::import`: a legacy user never takes over an account made on the
//! platform (same email, or same id), a user imported before is no clash
//! of its own re-run, and legacy pictures are judged and stored like
//! uploads.

use auth::import::{Clash, LegacyPicture, LegacyUser, Picture, clashes, import_pictures, import_users};
use axum::http::StatusCode;
use kit::{identity::Role, ids::UserId};

use crate::support::{Session, TestApp};

/// The monolith's bcrypt hash of `password123`.
const LEGACY_HASH: &str = "$2y$10$YQYA.I/eHP3qkZKQF5Ngi.Bwebal2YeRGs1l3vJQAbK9ieHoGSByu";

fn legacy(id: i64, email: &str) -> LegacyUser {
    let at = "2024-01-01T09:00:00Z".parse().unwrap();
    LegacyUser {
        id: UserId(id),
        name: format!("Legacy {id}"),
        email: email.to_owned(),
        password_hash: LEGACY_HASH.to_owned(),
        gender: "female".to_owned(),
        phone: "0600000000".to_owned(),
        role: Role::Patient,
        email_verified_at: None,
        created_at: at,
        updated_at: at,
    }
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(700, 20, image::Rgb([10, 120, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

kit::per_backend! {
    async fn legacy_users_never_take_over_platform_accounts_and_bring_their_pictures(backend: Backend) {
        let app = TestApp::start(backend).await;
        let mine = app.register("mine@example.com").await.body["user"]["id"].as_i64().unwrap();
        let users =
            [legacy(mine, "someone@example.com"), legacy(50, "mine@example.com"), legacy(51, "fresh@example.com")];
        let found = clashes(&app.ctx.db, &users).await.unwrap();
        assert_eq!(found, [(UserId(mine), Clash::Id), (UserId(50), Clash::Email { holder: UserId(mine) })]);

        // Imported once, a user is no clash of its re-run; it logs in with
        // the legacy password.
        assert_eq!(import_users(&app.ctx.db, &users[2..], &Default::default()).await.unwrap().inserted, 1);
        assert!(clashes(&app.ctx.db, &users[2..]).await.unwrap().is_empty());
        let login = app.login("fresh@example.com", "password123").await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        let token = login.access_token();

        // A picture is refused as an upload would be, or stored re-encoded.
        let refused = Picture::check(b"<svg onload=alert(1)>").unwrap_err();
        assert_eq!(refused, "the body is not a PNG, JPEG or WebP image");
        let picture = Picture::check(&png()).unwrap();
        let pictures = [LegacyPicture { user_id: UserId(51), picture }];
        let done = import_pictures(&app.ctx.db, &app.ctx.objects, &pictures).await.unwrap();
        assert_eq!((done.written, done.unchanged), (1, 0));
        let me = app.api.get("/api/v1/auth/me").bearer(&token).send().await;
        let url = me.body["img_url"].as_str().expect("the imported picture").to_owned();
        let avatar = app.api.get(&url).send().await;
        assert_eq!((avatar.status, avatar.header("content-type")), (StatusCode::OK, Some("image/png")));
        let stored = image::load_from_memory(&avatar.bytes).unwrap();
        assert_eq!((stored.width(), stored.height()), (512, 15), "scaled like an upload");

        // A re-run keeps the picture and finds the account unchanged.
        let again = import_pictures(&app.ctx.db, &app.ctx.objects, &pictures).await.unwrap();
        assert_eq!((again.written, again.unchanged), (0, 1));
        let users = import_users(&app.ctx.db, &users[2..], &Default::default()).await.unwrap();
        assert_eq!((users.updated, users.unchanged), (0, 1));
        assert_eq!(app.api.get("/api/v1/auth/me").bearer(&token).send().await.body["img_url"], url.as_str());
        app.cleanup().await;
    }
}
