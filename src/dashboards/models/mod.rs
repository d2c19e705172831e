//! Rows and queries of the dashboards: the counting rule (`counted`, written here and nowhere
//! else), targets, the headline, the trend and the per-region and per-group figures. The
//! figures each dashboard caches are in `national` and `regional`; target rows in `target`.

pub mod national;
pub mod regional;
pub mod target;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::cache::Cache;
use crate::db::{AnyConnection, MultiBackend};
use crate::domain::{Category, EnrolmentStatus, Role};
use crate::schema::{certificates, courses, enrolments, schools, targets, users};
use crate::schools::models::{all_regions, Region};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = targets)]
pub struct Target {
    pub id: i32,
    pub name: String,
    pub teachers: i32,
    pub starts_on: NaiveDate,
    pub deadline: NaiveDate,
    pub region_id: Option<i32>,
    /// One more at every change (`crate::domain::Version`).
    pub version: i32,
}

impl Target {
    /// The period as half-open timestamps: [start of the first day, start of the day after the deadline).
    pub fn period(&self) -> (NaiveDateTime, NaiveDateTime) {
        let start = self.starts_on.and_time(NaiveTime::MIN);
        let end = self
            .deadline
            .succ_opt()
            .unwrap_or(self.deadline)
            .and_time(NaiveTime::MIN);
        (start, end)
    }
}

/// The national target being worked toward on `today`: the earliest one whose deadline has not
/// passed, or else the one that ended last.
pub fn current_national_target(
    conn: &mut AnyConnection,
    today: NaiveDate,
) -> QueryResult<Option<Target>> {
    let national = || {
        targets::table
            .filter(targets::region_id.is_null())
            .select(Target::as_select())
    };
    if let Some(target) = national()
        .filter(targets::deadline.ge(today))
        .order((targets::deadline.asc(), targets::id.asc()))
        .first(conn)
        .optional()?
    {
        return Ok(Some(target));
    }
    national()
        .order((targets::deadline.desc(), targets::id.desc()))
        .first(conn)
        .optional()
}

/// What a dashboard counts: a target, and optionally one course, one teaching category, a
/// narrower period inside the target's, or one region.
#[derive(Debug, Clone)]
pub struct Scope {
    pub target: Target,
    pub course_id: Option<i32>,
    pub category: Option<String>,
    /// Inclusive dates; None means the target's own period.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Narrows a national target to one region (a regional target is narrowed already).
    pub region_id: Option<i32>,
}

impl Scope {
    pub fn of(target: Target) -> Self {
        Self {
            target,
            course_id: None,
            category: None,
            period: None,
            region_id: None,
        }
    }

    /// Half-open timestamps: [start of the first day, start of the day after the last).
    fn window(&self) -> (NaiveDateTime, NaiveDateTime) {
        let (start, end) = self.target.period();
        match self.period {
            Some((from, to)) => (
                start.max(from.and_time(NaiveTime::MIN)),
                end.min(to.succ_opt().unwrap_or(to).and_time(NaiveTime::MIN)),
            ),
            None => (start, end),
        }
    }

    fn region(&self) -> Option<i32> {
        self.target.region_id.or(self.region_id)
    }
}

/// A teacher who counts, with their region and the day their first counting certificate was
/// issued (the day they started to count). `counted` returns them in that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub user_id: i32,
    pub region_id: Option<i32>,
    pub counted_from: NaiveDateTime,
}

/// The counting rule (PRODUCT.md), the one place it is written: distinct teachers holding at
/// least one non-revoked certificate of a course that counts toward targets, issued inside the
/// period and, for a regional scope, belonging to a teacher of that region. One row per teacher.
pub fn counted(conn: &mut AnyConnection, scope: &Scope) -> QueryResult<Vec<Counted>> {
    let (start, end) = scope.window();
    let mut query = certificates::table
        .inner_join(courses::table)
        .inner_join(users::table.on(users::id.eq(certificates::user_id)))
        .filter(certificates::revoked_at.is_null())
        .filter(courses::counts_toward_target.eq(true))
        .filter(certificates::issued_at.ge(start))
        .filter(certificates::issued_at.lt(end))
        .into_boxed::<MultiBackend>();
    if let Some(region) = scope.region() {
        query = query.filter(users::region_id.eq(region));
    }
    if let Some(course) = scope.course_id {
        query = query.filter(certificates::course_id.eq(course));
    }
    if let Some(category) = &scope.category {
        query = query.filter(users::category.eq(category.clone()));
    }
    // One row per certificate (teachers rarely hold more than two), reduced to one per teacher
    // here: a boxed query cannot be grouped, and the filters differ from page to page.
    let rows: Vec<(i32, Option<i32>, NaiveDateTime)> = query
        .select((users::id, users::region_id, certificates::issued_at))
        .load(conn)?;
    let mut first: HashMap<i32, Counted> = HashMap::with_capacity(rows.len());
    for (user_id, region_id, issued_at) in rows {
        first
            .entry(user_id)
            .and_modify(|c| c.counted_from = c.counted_from.min(issued_at))
            .or_insert(Counted {
                user_id,
                region_id,
                counted_from: issued_at,
            });
    }
    let mut counted: Vec<Counted> = first.into_values().collect();
    counted.sort_by_key(|c| (c.counted_from, c.user_id));
    Ok(counted)
}

