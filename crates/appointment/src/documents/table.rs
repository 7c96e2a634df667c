//! A report as a table — a header and rows of cells — and its renderings
//! as CSV, XLSX and PDF. JSON is the rows serialized by the handler.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub struct Table {
    pub title: String,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.header)?;
        for row in &self.rows {
            w.write_record(row)?;
        }
        w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
    }

    pub fn xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Report")?;
        let bold = Format::new().set_bold();
        for (c, name) in self.header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *name, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                // Numbers stay numbers, so sums and filters work in the sheet.
                match cell.parse::<f64>() {
                    Ok(n) if !cell.is_empty() => sheet.write_number(r, c, n)?,
                    _ => sheet.write_string(r, c, cell)?,
                };
            }
        }
        sheet.autofit();
        book.save_to_buffer()
    }

    /// One line per row, cells separated by ` | `.
    pub fn pdf(&self) -> Vec<u8> {
        let mut lines = vec![self.header.join(" | ")];
        lines.extend(self.rows.iter().map(|r| r.join(" | ")));
        super::pdf::render(&self.title, &lines)
    }
}
