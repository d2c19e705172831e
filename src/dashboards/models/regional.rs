//! One region's figures: its teachers' statuses, the roster they are listed from, its schools
//! and its headline.
//!
//! A teacher's status, over their enrolments in courses that count toward targets, the first
//! that applies:
//! - **completed**: counts under the counting rule (`super::counted`), or has a completed
//!   enrolment;
//! - **in progress**: has an active enrolment with activity in the last 30 days;
//! - **stalled**: has an active enrolment, all of them last active 30 or more days ago;
//! - **not started**: no enrolment, or only withdrawn ones.
//!
//! What moves only with the data — the headline, the schools, and the region's teachers in
//! list order with who completed and who has an active enrolment (`Roster`) — is cached per
//! `stats_version`. Who was active in the last 30 days is read per request (`StatusBasis`), and
//! every status, count, page, download and reminder classifies teachers through the one
//! `StatusBasis::status`. Every figure is one query per table, never one per teacher or school.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::max;
use diesel::prelude::*;

use super::{counted, current_national_target, region_quota, Headline, Scope};
use crate::dashboards::cache::Cache;
use crate::db::AnyConnection;
use crate::domain::{EnrolmentStatus, Role};
use crate::schema::{courses, enrolments, schools, users};

/// No progress for this many days: stalled.
pub const STALLED_AFTER_DAYS: i64 = 30;

// ---- Teacher status -------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TeacherStatus {
    NotStarted,
    InProgress,
    Stalled,
    Completed,
}

impl TeacherStatus {
    pub const ALL: [TeacherStatus; 4] = [
        TeacherStatus::NotStarted,
        TeacherStatus::InProgress,
        TeacherStatus::Stalled,
        TeacherStatus::Completed,
    ];

    /// The value in URLs (`?status=stalled`).
    pub fn as_str(self) -> &'static str {
        match self {
            TeacherStatus::NotStarted => "not-started",
            TeacherStatus::InProgress => "in-progress",
            TeacherStatus::Stalled => "stalled",
            TeacherStatus::Completed => "completed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// The translation key of the status's name.
    pub fn label_key(self) -> &'static str {
        match self {
            TeacherStatus::NotStarted => "regional-status-not-started",
            TeacherStatus::InProgress => "regional-status-in-progress",
            TeacherStatus::Stalled => "regional-status-stalled",
            TeacherStatus::Completed => "regional-status-completed",
        }
    }

    /// The first status that applies to a teacher who counts or completed a course that counts
    /// (`completed`), was active in one of them in the last 30 days (`recent`), or has an
    /// active enrolment in one at all (`active`).
    pub fn of(completed: bool, recent: bool, active: bool) -> Self {
        if completed {
            TeacherStatus::Completed
        } else if recent {
            TeacherStatus::InProgress
        } else if active {
            TeacherStatus::Stalled
        } else {
            TeacherStatus::NotStarted
        }
    }
}

/// The region's teachers in list order, and what their statuses depend on that moves only
/// with the data: cached with the region's figures (renaming a teacher bumps `stats_version`
/// too, so the order is never stale).
pub struct Roster {
    /// Every teacher of the region, by name then id.
    ordered: Vec<Listed>,
    /// Those who count under the counting rule, or completed a course that counts.
    completed: HashSet<i32>,
    /// Those with an active enrolment in a course that counts.
    active: HashSet<i32>,
}

/// A teacher of the roster: the id, and what the search looks in (in lower case).
struct Listed {
    id: i32,
    name: Box<str>,
    email: Box<str>,
}

impl Listed {
    fn matches(&self, search: &str) -> bool {
        self.name.contains(search) || self.email.contains(search)
    }
}

/// What the teachers' statuses depend on, fixed for one request: the region's cached figures,
/// and who was active in the last 30 days — read afresh, as progress through a course does not
/// bump `stats_version` (it would empty the caches at every lesson).
#[derive(Clone)]
pub struct StatusBasis {
    pub figures: Arc<RegionFigures>,
    recent: Arc<HashSet<i32>>,
}

