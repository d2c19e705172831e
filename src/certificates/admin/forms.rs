//! What administrators type or tick on the certificate pages, read into typed values: the
//! register's and the queue's filters, the queue's selection, manual issuance and revocation.
//! Errors are translation keys, or `FormErrors` in the visitor's language.

use std::collections::HashSet;

use actix_web::{web, HttpRequest};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::certificates::models::{Account, Certificate, CourseChoice, RegisterFilter};
use crate::db::{contains_pattern, now};
use crate::domain::{Email, Role};
use crate::i18n::Lang;
use crate::schools::models::RegionChoice;
use crate::web::forms::multi_line;
use crate::web::{encode_query_value, FormErrors};

/// The longest reason for issuing or revoking, in characters.
pub const REASON_MAX_CHARS: usize = 500;
/// Manual issuance: completions earlier than this are surely typing mistakes.
const EARLIEST_COMPLETION: (i32, u32, u32) = (2000, 1, 1);

/// A reason for issuing or revoking: required, at most `REASON_MAX_CHARS`, line breaks kept.
/// The error is a translation key.
pub fn parse_reason(raw: &str) -> Result<String, &'static str> {
    let reason = multi_line(raw)?;
    if reason.is_empty() {
        Err("admin-certificates-error-reason-missing")
    } else if reason.chars().count() > REASON_MAX_CHARS {
        Err("admin-certificates-error-reason-too-long")
    } else {
        Ok(reason)
    }
}

/// The date a completion outside the platform happened (`YYYY-MM-DD`, as a date field sends it):
/// not before 2000, not after `today`.
pub fn parse_completion_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("admin-certificates-error-date-missing");
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| "admin-certificates-error-date-invalid")?;
    let (y, m, d) = EARLIEST_COMPLETION;
    if NaiveDate::from_ymd_opt(y, m, d).is_some_and(|earliest| date < earliest) {
        Err("admin-certificates-error-date-too-early")
    } else if date > today {
        Err("admin-certificates-error-date-future")
    } else {
        Ok(date)
    }
}

/// Today in Kazakhstan (UTC+5 across the country): an administrator there may enter today's
/// date in the first hours of the day, while it is still yesterday in UTC.
pub fn today_in_kazakhstan() -> NaiveDate {
    (now() + Duration::hours(5)).date()
}

/// The ids of the enrolments ticked in the queue; None when one of them is not an id at all.
pub fn parse_ids(values: &[String]) -> Option<Vec<i32>> {
    values
        .iter()
        .map(|v| v.trim().parse::<i32>().ok().filter(|id| *id > 0))
        .collect()
}

/// A page number from the address: 1 unless it is a number above 1.
pub fn page_number(raw: &str) -> i64 {
    raw.trim().parse::<i64>().unwrap_or(1).max(1)
}

/// The course a filter or the form names, if it is one on offer.
pub fn known_course<'c>(raw: &str, courses: &'c [CourseChoice]) -> Option<&'c CourseChoice> {
    let id = raw.trim().parse::<i32>().ok()?;
    courses.iter().find(|c| c.id == id)
}

/// Reads a query string leniently: a mistyped address shows the unfiltered page, not an error.
pub fn lenient_query<T: serde::de::DeserializeOwned + Default>(req: &HttpRequest) -> T {
    web::Query::<T>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default()
}

/// `name=value&` pairs of the filters that are set, for links that keep them.
pub fn filter_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}&", encode_query_value(value)))
        .collect()
}

/// The register's status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Valid,
    Revoked,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 2] = [StatusFilter::Valid, StatusFilter::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Valid => "valid",
            StatusFilter::Revoked => "revoked",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    pub fn label_key(self) -> &'static str {
        match self {
            StatusFilter::Valid => "admin-certificates-status-valid",
            StatusFilter::Revoked => "admin-certificates-status-revoked",
        }
    }

    /// The status a certificate has now.
    pub fn of(certificate: &Certificate) -> Self {
        if certificate.is_revoked() {
            StatusFilter::Revoked
        } else {
            StatusFilter::Valid
        }
    }
}

/// The register's address: `?q=…&status=…&course=…&page=…`.
#[derive(Deserialize, Default, Clone)]
pub struct RegisterQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub page: String,
}

impl RegisterQuery {
    /// The filters as understood, and the form showing back only those (so the address and the
    /// results agree).
    pub fn understood(&self, courses: &[CourseChoice]) -> (RegisterQuery, RegisterFilter) {
        let text = self.q.trim().to_owned();
        let status = StatusFilter::parse(&self.status);
        let course_id = known_course(&self.course, courses).map(|c| c.id);
        let filter = RegisterFilter {
            pattern: (!text.is_empty()).then(|| contains_pattern(&text)),
            revoked: status.map(|s| s == StatusFilter::Revoked),
            course_id,
        };
        let form = RegisterQuery {
            q: text,
            status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            course: course_id.map(|id| id.to_string()).unwrap_or_default(),
            page: String::new(),
        };
        (form, filter)
    }

