//! What the administrators' certificate pages show alike: hours, dates, course options and
//! people, in the visitor's language.

use chrono::NaiveDateTime;

use crate::certificates::models::{CourseChoice, PeopleById};
use crate::domain::CourseStatus;
use crate::i18n::{Arg, Lang};

pub fn hours(lang: Lang, hours: i32) -> String {
    lang.t_args(
        "admin-certificates-hours",
        &[("hours", Arg::from(i64::from(hours)))],
    )
}

/// A date for a `<time datetime>` attribute.
pub fn iso_date(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// `(value, label)` options of the course filters and the manual form; archived courses say so.
pub fn course_options(lang: Lang, courses: &[CourseChoice]) -> Vec<(String, String)> {
    courses
        .iter()
        .map(|c| {
            let label = if CourseStatus::parse(&c.status) == Some(CourseStatus::Archived) {
                lang.t_args(
                    "admin-certificates-course-archived",
                    &[("title", Arg::from(c.title.as_str()))],
                )
            } else {
                c.title.clone()
            };
            (c.id.to_string(), label)
        })
        .collect()
}

/// "Name (email)" of one of `people`, or nothing.
pub fn person(lang: Lang, people: &PeopleById, id: Option<i32>) -> String {
    match id.and_then(|id| people.get(&id)) {
        Some((name, email)) => lang.t_args(
            "admin-certificates-person",
            &[
                ("name", Arg::from(name.as_str())),
                ("email", Arg::from(email.as_str())),
            ],
        ),
        None => String::new(),
    }
}

/// "N found" and "page i of n" above a list.
pub fn counted(
    lang: Lang,
    keys: (&str, &str),
    total: i64,
    page: i64,
    pages: i64,
) -> (String, String) {
    (
        lang.t_args(keys.0, &[("count", Arg::from(total))]),
        lang.t_args(
            keys.1,
            &[("page", Arg::from(page)), ("pages", Arg::from(pages))],
        ),
    )
}

/// A moment as the audit log writes it: "3 March 2025, 14:05 UTC".
pub fn when(lang: Lang, at: NaiveDateTime) -> String {
    lang.t_args(
        "admin-audit-when",
        &[
            ("date", Arg::from(lang.date(at.date()))),
            ("time", Arg::from(at.format("%H:%M").to_string())),
        ],
    )
}

/// How long it was from `from` to `to`, in days and hours ("12 days 4 hours", "3 hours", "less
/// than an hour").
pub fn span(lang: Lang, from: NaiveDateTime, to: NaiveDateTime) -> String {
    let hours = (to - from).num_hours().max(0);
    let (days, hours) = (hours / 24, hours % 24);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(lang.t_args("admin-completion-days", &[("count", Arg::from(days))]));
    }
    if hours > 0 {
        parts.push(lang.t_args("admin-completion-hours", &[("count", Arg::from(hours))]));
    }
    if parts.is_empty() {
        lang.t("admin-completion-under-an-hour")
    } else {
        parts.join(" ")
    }
}

/// How long an attempt took, in hours and minutes ("1 hour 5 minutes", "less than a minute").
pub fn took(lang: Lang, from: NaiveDateTime, to: NaiveDateTime) -> String {
    let minutes = (to - from).num_minutes().max(0);
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let mut parts = Vec::new();
    if hours > 0 {
        parts.push(lang.t_args("admin-completion-hours", &[("count", Arg::from(hours))]));
    }
    if minutes > 0 {
        parts.push(lang.t_args("admin-completion-minutes", &[("count", Arg::from(minutes))]));
    }
    if parts.is_empty() {
        lang.t("admin-completion-under-a-minute")
    } else {
        parts.join(" ")
    }
}

/// A file's size as people read it: bytes, kilobytes or megabytes.
pub fn file_size(lang: Lang, bytes: i32) -> String {
    let bytes = i64::from(bytes.max(0));
    if bytes < 1024 {
        lang.t_args("admin-completion-bytes", &[("count", Arg::from(bytes))])
    } else if bytes < 1024 * 1024 {
        let kb = (bytes + 1023) / 1024;
        lang.t_args("admin-completion-kilobytes", &[("count", Arg::from(kb))])
    } else {
        let tenths = (bytes * 10 + 1024 * 1024 - 1) / (1024 * 1024);
        let mb = format!("{}.{}", tenths / 10, tenths % 10);
        lang.t_args("admin-completion-megabytes", &[("count", Arg::from(mb))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("date")
    }

    #[test]
    fn durations_read_as_plain_words() {
        let start = at("2025-03-01 09:00:00");
        assert_eq!(
            span(Lang::En, start, at("2025-03-13 13:30:00")),
            "12 days 4 hours"
        );
        assert_eq!(span(Lang::En, start, at("2025-03-02 09:10:00")), "1 day");
        assert_eq!(span(Lang::En, start, at("2025-03-01 12:00:00")), "3 hours");
        assert_eq!(
            span(Lang::En, start, at("2025-03-01 09:40:00")),
            "less than an hour"
        );
        assert_eq!(
            took(Lang::En, start, at("2025-03-01 10:05:00")),
            "1 hour 5 minutes"
        );
        assert_eq!(
            took(Lang::En, start, at("2025-03-01 09:00:30")),
            "less than a minute"
        );
        assert_eq!(
            took(Lang::Ru, start, at("2025-03-01 09:22:00")),
            "22 минуты"
        );
    }

    #[test]
    fn file_sizes_round_up() {
        assert_eq!(file_size(Lang::En, 900), "900 bytes");
        assert_eq!(file_size(Lang::En, 1025), "2 KB");
        assert_eq!(file_size(Lang::En, 3 * 1024 * 1024 / 2), "1.5 MB");
    }
}
