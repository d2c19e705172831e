//! `/dashboard`: the national dashboard for coordinators and administrators — the headline
//! against the target, every region, the monthly trend as a server-drawn SVG chart with its
//! numbers in a table, and the figures by teaching category and by course. Filters live in the
//! query string, so a view can be shared.

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::models::{
    self as m, by_category_and_course, by_region, counted, percent, trend, Headline, Scope, Target,
    TrendPoint,
};
use crate::courses::models::Course;
use crate::db::now;
use crate::domain::{Category, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::policy::may_see_region;
use crate::schema::{courses, targets};
use crate::state::AppState;
use crate::web::download::{self as export, Cell, Format, Sheet};
use crate::web::extractors::Staff;
use crate::web::{encode_query_value, render, run, Ctx};
use diesel::prelude::*;

/// What the national page computes; cached per view and data version (see `super::cache`).
pub struct NationalFigures {
    pub counted: Vec<m::Counted>,
    pub regions: Vec<m::RegionRow>,
    pub groups: (Vec<m::GroupRow>, Vec<m::GroupRow>),
    pub courses: Vec<Course>,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard", web::get().to(national)).route(
        r"/dashboard/{table:regions|trend|categories|courses}.{format:csv|xlsx}",
        web::get().to(download),
    );
}

// ---- The headline, shared with the regional dashboard --------------------------------------

/// The headline in words and numbers, ready for `templates/dashboards/headline.html`.
pub struct HeadlineView {
    /// "31,204 of 30,000"
    pub figure: String,
    pub percent: String,
    /// Width of the bar, 0–100.
    pub bar: i64,
    pub deadline: String,
    /// "Reached on 19 November 2025", "412 days left" or "The deadline has passed."
    pub status: String,
    pub pace: String,
    pub needed: String,
    pub projected: String,
}

fn per_month(lang: Lang, value: f64) -> String {
    lang.t_args(
        "dashboard-per-month",
        &[("count", Arg::from(lang.number(value.round() as i64)))],
    )
}

impl HeadlineView {
    pub fn new(lang: Lang, h: &Headline) -> Self {
        let status = match h.reached_on {
            Some(day) => lang.t_args(
                "dashboard-reached-on",
                &[("date", Arg::from(lang.date(day)))],
            ),
            None if h.days_left > 0 => {
                lang.t_args("progress-days-left", &[("count", Arg::from(h.days_left))])
            }
            None => lang.t("progress-deadline-passed"),
        };
        let percent_value = h.percent();
        Self {
            figure: lang.t_args(
                "dashboard-figure",
                &[
                    ("trained", Arg::from(lang.number(h.trained))),
                    ("target", Arg::from(lang.number(h.target))),
                ],
            ),
            percent: format_percent(lang, percent_value),
            bar: percent_value.clamp(0.0, 100.0).round() as i64,
            deadline: lang.date(h.deadline),
            status,
            pace: per_month(lang, h.pace_per_month),
            needed: match h.needed_per_month {
                Some(n) => per_month(lang, n),
                None => lang.t("dashboard-not-applicable"),
            },
            projected: match (h.reached_on, h.projected_on) {
                (Some(_), _) => lang.t("dashboard-already-reached"),
                (None, Some(day)) => lang.date(day),
                (None, None) => lang.t("dashboard-no-projection"),
            },
        }
    }
}

/// "104%" or "33.3%", with the language's decimal sign.
pub fn format_percent(lang: Lang, value: f64) -> String {
    let text = if (value - value.round()).abs() < 0.05 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    };
    match lang {
        Lang::En => format!("{text}%"),
        Lang::Kk | Lang::Ru => format!("{}\u{a0}%", text.replace('.', ",")),
    }
}

// ---- Filters ----------------------------------------------------------------------------------

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
}

/// A choice in a filter's select box.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The scope the filters describe. Unknown values are ignored (the default view), since a
/// shared link may outlive a course or a target.
fn scope_of(filters: &Filters, targets: &[Target], national: &Target) -> Scope {
    let target = filters
        .target
        .parse::<i32>()
        .ok()
        .and_then(|id| targets.iter().find(|t| t.id == id))
        .unwrap_or(national)
        .clone();
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let period = match (date(&filters.from), date(&filters.to)) {
        (None, None) => None,
        (from, to) => Some((
            from.unwrap_or(target.starts_on),
            to.unwrap_or(target.deadline),
        )),
    };
    Scope {
        course_id: filters.course.parse().ok(),
        category: Category::parse(&filters.category)
            .ok()
            .map(|c| c.as_str().to_owned()),
        period,
        region_id: None,
        target,
    }
}

