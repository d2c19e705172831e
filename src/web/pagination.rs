//! Numbered pages for long lists: one page count, one set of links, one template
//! (`templates/partials/pagination.html`).

use crate::i18n::{Arg, Lang};

/// How many pages `total` rows fill at `page_size` a page; at least one, so an empty list
/// still has its (empty) first page.
pub fn page_count(total: i64, page_size: i64) -> i64 {
    ((total + page_size - 1) / page_size.max(1)).max(1)
}

/// The rows to skip for `page` (clamped to the pages there are).
pub fn page_offset(page: i64, total: i64, page_size: i64) -> i64 {
    (page.clamp(1, page_count(total, page_size)) - 1) * page_size
}

pub struct PageLink {
    /// `None` for the gap between distant pages.
    pub number: Option<i64>,
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct Pagination {
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Pagination {
    pub fn is_needed(&self) -> bool {
        self.pages.len() > 1
    }
}

/// Links to the first and last pages and to the two either side of the current one;
/// `query` is the filter part of the URL, ending in `&` when not empty.
pub fn paginate(lang: Lang, path: &str, query: &str, current: i64, total: i64) -> Pagination {
    paginate_with(lang, current, total, |n| format!("{path}?{query}page={n}"))
}

/// Links to the first and last pages and two either side of the current one, each at `href(n)`.
pub fn paginate_with(
    lang: Lang,
    current: i64,
    total: i64,
    href: impl Fn(i64) -> String,
) -> Pagination {
    let mut pages = Vec::new();
    for n in 1..=total {
        if n == 1 || n == total || (n - current).abs() <= 2 {
            pages.push(PageLink {
                number: Some(n),
                href: href(n),
                label: lang.t_args("admin-users-page-n", &[("page", Arg::from(n))]),
                current: n == current,
            });
        } else if pages.last().is_some_and(|p: &PageLink| p.number.is_some()) {
            pages.push(PageLink {
                number: None,
                href: String::new(),
                label: String::new(),
                current: false,
            });
        }
    }
    Pagination {
        previous: (current > 1).then(|| href(current - 1)),
        next: (current < total).then(|| href(current + 1)),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_up_and_never_zero() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_offset(3, 120, 50), 100);
        assert_eq!(page_offset(9, 120, 50), 100);
        assert_eq!(page_offset(0, 120, 50), 0);
    }

    #[test]
    fn pages_link_the_ends_and_the_neighbourhood_with_the_filters() {
        let p = paginate(Lang::En, "/admin/users", "role=admin&", 5, 10);
        let numbers: Vec<Option<i64>> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(10)
            ]
        );
        assert_eq!(
            p.previous.as_deref(),
            Some("/admin/users?role=admin&page=4")
        );
        assert_eq!(p.next.as_deref(), Some("/admin/users?role=admin&page=6"));
        assert!(p.pages.iter().any(|l| l.current && l.number == Some(5)));
        assert_eq!(p.pages[0].href, "/admin/users?role=admin&page=1");
        let single = paginate(Lang::En, "/admin/audit", "", 1, 1);
        assert!(!single.is_needed() && single.previous.is_none() && single.next.is_none());

        // Any URL shape: another parameter and a fragment.
        let p = paginate_with(Lang::En, 5, 9, |n| format!("/r?q=a&teachers={n}#teachers"));
        assert_eq!(p.previous.as_deref(), Some("/r?q=a&teachers=4#teachers"));
        assert_eq!(p.next.as_deref(), Some("/r?q=a&teachers=6#teachers"));
        assert_eq!(p.pages.last().map(|l| l.number), Some(Some(9)));
    }
}
