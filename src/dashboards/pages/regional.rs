//! `/dashboard/regions/{code}`: one region's dashboard — the headline against the region's
//! quota, its schools, its teachers by status (with search and pages) — and reminders to the
//! teachers who stalled. A coordinator sees their own region only; an administrator sees every
//! region (`crate::policy::may_see_region`). How a teacher's status is decided is in
//! `crate::dashboards::models::regional`.

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::headline::{format_percent, HeadlineView};
use super::{authorised_region, category_label, yes_no};
use crate::dashboards::cache::Cache;
use crate::dashboards::forms::{RegionQuery, ReminderForm, TeacherForm};
use crate::dashboards::models::percent;
use crate::dashboards::models::regional::{
    basis_of, listing, teacher_rows, Listing, RegionFigures, SchoolRow, TeacherFilter, TeacherRow,
    TeacherStatus,
};
use crate::dashboards::ops::{send_reminders, ReminderOutcome};
use crate::db::{now, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::schools::models::Region;
use crate::state::AppState;
use crate::web::extractors::{Posted, Staff};
use crate::web::pagination::{page_count, paginate_with, Pagination};
use crate::web::{render, run, see_other, Ctx};

/// Teachers (and schools) per page.
pub const PAGE_SIZE: i64 = 50;

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

pub async fn dashboard(
    ctx: Ctx,
    Staff(user): Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RegionQuery>,
) -> AppResult<HttpResponse> {
    let region = authorised_region(&state, &user, &path).await?;
    let raw = query.into_inner();
    let form = TeacherForm::parse(&raw.q, &raw.status).map_err(AppError::Invalid)?;
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

/// Reminds the stalled teachers the list's filter shows (none if it shows another status),
/// then back to the list with how many were sent and skipped.
pub async fn remind(
    Staff(user): Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    Posted(posted): Posted<ReminderForm>,
) -> AppResult<HttpResponse> {
    let region = authorised_region(&state, &user, &path).await?;
    let form = TeacherForm::parse(&posted.q, &posted.status).map_err(AppError::Invalid)?;
    let filter = form.filter(region.id);
    let at = now();
    let outcome = if matches!(filter.status, None | Some(TeacherStatus::Stalled)) {
        let base_url = state.settings.base_url.clone();
        let shared = state.clone();
        let actor = user.id;
        run(&state.pool, move |conn| {
            let basis = basis_of(conn, &shared.region_figures, filter.region_id, at)?;
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
    Ok(see_other(format!(
        "/dashboard/regions/{}?{}sent={}&skipped={}#reminders",
        region.code,
        form.query(),
        outcome.sent,
        outcome.skipped
    )))
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
        let base = format!("/dashboard/regions/{}", region.code);
        let schools = &data.figures.schools;
        let school_pages = last_page(schools.len() as i64);
        let school_page = raw
            .schools_page
            .trim()
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, school_pages);
        let filters_query = form.query();
        // The schools' links keep the teachers' filters and page.
        let schools_query = match page {
            1 => filters_query.clone(),
            _ => format!("{filters_query}page={page}&"),
        };
        let stalled_matching = data.counts[TeacherStatus::Stalled as usize];
        let reminders_apply = matches!(status, None | Some(TeacherStatus::Stalled));
        let (headline, target_line, quota_note) = headline_parts(lang, &data.figures);
        let caption = |key: &str, page: i64, pages: i64| {
            lang.t_args(
                key,
                &[("page", Arg::from(page)), ("pages", Arg::from(pages))],
            )
        };
        RegionalPage {
            title: lang.t_args(
                "regional-title",
                &[("region", Arg::from(region.name(lang)))],
            ),
            target_line,
            headline,
            quota_note,
            notice: reminders_notice(lang, raw),
            inclusive_summary: inclusive_summary(lang, schools),
            schools: school_views(lang, schools, school_page),
            schools_caption: caption("regional-schools-caption", school_page, school_pages),
            schools_pagination: pager(
                lang,
                &base,
                &schools_query,
                "schools_page",
                "schools",
                school_page,
                school_pages,
            ),
            statuses: status_links(lang, &form, &data.counts, &base),
            teachers: data
                .teachers
                .iter()
                .map(|t| teacher_view(lang, t))
                .collect(),
            teachers_summary: lang.t_args(
                "regional-teachers-count",
                &[
                    ("count", Arg::from(total)),
                    ("shown", Arg::from(lang.number(total))),
                ],
            ),
            teachers_caption: caption("regional-teachers-caption", page, teacher_pages),
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
            code: region.code.clone(),
            ctx,
        }
    }
}

/// The headline, the line naming the target and its period, and the note on the quota: all
/// blank without a national target.
fn headline_parts(lang: Lang, figures: &RegionFigures) -> (Option<HeadlineView>, String, String) {
    match &figures.progress {
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
    }
}

/// After reminders were sent (`?sent=…&skipped=…`): how many, and how many were skipped.
fn reminders_notice(lang: Lang, raw: &RegionQuery) -> Option<String> {
    match (
        raw.sent.trim().parse::<i64>(),
        raw.skipped.trim().parse::<i64>(),
    ) {
        (Ok(sent), Ok(skipped)) if sent >= 0 && skipped >= 0 => Some(lang.t_args(
            "regional-reminders-done",
            &[("sent", Arg::from(sent)), ("skipped", Arg::from(skipped))],
        )),
        _ => None,
    }
}

fn inclusive_summary(lang: Lang, schools: &[SchoolRow]) -> String {
    let inclusive = schools.iter().filter(|s| s.inclusive).count() as i64;
    let all = schools.len() as i64;
    lang.t_args(
        "regional-inclusive-summary",
        &[
            ("inclusive", Arg::from(lang.number(inclusive))),
            ("schools", Arg::from(lang.number(all))),
            (
                "percent",
                Arg::from(format_percent(lang, percent(inclusive, all))),
            ),
        ],
    )
}

/// The schools of the page `page`.
fn school_views(lang: Lang, schools: &[SchoolRow], page: i64) -> Vec<SchoolView> {
    schools
        .iter()
        .skip(((page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .map(|s| SchoolView {
            name: s.name.clone(),
            district: s.district.clone().unwrap_or_default(),
            registered: lang.number(s.registered),
            trained: lang.number(s.trained),
            inclusive: s.inclusive,
            inclusive_label: yes_no(lang, s.inclusive),
        })
        .collect()
}

/// A link per status, with how many of the search's teachers have it.
fn status_links(lang: Lang, form: &TeacherForm, counts: &[i64; 4], base: &str) -> Vec<StatusLink> {
    let current = TeacherStatus::parse(&form.status);
    TeacherStatus::ALL
        .iter()
        .map(|s| {
            let only = TeacherForm {
                q: form.q.clone(),
                status: s.as_str().to_owned(),
            };
            StatusLink {
                value: s.as_str(),
                label: lang.t(s.label_key()),
                count: lang.number(counts[*s as usize]),
                href: format!("{base}?{}#teachers", only.query().trim_end_matches('&')),
                selected: current == Some(*s),
            }
        })
        .collect()
}

fn teacher_view(lang: Lang, t: &TeacherRow) -> TeacherView {
    TeacherView {
        name: t.full_name.clone(),
        email: t.email.clone(),
        school: t.school.clone().unwrap_or_default(),
        category: category_label(lang, t.category.as_deref()),
        status: t.status.as_str(),
        status_label: lang.t(t.status.label_key()),
        last_activity: t
            .last_activity
            .map(|at| lang.date(at.date()))
            .unwrap_or_else(|| lang.t("dashboard-not-applicable")),
    }
}
