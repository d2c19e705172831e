//! Schools, region by region: the list with the share that has created conditions for inclusive
//! education (the national "70% of schools" figure comes from the same flag), and the add and
//! edit forms.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{SchoolKind, Version};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::schools::forms::{SchoolCommand, SchoolForm};
use crate::schools::models::{
    all_regions, find_school, region_choices, schools_of_regions, RegionChoice, SchoolRow,
};
use crate::schools::ops::{save_school, Saved};
use crate::state::AppState;
use crate::web::extractors::{Admin, Posted};
use crate::web::{render, run, submit, Ctx, FormErrors, Submitted};

// ---- The list -----------------------------------------------------------------------------

pub struct SchoolView {
    pub id: i32,
    pub name: String,
    pub kind: String,
    pub district: String,
    pub inclusive: bool,
}

impl SchoolView {
    fn of(school: SchoolRow, lang: Lang) -> Self {
        Self {
            id: school.id,
            kind: school
                .kind()
                .map(|k| lang.t(k.label_key()))
                .unwrap_or_else(|| school.kind.clone()),
            name: school.name,
            district: school.district.unwrap_or_default(),
            inclusive: school.inclusive_conditions,
        }
    }
}

#[derive(Template)]
#[template(path = "schools/admin/schools.html")]
pub struct SchoolsPage {
    pub ctx: Ctx,
    pub regions: Vec<RegionChoice>,
    pub region_code: String,
    pub region_name: String,
    pub schools: Vec<SchoolView>,
    pub summary: String,
    pub caption: String,
    pub notice: Option<String>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    region: Option<String>,
    added: Option<String>,
    updated: Option<String>,
}

impl ListQuery {
    /// Read leniently: a mistyped address shows the first region rather than an error.
    fn of(req: &HttpRequest) -> Self {
        web::Query::<Self>::from_query(req.query_string())
            .map(|q| q.into_inner())
            .unwrap_or_default()
    }

    /// "School No. 5 has been added" after a redirect that names a school of the list.
    fn notice(&self, lang: Lang, rows: &[SchoolRow]) -> Option<String> {
        [
            (&self.added, "admin-schools-added"),
            (&self.updated, "admin-schools-updated"),
        ]
        .into_iter()
        .find_map(|(id, key)| {
            let id: i32 = id.as_deref()?.parse().ok()?;
            let school = rows.iter().find(|s| s.id == id)?;
            Some(lang.t_args(key, &[("name", Arg::from(school.name.as_str()))]))
        })
    }
}

/// "N schools, M with inclusive conditions (P%)".
fn summary(lang: Lang, total: usize, inclusive: usize) -> String {
    let percent = (inclusive * 100 + total / 2)
        .checked_div(total)
        .unwrap_or(0);
    lang.t_args(
        "admin-schools-summary",
        &[
            ("total", Arg::from(total as i64)),
            ("inclusive", Arg::from(inclusive as i64)),
            ("percent", Arg::from(percent as i64)),
        ],
    )
}

impl SchoolsPage {
    /// The schools of `regions[region]`, sorted by name whatever the case.
    fn new(
        ctx: Ctx,
        regions: Vec<RegionChoice>,
        region: usize,
        mut rows: Vec<SchoolRow>,
        query: &ListQuery,
    ) -> Self {
        let lang = ctx.lang;
        rows.sort_by_cached_key(|s| s.name.to_lowercase());
        let inclusive = rows.iter().filter(|s| s.inclusive_conditions).count();
        let (region_code, region_name) =
            (regions[region].code.clone(), regions[region].name.clone());
        Self {
            summary: summary(lang, rows.len(), inclusive),
            caption: lang.t_args(
                "admin-schools-caption",
                &[("region", Arg::from(region_name.as_str()))],
            ),
            notice: query.notice(lang, &rows),
            schools: rows.into_iter().map(|s| SchoolView::of(s, lang)).collect(),
            region_code,
            region_name,
            regions,
            ctx,
        }
    }
}

pub async fn list(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let query = ListQuery::of(&req);
    let regions = region_choices(&run(&state.pool, all_regions).await?, ctx.lang);
    let chosen = query.region.as_deref().and_then(|code| {
        regions
            .iter()
            .position(|r| r.code.eq_ignore_ascii_case(code))
    });
    let Some(region) = chosen.or((!regions.is_empty()).then_some(0)) else {
        return Err(AppError::NotFound);
    };
    let region_id = regions[region].id;
    let rows = run(&state.pool, move |conn| {
        schools_of_regions(conn, &[region_id])
    })
    .await?;
    render(&SchoolsPage::new(ctx, regions, region, rows, &query))
}

