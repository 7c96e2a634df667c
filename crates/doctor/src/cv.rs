//! What an uploaded CV really is, judged by its bytes — never by the
//! file name or the declared content type, both of which the sender chooses.

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
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The kind of `bytes`, or `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<CvKind> {
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
    use super::*;

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
