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
//! What moves only with the data — the headline, the schools, and the region's teachers in
//! list order with who completed and who has an active enrolment (`Roster`) — is cached per
//! `stats_version`. Who was active in the last 30 days is read per request (`StatusBasis`), and
//! every status, count, page, download and reminder classifies teachers through the one
//! `StatusBasis::status`. Every figure is one query per table, never one per teacher or school.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate, NaiveDateTime, SubsecRound};
use diesel::dsl::max;
use diesel::prelude::*;
use serde::Deserialize;

use super::cache::Cache;
use super::handlers::{format_percent, HeadlineView};
use super::models::{counted, current_national_target, percent, region_quota, Headline, Scope};
use crate::audit::models::{self as audit, AuditAction};
use crate::db::now;
use crate::db::AnyConnection;
use crate::domain::{Category, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, OutgoingEmail};
use crate::policy::may_see_region;
use crate::schema::{courses, enrolments, schools, users};
use crate::schools::models::{region_by_code, Region};
use crate::state::AppState;
use crate::web::download::{self as export, Cell, Format, Sheet};
use crate::web::extractors::{CurrentUser, Posted, Staff};
use crate::web::pagination::Pagination;
use crate::web::pagination::{page_count, paginate_with};
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
        .filter(enrolments::status.eq("active"))
        .filter(enrolments::last_activity_at.gt(stalled_before))
        .select(enrolments::user_id)
        .load::<i32>(conn)?
        .into_iter()
        .filter(|id| active.contains(id))
        .collect())
}

/// What a teacher's status depends on, for the region at `at`.
fn basis_of(
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
    // Cached per `stats_version` like the national page's figures (see `super::cache`).
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
            .filter(enrolments::status.eq_any(["active", "completed"]))
            .select((enrolments::user_id, enrolments::status))
            .load(conn)?;
        let mut completed = counted.clone();
        let mut active = HashSet::new();
        for (user_id, status) in enrolled {
            if status == "completed" {
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

// ---- Reminders ------------------------------------------------------------------------------

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
    // Read before the transaction: its first statement is the write (see SQLite's deferred
    // transactions).
    let stalled = listing(&filter, basis).ids;
    // Whole microseconds, as PostgreSQL stores them, so the marked rows are found again below.
    let at = at.trunc_subsecs(6);
    let week_ago = at - Duration::days(REMINDER_EVERY_DAYS);
    conn.transaction(|conn| {
        // Those whose account is not disabled: reminded now, or skipped.
        let mut reachable: i64 = 0;
        for chunk in stalled.chunks(ID_CHUNK) {
            let enabled = || {
                users::table
                    .filter(users::id.eq_any(chunk))
                    .filter(users::disabled_at.is_null())
            };
            diesel::update(enabled())
                .filter(
                    users::last_reminded_at
                        .is_null()
                        .or(users::last_reminded_at.le(week_ago)),
                )
                .set(users::last_reminded_at.eq(at))
                .execute(conn)?;
            reachable += enabled().count().get_result::<i64>(conn)?;
        }
        // The teachers this request marked (another one at the same moment marks others).
        let recipients: Vec<(String, String, String)> = users::table
            .filter(users::role.eq(Role::Teacher.as_str()))
            .filter(users::region_id.eq(filter.region_id))
            .filter(users::last_reminded_at.eq(at))
            .order(users::id.asc())
            .select((users::email, users::full_name, users::language))
            .load(conn)?;
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
            skipped: (reachable - sent).max(0),
        };
        audit::record(
            conn,
            Some(actor_id),
            AuditAction::RemindersSent,
            "region",
            Some(filter.region_id),
            serde_json::json!({
                "after": {
                    "sent": outcome.sent,
                    "skipped": outcome.skipped,
                    "search": filter.search,
                }
            }),
        )?;
        Ok(outcome)
    })
}

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

// ---- Access ---------------------------------------------------------------------------------

/// The region of the path, if this user may see it: 404 for an unknown code, else 403 (logged).
async fn authorised_region(state: &AppState, user: &CurrentUser, code: &str) -> AppResult<Region> {
    let code = code.to_owned();
    let region = run(&state.pool, move |conn| region_by_code(conn, &code))
        .await?
        .ok_or(AppError::NotFound)?;
    if may_see_region(user, region.id) {
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
            search: (!self.q.is_empty()).then(|| self.q.to_lowercase()),
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
    page_count(total, PAGE_SIZE)
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
    let Listing { counts, ids } = listing(filter, &basis);
    let total = ids.len() as i64;
    let page = requested_page.clamp(1, last_page(total));
    let shown = ids
        .chunks(PAGE_SIZE as usize)
        .nth((page - 1) as usize)
        .unwrap_or_default();
    let teachers = teacher_rows(conn, shown, &basis)?;
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
        let name = region.name(lang);
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
        &[("region", Arg::from(region.name(lang)))],
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
    let (basis, ids) = run(&state.pool, move |conn| {
        let basis = basis_of(conn, &shared.region_figures, region_id, at)?;
        let ids = listing(&filter, &basis).ids;
        Ok((basis, ids))
    })
    .await?;
    let pool = state.pool.clone();
    let not_applicable = lang.t("dashboard-not-applicable");
    // Pages of the listing, each read when the client is ready for it.
    let mut next = 0;
    let pages = move || -> anyhow::Result<Vec<export::Row>> {
        while next < ids.len() {
            let chunk = &ids[next..ids.len().min(next + export::PAGE_SIZE as usize)];
            next += chunk.len();
            let rows = teacher_rows(&mut *pool.get()?, chunk, &basis)?;
            if rows.is_empty() {
                // All deleted meanwhile: on to the next page (an empty page ends the file).
                continue;
            }
            return Ok(rows
                .into_iter()
                .map(|t| {
                    vec![
                        Cell::from(t.full_name),
                        Cell::from(t.email),
                        Cell::from(t.school),
                        Cell::from(category_label(lang, t.category.as_deref())),
                        Cell::from(t.status.label(lang)),
                        t.last_activity
                            .map(|at| Cell::from(at.date()))
                            .unwrap_or_else(|| Cell::from(not_applicable.as_str())),
                    ]
                })
                .collect());
        }
        Ok(Vec::new())
    };
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
        &[("region", Arg::from(region.name(lang)))],
    );
    if let Some(status) = TeacherStatus::parse(&form.status) {
        stem = format!("{stem} ({})", status.label(lang));
    }
    export::download(&stem, format, sheet, pages).await
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