// ---- Add and edit -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "schools/admin/schools_form.html")]
pub struct SchoolFormPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub form: SchoolForm,
    pub regions: Vec<RegionChoice>,
    pub kinds: Vec<(&'static str, String)>,
    /// The school being edited; none when adding.
    pub school_id: Option<i32>,
}

impl SchoolFormPage {
    fn new(
        ctx: Ctx,
        regions: Vec<RegionChoice>,
        form: SchoolForm,
        errors: FormErrors,
        school_id: Option<i32>,
    ) -> Self {
        let kinds = SchoolKind::ALL
            .iter()
            .map(|k| (k.as_str(), ctx.t(k.label_key())))
            .collect();
        Self {
            ctx,
            errors,
            form,
            regions,
            kinds,
            school_id,
        }
    }

    pub fn action(&self) -> String {
        match self.school_id {
            Some(id) => format!("/admin/schools/{id}/edit"),
            None => "/admin/schools/new".to_owned(),
        }
    }

    pub fn title_key(&self) -> &'static str {
        match self.school_id {
            Some(_) => "admin-schools-edit-title",
            None => "admin-schools-new-title",
        }
    }
}

#[derive(Deserialize, Default)]
struct NewQuery {
    region: Option<String>,
}

pub async fn new_form(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let query = web::Query::<NewQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let regions = region_choices(&run(&state.pool, all_regions).await?, ctx.lang);
    let form = SchoolForm::blank(&regions, query.region.as_deref());
    let page = SchoolFormPage::new(ctx, regions, form, FormErrors::default(), None);
    render(&page)
}

/// Saves the form as a new school (`id` none) or as changes to school `id`.
async fn submit_school(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    id: Option<i32>,
    form: SchoolForm,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = region_choices(&run(&state.pool, all_regions).await?, lang);
    let editing = id.map(|id| (id, Version::parse(&form.version)));
    let parsed = form.parse(&regions, lang);
    let save = async |school: SchoolCommand| {
        let region_code = school.region_code.clone();
        let saved = run(&state.pool, move |conn| {
            save_school(conn, admin_id, editing, &school)
        })
        .await?;
        Ok(match saved {
            Saved::Done(school_id) => {
                let (what, param) = match id {
                    None => ("school added", "added"),
                    Some(_) => ("school changed", "updated"),
                };
                tracing::info!(admin_id, school_id, "{what}");
                Submitted::Done(format!(
                    "/admin/schools?region={region_code}&{param}={school_id}"
                ))
            }
            Saved::Duplicate => Submitted::Refused(FormErrors::one(
                "name",
                lang.t("admin-schools-error-duplicate"),
            )),
            Saved::Stale(school) => Submitted::Stale(SchoolForm::of(school, &regions)),
        })
    };
    let choices = regions.clone();
    let page = async |form, errors| Ok(SchoolFormPage::new(ctx, choices, form, errors, id));
    submit(lang, form, parsed, save, page).await
}

pub async fn create(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    Posted(form): Posted<SchoolForm>,
) -> AppResult<HttpResponse> {
    submit_school(ctx, admin.id, &state, None, form).await
}

pub async fn edit_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (school, regions) = run(&state.pool, move |conn| {
        Ok((find_school(conn, id)?, all_regions(conn)?))
    })
    .await?;
    let regions = region_choices(&regions, ctx.lang);
    let form = SchoolForm::of(school, &regions);
    let page = SchoolFormPage::new(ctx, regions, form, FormErrors::default(), Some(id));
    render(&page)
}

pub async fn update(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    Posted(form): Posted<SchoolForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    // A school that does not exist is a 404 before any validation message.
    run(&state.pool, move |conn| find_school(conn, id)).await?;
    submit_school(ctx, admin.id, &state, Some(id), form).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_rounds_the_share() {
        assert_eq!(
            summary(Lang::En, 3, 2),
            "3 schools, 2 with inclusive conditions (67%)"
        );
        assert_eq!(
            summary(Lang::En, 1, 1),
            "1 school, 1 with inclusive conditions (100%)"
        );
        assert_eq!(
            summary(Lang::En, 0, 0),
            "0 schools, 0 with inclusive conditions (0%)"
        );
    }
}
