//! Documents the service hands out: PDF pages of text lines, and the
//! spreadsheet formats of reports.

pub mod confirmation;
pub mod pdf;
pub mod table;