impl StatusBasis {
    pub fn status(&self, user_id: i32) -> TeacherStatus {
        let roster = &self.figures.roster;
        TeacherStatus::of(
            roster.completed.contains(&user_id),
            self.recent.contains(&user_id),
            roster.active.contains(&user_id),
        )
    }
}

/// `enrolments` of teachers of the region in courses that count.
macro_rules! region_enrolments {
    ($region_id:expr) => {
        enrolments::table
            .inner_join(courses::table)
            .inner_join(users::table)
            .filter(courses::counts_toward_target.eq(true))
            .filter(users::region_id.eq($region_id))
    };
}

/// Those of the teachers with an active enrolment in a course that counts (`active`: the
/// region's) who were active in it after `stalled_before`. The country's recent activity is an
/// index range; joining the region's teachers instead would visit every one of them.
fn recently_active(
    conn: &mut AnyConnection,
    active: &HashSet<i32>,
    stalled_before: NaiveDateTime,
) -> QueryResult<HashSet<i32>> {
    Ok(enrolments::table
        .inner_join(courses::table)
        .filter(courses::counts_toward_target.eq(true))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .filter(enrolments::last_activity_at.gt(stalled_before))
        .select(enrolments::user_id)
        .load::<i32>(conn)?
        .into_iter()
        .filter(|id| active.contains(id))
        .collect())
}

/// What a teacher's status depends on, for the region at `at`.
pub fn basis_of(
    conn: &mut AnyConnection,
    cache: &Cache<RegionFigures>,
    region_id: i32,
    at: NaiveDateTime,
) -> QueryResult<StatusBasis> {
    let figures = region_figures(conn, cache, region_id, at.date())?;
    let recent = recently_active(
        conn,
        &figures.roster.active,
        at - Duration::days(STALLED_AFTER_DAYS),
    )?;
    Ok(StatusBasis {
        figures,
        recent: Arc::new(recent),
    })
}

// ---- The teacher list -----------------------------------------------------------------------

/// Which of a region's teachers to list.
#[derive(Debug, Clone)]
pub struct TeacherFilter {
    pub region_id: i32,
    /// Text the name or email contains, in lower case.
    pub search: Option<String>,
    pub status: Option<TeacherStatus>,
}

/// The teachers a filter lists, and how many of those its search finds have each status.
pub struct Listing {
    /// Per status, in `TeacherStatus::ALL` order; the filter's own status is ignored.
    pub counts: [i64; 4],
    /// The teachers listed (those of the filter's status), in list order.
    pub ids: Vec<i32>,
}

