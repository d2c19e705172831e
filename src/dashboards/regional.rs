//! `/dashboard/regions/{code}`: one region's dashboard — the headline against the region's
//! quota, its schools, its teachers by status (with search, pagination and downloads) — and
//! reminders to the teachers who stalled. A coordinator sees their own region only; an
//! administrator sees every region.
//!
//! A teacher's status, over their enrolments in courses that count toward targets, the first
//! that applies:
//! - **completed**: counts under the counting rule (`models::counted`), or has a completed
//!   enrolment;
//! - **in progress**: has an active enrolment with activity in the last 30 days;
//! - **stalled**: has an active enrolment, all of them last active 30 or more days ago;
//! - **not started**: no enrolment, or only withdrawn ones.
//!
//! The list is filtered and paged in SQL (`status_predicate`), and each page's rows are
//! classified in Rust (`TeacherStatus::of`); the tests hold the two to the same definition.
//! Every figure is one query per table, never one per teacher or school; those that move only
//! with the data (headline, who counts, schools) are cached per `stats_version`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate, NaiveDateTime, SubsecRound};
use diesel::dsl::{count_star, not};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Deserialize;

use super::cache::Cache;
use super::export::{self, Cell, Format, Sheet};
use super::handlers::{format_percent, HeadlineView};
use super::models::{
    by_region, counted, current_national_target, percent, Counted, Headline, Scope,
};
use crate::accounts::models::{region_by_code, Region};
use crate::accounts::session::{now, CurrentUser, Posted, Staff};
use crate::admin::audit::{self, region_name};
use crate::admin::users::{paginate_with, Pagination};
use crate::db::{
    contains_pattern, lower, prepare_search, ustaz_lower, AnyConnection, MultiBackend,
};
use crate::domain::{Category, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, OutgoingEmail};
use crate::schema::{courses, enrolments, schools, users};
use crate::startup::AppState;
use crate::web::{encode_query_value, render, run, Ctx};

