//! `?page=&per_page=` (max 100) → `{data, page, per_page, total}`.
//!
//! What a client sends ([`PageParams`]) is only turned into an offset
//! through [`PageParams::check`], which bounds how deep a list may be read:
//! `page × per_page` at most [`MAX_DEPTH`]. Deeper asks answer 422 instead
//! of an offset no database can bind (SQLite takes signed 64-bit integers;
//! `?page=9223372036854775807` used to panic) or a scan past millions of
//! rows. A list's [`Page`] can only be built from a checked [`Paging`].

use serde::{Deserialize, Serialize};

use crate::Problem;

pub const MAX_PER_PAGE: u64 = 100;
pub const DEFAULT_PER_PAGE: u64 = 20;
/// The deepest row a list may reach: `page × per_page` at most this.
pub const MAX_DEPTH: u64 = 10_000_000;

/// The raw query parameters, as sent.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct PageParams {
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    /// Items per page, at most 100.
    pub per_page: Option<u64>,
}

impl PageParams {
    /// The page to read: `page` below 1 reads the first, `per_page` is kept
    /// within 1..=100, and a page deeper than [`MAX_DEPTH`] is a 422.
    pub fn check(self) -> Result<Paging, Problem> {
        let page = self.page.unwrap_or(1).max(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE);
        match page.checked_mul(per_page) {
            Some(depth) if depth <= MAX_DEPTH => Ok(Paging { page, per_page }),
            _ => Err(Problem::invalid_field(
                "page",
                format!("is too far: page × per_page may be at most {MAX_DEPTH}"),
            )),
        }
    }
}

/// A checked page: its offset fits every database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    page: u64,
    per_page: u64,
}

impl Paging {
    pub fn page(&self) -> u64 {
        self.page
    }
    pub fn per_page(&self) -> u64 {
        self.per_page
    }
    /// Rows to skip (at most [`MAX_DEPTH`]).
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn new(data: Vec<T>, paging: Paging, total: u64) -> Self {
        Self { data, page: paging.page(), per_page: paging.per_page(), total }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            data: self.data.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clamps_and_offsets() {
        let p = PageParams { page: Some(0), per_page: Some(1000) }.check().unwrap();
        assert_eq!((p.page(), p.per_page(), p.offset()), (1, 100, 0));
        let p = PageParams { page: Some(3), per_page: None }.check().unwrap();
        assert_eq!(p.offset(), 40);
    }

    #[test]
    fn too_deep_is_a_422_on_page() {
        for page in [u64::MAX, i64::MAX as u64, MAX_DEPTH / 20 + 1] {
            let e = PageParams { page: Some(page), per_page: None }.check().unwrap_err();
            assert_eq!(e.status, 422);
            assert!(e.errors.unwrap().contains_key("page"));
        }
        let last = PageParams { page: Some(MAX_DEPTH / 100), per_page: Some(100) }.check().unwrap();
        assert_eq!(last.offset(), MAX_DEPTH - 100);
    }

    proptest! {
        /// Whatever the numbers, a page is either within bounds (and its
        /// offset fits SQLite's signed integers) or a 422 — never a panic.
        #[test]
        fn check_is_total_and_bounded(page in any::<Option<u64>>(), per_page in any::<Option<u64>>()) {
            match (PageParams { page, per_page }).check() {
                Ok(p) => {
                    prop_assert!((1..=MAX_PER_PAGE).contains(&p.per_page()));
                    prop_assert!(p.page() >= 1);
                    prop_assert!(p.offset() + p.per_page() <= MAX_DEPTH);
                    prop_assert!(i64::try_from(p.offset()).is_ok());
                }
                Err(e) => {
                    prop_assert_eq!(e.status, 422);
                    let depth = u128::from(page.unwrap_or(1).max(1))
                        * u128::from(per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE));
                    prop_assert!(depth > u128::from(MAX_DEPTH));
                }
            }
        }

        /// The query extractor on any text: a checked page or a 422 naming
        /// `page` or `per_page`.
        #[test]
        fn extractor_never_panics(page in ".{0,24}", per_page in ".{0,24}") {
            let raw = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("page", &page)
                .append_pair("per_page", &per_page)
                .finish();
            match crate::extract::parse_query::<PageParams>(&raw).and_then(PageParams::check) {
                Ok(p) => prop_assert!(p.offset() <= MAX_DEPTH),
                Err(e) => {
                    prop_assert_eq!(e.status, 422);
                    let errors = e.errors.unwrap_or_default();
                    prop_assert!(errors.contains_key("page") || errors.contains_key("per_page"), "{:?}", errors);
                }
            }
        }
    }
}
