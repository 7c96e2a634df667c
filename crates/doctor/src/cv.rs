//! What an uploaded CV really is, judged by its bytes — never by the
//! file name or the declared content type, both of which the sender chooses.
//! A DOCX is a ZIP archive, so its archive is opened and measured before it
//! is accepted: a 2 MB zip bomb inflates to gigabytes in whoever opens it
//! (an admin's word processor, an indexer), so an archive with too many
//! entries, too many inflated bytes or an implausible compression ratio is
//! refused — counting bytes really inflated, not the sizes the archive
//! claims.

use std::io::{Cursor, Read};

/// The formats accepted for a CV, with their media types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CvKind {
    Pdf,
    /// Word 97–2003: an OLE2 compound file.
    Doc,
    /// Word 2007+: a ZIP package holding `word/document.xml`.
    Docx,
}

impl CvKind {
    pub fn media_type(self) -> &'static str {
        match self {
            CvKind::Pdf => "application/pdf",
            CvKind::Doc => "application/msword",
            CvKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            CvKind::Pdf => "pdf",
            CvKind::Doc => "doc",
            CvKind::Docx => "docx",
        }
    }

    /// The kind a file name's extension names (any case): only a guess,
    /// for a legacy CV whose file is not at hand to be judged.
    pub fn from_extension(ext: &str) -> Option<Self> {
        [CvKind::Pdf, CvKind::Doc, CvKind::Docx].into_iter().find(|k| k.extension().eq_ignore_ascii_case(ext))
    }
}

/// Most entries a DOCX may hold (real ones have a few dozen).
pub const MAX_ENTRIES: usize = 1000;
/// Most bytes a DOCX may inflate to, all entries together.
pub const MAX_INFLATED: u64 = 32 * 1024 * 1024;
/// Highest inflated : compressed ratio of the whole archive (XML packs
/// about 10:1; deflate bombs reach 1000:1).
pub const MAX_RATIO: u64 = 100;

/// Why an upload is not accepted as a CV.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("the CV must be a PDF, DOC or DOCX file")]
    UnknownType,
    #[error("the DOCX archive is not readable")]
    BrokenArchive,
    #[error("the DOCX archive inflates too much")]
    ArchiveTooLarge,
}

/// The kind of an upload, with DOCX archives inspected. CPU-bound: call it
/// off the async workers.
pub fn check(bytes: &[u8]) -> Result<CvKind, Rejected> {
    let kind = sniff(bytes).ok_or(Rejected::UnknownType)?;
    if kind == CvKind::Docx {
        inspect_archive(bytes)?;
    }
    Ok(kind)
}

/// Opens the ZIP archive, refuses it unless it is a Word document within
/// the limits, inflating every entry under one shared byte budget.
fn inspect_archive(bytes: &[u8]) -> Result<(), Rejected> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Rejected::BrokenArchive)?;
    if archive.len() > MAX_ENTRIES {
        return Err(Rejected::ArchiveTooLarge);
    }
    let budget = MAX_INFLATED.min((bytes.len() as u64).saturating_mul(MAX_RATIO));
    let mut inflated = 0u64;
    let mut document = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|_| Rejected::BrokenArchive)?;
        document |= entry.name().is_ok_and(|n| n == "word/document.xml");
        // The declared size first (cheap), then what really comes out.
        if inflated.saturating_add(entry.size()) > budget {
            return Err(Rejected::ArchiveTooLarge);
        }
        let left = budget - inflated;
        let read = std::io::copy(&mut (&mut entry).take(left + 1), &mut std::io::sink())
            .map_err(|_| Rejected::BrokenArchive)?;
        inflated += read;
        if inflated > budget {
            return Err(Rejected::ArchiveTooLarge);
        }
    }
    if document { Ok(()) } else { Err(Rejected::UnknownType) }
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The kind of `bytes`, or `None` for anything else.
fn sniff(bytes: &[u8]) -> Option<CvKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(CvKind::Pdf)
    } else if bytes.starts_with(OLE2) {
        Some(CvKind::Doc)
    } else if bytes.starts_with(b"PK\x03\x04") && contains(bytes, b"word/document.xml") {
        // ZIP entry names are stored in clear in local and central headers.
        Some(CvKind::Docx)
    } else {
        None
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn docx(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        for (name, data) in entries {
            out.start_file(*name, options).unwrap();
            out.write_all(data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_real_docx_passes() {
        let file = docx(&[
            ("[Content_Types].xml", b"<Types/>".to_vec()),
            ("word/document.xml", b"<w:document><w:body>CV</w:body></w:document>".repeat(50)),
        ]);
        assert_eq!(check(&file), Ok(CvKind::Docx));
    }

    #[test]
    fn zip_bombs_and_impostors_are_refused() {
        let bomb = docx(&[("word/document.xml", vec![0u8; 64 * 1024 * 1024])]);
        assert!(bomb.len() < 2 * 1024 * 1024, "the bomb fits the upload limit: {}", bomb.len());
        assert_eq!(check(&bomb), Err(Rejected::ArchiveTooLarge));
        let ratio = docx(&[("word/document.xml", vec![b'a'; 4 * 1024 * 1024])]);
        assert_eq!(check(&ratio), Err(Rejected::ArchiveTooLarge), "under the total, over the ratio");
        let many: Vec<(String, Vec<u8>)> =
            (0..=MAX_ENTRIES).map(|i| (format!("word/media/{i}.xml"), vec![b'x'])).collect();
        let mut entries: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
        entries.push(("word/document.xml", b"<w:document/>".to_vec()));
        assert_eq!(check(&docx(&entries)), Err(Rejected::ArchiveTooLarge));
        // The name in a comment is not a document entry.
        let named = docx(&[("readme.txt", b"word/document.xml".to_vec())]);
        assert_eq!(check(&named), Err(Rejected::UnknownType));
        assert_eq!(check(b"PK\x03\x04 word/document.xml but no archive"), Err(Rejected::BrokenArchive));
    }

    #[test]
    fn judges_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(CvKind::Pdf));
        assert_eq!(sniff(&[OLE2, b"rest"].concat()), Some(CvKind::Doc));
        assert_eq!(sniff(b"PK\x03\x04....word/document.xml...."), Some(CvKind::Docx));
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml"), None, "a spreadsheet is not a CV");
        assert_eq!(sniff(b"<html>%PDF-"), None);
        assert_eq!(sniff(b""), None);
    }
}