// ---- The trend chart ----------------------------------------------------------------------

/// Chart geometry in SVG user units.
const CHART_W: f64 = 720.0;
const CHART_H: f64 = 300.0;
const PAD_L: f64 = 64.0;
const PAD_R: f64 = 16.0;
const PAD_T: f64 = 16.0;
const PAD_B: f64 = 40.0;

pub struct ChartView {
    pub actual: String,
    pub planned: String,
    /// (y, label) of horizontal grid lines.
    pub y_ticks: Vec<(f64, String)>,
    /// (x, label) of the year marks.
    pub x_ticks: Vec<(f64, String)>,
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub bottom: f64,
    pub right: f64,
}

pub struct TrendRow {
    pub month: String,
    pub cumulative: String,
    pub planned: String,
}

fn chart(lang: Lang, points: &[TrendPoint], target: i64) -> ChartView {
    let max = points
        .iter()
        .map(|p| p.cumulative.max(p.planned))
        .max()
        .unwrap_or(0)
        .max(target)
        .max(1);
    let n = points.len().max(2) - 1;
    let x = |i: usize| PAD_L + (CHART_W - PAD_L - PAD_R) * i as f64 / n as f64;
    let y = |v: i64| CHART_H - PAD_B - (CHART_H - PAD_T - PAD_B) * v as f64 / max as f64;
    let line = |value: &dyn Fn(&TrendPoint) -> i64| {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(value(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let step = nice_step(max);
    let y_ticks = (0..=max / step)
        .map(|k| (y(k * step), lang.number(k * step)))
        .collect();
    let x_ticks = points
        .iter()
        .enumerate()
        .filter(|(_, p)| chrono::Datelike::month(&p.month) == 1)
        .map(|(i, p)| (x(i), chrono::Datelike::year(&p.month).to_string()))
        .collect();
    ChartView {
        actual: line(&|p| p.cumulative),
        planned: line(&|p| p.planned),
        y_ticks,
        x_ticks,
        width: CHART_W,
        height: CHART_H,
        left: PAD_L,
        bottom: CHART_H - PAD_B,
        right: CHART_W - PAD_R,
    }
}

/// A round step giving four to eight grid lines up to `max`.
fn nice_step(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if max / (step * factor) <= 7 {
                return step * factor;
            }
        }
        step *= 10;
    }
}

// ---- The national dashboard ---------------------------------------------------------------

pub struct RegionView {
    pub code: String,
    /// Whether this user may open the region's dashboard (a coordinator: their own only).
    pub link: bool,
    pub name: String,
    pub registered: String,
    pub enrolled: String,
    pub in_progress: String,
    pub trained: String,
    pub quota: String,
    pub quota_is_target: bool,
    pub percent: String,
    pub bar: i64,
    pub inclusive: String,
}

pub struct GroupView {
    pub name: String,
    pub enrolled: String,
    pub completed: String,
    pub rate: String,
    pub median: String,
}

/// A sortable column header: its link and the current `aria-sort`.
pub struct SortHeader {
    pub key: &'static str,
    pub label: String,
    pub href: String,
    /// "ascending", "descending" or "none"
    pub aria_sort: &'static str,
}

#[derive(Template)]
#[template(path = "dashboards/national.html")]
pub struct NationalPage {
    pub ctx: Ctx,
    pub target_name: String,
    pub headline: HeadlineView,
    pub regions: Vec<RegionView>,
    pub headers: Vec<SortHeader>,
    pub chart: ChartView,
    pub chart_title: String,
    pub chart_description: String,
    pub trend: Vec<TrendRow>,
    pub categories: Vec<GroupView>,
    pub courses: Vec<GroupView>,
    pub targets: Vec<Choice>,
    pub course_choices: Vec<Choice>,
    pub category_choices: Vec<Choice>,
    pub filters: Filters,
    pub filtered: bool,
    pub period: String,
    /// A coordinator's own region (code, link text), to go straight to its dashboard.
    pub own_region: Option<(String, String)>,
}

const REGION_COLUMNS: [&str; 8] = [
    "region",
    "registered",
    "enrolled",
    "in_progress",
    "trained",
    "quota",
    "percent",
    "inclusive",
];

fn group_view(lang: Lang, name: String, row: &m::GroupRow) -> GroupView {
    GroupView {
        name,
        enrolled: lang.number(row.enrolled),
        completed: lang.number(row.completed),
        rate: format_percent(lang, row.completion_rate()),
        median: row
            .median_days
            .map(|d| lang.t_args("dashboard-days", &[("count", Arg::from(d.round() as i64))]))
            .unwrap_or_else(|| lang.t("dashboard-not-applicable")),
    }
}

/// The view the filters describe, with its (cached) figures.
async fn load(
    state: &web::Data<AppState>,
    filters: &Filters,
    today: NaiveDate,
) -> AppResult<(Scope, Vec<Target>, Arc<NationalFigures>)> {
    let filters = filters.clone();
    let state = state.clone();
    run(&state.pool.clone(), move |conn| {
        let Some(national) = m::current_national_target(conn, today)? else {
            return Ok(None);
        };
        let all_targets: Vec<Target> = targets::table
            .order((targets::region_id.is_not_null(), targets::deadline.desc()))
            .select(Target::as_select())
            .load(conn)?;
        let scope = scope_of(&filters, &all_targets, &national);
        let key = format!(
            "national {} {:?} {:?} {:?}",
            scope.target.id, scope.period, scope.course_id, scope.category
        );
        let figures = state.national_figures.get_or_compute(conn, &key, |conn| {
            let counted = counted(conn, &scope)?;
            Ok(NationalFigures {
                regions: by_region(conn, &scope, &counted)?,
                groups: by_category_and_course(conn, &scope)?,
                courses: courses::table
                    .filter(courses::status.ne("draft"))
                    .order(courses::title)
                    .select(Course::as_select())
                    .load(conn)?,
                counted,
            })
        })?;
        Ok(Some((scope, all_targets, figures)))
    })
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn national(
    ctx: Ctx,
    _: Staff,
    state: web::Data<AppState>,
    query: web::Query<Filters>,
) -> AppResult<HttpResponse> {
    let filters = query.into_inner();
    let today = now().date();
    let (scope, all_targets, figures) = load(&state, &filters, today).await?;
    let NationalFigures {
        counted,
        regions,
        groups: (categories, by_course),
        courses: course_list,
    } = &*figures;
    let lang = ctx.lang;
    let user = ctx.user.as_ref();
    let own_region = user
        .filter(|u| u.role == Role::Coordinator)
        .and_then(|u| regions.iter().find(|r| u.region_id == Some(r.region.id)))
        .map(|r| {
            let name = r.region.name(lang);
            let label = lang.t_args("dashboard-own-region", &[("region", Arg::from(name))]);
            (r.region.code.clone(), label)
        });
    let target = &scope.target;
    let period = (target.starts_on, target.deadline);
    let headline = Headline::new(counted, i64::from(target.teachers), period, today);
    let points = trend(counted, i64::from(target.teachers), period, today);

    let mut regions = regions.clone();
    let (sort, descending) = sort_of(&filters);
    regions.sort_by(|a, b| {
        let key = |r: &m::RegionRow| -> (i64, f64) {
            match sort {
                "registered" => (r.registered, 0.0),
                "enrolled" => (r.enrolled, 0.0),
                "in_progress" => (r.in_progress, 0.0),
                "trained" => (r.trained, 0.0),
                "quota" => (r.quota, 0.0),
                "percent" => (0, percent(r.trained, r.quota)),
                "inclusive" => (0, percent(r.inclusive_schools, r.schools)),
                _ => (0, 0.0),
            }
        };
        let order = if sort == "region" {
            a.region.name(lang).cmp(&b.region.name(lang))
        } else {
            key(a)
                .partial_cmp(&key(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        };
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    let base = filters.query();
    let headers = REGION_COLUMNS
        .iter()
        .map(|key| {
            let active = *key == sort;
            let next_dir = if active && !descending { "desc" } else { "asc" };
            let mut href = format!("/dashboard?sort={key}&dir={next_dir}");
            if !base.is_empty() {
                href.push('&');
                href.push_str(&base);
            }
            SortHeader {
                key,
                label: lang.t(&format!("dashboard-col-{}", key.replace('_', "-"))),
                href: format!("{href}#regions"),
                aria_sort: match (active, descending) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
            }
        })
        .collect();
    let course_name = |key: &str| {
        course_list
            .iter()
            .find(|c| c.id.to_string() == key)
            .map(|c| c.title.clone())
            .unwrap_or_else(|| key.to_owned())
    };
    let page =
        NationalPage {
            target_name: target.name.clone(),
            chart_title: lang.t("dashboard-trend-title"),
            chart_description: lang.t_args(
                "dashboard-trend-description",
                &[
                    ("trained", Arg::from(lang.number(headline.trained))),
                    ("target", Arg::from(lang.number(headline.target))),
                    ("deadline", Arg::from(lang.date(target.deadline))),
                ],
            ),
            chart: chart(lang, &points, i64::from(target.teachers)),
            trend: points
                .iter()
                .map(|p| TrendRow {
                    month: lang.t_args(
                        "dashboard-month",
                        &[
                            (
                                "month",
                                Arg::from(lang.t(&format!(
                                    "month-name-{}",
                                    chrono::Datelike::month(&p.month)
                                ))),
                            ),
                            (
                                "year",
                                Arg::from(chrono::Datelike::year(&p.month).to_string()),
                            ),
                        ],
                    ),
                    cumulative: lang.number(p.cumulative),
                    planned: lang.number(p.planned),
                })
                .collect(),
            headline: HeadlineView::new(lang, &headline),
            regions: regions
                .iter()
                .map(|r| {
                    let pct = percent(r.trained, r.quota);
                    RegionView {
                        link: user.is_some_and(|u| may_see_region(u, r.region.id)),
                        code: r.region.code.clone(),
                        name: r.region.name(lang),
                        registered: lang.number(r.registered),
                        enrolled: lang.number(r.enrolled),
                        in_progress: lang.number(r.in_progress),
                        trained: lang.number(r.trained),
                        quota: lang.number(r.quota),
                        quota_is_target: r.quota_is_target,
                        percent: format_percent(lang, pct),
                        bar: pct.clamp(0.0, 100.0).round() as i64,
                        inclusive: format!(
                            "{} ({} / {})",
                            format_percent(lang, percent(r.inclusive_schools, r.schools)),
                            lang.number(r.inclusive_schools),
                            lang.number(r.schools)
                        ),
                    }
                })
                .collect(),
            headers,
            categories: categories
                .iter()
                .map(|row| {
                    let name = Category::parse(&row.key)
                        .map(|c| lang.t(c.label_key()))
                        .unwrap_or_else(|_| row.key.clone());
                    group_view(lang, name, row)
                })
                .collect(),
            courses: by_course
                .iter()
                .map(|row| group_view(lang, course_name(&row.key), row))
                .collect(),
            targets: all_targets
                .iter()
                .filter(|t| t.region_id.is_none())
                .map(|t| Choice {
                    value: t.id.to_string(),
                    label: format!(
                        "{} ({}–{})",
                        t.name,
                        lang.date(t.starts_on),
                        lang.date(t.deadline)
                    ),
                    selected: t.id == target.id,
                })
                .collect(),
            course_choices: course_list
                .iter()
                .filter(|c| c.counts_toward_target)
                .map(|c| Choice {
                    value: c.id.to_string(),
                    label: c.title.clone(),
                    selected: scope.course_id == Some(c.id),
                })
                .collect(),
            category_choices: Category::ALL
                .iter()
                .map(|c| Choice {
                    value: c.as_str().to_owned(),
                    label: lang.t(c.label_key()),
                    selected: scope.category.as_deref() == Some(c.as_str()),
                })
                .collect(),
            period: {
                let (from, to) = scope.period.unwrap_or(period);
                format!("{} – {}", lang.date(from), lang.date(to))
            },
            filtered: !base.is_empty(),
            filters,
            own_region,
            ctx,
        };
    render(&page)
}

impl NationalPage {
    /// `?filters` for download links, so a download shows what the page shows.
    fn query_suffix(&self) -> String {
        let query = self.filters.query();
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    }
}

/// The sort column (one of REGION_COLUMNS; by default the share of the quota, lowest first, so
/// the regions that lag come first) and whether it is descending.
fn sort_of(filters: &Filters) -> (&'static str, bool) {
    let sort = REGION_COLUMNS
        .iter()
        .find(|c| **c == filters.sort)
        .copied()
        .unwrap_or("percent");
    (sort, filters.dir == "desc")
}

/// `/dashboard/{table}.{csv|xlsx}` with the page's filters: the table as a spreadsheet, with
/// numbers as numbers (the figures are the cached ones the page shows).
pub async fn download(
    ctx: Ctx,
    _: Staff,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    query: web::Query<Filters>,
) -> AppResult<HttpResponse> {
    let (table, format) = path.into_inner();
    let format = Format::parse(&format).ok_or(AppError::NotFound)?;
    let filters = query.into_inner();
    let today = now().date();
    let (scope, _, figures) = load(&state, &filters, today).await?;
    let lang = ctx.lang;
    let t = |key: &str| lang.t(key);
    let target = &scope.target;
    let ratio = |part: i64, whole: i64| Cell::Percent(percent(part, whole) / 100.0);
    let (title, headers, rows): (String, Vec<String>, Vec<Vec<Cell>>) = match table.as_str() {
        "regions" => (
            t("dashboard-regions-heading"),
            [
                "dashboard-col-code",
                "dashboard-col-region",
                "dashboard-col-registered",
                "dashboard-col-enrolled",
                "dashboard-col-in-progress",
                "dashboard-col-trained",
                "dashboard-col-quota",
                "dashboard-col-percent",
                "dashboard-col-schools",
                "dashboard-col-inclusive-schools",
                "dashboard-col-inclusive",
            ]
            .iter()
            .map(|k| t(k))
            .collect(),
            figures
                .regions
                .iter()
                .map(|r| {
                    vec![
                        Cell::from(r.region.code.as_str()),
                        Cell::from(r.region.name(lang)),
                        Cell::from(r.registered),
                        Cell::from(r.enrolled),
                        Cell::from(r.in_progress),
                        Cell::from(r.trained),
                        Cell::from(r.quota),
                        ratio(r.trained, r.quota),
                        Cell::from(r.schools),
                        Cell::from(r.inclusive_schools),
                        ratio(r.inclusive_schools, r.schools),
                    ]
                })
                .collect(),
        ),
        "trend" => (
            t("dashboard-trend-heading"),
            [
                "dashboard-col-month",
                "dashboard-legend-actual",
                "dashboard-legend-planned",
            ]
            .iter()
            .map(|k| t(k))
            .collect(),
            trend(
                &figures.counted,
                i64::from(target.teachers),
                (target.starts_on, target.deadline),
                today,
            )
            .iter()
            .map(|p| {
                vec![
                    Cell::from(p.month),
                    Cell::from(p.cumulative),
                    Cell::from(p.planned),
                ]
            })
            .collect(),
        ),
        _ => {
            let (categories, by_course) = &figures.groups;
            let (title, first, groups) = if table == "categories" {
                (
                    t("dashboard-categories-heading"),
                    t("dashboard-col-category"),
                    categories,
                )
            } else {
                (
                    t("dashboard-courses-heading"),
                    t("dashboard-col-course"),
                    by_course,
                )
            };
            let name = |key: &str| {
                if table == "categories" {
                    Category::parse(key)
                        .map(|c| lang.t(c.label_key()))
                        .unwrap_or_else(|_| key.to_owned())
                } else {
                    figures
                        .courses
                        .iter()
                        .find(|c| c.id.to_string() == key)
                        .map(|c| c.title.clone())
                        .unwrap_or_else(|| key.to_owned())
                }
            };
            (
                title,
                std::iter::once(first)
                    .chain(
                        [
                            "dashboard-col-enrolments",
                            "dashboard-col-completed",
                            "dashboard-col-rate",
                            "dashboard-col-median-days",
                        ]
                        .iter()
                        .map(|k| t(k)),
                    )
                    .collect(),
                groups
                    .iter()
                    .map(|g| {
                        vec![
                            Cell::from(name(&g.key)),
                            Cell::from(g.enrolled),
                            Cell::from(g.completed),
                            ratio(g.completed, g.enrolled),
                            Cell::from(g.median_days),
                        ]
                    })
                    .collect(),
            )
        }
    };
    let stem = format!("{} {}", title, today.format("%Y-%m-%d"));
    export::download(
        &stem,
        format,
        Sheet::new(title, headers),
        export::in_memory(rows),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_read_naturally_in_each_language() {
        assert_eq!(format_percent(Lang::En, 104.0), "104%");
        assert_eq!(format_percent(Lang::En, 33.3), "33.3%");
        assert_eq!(format_percent(Lang::Ru, 33.3), "33,3\u{a0}%");
        assert_eq!(format_percent(Lang::Kk, 70.0), "70\u{a0}%");
    }

    #[test]
    fn grid_steps_are_round() {
        assert_eq!(nice_step(7), 1);
        assert_eq!(nice_step(30_000), 5_000);
        assert_eq!(nice_step(31_365), 5_000);
        assert_eq!(nice_step(120), 20);
    }
}
