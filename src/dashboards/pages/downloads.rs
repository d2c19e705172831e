//! The dashboards' tables as CSV or XLSX, with numbers as numbers: the national page's tables
//! (`/dashboard/{table}.{csv|xlsx}`, with the page's filters) and a region's schools and
//! teachers. The figures are the cached ones the pages show.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;

use super::{
    authorised_region, category_label, category_name, load_national, yes_no, NationalView,
};
use crate::dashboards::forms::{Filters, RegionQuery, TeacherForm};
use crate::dashboards::models::national::NationalFigures;
use crate::dashboards::models::regional::{
    basis_of, listing, region_figures, teacher_rows, StatusBasis, TeacherRow, TeacherStatus,
};
use crate::dashboards::models::{percent, trend, GroupRow};
use crate::db::{now, DbPool};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::web::download::{self as export, Cell, Format, Row, RowPages, Sheet};
use crate::web::extractors::Staff;
use crate::web::{run, Ctx};

/// A table of the national page: its title, headers and rows.
struct Table {
    title: String,
    headers: Vec<String>,
    rows: Vec<Row>,
}

fn translated(lang: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| lang.t(key)).collect()
}

fn ratio(part: i64, whole: i64) -> Cell {
    Cell::Percent(percent(part, whole) / 100.0)
}

/// `/dashboard/{table}.{csv|xlsx}` with the page's filters.
pub async fn national_table(
    ctx: Ctx,
    _: Staff,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    query: web::Query<Filters>,
) -> AppResult<HttpResponse> {
    let (table, format) = path.into_inner();
    let format = Format::parse(&format).ok_or(AppError::NotFound)?;
    let today = now().date();
    let view = load_national(&state, &query.into_inner(), today).await?;
    let lang = ctx.lang;
    let Table {
        title,
        headers,
        rows,
    } = match table.as_str() {
        "regions" => regions_table(lang, &view.figures),
        "trend" => trend_table(lang, &view, today),
        "categories" => groups_table(
            lang,
            ("dashboard-categories-heading", "dashboard-col-category"),
            &view.figures.groups.0,
            |key| category_name(lang, key),
        ),
        _ => groups_table(
            lang,
            ("dashboard-courses-heading", "dashboard-col-course"),
            &view.figures.groups.1,
            |key| view.figures.course_title(key),
        ),
    };
    let stem = format!("{} {}", title, today.format("%Y-%m-%d"));
    let sheet = Sheet::new(title, headers);
    export::download(&stem, format, sheet, export::in_memory(rows)).await
}

fn regions_table(lang: Lang, figures: &NationalFigures) -> Table {
    let headers = translated(
        lang,
        &[
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
        ],
    );
    let rows = figures
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
        .collect();
    Table {
        title: lang.t("dashboard-regions-heading"),
        headers,
        rows,
    }
}

fn trend_table(lang: Lang, view: &NationalView, today: NaiveDate) -> Table {
    let target = &view.scope.target;
    let points = trend(
        &view.figures.counted,
        i64::from(target.teachers),
        (target.starts_on, target.deadline),
        today,
    );
    Table {
        title: lang.t("dashboard-trend-heading"),
        headers: translated(
            lang,
            &[
                "dashboard-col-month",
                "dashboard-legend-actual",
                "dashboard-legend-planned",
            ],
        ),
        rows: points
            .iter()
            .map(|p| {
                vec![
                    Cell::from(p.month),
                    Cell::from(p.cumulative),
                    Cell::from(p.planned),
                ]
            })
            .collect(),
    }
}

/// By teaching category or by course: the table `title_key` names, `first_key` heading the
/// column of each group's `name`.
fn groups_table(
    lang: Lang,
    (title_key, first_key): (&str, &str),
    groups: &[GroupRow],
    name: impl Fn(&str) -> String,
) -> Table {
    let headers = translated(
        lang,
        &[
            first_key,
            "dashboard-col-enrolments",
            "dashboard-col-completed",
            "dashboard-col-rate",
            "dashboard-col-median-days",
        ],
    );
    let rows = groups
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
        .collect();
    Table {
        title: lang.t(title_key),
        headers,
        rows,
    }
}