/// How many teachers count toward the target (the number on the home page).
pub fn trained_teachers(conn: &mut AnyConnection, target: &Target) -> QueryResult<i64> {
    Ok(counted(conn, &Scope::of(target.clone()))?.len() as i64)
}

#[derive(Debug, Clone)]
pub struct TargetProgress {
    pub target: Target,
    pub trained: i64,
}

/// `trained_teachers`, cached per `stats_version` (see `super::cache`): the home page asks on
/// every visit, and at national scale the count reads every certificate that counts.
pub fn cached_trained_teachers(
    conn: &mut AnyConnection,
    cache: &Cache<i64>,
    target: &Target,
) -> QueryResult<i64> {
    // A target's changes bump the version too, so its id is enough of a key.
    let key = format!("target {}", target.id);
    let trained = cache.get_or_compute(conn, &key, |conn| trained_teachers(conn, target))?;
    Ok(*trained)
}

pub fn national_progress(
    conn: &mut AnyConnection,
    cache: &Cache<i64>,
    today: NaiveDate,
) -> QueryResult<Option<TargetProgress>> {
    let Some(target) = current_national_target(conn, today)? else {
        return Ok(None);
    };
    let trained = cached_trained_teachers(conn, cache, &target)?;
    Ok(Some(TargetProgress { target, trained }))
}

// ---- The dashboards' figures ----------------------------------------------------------------

/// Average days in a month, for paces given per month.
const DAYS_PER_MONTH: f64 = 30.436875;
/// The pace is measured over this many days before today.
pub const PACE_DAYS: i64 = 90;

/// The headline of a dashboard: where the count stands against the target and its deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub trained: i64,
    pub target: i64,
    pub starts_on: NaiveDate,
    pub deadline: NaiveDate,
    /// The day the target-th teacher started to count, once that happened.
    pub reached_on: Option<NaiveDate>,
    /// Days from today to the deadline (0 once it has passed).
    pub days_left: i64,
    /// Teachers who started to count in the last 90 days, per month.
    pub pace_per_month: f64,
    /// Teachers per month still needed to meet the deadline (None once reached or past).
    pub needed_per_month: Option<f64>,
    /// When the target is met at today's pace (None once reached, or with no pace).
    pub projected_on: Option<NaiveDate>,
}

impl Headline {
    /// `counted` as `counted()` returns it: in the order teachers started to count.
    pub fn new(
        counted: &[Counted],
        target: i64,
        period: (NaiveDate, NaiveDate),
        today: NaiveDate,
    ) -> Self {
        let (starts_on, deadline) = period;
        let trained = counted.len() as i64;
        let reached_on = usize::try_from(target)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| counted.get(i))
            .map(|c| c.counted_from.date());
        let since = today - chrono::Duration::days(PACE_DAYS);
        let recent = counted
            .iter()
            .filter(|c| c.counted_from.date() > since && c.counted_from.date() <= today)
            .count();
        let pace_per_month = recent as f64 / (PACE_DAYS as f64 / DAYS_PER_MONTH);
        let days_left = (deadline - today).num_days().max(0);
        let missing = (target - trained).max(0);
        let needed_per_month = (reached_on.is_none() && days_left > 0)
            .then(|| missing as f64 / (days_left as f64 / DAYS_PER_MONTH));
        let projected_on = match reached_on {
            None if pace_per_month > 0.0 => {
                let days = (missing as f64 / pace_per_month * DAYS_PER_MONTH).ceil() as i64;
                today.checked_add_signed(chrono::Duration::days(days))
            }
            _ => None,
        };
        Self {
            trained,
            target,
            starts_on,
            deadline,
            reached_on,
            days_left,
            pace_per_month,
            needed_per_month,
            projected_on,
        }
    }

    /// Percent of the target, one decimal (e.g. 104.0).
    pub fn percent(&self) -> f64 {
        percent(self.trained, self.target)
    }
}

