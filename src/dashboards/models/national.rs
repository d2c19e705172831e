//! The national dashboard's figures: computed once per view and data version (`super::super::cache`).

use std::sync::Arc;

use diesel::prelude::*;

use super::{by_category_and_course, by_region, counted, Counted, GroupRow, RegionRow, Scope};
use crate::courses::models::Course;
use crate::dashboards::cache::Cache;
use crate::db::AnyConnection;
use crate::domain::CourseStatus;
use crate::schema::courses;

/// What the national page computes; cached per view and data version.
pub struct NationalFigures {
    pub counted: Vec<Counted>,
    pub regions: Vec<RegionRow>,
    /// By teaching category, and by course (course id as the key).
    pub groups: (Vec<GroupRow>, Vec<GroupRow>),
    /// Every course but drafts, by title: the course filter and the names of the groups.
    pub courses: Vec<Course>,
}

impl NationalFigures {
    /// The title of the course a group's key names (the key itself for a course gone since).
    pub fn course_title(&self, key: &str) -> String {
        self.courses
            .iter()
            .find(|c| c.id.to_string() == key)
            .map(|c| c.title.clone())
            .unwrap_or_else(|| key.to_owned())
    }
}

/// The figures of `scope`, from the cache when the data has not moved since they were computed.
pub fn national_figures(
    conn: &mut AnyConnection,
    cache: &Cache<NationalFigures>,
    scope: &Scope,
) -> QueryResult<Arc<NationalFigures>> {
    let key = format!(
        "national {} {:?} {:?} {:?}",
        scope.target.id, scope.period, scope.course_id, scope.category
    );
    cache.get_or_compute(conn, &key, |conn| {
        let counted = counted(conn, scope)?;
        Ok(NationalFigures {
            regions: by_region(conn, scope, &counted)?,
            groups: by_category_and_course(conn, scope)?,
            courses: courses::table
                .filter(courses::status.ne(CourseStatus::Draft.as_str()))
                .order(courses::title)
                .select(Course::as_select())
                .load(conn)?,
            counted,
        })
    })
}