// ---- A region's tables ----------------------------------------------------------------------

fn format_of(raw: &RegionQuery) -> AppResult<Format> {
    Format::parse(raw.format.trim()).ok_or(AppError::NotFound)
}

pub async fn region_schools(
    ctx: Ctx,
    Staff(user): Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RegionQuery>,
) -> AppResult<HttpResponse> {
    let region = authorised_region(&state, &user, &path).await?;
    let format = format_of(&query)?;
    let lang = ctx.lang;
    let today = now().date();
    let region_id = region.id;
    let shared = state.clone();
    let figures = run(&state.pool, move |conn| {
        region_figures(conn, &shared.region_figures, region_id, today)
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
                Cell::from(yes_no(lang, s.inclusive)),
            ]
        })
        .collect();
    let sheet = Sheet::new(
        lang.t("regional-schools-heading"),
        translated(
            lang,
            &[
                "regional-col-school",
                "regional-col-district",
                "regional-col-registered",
                "regional-col-trained",
                "regional-col-inclusive",
            ],
        ),
    );
    let stem = lang.t_args(
        "regional-schools-file",
        &[("region", Arg::from(region.name(lang)))],
    );
    export::download(&stem, format, sheet, export::in_memory(rows)).await
}

pub async fn region_teachers(
    ctx: Ctx,
    Staff(user): Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RegionQuery>,
) -> AppResult<HttpResponse> {
    let region = authorised_region(&state, &user, &path).await?;
    let format = format_of(&query)?;
    let lang = ctx.lang;
    let form = TeacherForm::parse(&query.q, &query.status).map_err(AppError::Invalid)?;
    let filter = form.filter(region.id);
    let at = now();
    let shared = state.clone();
    let (basis, ids) = run(&state.pool, move |conn| {
        let basis = basis_of(conn, &shared.region_figures, filter.region_id, at)?;
        let ids = listing(&filter, &basis).ids;
        Ok((basis, ids))
    })
    .await?;
    let sheet = Sheet::new(
        lang.t("regional-teachers-heading"),
        translated(
            lang,
            &[
                "regional-col-name",
                "regional-col-email",
                "regional-col-school",
                "regional-col-category",
                "regional-col-status",
                "regional-col-last-activity",
            ],
        ),
    );
    let mut stem = lang.t_args(
        "regional-teachers-file",
        &[("region", Arg::from(region.name(lang)))],
    );
    if let Some(status) = TeacherStatus::parse(&form.status) {
        stem = format!("{stem} ({})", lang.t(status.label_key()));
    }
    let pages = teacher_pages(state.pool.clone(), lang, ids, basis);
    export::download(&stem, format, sheet, pages).await
}

/// The listed teachers (`ids`), a page at a time, each read when the client is ready for it.
fn teacher_pages(pool: DbPool, lang: Lang, ids: Vec<i32>, basis: StatusBasis) -> impl RowPages {
    let not_applicable = lang.t("dashboard-not-applicable");
    let mut next = 0;
    move || -> anyhow::Result<Vec<Row>> {
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
                .map(|t| teacher_cells(lang, t, &not_applicable))
                .collect());
        }
        Ok(Vec::new())
    }
}

fn teacher_cells(lang: Lang, t: TeacherRow, not_applicable: &str) -> Row {
    let category = category_label(lang, t.category.as_deref());
    vec![
        Cell::from(t.full_name),
        Cell::from(t.email),
        Cell::from(t.school),
        Cell::from(category),
        Cell::from(lang.t(t.status.label_key())),
        t.last_activity
            .map(|at| Cell::from(at.date()))
            .unwrap_or_else(|| Cell::from(not_applicable)),
    ]
}