    /// The filters that are set, as the start of a query string.
    pub fn filters(&self) -> String {
        filter_query(&[
            ("q", &self.q),
            ("status", &self.status),
            ("course", &self.course),
        ])
    }
}

/// The queue's address: its filters and page, and after issuing how many were issued and how
/// many already had one.
#[derive(Deserialize, Default, Clone)]
pub struct QueueQuery {
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub issued: String,
    #[serde(default)]
    pub already: String,
}

/// The queue's filters as understood: (course id, region), unknown values dropped.
pub fn queue_filter(
    course: &str,
    region: &str,
    courses: &[CourseChoice],
    regions: &[RegionChoice],
) -> (Option<i32>, Option<RegionChoice>) {
    let course_id = known_course(course, courses).map(|c| c.id);
    let region = regions
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(region.trim()))
        .map(|r| RegionChoice {
            code: r.code.clone(),
            name: r.name.clone(),
            id: r.id,
        });
    (course_id, region)
}

/// The queue's "issue selected" form.
#[derive(Deserialize, Default)]
pub struct QueueForm {
    /// The ticked enrolments (a repeated field).
    #[serde(default)]
    pub enrolment: Vec<String>,
    /// The filters the list was shown with, to come back to them.
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub page: String,
}

impl QueueForm {
    /// The ticked enrolments, at least one; else the message's translation key.
    pub fn selection(&self) -> Result<Vec<i32>, &'static str> {
        match parse_ids(&self.enrolment) {
            None => Err("admin-certificates-error-selection-invalid"),
            Some(ids) if ids.is_empty() => Err("admin-certificates-error-nothing-selected"),
            Some(ids) => Ok(ids),
        }
    }

    /// The boxes to show ticked again when the selection is refused.
    pub fn ticked(&self) -> HashSet<i32> {
        parse_ids(&self.enrolment)
            .unwrap_or_default()
            .into_iter()
            .collect()
    }

    /// The queue with the filters it was shown with, saying what was issued.
    pub fn issued_location(&self, issued: usize, existing: usize) -> String {
        let query = filter_query(&[
            ("course", self.course.trim()),
            ("region", self.region.trim()),
        ]);
        format!("/admin/certificates/queue?{query}issued={issued}&already={existing}")
    }
}

/// Manual issuance as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ManualForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub completed_on: String,
    #[serde(default)]
    pub reason: String,
}

/// Manual issuance understood: whose certificate, of what, completed when, and why.
#[derive(Debug, Clone)]
pub struct ManualIssue {
    pub teacher: Account,
    pub course: CourseChoice,
    pub completed_on: NaiveDate,
    pub reason: String,
}

impl ManualForm {
    /// The teacher's address, parsed (the account is looked up by it before the rest is read).
    pub fn email(&self) -> Result<Email, &'static str> {
        Email::parse(&self.email).map_err(|_| {
            if self.email.trim().is_empty() {
                "admin-certificates-error-email-missing"
            } else {
                "admin-certificates-error-email-invalid"
            }
        })
    }

    /// The whole form, given the account found by its address and the courses on offer.
    pub fn parse(
        &self,
        lang: Lang,
        account: Option<Account>,
        courses: &[CourseChoice],
        today: NaiveDate,
    ) -> Result<ManualIssue, FormErrors> {
        let mut errors = FormErrors::default();
        let teacher = match (self.email(), account) {
            (Err(key), _) => Err(key),
            (Ok(_), None) => Err("admin-certificates-error-email-unknown"),
            (Ok(_), Some(account)) if Role::parse(&account.role).ok() != Some(Role::Teacher) => {
                Err("admin-certificates-error-email-not-teacher")
            }
            (Ok(_), Some(account)) => Ok(account),
        }
        .map_err(|key| errors.add("email", lang.t(key)))
        .ok();
        let course = known_course(&self.course, courses).cloned();
        if course.is_none() {
            errors.add("course", lang.t("admin-certificates-error-course"));
        }
        let completed_on = parse_completion_date(&self.completed_on, today)
            .map_err(|key| errors.add("completed_on", lang.t(key)))
            .ok();
        let reason = parse_reason(&self.reason)
            .map_err(|key| errors.add("reason", lang.t(key)))
            .ok();
        match (teacher, course, completed_on, reason) {
            (Some(teacher), Some(course), Some(completed_on), Some(reason)) => Ok(ManualIssue {
                teacher,
                course,
                completed_on,
                reason,
            }),
            _ => Err(errors),
        }
    }
}

/// The revocation form on a certificate's page.
#[derive(Deserialize, Default)]
pub struct RevokeForm {
    #[serde(default)]
    pub reason: String,
}

/// "Return to the teacher" on a completion's page: the reason the teacher is told, and the
/// modules they must do again (a repeated field).
#[derive(Deserialize, Default)]
pub struct ReturnForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub module: Vec<String>,
}

