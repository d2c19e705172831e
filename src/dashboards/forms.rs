//! The dashboards' query strings and the reminder form, read into scopes and filters. Nothing
//! here is refused but a search holding control characters: a shared link may outlive a course
//! or a target, so unknown values fall back to the default view.

use chrono::NaiveDate;
use serde::Deserialize;

use super::models::regional::{TeacherFilter, TeacherStatus};
use super::models::{Scope, Target};
use crate::domain::Category;
use crate::web::encode_query_value;
use crate::web::forms::one_line;

// ---- The national dashboard -----------------------------------------------------------------

#[derive(Deserialize, Default, Debug, Clone)]
pub struct Filters {
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
}

impl Filters {
    /// The query string of these filters (without sorting), for links that keep them.
    pub fn query(&self) -> String {
        [
            ("target", &self.target),
            ("from", &self.from),
            ("to", &self.to),
            ("course", &self.course),
            ("category", &self.category),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The scope these filters describe, among `targets` (`national` by default).
    pub fn scope(&self, targets: &[Target], national: &Target) -> Scope {
        let target = self
            .target
            .parse::<i32>()
            .ok()
            .and_then(|id| targets.iter().find(|t| t.id == id))
            .unwrap_or(national)
            .clone();
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let period = match (date(&self.from), date(&self.to)) {
            (None, None) => None,
            (from, to) => Some((
                from.unwrap_or(target.starts_on),
                to.unwrap_or(target.deadline),
            )),
        };
        Scope {
            course_id: self.course.parse().ok(),
            category: Category::parse(&self.category)
                .ok()
                .map(|c| c.as_str().to_owned()),
            period,
            region_id: None,
            target,
        }
    }
}

// ---- A region's dashboard -------------------------------------------------------------------

#[derive(Deserialize, Default, Debug, Clone)]
pub struct RegionQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub schools_page: String,
    #[serde(default)]
    pub format: String,
    /// After reminders were sent: how many, and how many were skipped.
    #[serde(default)]
    pub sent: String,
    #[serde(default)]
    pub skipped: String,
}

/// The list's filters as understood (the form shows back only these).
#[derive(Debug, Clone, Default)]
pub struct TeacherForm {
    pub q: String,
    pub status: String,
}

impl TeacherForm {
    /// The search as typed (its first 200 characters) and the status if it is one. Only a search
    /// holding control characters is refused (the error is a translation key): the reminders
    /// must not reach more teachers than the list shows.
    pub fn parse(q: &str, status: &str) -> Result<Self, &'static str> {
        Ok(Self {
            q: one_line(q)?.chars().take(200).collect(),
            status: TeacherStatus::parse(status)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        })
    }

    pub fn filter(&self, region_id: i32) -> TeacherFilter {
        TeacherFilter {
            region_id,
            search: (!self.q.is_empty()).then(|| self.q.to_lowercase()),
            status: TeacherStatus::parse(&self.status),
        }
    }

    /// `q=…&status=…&` (only what is set), to start a link's query string.
    pub fn query(&self) -> String {
        let mut query = String::new();
        for (name, value) in [("q", &self.q), ("status", &self.status)] {
            if !value.is_empty() {
                query.push_str(&format!("{name}={}&", encode_query_value(value)));
            }
        }
        query
    }
}

#[derive(Deserialize, Debug, Default)]
pub struct ReminderForm {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
}