/// Teachers (and schools) per page.
pub const PAGE_SIZE: i64 = 50;
/// No progress for this many days: stalled.
pub const STALLED_AFTER_DAYS: i64 = 30;
/// At most one reminder per teacher in this many days.
pub const REMINDER_EVERY_DAYS: i64 = 7;
/// Ids bound into one statement at most (SQLite allows 32,766 parameters, PostgreSQL 65,535).
const ID_CHUNK: usize = 10_000;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard/regions/{code}", web::get().to(dashboard))
        .route(
            "/dashboard/regions/{code}/reminders",
            web::post().to(remind),
        )
        .route(
            "/dashboard/regions/{code}/schools/export",
            web::get().to(export_schools),
        )
        .route(
            "/dashboard/regions/{code}/teachers/export",
            web::get().to(export_teachers),
        );
}

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

    pub fn label(self, lang: Lang) -> String {
        lang.t(&format!("regional-status-{}", self.as_str()))
    }

    /// A teacher's status from whether they count under the counting rule and their
    /// enrolments in courses that count (status, last activity). Activity at or before
    /// `stalled_before` is 30 or more days old.
    pub fn of<'a>(
        counts: bool,
        enrolments: impl IntoIterator<Item = (&'a str, NaiveDateTime)>,
        stalled_before: NaiveDateTime,
    ) -> Self {
        let (mut completed, mut active, mut recent) = (counts, false, false);
        for (status, last_activity) in enrolments {
            match status {
                "completed" => completed = true,
                "active" => {
                    active = true;
                    recent |= last_activity > stalled_before;
                }
                _ => {}
            }
        }
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

/// What a teacher's status depends on besides their own enrolments, fixed for one request.
#[derive(Clone)]
pub struct StatusBasis {
    /// Last activity at or before this: stalled.
    pub stalled_before: NaiveDateTime,
    /// Who counts under the counting rule.
    pub figures: Arc<RegionFigures>,
}

impl StatusBasis {
    pub fn new(figures: Arc<RegionFigures>, at: NaiveDateTime) -> Self {
        Self {
            stalled_before: at - Duration::days(STALLED_AFTER_DAYS),
            figures,
        }
    }

    fn counts(&self, user_id: i32) -> bool {
        self.figures.counted.contains(&user_id)
    }
}

// ---- Queries --------------------------------------------------------------------------------

type UserPredicate = Box<dyn BoxableExpression<users::table, MultiBackend, SqlType = Bool>>;

/// `SELECT user_id` of the enrolments with this status in courses that count.
macro_rules! counting_enrolments {
    ($status:expr) => {
        enrolments::table
            .inner_join(courses::table)
            .filter(courses::counts_toward_target.eq(true))
            .filter(enrolments::status.eq($status))
            .select(enrolments::user_id)
    };
}

/// Those of the counted teachers without a completed enrolment in a course that counts.
fn without_completion(conn: &mut AnyConnection, counted: &HashSet<i32>) -> QueryResult<Vec<i32>> {
    let mut ids: Vec<i32> = counted.iter().copied().collect();
    ids.sort_unstable();
    let mut completed = HashSet::new();
    for chunk in ids.chunks(ID_CHUNK) {
        let found: Vec<i32> = counting_enrolments!("completed")
            .filter(enrolments::user_id.eq_any(chunk))
            .load(conn)?;
        completed.extend(found);
    }
    let without: Vec<i32> = ids
        .into_iter()
        .filter(|id| !completed.contains(id))
        .collect();
    if without.len() > ID_CHUNK {
        // Bound into the list's SQL: near the databases' parameter limits past this.
        tracing::warn!(
            teachers = without.len(),
            "many counted teachers without a completed enrolment"
        );
    }
    Ok(without)
}

/// The teachers with this status, as a condition on `users` (see the module's definition).
/// Exclusions are written `NOT (id IN …)`, never `id != ALL(…)`: PostgreSQL hashes the first
/// and scans the subquery once per teacher for the second (minutes at 45,000 teachers).
fn status_predicate(status: TeacherStatus, basis: &StatusBasis) -> UserPredicate {
    let extra = basis.figures.counted_without_completion.clone();
    let stalled_before = basis.stalled_before;
    let recent = move || {
        counting_enrolments!("active").filter(enrolments::last_activity_at.gt(stalled_before))
    };
    let completed = users::id
        .eq_any(counting_enrolments!("completed"))
        .or(users::id.eq_any(extra));
    let not_completed = not(completed.clone());
    match status {
        TeacherStatus::Completed => Box::new(completed),
        TeacherStatus::InProgress => Box::new(not_completed.and(users::id.eq_any(recent()))),
        TeacherStatus::Stalled => Box::new(
            not_completed
                .and(users::id.eq_any(counting_enrolments!("active")))
                .and(not(users::id.eq_any(recent()))),
        ),
        TeacherStatus::NotStarted => {
            Box::new(not_completed.and(not(users::id.eq_any(counting_enrolments!("active")))))
        }
    }
}

/// Which of a region's teachers to list.
#[derive(Debug, Clone)]
pub struct TeacherFilter {
    pub region_id: i32,
    /// A LIKE pattern from `contains_pattern`.
    pub pattern: Option<String>,
    pub status: Option<TeacherStatus>,
}

/// Name or email contains the pattern, whatever the letter case (Cyrillic too).
fn text_matches(pattern: &str, sqlite: bool) -> UserPredicate {
    if sqlite {
        Box::new(
            ustaz_lower(users::full_name)
                .like(pattern.to_owned())
                .escape('\\')
                .or(ustaz_lower(users::email)
                    .like(pattern.to_owned())
                    .escape('\\')),
        )
    } else {
        Box::new(
            lower(users::full_name)
                .like(pattern.to_owned())
                .escape('\\')
                .or(lower(users::email).like(pattern.to_owned()).escape('\\')),
        )
    }
}

fn teacher_predicate(filter: &TeacherFilter, basis: &StatusBasis, sqlite: bool) -> UserPredicate {
    let mut predicate: UserPredicate = Box::new(
        users::role
            .eq(Role::Teacher.as_str())
            .and(users::region_id.assume_not_null().eq(filter.region_id)),
    );
    if let Some(pattern) = &filter.pattern {
        predicate = Box::new(predicate.and(text_matches(pattern, sqlite)));
    }
    if let Some(status) = filter.status {
        predicate = Box::new(predicate.and(status_predicate(status, basis)));
    }
    predicate
}

/// How many of the filter's teachers have each status (in `TeacherStatus::ALL` order); the
/// filter's own status is ignored. Rather than one count per status (each scanning the
/// enrolments of the whole country), the region's enrolments in courses that count are read
/// once and classified by `TeacherStatus::of`, as the rows of the list are.
pub fn status_counts(
    conn: &mut AnyConnection,
    filter: &TeacherFilter,
    basis: &StatusBasis,
) -> QueryResult<[i64; 4]> {
    let sqlite = prepare_search(conn)?;
    let everyone = TeacherFilter {
        status: None,
        ..filter.clone()
    };
    let matching = || users::table.filter(teacher_predicate(&everyone, basis, sqlite));
    // With a search, the teachers it finds (at most the region's); without, all of them.
    let (total, found): (i64, Option<HashSet<i32>>) = match filter.pattern {
        Some(_) => {
            let ids: HashSet<i32> = matching()
                .select(users::id)
                .load::<i32>(conn)?
                .into_iter()
                .collect();
            (ids.len() as i64, Some(ids))
        }
        None => (matching().count().get_result(conn)?, None),
    };
    let facts: Vec<(i32, String, NaiveDateTime)> = enrolments::table
        .inner_join(courses::table)
        .inner_join(users::table)
        .filter(courses::counts_toward_target.eq(true))
        .filter(users::role.eq(Role::Teacher.as_str()))
        .filter(users::region_id.eq(filter.region_id))
        .select((
            enrolments::user_id,
            enrolments::status,
            enrolments::last_activity_at,
        ))
        .load(conn)?;
    let facts = facts
        .into_iter()
        .filter(|(id, _, _)| found.as_ref().is_none_or(|f| f.contains(id)));
    let mut by_teacher: HashMap<i32, Vec<(String, NaiveDateTime)>> = HashMap::new();
    for (user_id, status, last_activity) in facts {
        by_teacher
            .entry(user_id)
            .or_default()
            .push((status, last_activity));
    }
    // Teachers who count without any enrolment in a course that counts (not a state the
    // platform makes, but the list would show them as completed).
    let unenrolled: Vec<i32> = basis
        .figures
        .counted_without_completion
        .iter()
        .copied()
        .filter(|id| !by_teacher.contains_key(id))
        .collect();
    let mut counts = [0; 4];
    if !unenrolled.is_empty() {
        counts[TeacherStatus::Completed as usize] = matching()
            .filter(users::id.eq_any(unenrolled))
            .count()
            .get_result(conn)?;
    }
    for (id, own) in &by_teacher {
        let status = TeacherStatus::of(
            basis.counts(*id),
            own.iter().map(|(s, at)| (s.as_str(), *at)),
            basis.stalled_before,
        );
        counts[status as usize] += 1;
    }
    let others: i64 = counts[1..].iter().sum();
    counts[TeacherStatus::NotStarted as usize] = total - others;
    Ok(counts)
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

/// Which rows of the ordered list (by name, then id).
#[derive(Debug, Clone)]
pub enum Window {
    /// Page `n` (from 1) of `PAGE_SIZE`.
    Page(i64),
    /// Up to `limit` rows after the row with this (name, id): keyset pages for downloads.
    After(Option<(String, i32)>, i64),
}

pub fn teachers(
    conn: &mut AnyConnection,
    filter: &TeacherFilter,
    basis: &StatusBasis,
    window: &Window,
) -> QueryResult<Vec<TeacherRow>> {
    let sqlite = prepare_search(conn)?;
    let mut query = users::table
        .filter(teacher_predicate(filter, basis, sqlite))
        .select(TeacherRecord::as_select())
        .order((users::full_name.asc(), users::id.asc()))
        .into_boxed::<MultiBackend>();
    query = match window {
        Window::Page(n) => query.limit(PAGE_SIZE).offset(((*n).max(1) - 1) * PAGE_SIZE),
        Window::After(after, limit) => {
            let query = query.limit(*limit);
            match after {
                Some((name, id)) => query.filter(
                    users::full_name
                        .gt(name.clone())
                        .or(users::full_name.eq(name.clone()).and(users::id.gt(*id))),
                ),
                None => query,
            }
        }
    };
    let records = query.load(conn)?;
    teacher_rows(conn, records, basis)
}

/// Each teacher's school, status and last activity: one query for schools, one for enrolments.
fn teacher_rows(
    conn: &mut AnyConnection,
    records: Vec<TeacherRecord>,
    basis: &StatusBasis,
) -> QueryResult<Vec<TeacherRow>> {
    let ids: Vec<i32> = records.iter().map(|r| r.id).collect();
    let mut school_ids: Vec<i32> = records.iter().filter_map(|r| r.school_id).collect();
    school_ids.sort_unstable();
    school_ids.dedup();
    let school_names: HashMap<i32, String> = schools::table
        .filter(schools::id.eq_any(school_ids))
        .select((schools::id, schools::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<(i32, String, NaiveDateTime)> = enrolments::table
        .inner_join(courses::table)
        .filter(courses::counts_toward_target.eq(true))
        .filter(enrolments::user_id.eq_any(ids))
        .select((
            enrolments::user_id,
            enrolments::status,
            enrolments::last_activity_at,
        ))
        .load(conn)?;
    let mut by_teacher: HashMap<i32, Vec<(String, NaiveDateTime)>> = HashMap::new();
    for (user_id, status, last_activity) in rows {
        by_teacher
            .entry(user_id)
            .or_default()
            .push((status, last_activity));
    }
    Ok(records
        .into_iter()
        .map(|r| {
            let own = by_teacher.get(&r.id).map(Vec::as_slice).unwrap_or_default();
            TeacherRow {
                status: TeacherStatus::of(
                    basis.counts(r.id),
                    own.iter().map(|(s, at)| (s.as_str(), *at)),
                    basis.stalled_before,
                ),
                last_activity: own.iter().map(|(_, at)| *at).max(),
                school: r.school_id.and_then(|id| school_names.get(&id).cloned()),
                id: r.id,
                full_name: r.full_name,
                email: r.email,
                category: r.category,
            }
        })
        .collect())
}

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

/// Every school of the region by name: one query for the schools, one grouped count of the
/// registered teachers, one (per 10,000 counted teachers) of the trained.
pub fn school_rows(
    conn: &mut AnyConnection,
    region_id: i32,
    counted_ids: &HashSet<i32>,
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
    let registered: HashMap<Option<i32>, i64> = users::table
        .filter(users::role.eq(Role::Teacher.as_str()))
        .filter(users::region_id.eq(region_id))
        .filter(users::school_id.is_not_null())
        .group_by(users::school_id)
        .select((users::school_id, count_star()))
        .load::<(Option<i32>, i64)>(conn)?
        .into_iter()
        .collect();
    let mut ids: Vec<i32> = counted_ids.iter().copied().collect();
    ids.sort_unstable();
    let mut trained: HashMap<Option<i32>, i64> = HashMap::new();
    for chunk in ids.chunks(ID_CHUNK) {
        let counts: Vec<(Option<i32>, i64)> = users::table
            .filter(users::id.eq_any(chunk))
            .filter(users::school_id.is_not_null())
            .group_by(users::school_id)
            .select((users::school_id, count_star()))
            .load(conn)?;
        for (school, n) in counts {
            *trained.entry(school).or_default() += n;
        }
    }
    Ok(list
        .into_iter()
        .map(|(id, name, district, inclusive)| SchoolRow {
            registered: registered.get(&Some(id)).copied().unwrap_or(0),
            trained: trained.get(&Some(id)).copied().unwrap_or(0),
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

/// The current national target narrowed to the region, and the region's teachers who count
/// toward it (the counting rule); None without a national target.
fn region_counted(
    conn: &mut AnyConnection,
    region_id: i32,
    today: NaiveDate,
) -> QueryResult<Option<(Scope, Vec<Counted>)>> {
    let Some(national) = current_national_target(conn, today)? else {
        return Ok(None);
    };
    let scope = Scope {
        region_id: Some(region_id),
        ..Scope::of(national)
    };
    let counted = counted(conn, &scope)?;
    Ok(Some((scope, counted)))
}

/// The headline against the region's quota, as `by_region` sets it (its regional target, or
/// its share of the national one).
fn region_progress(
    conn: &mut AnyConnection,
    region_id: i32,
    scope: &Scope,
    counted: &[Counted],
    today: NaiveDate,
) -> QueryResult<RegionProgress> {
    let row = by_region(conn, scope, counted)?
        .into_iter()
        .find(|r| r.region.id == region_id);
    let (quota, quota_is_target) = row.map_or((0, false), |r| (r.quota, r.quota_is_target));
    let target = &scope.target;
    Ok(RegionProgress {
        target_name: target.name.clone(),
        headline: Headline::new(counted, quota, (target.starts_on, target.deadline), today),
        quota_is_target,
    })
}

/// The region's figures that move only with the data (and the day): the headline, who counts,
/// and the schools. The teachers' statuses also move with the clock, so they are not here.
pub struct RegionFigures {
    pub progress: Option<RegionProgress>,
    /// The region's teachers who count under the counting rule.
    pub counted: HashSet<i32>,
    /// Those of them without a completed enrolment in a course that counts (a certificate
    /// issued outside the usual path): few or none, so the list's SQL can carry them.
    pub counted_without_completion: Vec<i32>,
    pub schools: Vec<SchoolRow>,
}

pub fn region_figures(
    conn: &mut AnyConnection,
    cache: &Cache<RegionFigures>,
    region_id: i32,
    today: NaiveDate,
) -> QueryResult<Arc<RegionFigures>> {
    // Cached per `stats_version` like the national page's figures (see `super::cache`): at
    // national scale `by_region` reads the whole country.
    let key = format!("region {region_id} {today}");
    cache.get_or_compute(conn, &key, |conn| {
        let found = region_counted(conn, region_id, today)?;
        let progress = match &found {
            Some((scope, counted)) => {
                Some(region_progress(conn, region_id, scope, counted, today)?)
            }
            None => None,
        };
        let counted: HashSet<i32> = found
            .iter()
            .flat_map(|(_, c)| c.iter().map(|c| c.user_id))
            .collect();
        Ok(RegionFigures {
            progress,
            counted_without_completion: without_completion(conn, &counted)?,
            schools: school_rows(conn, region_id, &counted)?,
            counted,
        })
    })
}

/// What a teacher's status depends on, for the region at `at`.
fn basis_of(
    conn: &mut AnyConnection,
    cache: &Cache<RegionFigures>,
    region_id: i32,
    at: NaiveDateTime,
) -> QueryResult<StatusBasis> {
    let figures = region_figures(conn, cache, region_id, at.date())?;
    Ok(StatusBasis::new(figures, at))
}

/// Reminders sent and teachers skipped (reminded in the last 7 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderOutcome {
    pub sent: i64,
    pub skipped: i64,
}

/// Reminds the stalled teachers of the filter who were not reminded in the last 7 days (and
/// whose account is not disabled): marks them, queues each an email in their language, and
/// writes one audit event — all in one transaction. Marking comes first and re-checks the
/// 7 days, so two requests at once cannot remind the same teacher twice.
pub fn send_reminders(
    conn: &mut AnyConnection,
    actor_id: i32,
    filter: &TeacherFilter,
    basis: &StatusBasis,
    base_url: &str,
    at: NaiveDateTime,
) -> QueryResult<ReminderOutcome> {
    let filter = TeacherFilter {
        status: Some(TeacherStatus::Stalled),
        ..filter.clone()
    };
    // Whole microseconds, as PostgreSQL stores them, so the marked rows are found again below.
    let at = at.trunc_subsecs(6);
    let week_ago = at - Duration::days(REMINDER_EVERY_DAYS);
    conn.transaction(|conn| {
        let sqlite = prepare_search(conn)?;
        diesel::update(users::table)
            .filter(teacher_predicate(&filter, basis, sqlite))
            .filter(users::disabled_at.is_null())
            .filter(
                users::last_reminded_at
                    .is_null()
                    .or(users::last_reminded_at.le(week_ago)),
            )
            .set(users::last_reminded_at.eq(at))
            .execute(conn)?;
        // The teachers this request marked (another one at the same moment marks others).
        let recipients: Vec<(String, String, String)> = users::table
            .filter(users::role.eq(Role::Teacher.as_str()))
            .filter(users::region_id.eq(filter.region_id))
            .filter(users::last_reminded_at.eq(at))
            .order(users::id.asc())
            .select((users::email, users::full_name, users::language))
            .load(conn)?;
        let stalled: i64 = users::table
            .filter(teacher_predicate(&filter, basis, sqlite))
            .filter(users::disabled_at.is_null())
            .count()
            .get_result(conn)?;
        let link = format!("{}/learn", base_url.trim_end_matches('/'));
        for (email, name, language) in &recipients {
            let lang = Lang::parse(language).unwrap_or_default();
            let args = [
                ("name", Arg::from(name.as_str())),
                ("link", Arg::from(link.as_str())),
            ];
            mail::enqueue(
                conn,
                &OutgoingEmail {
                    to: email.clone(),
                    to_name: name.clone(),
                    lang,
                    subject: lang.t_args("email-reminder-subject", &args),
                    text: lang.t_args("email-reminder-body", &args),
                    html: None,
                },
            )?;
        }
        let sent = recipients.len() as i64;
        let outcome = ReminderOutcome {
            sent,
            skipped: (stalled - sent).max(0),
        };
        audit::record(
            conn,
            Some(actor_id),
            "reminders.sent",
            "region",
            Some(filter.region_id),
            serde_json::json!({
                "after": {
                    "sent": outcome.sent,
                    "skipped": outcome.skipped,
                    "search": filter.pattern.as_deref().map(unpattern),
                }
            }),
        )?;
        Ok(outcome)
    })
}

/// The search text back from its LIKE pattern, for the audit log.
fn unpattern(pattern: &str) -> String {
    let inner = pattern
        .strip_prefix('%')
        .and_then(|p| p.strip_suffix('%'))
        .unwrap_or(pattern);
    let mut text = String::with_capacity(inner.len());
    let mut escaped = false;
    for ch in inner.chars() {
        if ch == '\\' && !escaped {
            escaped = true;
        } else {
            text.push(ch);
            escaped = false;
        }
    }
    text
}

// ---- Access ---------------------------------------------------------------------------------

/// An administrator sees every region; a coordinator only their own.
fn may_see(user: &CurrentUser, region: &Region) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Coordinator => user.region_id == Some(region.id),
        Role::Teacher => false,
    }
}

/// The region of the path, if this user may see it: 404 for an unknown code, else 403 (logged).
async fn authorised_region(state: &AppState, user: &CurrentUser, code: &str) -> AppResult<Region> {
    let code = code.to_owned();
    let region = run(&state.pool, move |conn| region_by_code(conn, &code))
        .await?
        .ok_or(AppError::NotFound)?;
    if may_see(user, &region) {
        Ok(region)
    } else {
        tracing::warn!(
            user_id = user.id,
            role = %user.role,
            region = %region.code,
            "access denied: another region's dashboard"
        );
        Err(AppError::Forbidden)
    }
}

// ---- The page -------------------------------------------------------------------------------

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
    fn parse(q: &str, status: &str) -> Self {
        Self {
            q: q.trim().chars().take(200).collect(),
            status: TeacherStatus::parse(status)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        }
    }

    fn filter(&self, region_id: i32) -> TeacherFilter {
        TeacherFilter {
            region_id,
            pattern: (!self.q.is_empty()).then(|| contains_pattern(&self.q)),
            status: TeacherStatus::parse(&self.status),
        }
    }

    /// `q=…&status=…&` (only what is set), to start a link's query string.
    fn query(&self) -> String {
        let mut query = String::new();
        for (name, value) in [("q", &self.q), ("status", &self.status)] {
            if !value.is_empty() {
                query.push_str(&format!("{name}={}&", encode_query_value(value)));
            }
        }
        query
    }
}

pub struct SchoolView {
    pub name: String,
    pub district: String,
    pub registered: String,
    pub trained: String,
    pub inclusive: bool,
    pub inclusive_label: String,
}

pub struct TeacherView {
    pub name: String,
    pub email: String,
    pub school: String,
    pub category: String,
    pub status: &'static str,
    pub status_label: String,
    pub last_activity: String,
}

pub struct StatusLink {
    pub value: &'static str,
    pub label: String,
    pub count: String,
    pub href: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "dashboards/regional.html")]
pub struct RegionalPage {
    pub ctx: Ctx,
    pub code: String,
    pub title: String,
    pub target_line: String,
    pub headline: Option<HeadlineView>,
    pub quota_note: String,
    pub notice: Option<String>,
    pub inclusive_summary: String,
    pub schools: Vec<SchoolView>,
    pub schools_caption: String,
    pub schools_pagination: Pagination,
    pub statuses: Vec<StatusLink>,
    pub form: TeacherForm,
    pub filtered: bool,
    pub teachers: Vec<TeacherView>,
    pub teachers_summary: String,
    pub teachers_caption: String,
    pub teachers_pagination: Pagination,
    pub teachers_download: String,
    /// How many stalled teachers of the current filter a reminder would reach, if any.
    pub reminder_text: Option<String>,
}

fn last_page(total: i64) -> i64 {
    ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
}

/// Links to the first and last pages and two either side of the current one, in `param`;
/// `query` (the other parameters) ends in `&` when not empty.
fn pager(
    lang: Lang,
    path: &str,
    query: &str,
    param: &str,
    fragment: &str,
    current: i64,
    total: i64,
) -> Pagination {
    paginate_with(lang, current, total, |n| {
        format!("{path}?{query}{param}={n}#{fragment}")
    })
}

fn category_label(lang: Lang, category: Option<&str>) -> String {
    category
        .and_then(|c| Category::parse(c).ok())
        .map(|c| lang.t(c.label_key()))
        .unwrap_or_default()
}

/// Everything the page shows, read in one go (one query per table).
struct DashboardData {
    figures: Arc<RegionFigures>,
    counts: [i64; 4],
    /// Teachers the filter lists, and the page of them shown.
    total: i64,
    page: i64,
    teachers: Vec<TeacherRow>,
}

fn load_dashboard(
    conn: &mut AnyConnection,
    cache: &Cache<RegionFigures>,
    filter: &TeacherFilter,
    requested_page: i64,
    at: NaiveDateTime,
) -> QueryResult<DashboardData> {
    let basis = basis_of(conn, cache, filter.region_id, at)?;
    let counts = status_counts(conn, filter, &basis)?;
    let total = match filter.status {
        Some(status) => counts[status as usize],
        None => counts.iter().sum(),
    };
    let page = requested_page.clamp(1, last_page(total));
    let teachers = teachers(conn, filter, &basis, &Window::Page(page))?;
    Ok(DashboardData {
        figures: basis.figures,
        counts,
        total,
        page,
        teachers,
    })
}

pub async fn dashboard(
    ctx: Ctx,
    Staff(user): Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RegionQuery>,
) -> AppResult<HttpResponse> {
    let region = authorised_region(&state, &user, &path).await?;
    let raw = query.into_inner();
    let form = TeacherForm::parse(&raw.q, &raw.status);
    let filter = form.filter(region.id);
    let requested_page = raw.page.trim().parse::<i64>().unwrap_or(1);
    let at = now();
    let shared = state.clone();
    let data = run(&state.pool, move |conn| {
        load_dashboard(conn, &shared.region_figures, &filter, requested_page, at)
    })
    .await?;
    render(&RegionalPage::new(ctx, &region, form, &raw, data))
}

impl RegionalPage {
    fn new(
        ctx: Ctx,
        region: &Region,
        form: TeacherForm,
        raw: &RegionQuery,
        data: DashboardData,
    ) -> Self {
        let lang = ctx.lang;
        let status = TeacherStatus::parse(&form.status);
        let (total, page) = (data.total, data.page);
        let teacher_pages = last_page(total);
        let name = region_name(lang, region);
        let code = region.code.clone();
        let base = format!("/dashboard/regions/{code}");

        let school_pages = last_page(data.figures.schools.len() as i64);
        let school_page = raw
            .schools_page
            .trim()
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, school_pages);
        let inclusive = data.figures.schools.iter().filter(|s| s.inclusive).count() as i64;
        let all_schools = data.figures.schools.len() as i64;
        let schools = data
            .figures
            .schools
            .iter()
            .skip(((school_page - 1) * PAGE_SIZE) as usize)
            .take(PAGE_SIZE as usize)
            .map(|s| SchoolView {
                name: s.name.clone(),
                district: s.district.clone().unwrap_or_default(),
                registered: lang.number(s.registered),
                trained: lang.number(s.trained),
                inclusive: s.inclusive,
                inclusive_label: lang.t(if s.inclusive {
                    "regional-yes"
                } else {
                    "regional-no"
                }),
            })
            .collect();

        let filters_query = form.query();
        let stalled_matching = data.counts[TeacherStatus::Stalled as usize];
        let reminders_apply = matches!(status, None | Some(TeacherStatus::Stalled));
        let notice = match (
            raw.sent.trim().parse::<i64>(),
            raw.skipped.trim().parse::<i64>(),
        ) {
            (Ok(sent), Ok(skipped)) if sent >= 0 && skipped >= 0 => Some(lang.t_args(
                "regional-reminders-done",
                &[("sent", Arg::from(sent)), ("skipped", Arg::from(skipped))],
            )),
            _ => None,
        };
        let (headline, target_line, quota_note) = match &data.figures.progress {
            Some(p) => (
                Some(HeadlineView::new(lang, &p.headline)),
                format!(
                    "{} · {} – {}",
                    p.target_name,
                    lang.date(p.headline.starts_on),
                    lang.date(p.headline.deadline)
                ),
                lang.t(if p.quota_is_target {
                    "regional-quota-target"
                } else {
                    "dashboard-quota-share"
                }),
            ),
            None => (None, String::new(), String::new()),
        };
        RegionalPage {
            title: lang.t_args("regional-title", &[("region", Arg::from(name.as_str()))]),
            target_line,
            headline,
            quota_note,
            notice,
            inclusive_summary: lang.t_args(
                "regional-inclusive-summary",
                &[
                    ("inclusive", Arg::from(lang.number(inclusive))),
                    ("schools", Arg::from(lang.number(all_schools))),
                    (
                        "percent",
                        Arg::from(format_percent(lang, percent(inclusive, all_schools))),
                    ),
                ],
            ),
            schools,
            schools_caption: lang.t_args(
                "regional-schools-caption",
                &[
                    ("page", Arg::from(school_page)),
                    ("pages", Arg::from(school_pages)),
                ],
            ),
            schools_pagination: pager(
                lang,
                &base,
                &format!(
                    "{filters_query}{}",
                    if page > 1 {
                        format!("page={page}&")
                    } else {
                        String::new()
                    }
                ),
                "schools_page",
                "schools",
                school_page,
                school_pages,
            ),
            statuses: TeacherStatus::ALL
                .iter()
                .map(|s| {
                    let only = TeacherForm {
                        q: form.q.clone(),
                        status: s.as_str().to_owned(),
                    };
                    StatusLink {
                        value: s.as_str(),
                        label: s.label(lang),
                        count: lang.number(data.counts[*s as usize]),
                        href: format!("{base}?{}#teachers", only.query().trim_end_matches('&')),
                        selected: status == Some(*s),
                    }
                })
                .collect(),
            teachers: data
                .teachers
                .iter()
                .map(|t| TeacherView {
                    name: t.full_name.clone(),
                    email: t.email.clone(),
                    school: t.school.clone().unwrap_or_default(),
                    category: category_label(lang, t.category.as_deref()),
                    status: t.status.as_str(),
                    status_label: t.status.label(lang),
                    last_activity: t
                        .last_activity
                        .map(|at| lang.date(at.date()))
                        .unwrap_or_else(|| lang.t("dashboard-not-applicable")),
                })
                .collect(),
            teachers_summary: lang.t_args(
                "regional-teachers-count",
                &[
                    ("count", Arg::from(total)),
                    ("shown", Arg::from(lang.number(total))),
                ],
            ),
            teachers_caption: lang.t_args(
                "regional-teachers-caption",
                &[
                    ("page", Arg::from(page)),
                    ("pages", Arg::from(teacher_pages)),
                ],
            ),
            teachers_pagination: pager(
                lang,
                &base,
                &filters_query,
                "page",
                "teachers",
                page,
                teacher_pages,
            ),
            teachers_download: format!("{base}/teachers/export?{filters_query}"),
            reminder_text: (reminders_apply && stalled_matching > 0).then(|| {
                lang.t_args(
                    "regional-reminders-text",
                    &[("shown", Arg::from(lang.number(stalled_matching)))],
                )
            }),
            filtered: !filters_query.is_empty(),
            form,
            code,
            ctx,
        }
    }
}

// ---- Reminders ------------------------------------------------------------------------------

#[derive(Deserialize, Debug, Default)]
pub struct ReminderForm {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
}

pub async fn remind(
    Staff(user): Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    Posted(posted): Posted<ReminderForm>,
) -> AppResult<HttpResponse> {
    let region = authorised_region(&state, &user, &path).await?;
    let form = TeacherForm::parse(&posted.q, &posted.status);
    let filter = form.filter(region.id);
    let at = now();
    let outcome = if matches!(filter.status, None | Some(TeacherStatus::Stalled)) {
        let base_url = state.settings.base_url.clone();
        let shared = state.clone();
        let region_id = region.id;
        let actor = user.id;
        run(&state.pool, move |conn| {
            // Read before the transaction: its first statement is the write (see SQLite's
            // deferred transactions).
            let basis = basis_of(conn, &shared.region_figures, region_id, at)?;
            send_reminders(conn, actor, &filter, &basis, &base_url, at)
        })
        .await?
    } else {
        // The filter lists no stalled teachers.
        ReminderOutcome {
            sent: 0,
            skipped: 0,
        }
    };
    tracing::info!(
        user_id = user.id,
        region = %region.code,
        sent = outcome.sent,
        skipped = outcome.skipped,
        "reminders sent"
    );
    let location = format!(
        "/dashboard/regions/{}?{}sent={}&skipped={}#reminders",
        region.code,
        form.query(),
        outcome.sent,
        outcome.skipped
    );
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish())
}

// ---- Downloads ------------------------------------------------------------------------------

fn format_of(raw: &RegionQuery) -> AppResult<Format> {
    Format::parse(raw.format.trim()).ok_or(AppError::NotFound)
}

pub async fn export_schools(
    ctx: Ctx,
    Staff(user): Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RegionQuery>,
) -> AppResult<HttpResponse> {
    let region = authorised_region(&state, &user, &path).await?;
    let format = format_of(&query)?;
    let lang = ctx.lang;
    let at = now();
    let region_id = region.id;
    let shared = state.clone();
    let figures = run(&state.pool, move |conn| {
        region_figures(conn, &shared.region_figures, region_id, at.date())
    })
    .await?;
    let rows = figures
        .schools
        .iter()
        .map(|s| {
            vec![
                Cell::from(s.name.as_str()),
                Cell::from(s.district.clone()),
                Cell::from(s.registered),
                Cell::from(s.trained),
                Cell::from(lang.t(if s.inclusive {
                    "regional-yes"
                } else {
                    "regional-no"
                })),
            ]
        })
        .collect();
    let sheet = Sheet::new(
        lang.t("regional-schools-heading"),
        [
            "regional-col-school",
            "regional-col-district",
            "regional-col-registered",
            "regional-col-trained",
            "regional-col-inclusive",
        ]
        .map(|key| lang.t(key)),
    );
    let stem = lang.t_args(
        "regional-schools-file",
        &[("region", Arg::from(region_name(lang, &region)))],
    );
    export::download(&stem, format, sheet, export::in_memory(rows)).await
}

pub async fn export_teachers(
    ctx: Ctx,
    Staff(user): Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RegionQuery>,
) -> AppResult<HttpResponse> {
    let region = authorised_region(&state, &user, &path).await?;
    let format = format_of(&query)?;
    let lang = ctx.lang;
    let form = TeacherForm::parse(&query.q, &query.status);
    let filter = form.filter(region.id);
    let at = now();
    let region_id = region.id;
    let shared = state.clone();
    let basis = run(&state.pool, move |conn| {
        basis_of(conn, &shared.region_figures, region_id, at)
    })
    .await?;
    let pool = state.pool.clone();
    let not_applicable = lang.t("dashboard-not-applicable");
    let pages = export::keyset(
        move |after: Option<&(String, i32)>| -> anyhow::Result<Vec<((String, i32), export::Row)>> {
            let mut conn = pool.get()?;
            let window = Window::After(after.cloned(), export::PAGE_SIZE);
            let rows = teachers(&mut conn, &filter, &basis, &window)?;
            Ok(rows
                .into_iter()
                .map(|t| {
                    let key = (t.full_name.clone(), t.id);
                    let row = vec![
                        Cell::from(t.full_name),
                        Cell::from(t.email),
                        Cell::from(t.school),
                        Cell::from(category_label(lang, t.category.as_deref())),
                        Cell::from(t.status.label(lang)),
                        t.last_activity
                            .map(|at| Cell::from(at.date()))
                            .unwrap_or_else(|| Cell::from(not_applicable.as_str())),
                    ];
                    (key, row)
                })
                .collect())
        },
    );
    let sheet = Sheet::new(
        lang.t("regional-teachers-heading"),
        [
            "regional-col-name",
            "regional-col-email",
            "regional-col-school",
            "regional-col-category",
            "regional-col-status",
            "regional-col-last-activity",
        ]
        .map(|key| lang.t(key)),
    );
    let mut stem = lang.t_args(
        "regional-teachers-file",
        &[("region", Arg::from(region_name(lang, &region)))],
    );
    if let Some(status) = TeacherStatus::parse(&form.status) {
        stem = format!("{stem} ({})", status.label(lang));
    }
    export::download(&stem, format, sheet, pages).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("timestamp")
    }

    #[test]
    fn a_teachers_status_is_the_first_that_applies() {
        let cutoff = at("2025-11-01 12:00:00");
        let recent = at("2025-11-20 09:00:00");
        let old = at("2025-09-01 09:00:00");
        let of = |counts, e: &[(&'static str, NaiveDateTime)]| {
            TeacherStatus::of(counts, e.iter().copied(), cutoff)
        };
        assert_eq!(of(false, &[]), TeacherStatus::NotStarted);
        assert_eq!(
            of(false, &[("withdrawn", recent)]),
            TeacherStatus::NotStarted
        );
        assert_eq!(of(false, &[("active", recent)]), TeacherStatus::InProgress);
        assert_eq!(of(false, &[("active", old)]), TeacherStatus::Stalled);
        // Exactly 30 days without progress is stalled.
        assert_eq!(of(false, &[("active", cutoff)]), TeacherStatus::Stalled);
        // One course moving is enough to be in progress.
        assert_eq!(
            of(false, &[("active", old), ("active", recent)]),
            TeacherStatus::InProgress
        );
        assert_eq!(
            of(false, &[("active", old), ("completed", old)]),
            TeacherStatus::Completed
        );
        // A certificate that counts is completion, whatever the enrolments say.
        assert_eq!(of(true, &[("active", old)]), TeacherStatus::Completed);
        assert_eq!(of(true, &[]), TeacherStatus::Completed);
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
    fn the_search_is_recorded_as_typed() {
        assert_eq!(unpattern(&contains_pattern("Әлия_50%")), "әлия_50%");
        assert_eq!(unpattern(&contains_pattern(r"a\b")), r"a\b");
    }

    #[test]
    fn pages_link_with_the_filters() {
        let p = pager(Lang::En, "/r", "q=a&", "page", "teachers", 5, 9);
        assert_eq!(p.previous.as_deref(), Some("/r?q=a&page=4#teachers"));
        assert_eq!(p.next.as_deref(), Some("/r?q=a&page=6#teachers"));
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
                Some(9)
            ]
        );
        assert!(!pager(Lang::En, "/r", "", "page", "t", 1, 1).is_needed());
    }
}