pub fn percent(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// One month of the trend: teachers counted by its end, and where a straight line from the
/// start to the target at the deadline would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendPoint {
    /// The first day of the month.
    pub month: NaiveDate,
    pub cumulative: i64,
    pub planned: i64,
}

/// Month by month from the start of the period to the deadline, or to today if that is earlier.
pub fn trend(
    counted: &[Counted],
    target: i64,
    period: (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Vec<TrendPoint> {
    let (start, deadline) = period;
    let last = deadline.min(today).max(start);
    let span = (deadline - start).num_days().max(1);
    let mut points = Vec::new();
    let mut month = start.with_day(1).unwrap_or(start);
    let mut seen = 0;
    while month <= last {
        let next = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(deadline);
        let end = next.min(deadline.succ_opt().unwrap_or(deadline));
        while seen < counted.len() && counted[seen].counted_from.date() < end {
            seen += 1;
        }
        let elapsed = (end - start).num_days().clamp(0, span);
        points.push(TrendPoint {
            month,
            cumulative: seen as i64,
            planned: (target as f64 * elapsed as f64 / span as f64).round() as i64,
        });
        month = next;
    }
    points
}

/// One region's row of the national dashboard.
#[derive(Debug, Clone)]
pub struct RegionRow {
    pub region: Region,
    /// Teacher accounts registered in the region.
    pub registered: i64,
    /// Teachers with at least one enrolment (any status).
    pub enrolled: i64,
    /// Teachers with an active enrolment.
    pub in_progress: i64,
    /// Teachers who count (the counting rule).
    pub trained: i64,
    /// The region's quota: its regional target, or a share of the national target in
    /// proportion to its registered teachers.
    pub quota: i64,
    /// Whether the quota is a regional target (else a proportional share).
    pub quota_is_target: bool,
    pub schools: i64,
    pub inclusive_schools: i64,
}

/// Every region with its figures, in one query per figure (never one per region).
pub fn by_region(
    conn: &mut AnyConnection,
    scope: &Scope,
    counted: &[Counted],
) -> QueryResult<Vec<RegionRow>> {
    let regions = all_regions(conn)?;
    let teachers = users::table
        .filter(users::role.eq(Role::Teacher.as_str()))
        .group_by(users::region_id)
        .select((users::region_id, count_star()));
    let registered: HashMap<Option<i32>, i64> = match &scope.category {
        Some(category) => teachers
            .filter(users::category.eq(category.clone()))
            .load::<(Option<i32>, i64)>(conn)?,
        None => teachers.load::<(Option<i32>, i64)>(conn)?,
    }
    .into_iter()
    .collect();
    let (enrolled, in_progress) = enrolment_counts(conn, scope)?;
    let schools: Vec<(i32, bool, i64)> = schools::table
        .group_by((schools::region_id, schools::inclusive_conditions))
        .select((
            schools::region_id,
            schools::inclusive_conditions,
            count_star(),
        ))
        .load(conn)?;
    let regional_targets: Vec<Target> = targets::table
        .filter(targets::region_id.is_not_null())
        .select(Target::as_select())
        .load(conn)?;
    let mut trained: HashMap<Option<i32>, i64> = HashMap::new();
    for c in counted {
        *trained.entry(c.region_id).or_default() += 1;
    }
    let total_registered: i64 = registered.values().sum();
    Ok(regions
        .into_iter()
        .map(|region| {
            let id = Some(region.id);
            let registered_here = registered.get(&id).copied().unwrap_or(0);
            let (quota, quota_is_target) = quota(
                &scope.target,
                &regional_targets,
                region.id,
                registered_here,
                total_registered,
            );
            RegionRow {
                registered: registered_here,
                enrolled: enrolled.get(&id).copied().unwrap_or(0),
                in_progress: in_progress.get(&id).copied().unwrap_or(0),
                trained: trained.get(&id).copied().unwrap_or(0),
                quota,
                quota_is_target,
                schools: schools
                    .iter()
                    .filter(|s| s.0 == region.id)
                    .map(|s| s.2)
                    .sum(),
                inclusive_schools: schools
                    .iter()
                    .filter(|s| s.0 == region.id && s.1)
                    .map(|s| s.2)
                    .sum(),
                region,
            }
        })
        .collect())
}

/// A region's quota toward a national target: the regional target closest to it in time, or
/// else a share of it in proportion to the region's registered teachers. Returns the quota and
/// whether it is a regional target.
fn quota(
    national: &Target,
    regional_targets: &[Target],
    region_id: i32,
    registered_here: i64,
    total_registered: i64,
) -> (i64, bool) {
    let own = regional_targets
        .iter()
        .filter(|t| t.region_id == Some(region_id))
        .min_by_key(|t| ((t.deadline - national.deadline).num_days().abs(), -t.id));
    match own {
        Some(t) => (i64::from(t.teachers), true),
        None if total_registered > 0 => (
            (i64::from(national.teachers) as f64 * registered_here as f64 / total_registered as f64)
                .round() as i64,
            false,
        ),
        None => (0, false),
    }
}

/// One region's quota as `by_region` sets it, without reading the other regions' figures.
pub fn region_quota(
    conn: &mut AnyConnection,
    national: &Target,
    region_id: i32,
) -> QueryResult<(i64, bool)> {
    let regional_targets: Vec<Target> = targets::table
        .filter(targets::region_id.eq(region_id))
        .select(Target::as_select())
        .load(conn)?;
    let teachers = || users::table.filter(users::role.eq(Role::Teacher.as_str()));
    let (registered_here, total_registered) = if regional_targets.is_empty() {
        (
            teachers()
                .filter(users::region_id.eq(region_id))
                .count()
                .get_result(conn)?,
            teachers().count().get_result(conn)?,
        )
    } else {
        (0, 0)
    };
    Ok(quota(
        national,
        &regional_targets,
        region_id,
        registered_here,
        total_registered,
    ))
}

/// Distinct teachers with an enrolment, and with an active one, per region.
#[allow(clippy::type_complexity)]
fn enrolment_counts(
    conn: &mut AnyConnection,
    scope: &Scope,
) -> QueryResult<(HashMap<Option<i32>, i64>, HashMap<Option<i32>, i64>)> {
    let mut query = enrolments::table
        .inner_join(users::table)
        .filter(users::role.eq(Role::Teacher.as_str()))
        .into_boxed::<MultiBackend>();
    if let Some(course) = scope.course_id {
        query = query.filter(enrolments::course_id.eq(course));
    }
    if let Some(category) = &scope.category {
        query = query.filter(users::category.eq(category.clone()));
    }
    let rows: Vec<(i32, Option<i32>, String)> = query
        .select((enrolments::user_id, users::region_id, enrolments::status))
        .load(conn)?;
    let mut any: HashMap<i32, Option<i32>> = HashMap::new();
    let mut active: HashMap<i32, Option<i32>> = HashMap::new();
    for (user, region, status) in rows {
        any.insert(user, region);
        if EnrolmentStatus::parse(&status) == Some(EnrolmentStatus::Active) {
            active.insert(user, region);
        }
    }
    let tally = |m: HashMap<i32, Option<i32>>| {
        m.into_values()
            .fold(HashMap::new(), |mut t: HashMap<Option<i32>, i64>, r| {
                *t.entry(r).or_default() += 1;
                t
            })
    };
    Ok((tally(any), tally(active)))
}

/// Enrolments of a group (a teaching category, or a course): how many, how many completed, and
/// the median number of days from enrolment to completion.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub key: String,
    pub enrolled: i64,
    pub completed: i64,
    pub median_days: Option<f64>,
}

impl GroupRow {
    pub fn completion_rate(&self) -> f64 {
        percent(self.completed, self.enrolled)
    }
}

/// By teaching category and by course (course id as the key), from one query.
pub fn by_category_and_course(
    conn: &mut AnyConnection,
    scope: &Scope,
) -> QueryResult<(Vec<GroupRow>, Vec<GroupRow>)> {
    let mut query = enrolments::table
        .inner_join(users::table)
        .filter(users::role.eq(Role::Teacher.as_str()))
        .into_boxed::<MultiBackend>();
    if let Some(region) = scope.region() {
        query = query.filter(users::region_id.eq(region));
    }
    if let Some(course) = scope.course_id {
        query = query.filter(enrolments::course_id.eq(course));
    }
    if let Some(category) = &scope.category {
        query = query.filter(users::category.eq(category.clone()));
    }
    let rows: Vec<(i32, Option<String>, NaiveDateTime, Option<NaiveDateTime>)> = query
        .select((
            enrolments::course_id,
            users::category,
            enrolments::enrolled_at,
            enrolments::completed_at,
        ))
        .load(conn)?;
    let mut categories: HashMap<String, (i64, Vec<i64>)> = HashMap::new();
    let mut courses_: HashMap<String, (i64, Vec<i64>)> = HashMap::new();
    for (course, category, enrolled_at, completed_at) in rows {
        let days = completed_at.map(|c| (c - enrolled_at).num_days().max(0));
        for (map, key) in [
            (
                &mut categories,
                category.unwrap_or_else(|| Category::Other.as_str().to_owned()),
            ),
            (&mut courses_, course.to_string()),
        ] {
            let entry = map.entry(key).or_default();
            entry.0 += 1;
            entry.1.extend(days);
        }
    }
    let rows = |map: HashMap<String, (i64, Vec<i64>)>| {
        let mut rows: Vec<GroupRow> = map
            .into_iter()
            .map(|(key, (enrolled, mut days))| GroupRow {
                key,
                enrolled,
                completed: days.len() as i64,
                median_days: median(&mut days),
            })
            .collect();
        rows.sort_by(|a, b| b.enrolled.cmp(&a.enrolled).then(a.key.cmp(&b.key)));
        rows
    };
    Ok((rows(categories), rows(courses_)))
}

fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) as f64 / 2.0
    } else {
        values[mid] as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn counted_on(days: &[&str]) -> Vec<Counted> {
        days.iter()
            .enumerate()
            .map(|(i, day)| Counted {
                user_id: i as i32,
                region_id: Some(1),
                counted_from: d(day).and_time(NaiveTime::MIN),
            })
            .collect()
    }

    #[test]
    fn the_headline_says_when_the_target_was_reached() {
        let counted = counted_on(&["2024-01-10", "2024-06-01", "2025-03-15", "2025-11-20"]);
        let period = (d("2021-01-01"), d("2025-12-31"));
        let h = Headline::new(&counted, 3, period, d("2026-11-25"));
        assert_eq!(h.trained, 4);
        assert_eq!(h.reached_on, Some(d("2025-03-15")));
        assert_eq!(h.days_left, 0);
        assert_eq!(h.needed_per_month, None);
        assert_eq!(h.projected_on, None);
        assert!((h.percent() - 133.3).abs() < 1e-9);
    }

    #[test]
    fn the_pace_projects_the_day_the_target_is_met() {
        // Three teachers in the last 90 days: about one a month.
        let counted = counted_on(&["2025-01-01", "2025-09-10", "2025-10-10", "2025-11-10"]);
        let h = Headline::new(
            &counted,
            10,
            (d("2021-01-01"), d("2026-12-31")),
            d("2025-11-25"),
        );
        assert_eq!(h.reached_on, None);
        assert!((h.pace_per_month - 3.0 / (90.0 / DAYS_PER_MONTH)).abs() < 1e-9);
        assert_eq!(h.days_left, 401);
        let needed = h.needed_per_month.expect("needed");
        assert!((needed - 6.0 / (401.0 / DAYS_PER_MONTH)).abs() < 1e-9);
        // Six more at ~1.01 a month: a little under six months.
        let projected = h.projected_on.expect("projected");
        assert!(
            projected > d("2026-05-01") && projected < d("2026-05-31"),
            "{projected}"
        );
        let still = Headline::new(
            &counted[..1],
            10,
            (d("2021-01-01"), d("2026-12-31")),
            d("2025-11-25"),
        );
        assert_eq!(still.pace_per_month, 0.0);
        assert_eq!(still.projected_on, None);
    }

    #[test]
    fn the_trend_is_cumulative_by_month_against_a_straight_line() {
        let counted = counted_on(&["2025-01-31", "2025-02-01", "2025-02-28", "2025-04-02"]);
        let points = trend(
            &counted,
            12,
            (d("2025-01-01"), d("2025-12-31")),
            d("2025-04-15"),
        );
        let got: Vec<(String, i64)> = points
            .iter()
            .map(|p| (p.month.format("%Y-%m").to_string(), p.cumulative))
            .collect();
        assert_eq!(
            got,
            [
                ("2025-01".into(), 1),
                ("2025-02".into(), 3),
                ("2025-03".into(), 3),
                ("2025-04".into(), 4)
            ]
        );
        // The planned line reaches 1 a month: 12 in a year.
        assert_eq!(points[0].planned, 1);
        assert_eq!(points[2].planned, 3);
        let full = trend(
            &counted,
            12,
            (d("2025-01-01"), d("2025-12-31")),
            d("2026-06-01"),
        );
        assert_eq!(full.len(), 12);
        assert_eq!(full[11].planned, 12);
        assert_eq!(full[11].cumulative, 4);
    }

    #[test]
    fn medians_and_percents() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(percent(31_204, 30_000), 104.0);
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(1, 0), 0.0);
    }
}