/// The filter's teachers: those of the region's roster the search finds, in list order, each
/// classified by `StatusBasis::status`. The search is in memory, in the same lower case on
/// both databases (Cyrillic too; no wildcards).
pub fn listing(filter: &TeacherFilter, basis: &StatusBasis) -> Listing {
    let mut counts = [0; 4];
    let mut ids = Vec::new();
    let found = basis
        .figures
        .roster
        .ordered
        .iter()
        .filter(|t| filter.search.as_deref().is_none_or(|q| t.matches(q)));
    for teacher in found {
        let status = basis.status(teacher.id);
        counts[status as usize] += 1;
        if filter.status.is_none_or(|wanted| wanted == status) {
            ids.push(teacher.id);
        }
    }
    Listing { counts, ids }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
struct TeacherRecord {
    id: i32,
    full_name: String,
    email: String,
    school_id: Option<i32>,
    category: Option<String>,
}

/// A teacher as the list shows them.
#[derive(Debug, Clone)]
pub struct TeacherRow {
    pub id: i32,
    pub full_name: String,
    pub email: String,
    pub school: Option<String>,
    pub category: Option<String>,
    pub status: TeacherStatus,
    /// The latest activity in a course that counts.
    pub last_activity: Option<NaiveDateTime>,
}

/// These teachers (a page of a listing) in the same order, with their school, status and last
/// activity: one query each for the teachers, their schools and their enrolments.
pub fn teacher_rows(
    conn: &mut AnyConnection,
    ids: &[i32],
    basis: &StatusBasis,
) -> QueryResult<Vec<TeacherRow>> {
    let mut records: HashMap<i32, TeacherRecord> = users::table
        .filter(users::id.eq_any(ids))
        .select(TeacherRecord::as_select())
        .load::<TeacherRecord>(conn)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut school_ids: Vec<i32> = records.values().filter_map(|r| r.school_id).collect();
    school_ids.sort_unstable();
    school_ids.dedup();
    let school_names: HashMap<i32, String> = schools::table
        .filter(schools::id.eq_any(school_ids))
        .select((schools::id, schools::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let last_activity: HashMap<i32, Option<NaiveDateTime>> = enrolments::table
        .inner_join(courses::table)
        .filter(courses::counts_toward_target.eq(true))
        .filter(enrolments::user_id.eq_any(ids))
        .group_by(enrolments::user_id)
        .select((enrolments::user_id, max(enrolments::last_activity_at)))
        .load::<(i32, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .collect();
    // A teacher deleted since the listing was read is left out.
    Ok(ids
        .iter()
        .filter_map(|id| records.remove(id))
        .map(|r| TeacherRow {
            status: basis.status(r.id),
            last_activity: last_activity.get(&r.id).copied().flatten(),
            school: r.school_id.and_then(|id| school_names.get(&id).cloned()),
            id: r.id,
            full_name: r.full_name,
            email: r.email,
            category: r.category,
        })
        .collect())
}

// ---- The region's figures -------------------------------------------------------------------

/// A school of the region with its teachers.
#[derive(Debug, Clone)]
pub struct SchoolRow {
    pub id: i32,
    pub name: String,
    pub district: Option<String>,
    pub inclusive: bool,
    /// Teachers of the region registered with the school.
    pub registered: i64,
    /// Those who count under the counting rule.
    pub trained: i64,
}

/// Every school of the region by name (one query), with its registered and trained teachers
/// counted from the region's teachers (`(teacher, school, …)`) and who counts.
fn school_rows(
    conn: &mut AnyConnection,
    region_id: i32,
    teachers: &[(i32, Option<i32>, String, String)],
    counted: &HashSet<i32>,
) -> QueryResult<Vec<SchoolRow>> {
    let list: Vec<(i32, String, Option<String>, bool)> = schools::table
        .filter(schools::region_id.eq(region_id))
        .order((schools::name.asc(), schools::id.asc()))
        .select((
            schools::id,
            schools::name,
            schools::district,
            schools::inclusive_conditions,
        ))
        .load(conn)?;
    let mut registered: HashMap<i32, i64> = HashMap::new();
    let mut trained: HashMap<i32, i64> = HashMap::new();
    for (teacher, school, ..) in teachers {
        if let Some(school) = school {
            *registered.entry(*school).or_default() += 1;
            if counted.contains(teacher) {
                *trained.entry(*school).or_default() += 1;
            }
        }
    }
    Ok(list
        .into_iter()
        .map(|(id, name, district, inclusive)| SchoolRow {
            registered: registered.get(&id).copied().unwrap_or(0),
            trained: trained.get(&id).copied().unwrap_or(0),
            id,
            name,
            district,
            inclusive,
        })
        .collect())
}

/// The region's headline figures: the teachers who count and the quota.
pub struct RegionProgress {
    pub target_name: String,
    pub headline: Headline,
    pub quota_is_target: bool,
}

/// The region's figures that move only with the data (and the day): the headline against the
/// current national target's quota for the region, the schools, and the roster.
pub struct RegionFigures {
    /// None without a national target.
    pub progress: Option<RegionProgress>,
    pub schools: Vec<SchoolRow>,
    pub roster: Roster,
}

pub fn region_figures(
    conn: &mut AnyConnection,
    cache: &Cache<RegionFigures>,
    region_id: i32,
    today: NaiveDate,
) -> QueryResult<Arc<RegionFigures>> {
    // Cached per `stats_version` like the national page's figures (see `crate::dashboards::cache`).
    let key = format!("region {region_id} {today}");
    cache.get_or_compute(conn, &key, |conn| {
        let (progress, counted) = match current_national_target(conn, today)? {
            Some(target) => {
                let scope = Scope {
                    region_id: Some(region_id),
                    ..Scope::of(target.clone())
                };
                let counted = counted(conn, &scope)?;
                let (quota, quota_is_target) = region_quota(conn, &target, region_id)?;
                let progress = RegionProgress {
                    headline: Headline::new(
                        &counted,
                        quota,
                        (target.starts_on, target.deadline),
                        today,
                    ),
                    target_name: target.name,
                    quota_is_target,
                };
                (Some(progress), counted)
            }
            None => (None, Vec::new()),
        };
        let counted: HashSet<i32> = counted.iter().map(|c| c.user_id).collect();
        let teachers: Vec<(i32, Option<i32>, String, String)> = users::table
            .filter(users::role.eq(Role::Teacher.as_str()))
            .filter(users::region_id.eq(region_id))
            .order((users::full_name.asc(), users::id.asc()))
            .select((users::id, users::school_id, users::full_name, users::email))
            .load(conn)?;
        let enrolled: Vec<(i32, String)> = region_enrolments!(region_id)
            .filter(enrolments::status.eq_any([
                EnrolmentStatus::Active.as_str(),
                EnrolmentStatus::Completed.as_str(),
            ]))
            .select((enrolments::user_id, enrolments::status))
            .load(conn)?;
        let mut completed = counted.clone();
        let mut active = HashSet::new();
        for (user_id, status) in enrolled {
            if EnrolmentStatus::parse(&status) == Some(EnrolmentStatus::Completed) {
                completed.insert(user_id);
            } else {
                active.insert(user_id);
            }
        }
        Ok(RegionFigures {
            progress,
            schools: school_rows(conn, region_id, &teachers, &counted)?,
            roster: Roster {
                ordered: teachers
                    .into_iter()
                    .map(|(id, _, name, email)| Listed {
                        id,
                        name: name.to_lowercase().into(),
                        email: email.to_lowercase().into(),
                    })
                    .collect(),
                completed,
                active,
            },
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_teachers_status_is_the_first_that_applies() {
        use TeacherStatus::*;
        // (completed, recent, active)
        assert_eq!(TeacherStatus::of(false, false, false), NotStarted);
        assert_eq!(TeacherStatus::of(false, false, true), Stalled);
        // One course moving is enough to be in progress.
        assert_eq!(TeacherStatus::of(false, true, true), InProgress);
        // A certificate that counts (or a completed course) is completion, whatever else.
        assert_eq!(TeacherStatus::of(true, true, true), Completed);
        assert_eq!(TeacherStatus::of(true, false, true), Completed);
        assert_eq!(TeacherStatus::of(true, false, false), Completed);
    }

    #[test]
    fn statuses_parse_from_their_url_value() {
        for status in TeacherStatus::ALL {
            assert_eq!(TeacherStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(
            TeacherStatus::parse("stalled "),
            Some(TeacherStatus::Stalled)
        );
        assert_eq!(TeacherStatus::parse("Stalled"), None);
        assert_eq!(TeacherStatus::parse(""), None);
    }

    #[test]
    fn every_status_is_named_in_every_language() {
        use crate::i18n::{catalogue_keys, Lang};
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for status in TeacherStatus::ALL {
                assert!(keys.contains(status.label_key()), "{lang} lacks {status:?}");
            }
        }
    }
}
