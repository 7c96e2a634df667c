//! What an uploaded profile picture really is, judged by decoding it — not
//! by its magic bytes alone, which a PNG/HTML polyglot or a decompression
//! bomb carries just as well as a photo does.
//!
//! An upload is accepted only if it decodes as the type it claims within
//! pixel and memory limits (a 50,000 × 50,000 PNG of a few kilobytes is
//! refused from its header, before anything is allocated) and carries no
//! markup a browser could be talked into rendering. What is stored is not
//! the upload but a re-encoding of its pixels, at most [`STORED_SIDE`]
//! wide: no metadata (EXIF locations), no extra chunks, no trailing bytes.

use std::io::Cursor;

use image::{DynamicImage, ImageError, ImageFormat, ImageReader, Limits};

/// Largest width or height decoded.
pub const MAX_SIDE: u32 = 4096;
/// Most memory one decode may allocate (a 4096² RGBA image is 64 MiB).
const MAX_ALLOC: u64 = 80 * 1024 * 1024;
/// Stored copies are scaled down to fit this square.
pub const STORED_SIDE: u32 = 512;

/// The accepted picture types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Png,
    Jpeg,
    Webp,
}

impl Kind {
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Webp => "webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Self> {
        [Kind::Png, Kind::Jpeg, Kind::Webp].into_iter().find(|k| k.extension() == ext)
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Png => ImageFormat::Png,
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Webp => ImageFormat::WebP,
        }
    }
}

/// Why an upload was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("the body is not a PNG, JPEG or WebP image")]
    NotAnImage,
    #[error("the image carries markup")]
    Markup,
    #[error("the image is larger than 4096 × 4096 pixels")]
    TooManyPixels,
}

/// The type by magic bytes: a first cut, and what the decoder is told.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Kind::Webp)
    } else {
        None
    }
}

/// Tags that make a file renderable as HTML or SVG by a browser that
/// sniffs. Real photos do not contain them; polyglots must.
const MARKUP: &[&[u8]] =
    &[b"<html", b"<!doctype", b"<script", b"<body", b"<svg", b"<iframe", b"<object", b"<embed"];

fn has_markup(bytes: &[u8]) -> bool {
    MARKUP.iter().any(|tag| bytes.windows(tag.len()).any(|w| w.eq_ignore_ascii_case(tag)))
}

/// Decodes `bytes` as `kind` within the limits and returns the re-encoded
/// copy to store. CPU-bound: call it off the async workers.
pub fn clean(bytes: &[u8], kind: Kind) -> Result<Vec<u8>, Rejected> {
    if has_markup(bytes) {
        return Err(Rejected::Markup);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        ImageError::Limits(_) => Rejected::TooManyPixels,
        _ => Rejected::NotAnImage,
    })?;
    let fitted = if decoded.width() > STORED_SIDE || decoded.height() > STORED_SIDE {
        decoded.thumbnail(STORED_SIDE, STORED_SIDE)
    } else {
        decoded
    };
    // JPEG has no alpha; the WebP encoder writes 8-bit RGBA (lossless).
    let pixels = match kind {
        Kind::Jpeg => DynamicImage::ImageRgb8(fitted.to_rgb8()),
        Kind::Png | Kind::Webp => DynamicImage::ImageRgba8(fitted.to_rgba8()),
    };
    let mut out = Cursor::new(Vec::new());
    pixels.write_to(&mut out, kind.format()).map_err(|_| Rejected::NotAnImage)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Kind::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(sniff(b"<svg>"), None);
    }

    #[test]
    fn finds_markup_anywhere() {
        assert!(has_markup(b"\x89PNG....tEXt<HTML><ScRiPt>alert(1)</script>"));
        assert!(has_markup(b"<svg"));
        assert!(!has_markup(b"\x89PNG\r\n\x1a\n<x:xmpmeta><rdf:RDF>"));
    }

    #[test]
    fn a_magic_header_alone_is_not_an_image() {
        let fake = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
        assert_eq!(clean(&fake, Kind::Png), Err(Rejected::NotAnImage));
    }
}
