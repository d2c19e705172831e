//! The users administration's input: the list's filters, the role and coordinator forms.

use serde::Deserialize;

use crate::accounts::models::{UserFilter, UserStatus};
use crate::db::contains_pattern;
use crate::domain::{Category, Role};
use crate::i18n::Lang;
use crate::schools::models::Region;
use crate::web::{encode_query_value, FormErrors};

/// The list's query string, as sent and as shown back in its form.
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    page: String,
}

impl ListQuery {
    /// The filter asked for, and the form showing back only what was understood, so that the
    /// URL and the results agree.
    pub fn parse(&self, regions: &[Region]) -> (UserFilter, ListQuery) {
        let text = self.q.trim().to_owned();
        let role = Role::parse(&self.role).ok();
        let region = regions.iter().find(|r| r.code == self.region.trim());
        let category = Category::parse(&self.category).ok();
        let status = UserStatus::parse(self.status.trim());
        let form = ListQuery {
            q: text.clone(),
            role: role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            region: region.map(|r| r.code.clone()).unwrap_or_default(),
            category: category.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            page: String::new(),
        };
        let filter = UserFilter {
            pattern: (!text.is_empty()).then(|| contains_pattern(&text)),
            role,
            region_id: region.map(|r| r.id),
            category,
            status,
        };
        (filter, form)
    }

    /// The page asked for (the first when it says nothing sensible).
    pub fn page(&self) -> i64 {
        self.page.trim().parse::<i64>().unwrap_or(1).max(1)
    }

    /// The filters as a query string for the page links, ending in `&` when not empty.
    pub fn filters_query(&self) -> String {
        let mut query = String::new();
        for (name, value) in [
            ("q", &self.q),
            ("role", &self.role),
            ("region", &self.region),
            ("category", &self.category),
            ("status", &self.status),
        ] {
            if !value.is_empty() {
                query.push_str(&format!("{name}={}&", encode_query_value(value)));
            }
        }
        query
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub region: String,
    /// The version of the account the page was opened at (`crate::domain::Version`).
    #[serde(default)]
    pub version: String,
}

impl RoleForm {
    /// The role and region to give; teachers and coordinators belong to a region, an
    /// administrator may have none, and an administrator keeps their own role.
    pub fn parse(
        &self,
        lang: Lang,
        regions: &[Region],
        is_self: bool,
    ) -> Result<(Role, Option<i32>), FormErrors> {
        let mut errors = FormErrors::default();
        let role = Role::parse(&self.role)
            .map_err(|e| errors.add("role", lang.t(e.key())))
            .ok();
        if is_self && role.is_some_and(|r| r != Role::Admin) {
            errors.add("role", lang.t("admin-users-error-own-role"));
        }
        let region = regions.iter().find(|r| r.code == self.region.trim());
        match (role, region) {
            (Some(Role::Coordinator), None) => errors.add(
                "role-region",
                lang.t("admin-users-error-coordinator-region"),
            ),
            (Some(Role::Teacher), None) => {
                errors.add("role-region", lang.t("admin-users-error-teacher-region"))
            }
            _ => {}
        }
        match role {
            Some(role) if errors.is_empty() => Ok((role, region.map(|r| r.id))),
            _ => Err(errors),
        }
    }
}

#[derive(Deserialize)]
pub struct CoordinatorForm {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub version: String,
}

impl CoordinatorForm {
    /// The region to coordinate; nobody appoints themselves.
    pub fn parse(&self, lang: Lang, regions: &[Region], is_self: bool) -> Result<i32, FormErrors> {
        let region = regions.iter().find(|r| r.code == self.region.trim());
        match region {
            None => Err(FormErrors::one(
                "coordinator-region",
                lang.t("admin-users-error-coordinator-region"),
            )),
            Some(_) if is_self => Err(FormErrors::one(
                "coordinator-region",
                lang.t("admin-users-error-own-role"),
            )),
            Some(region) => Ok(region.id),
        }
    }
}

/// The courses ticked on a tutor's page (a repeated field).
#[derive(Deserialize, Default)]
pub struct TutoringForm {
    #[serde(default)]
    pub course: Vec<String>,
}

impl TutoringForm {
    /// The ticked courses, each one of `courses` (none ticked: the tutor reviews none).
    pub fn parse(&self, lang: Lang, courses: &[i32]) -> Result<Vec<i32>, FormErrors> {
        let ids: Option<Vec<i32>> = self
            .course
            .iter()
            .map(|v| {
                v.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|id| courses.contains(id))
            })
            .collect();
        ids.ok_or_else(|| FormErrors::one("course", lang.t("admin-users-error-tutoring-course")))
    }

    /// The boxes to show ticked again when the form is refused.
    pub fn ticked(&self) -> Vec<i32> {
        self.course
            .iter()
            .filter_map(|v| v.trim().parse().ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_lowered_and_its_wildcards_escaped() {
        assert_eq!(contains_pattern("Айгерім"), "%айгерім%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }

    #[test]
    fn a_tutor_reviews_known_courses_only() {
        let form = |ids: &[&str]| TutoringForm {
            course: ids.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(
            form(&["3", " 5 "]).parse(Lang::En, &[3, 5]).ok(),
            Some(vec![3, 5])
        );
        assert_eq!(form(&[]).parse(Lang::En, &[3]).ok(), Some(vec![]));
        assert!(form(&["4"]).parse(Lang::En, &[3]).is_err());
        assert!(form(&["x"]).parse(Lang::En, &[3]).is_err());
    }

    #[test]
    fn filters_that_mean_nothing_are_dropped() {
        let query = ListQuery {
            q: "  Ali ".into(),
            role: "root".into(),
            status: "disabled".into(),
            ..ListQuery::default()
        };
        let (filter, form) = query.parse(&[]);
        assert_eq!(filter.role, None);
        assert_eq!(filter.status, Some(UserStatus::Disabled));
        assert_eq!(form.filters_query(), "q=Ali&status=disabled&");
    }
}
