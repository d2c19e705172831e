//! `/dashboard`: the national dashboard for coordinators and administrators — the headline
//! against the target, every region, the monthly trend as a server-drawn SVG chart with its
//! numbers in a table, and the figures by teaching category and by course. Filters live in the
//! query string, so a view can be shared.

use std::cmp::Ordering;

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

use super::chart::{chart, trend_rows, ChartView, TrendRow};
use super::headline::{format_percent, HeadlineView};
use super::{category_name, load_national, NationalView};
use crate::dashboards::forms::Filters;
use crate::dashboards::models::{percent, trend, GroupRow, Headline, RegionRow};
use crate::db::now;
use crate::domain::{Category, Role};
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::policy::may_see_region;
use crate::state::AppState;
use crate::web::extractors::{CurrentUser, Staff};
use crate::web::{render, Ctx};

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

/// A choice in a filter's select box.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
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

pub async fn national(
    ctx: Ctx,
    _: Staff,
    state: web::Data<AppState>,
    query: web::Query<Filters>,
) -> AppResult<HttpResponse> {
    let filters = query.into_inner();
    let today = now().date();
    let view = load_national(&state, &filters, today).await?;
    render(&NationalPage::new(ctx, filters, &view, today))
}

impl NationalPage {
    fn new(ctx: Ctx, filters: Filters, view: &NationalView, today: NaiveDate) -> Self {
        let lang = ctx.lang;
        let figures = &*view.figures;
        let (categories, by_course) = &figures.groups;
        let target = &view.scope.target;
        let period = (target.starts_on, target.deadline);
        let goal = i64::from(target.teachers);
        let headline = Headline::new(&figures.counted, goal, period, today);
        let points = trend(&figures.counted, goal, period, today);
        let base = filters.query();
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
            chart: chart(lang, &points, goal),
            trend: trend_rows(lang, &points),
            headline: HeadlineView::new(lang, &headline),
            regions: region_views(lang, ctx.user.as_ref(), &figures.regions, &filters),
            headers: sort_headers(lang, &filters),
            categories: categories
                .iter()
                .map(|row| group_view(lang, category_name(lang, &row.key), row))
                .collect(),
            courses: by_course
                .iter()
                .map(|row| group_view(lang, figures.course_title(&row.key), row))
                .collect(),
            targets: target_choices(lang, view),
            course_choices: course_choices(view),
            category_choices: category_choices(lang, view),
            period: {
                let (from, to) = view.scope.period.unwrap_or(period);
                format!("{} – {}", lang.date(from), lang.date(to))
            },
            filtered: !base.is_empty(),
            own_region: own_region(lang, ctx.user.as_ref(), &figures.regions),
            filters,
            ctx,
        }
    }

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

/// A coordinator's own region: its code and the link's text.
fn own_region(
    lang: Lang,
    user: Option<&CurrentUser>,
    regions: &[RegionRow],
) -> Option<(String, String)> {
    user.filter(|u| u.role == Role::Coordinator)
        .and_then(|u| regions.iter().find(|r| u.region_id == Some(r.region.id)))
        .map(|r| {
            let name = r.region.name(lang);
            let label = lang.t_args("dashboard-own-region", &[("region", Arg::from(name))]);
            (r.region.code.clone(), label)
        })
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

/// The regions in the order the filters sort them.
fn sorted_regions(lang: Lang, regions: &[RegionRow], filters: &Filters) -> Vec<RegionRow> {
    let mut regions = regions.to_vec();
    let (sort, descending) = sort_of(filters);
    let key = |r: &RegionRow| -> (i64, f64) {
        match sort {
            "registered" => (r.registered, 0.0),
            "enrolled" => (r.enrolled, 0.0),
            "in_progress" => (r.in_progress, 0.0),
            "trained" => (r.trained, 0.0),
            "quota" => (r.quota, 0.0),
            "percent" => (0, percent(r.trained, r.quota)),
            "inclusive" => (0, percent(r.inclusive_schools, r.schools)), // URL word
            _ => (0, 0.0),
        }
    };
    regions.sort_by(|a, b| {
        let order = if sort == "region" {
            a.region.name(lang).cmp(&b.region.name(lang))
        } else {
            key(a).partial_cmp(&key(b)).unwrap_or(Ordering::Equal)
        };
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    regions
}

fn region_views(
    lang: Lang,
    user: Option<&CurrentUser>,
    regions: &[RegionRow],
    filters: &Filters,
) -> Vec<RegionView> {
    sorted_regions(lang, regions, filters)
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
        .collect()
}

/// The regions table's headers, each a link that sorts by it (the other way when it is the
/// current column), keeping the filters.
fn sort_headers(lang: Lang, filters: &Filters) -> Vec<SortHeader> {
    let (sort, descending) = sort_of(filters);
    let base = filters.query();
    REGION_COLUMNS
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
        .collect()
}

fn group_view(lang: Lang, name: String, row: &GroupRow) -> GroupView {
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

fn target_choices(lang: Lang, view: &NationalView) -> Vec<Choice> {
    view.targets
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
            selected: t.id == view.scope.target.id,
        })
        .collect()
}

fn course_choices(view: &NationalView) -> Vec<Choice> {
    view.figures
        .courses
        .iter()
        .filter(|c| c.counts_toward_target)
        .map(|c| Choice {
            value: c.id.to_string(),
            label: c.title.clone(),
            selected: view.scope.course_id == Some(c.id),
        })
        .collect()
}

fn category_choices(lang: Lang, view: &NationalView) -> Vec<Choice> {
    Category::ALL
        .iter()
        .map(|c| Choice {
            value: c.as_str().to_owned(),
            label: lang.t(c.label_key()),
            selected: view.scope.category.as_deref() == Some(c.as_str()),
        })
        .collect()
}
