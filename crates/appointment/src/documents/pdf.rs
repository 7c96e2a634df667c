//! Plain, paginated text PDFs (confirmations, reports) written with
//! `pdf-writer`. Helvetica is one of the PDF base-14 fonts every reader
//! ships, so no font file is embedded; text is WinAnsi-encoded, which
//! covers French and the other Latin-1 languages the clinics write in.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const WIDTH: f32 = 595.0; // A4, in points
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const LEADING: f32 = 15.0;
const FONT: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Lines that fit under the title on one page.
pub const LINES_PER_PAGE: usize = 48;

/// A document: a title repeated on every page, then `lines`, paginated,
/// with "page n of m" in each footer. An empty body still makes one page.
pub fn render(title: &str, lines: &[String]) -> Vec<u8> {
    let chunks: Vec<&[String]> =
        if lines.is_empty() { vec![&[]] } else { lines.chunks(LINES_PER_PAGE).collect() };
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ids: Vec<Ref> = (0..chunks.len()).map(|i| Ref::new(first + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("QuickCare"));
    for (face, id) in [(b"Helvetica".as_slice(), font), (b"Helvetica-Bold".as_slice(), bold)] {
        pdf.type1_font(id).base_font(Name(face)).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (i, chunk) in chunks.iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(FONT, font);
        fonts.pair(BOLD, bold);
        fonts.finish();
        resources.finish();
        page.finish();

        let mut c = Content::new();
        c.begin_text();
        c.set_font(BOLD, 16.0);
        c.next_line(MARGIN, HEIGHT - MARGIN);
        c.show(Str(&win_ansi(title)));
        c.set_font(FONT, 10.0);
        c.set_leading(LEADING);
        c.next_line(0.0, -2.0 * LEADING);
        for line in chunk.iter() {
            c.show(Str(&win_ansi(line)));
            c.next_line_using_leading();
        }
        c.end_text();
        c.begin_text();
        c.set_font(FONT, 8.0);
        c.next_line(MARGIN, MARGIN / 2.0);
        c.show(Str(&win_ansi(&format!("Page {} of {}", i + 1, chunks.len()))));
        c.end_text();
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

/// WinAnsi bytes for `s`: Latin-1 characters as themselves (WinAnsi agrees
/// with Latin-1 there), the few common ones WinAnsi places elsewhere
/// mapped, anything else as `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|ch| match ch {
            '€' => 0x80,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => ch as u32 as u8,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginates_and_encodes_latin1() {
        let lines: Vec<String> = (0..LINES_PER_PAGE * 2 + 1).map(|i| format!("ligne {i} – café")).collect();
        let bytes = render("Rapport", &lines);
        assert!(bytes.starts_with(b"%PDF"));
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count(), 3);
        assert_eq!(win_ansi("é€ж"), vec![0xe9, 0x80, b'?']);
        assert!(render("Empty", &[]).starts_with(b"%PDF"));
    }
}