/// A return understood: the reason, and the modules to redo (ids of the course's modules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnCommand {
    pub reason: String,
    pub module_ids: Vec<i32>,
}

impl ReturnForm {
    /// The return, given the ids of the course's modules; at least one module is to be redone.
    pub fn parse(&self, lang: Lang, course_modules: &[i32]) -> Result<ReturnCommand, FormErrors> {
        let mut errors = FormErrors::default();
        let reason = parse_reason(&self.reason)
            .map_err(|key| errors.add("reason", lang.t(key)))
            .ok();
        let module_ids = match parse_ids(&self.module) {
            Some(ids) if ids.iter().any(|id| !course_modules.contains(id)) => {
                errors.add("module", lang.t("admin-completion-error-module-unknown"));
                None
            }
            Some(ids) if ids.is_empty() => {
                errors.add("module", lang.t("admin-completion-error-module-missing"));
                None
            }
            Some(ids) => Some(ids),
            None => {
                errors.add("module", lang.t("admin-completion-error-module-unknown"));
                None
            }
        };
        match (reason, module_ids) {
            (Some(reason), Some(module_ids)) => Ok(ReturnCommand { reason, module_ids }),
            _ => Err(errors),
        }
    }

    /// The boxes to show ticked again when the form is refused.
    pub fn ticked(&self) -> HashSet<i32> {
        parse_ids(&self.module)
            .unwrap_or_default()
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::catalogue_keys;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn reasons_are_required_trimmed_and_bounded() {
        assert_eq!(
            parse_reason("  Completed at the regional institute \r\n(order 12) "),
            Ok("Completed at the regional institute \n(order 12)".to_owned())
        );
        assert_eq!(
            parse_reason(" \n\t "),
            Err("admin-certificates-error-reason-missing")
        );
        assert!(parse_reason(&"я".repeat(REASON_MAX_CHARS)).is_ok());
        assert_eq!(
            parse_reason(&"я".repeat(REASON_MAX_CHARS + 1)),
            Err("admin-certificates-error-reason-too-long")
        );
        assert_eq!(
            parse_reason("bell\u{7}"),
            Err(crate::web::forms::CONTROL_CHARACTERS)
        );
    }

    #[test]
    fn completion_dates_are_between_2000_and_today() {
        let today = date(2025, 6, 1);
        assert_eq!(
            parse_completion_date(" 2025-05-31 ", today),
            Ok(date(2025, 5, 31))
        );
        assert_eq!(parse_completion_date("2025-06-01", today), Ok(today));
        assert_eq!(
            parse_completion_date("2000-01-01", today),
            Ok(date(2000, 1, 1))
        );
        assert_eq!(
            parse_completion_date("2025-06-02", today),
            Err("admin-certificates-error-date-future")
        );
        assert_eq!(
            parse_completion_date("1999-12-31", today),
            Err("admin-certificates-error-date-too-early")
        );
        assert_eq!(
            parse_completion_date("", today),
            Err("admin-certificates-error-date-missing")
        );
        for bad in ["31.05.2025", "2025-02-30", "yesterday"] {
            assert_eq!(
                parse_completion_date(bad, today),
                Err("admin-certificates-error-date-invalid"),
                "{bad}"
            );
        }
    }

    #[test]
    fn selections_are_positive_ids() {
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_ids(&values(&["3", " 12 "])), Some(vec![3, 12]));
        assert_eq!(parse_ids(&values(&[])), Some(vec![]));
        assert_eq!(parse_ids(&values(&["3", "x"])), None);
        assert_eq!(parse_ids(&values(&["0"])), None);
        assert_eq!(parse_ids(&values(&["99999999999"])), None);
    }

    #[test]
    fn a_return_needs_a_reason_and_modules_of_the_course() {
        let form = |reason: &str, modules: &[&str]| ReturnForm {
            reason: reason.to_owned(),
            module: modules.iter().map(|m| m.to_string()).collect(),
        };
        assert_eq!(
            form(" Redo the quiz ", &["3", "5"])
                .parse(Lang::En, &[3, 4, 5])
                .ok(),
            Some(ReturnCommand {
                reason: "Redo the quiz".to_owned(),
                module_ids: vec![3, 5]
            })
        );
        let errors = form("", &[]).parse(Lang::En, &[3]).expect_err("refused");
        assert!(errors.get("reason").is_some());
        assert!(errors.get("module").is_some());
        let foreign = form("Why", &["9"])
            .parse(Lang::En, &[3])
            .expect_err("refused");
        assert!(foreign.get("module").is_some());
    }

    #[test]
    fn statuses_round_trip_and_are_translated() {
        for status in StatusFilter::ALL {
            assert_eq!(StatusFilter::parse(status.as_str()), Some(status));
        }
        assert_eq!(StatusFilter::parse("all"), None);
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for status in StatusFilter::ALL {
                assert!(keys.contains(status.label_key()), "{lang} lacks {status:?}");
            }
        }
    }
}
