//! Avatars: decoded within limits, stored re-encoded, hostile files refused.

use axum::http::StatusCode;
use kit::testing::{Backend, Reply};

use crate::support::{Session, TestApp};

/// A real PNG of one colour.
fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(width, height, image::Rgba([10, 120, 200, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A PNG chunk with its CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let body = [kind.as_slice(), data].concat();
    [(data.len() as u32).to_be_bytes().as_slice(), &body, &crc32fast::hash(&body).to_be_bytes()].concat()
}

/// `png` with a `tEXt` chunk right after its header (8 + 25 bytes).
fn with_text(png: &[u8], key: &str, text: &str) -> Vec<u8> {
    let text = chunk(b"tEXt", format!("{key}\0{text}").as_bytes());
    [&png[..33], &text, &png[33..]].concat()
}

/// A few hundred bytes whose header claims 100,000 × 100,000 pixels
/// (40 GB decoded).
fn pixel_bomb() -> Vec<u8> {
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32fast::hash(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    bomb
}

/// A real JPEG with a comment segment (`FF FE`) holding `comment`.
fn jpeg_with_comment(comment: &[u8]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    let jpeg = out.into_inner();
    let len = ((comment.len() + 2) as u16).to_be_bytes();
    [&jpeg[..2], &[0xFF, 0xFE], len.as_slice(), comment, &jpeg[2..]].concat()
}

const HTML: &str = "<html><body><script>alert(document.cookie)</script></body></html>";

/// A registered patient uploading pictures.
struct Uploader {
    app: TestApp,
    token: String,
}

impl Uploader {
    async fn start(backend: Backend) -> Self {
        let app = TestApp::start(backend).await;
        let token = app.register("pic@example.com").await.access_token();
        Self { app, token }
    }

    async fn put(&self, body: Vec<u8>, content_type: &str) -> Reply {
        self.app.api.put("/api/v1/auth/me/avatar").bearer(&self.token).body(content_type, body).send().await
    }
}

kit::per_backend! {
    async fn avatars_are_stored_without_their_metadata(backend: Backend) {
        let up = Uploader::start(backend).await;
        // A photo with a location in its metadata: accepted, stored without it.
        let tagged = with_text(&png(8, 8), "GPS", "34.020882,-6.841650");
        assert!(image::load_from_memory(&tagged).is_ok(), "the test file is a valid PNG");
        let answer = up.put(tagged, "image/png").await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let url = answer.body["img_url"].as_str().unwrap().to_owned();
        let stored = up.app.api.get(&url).send().await;
        assert_eq!(stored.status, StatusCode::OK);
        assert_eq!(stored.header("content-type"), Some("image/png"));
        assert_eq!(stored.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            stored.header("cache-control"),
            Some("public, max-age=86400, immutable"),
            "avatars opt into caching"
        );
        assert!(!String::from_utf8_lossy(&stored.bytes).contains("34.020882"), "metadata survived re-encoding");
        let decoded = image::load_from_memory(&stored.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (8, 8));
        // It lives in the object store, not on some instance's disk.
        let key = format!("avatars/{}", url.rsplit('/').next().unwrap());
        assert_eq!(up.app.ctx.objects.get(&key).await.unwrap().as_ref(), stored.bytes.as_slice());
        up.app.cleanup().await;
    }

    async fn large_avatars_are_scaled_down_and_replaced_ones_removed(backend: Backend) {
        let up = Uploader::start(backend).await;
        let first = up.put(png(8, 8), "image/png").await;
        let url = first.body["img_url"].as_str().unwrap().to_owned();
        let key = format!("avatars/{}", url.rsplit('/').next().unwrap());
        // Large pictures are scaled down to 512 pixels.
        let answer = up.put(png(1200, 600), "image/png").await;
        assert_eq!(answer.status, StatusCode::OK);
        let stored = up.app.api.get(answer.body["img_url"].as_str().unwrap()).send().await;
        let decoded = image::load_from_memory(&stored.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (512, 256));
        assert_eq!(up.app.api.get(&url).send().await.status, StatusCode::NOT_FOUND, "the replaced avatar is removed");
        assert!(up.app.ctx.objects.get(&key).await.is_err());
        up.app.cleanup().await;
    }

    async fn hostile_images_are_refused(backend: Backend) {
        let up = Uploader::start(backend).await;
        let polyglot = with_text(&png(8, 8), "Comment", HTML);
        assert!(image::load_from_memory(&polyglot).is_ok(), "the polyglot decodes as a PNG");
        assert_eq!(up.put(polyglot, "image/png").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "PNG/HTML polyglot");
        let trailing = [png(8, 8), HTML.as_bytes().to_vec()].concat();
        assert_eq!(up.put(trailing, "image/png").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "HTML after IEND");
        let jpeg = jpeg_with_comment(b"<svg onload=alert(1)>");
        assert!(image::load_from_memory(&jpeg).is_ok(), "the JPEG decodes");
        assert_eq!(up.put(jpeg, "image/jpeg").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "JPEG/SVG polyglot");
        assert_eq!(up.put(jpeg_with_comment(b"taken in Fes"), "image/jpeg").await.status, StatusCode::OK);
        let answer = up.put(pixel_bomb(), "image/png").await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "pixel bomb: {}", answer.body);
        let fake = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 32]].concat();
        assert_eq!(up.put(fake, "image/png").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "magic bytes alone");
        up.app.cleanup().await;
    }

    async fn avatars_keep_the_declared_type_and_size_rules(backend: Backend) {
        let up = Uploader::start(backend).await;
        assert_eq!(up.put(png(8, 8), "image/jpeg").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "type mismatch");
        assert_eq!(up.put(b"<svg/>".to_vec(), "image/png").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(up.put(png(8, 8), "text/plain").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let huge = [png(8, 8), vec![0u8; 5 * 1024 * 1024]].concat();
        assert_eq!(up.put(huge, "image/png").await.status, StatusCode::PAYLOAD_TOO_LARGE);
        let traversal = up.app.api.get("/api/v1/auth/avatars/..%2F..%2Fetc%2Fpasswd").send().await;
        assert_eq!(traversal.status, StatusCode::NOT_FOUND);
        up.app.cleanup().await;
    }
}
