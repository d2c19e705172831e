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
