//! The dirty-data report: every legacy row the import leaves out, with
//! its table, id and why, every row it imports with something missing
//! (a warning: a CV or picture file not found or refused), how each
//! legacy table was read (whole, or the rows added or changed since the
//! last run: `delta`), plus the counts of what it wrote. Printed and,
//! with `--report FILE`, written there too (the same text). Skipped rows
//! are every row the checks leave out, on a delta run too; warnings name
//! only rows this run writes.

use std::fmt::{self, Display};

/// One row left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub table: &'static str,
    pub id: i64,
    pub reason: String,
}

/// How one legacy table was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub table: &'static str,
    pub rows: usize,
    /// The mark it was compared with, and how many rows passed it; none
    /// when every row counted.
    pub since: Option<(kit::import::Watermark, usize)>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub dry_run: bool,
    pub reads: Vec<Read>,
    pub skipped: Vec<Skip>,
    /// Rows imported without something (same shape: table, id, why).
    pub warnings: Vec<Skip>,
    /// `(what, count)` lines, in the order they were done.
    pub counts: Vec<(String, usize)>,
}

impl Report {
    pub fn skip(&mut self, table: &'static str, id: i64, reason: impl Into<String>) {
        self.skipped.push(Skip { table, id, reason: reason.into() });
    }

    pub fn read(
        &mut self,
        table: &'static str,
        rows: usize,
        mark: Option<kit::import::Watermark>,
        passed: Option<usize>,
    ) {
        self.reads.push(Read { table, rows, since: mark.zip(passed) });
    }

    pub fn count(&mut self, what: impl Into<String>, n: usize) {
        self.counts.push((what.into(), n));
    }

    /// `<table> written` and `<table> unchanged`.
    pub fn written(&mut self, table: &str, counts: kit::import::Counts) {
        self.count(format!("{table} written"), counts.written);
        self.count(format!("{table} unchanged"), counts.unchanged);
    }

    pub fn warn(&mut self, table: &'static str, id: i64, reason: impl Into<String>) {
        self.warnings.push(Skip { table, id, reason: reason.into() });
    }
}

impl Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = if self.dry_run { " (dry run: nothing written)" } else { "" };
        writeln!(f, "legacy import{mode}")?;
        for r in &self.reads {
            match r.since {
                None => writeln!(f, "  read {}: {} rows (full)", r.table, r.rows)?,
                Some((mark, passed)) => writeln!(
                    f,
                    "  read {}: {} rows, {passed} added or changed since {} (or after id {})",
                    r.table,
                    r.rows,
                    mark.read_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    mark.max_id
                )?,
            }
        }
        for (what, n) in &self.counts {
            writeln!(f, "  {what}: {n}")?;
        }
        writeln!(f, "skipped rows: {}", self.skipped.len())?;
        for s in &self.skipped {
            writeln!(f, "  skipped {} {}: {}", s.table, s.id, s.reason)?;
        }
        writeln!(f, "warnings: {}", self.warnings.len())?;
        for w in &self.warnings {
            writeln!(f, "  warning {} {}: {}", w.table, w.id, w.reason)?;
        }
        Ok(())
    }
}
