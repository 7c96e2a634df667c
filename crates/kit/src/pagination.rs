//! `?page=&per_page=` (max 100) → `{data, page, per_page, total}`.

use serde::{Deserialize, Serialize};

pub const MAX_PER_PAGE: u64 = 100;
pub const DEFAULT_PER_PAGE: u64 = 20;

#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct PageParams {
    /// 1-based page number.
    pub page: Option<u64>,
    /// Items per page, at most 100.
    pub per_page: Option<u64>,
}

impl PageParams {
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }
    pub fn per_page(&self) -> u64 {
        self.per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE)
    }
    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.page() - 1).saturating_mul(self.per_page())
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
    pub fn new(data: Vec<T>, params: PageParams, total: u64) -> Self {
        Self { data, page: params.page(), per_page: params.per_page(), total }
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

    #[test]
    fn clamps_and_offsets() {
        let p = PageParams { page: Some(0), per_page: Some(1000) };
        assert_eq!((p.page(), p.per_page(), p.offset()), (1, 100, 0));
        let p = PageParams { page: Some(3), per_page: None };
        assert_eq!(p.offset(), 40);
    }
}
