//! `/admin/targets`: training targets as data — the national plan and regional quotas, each
//! with its live count by the counting rule (`crate::dashboards::models::cached_trained_teachers`)
//! — and the add, edit and delete forms. Every change is audited (`crate::dashboards::ops`).

use std::cmp::Reverse;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use diesel::QueryResult;
use serde::Deserialize;

use super::forms::{validate, TargetForm, NATIONAL};
use crate::dashboards::cache::Cache;
use crate::dashboards::models::target::TargetInput;
use crate::dashboards::models::target::{all_targets, find_target, last_national};
use crate::dashboards::models::{cached_trained_teachers, current_national_target, Target};
use crate::dashboards::ops::{self, Outcome, Updated};
use crate::db::{now, AnyConnection};
use crate::domain::Version;
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::schools::models::{all_regions, region_choices, Region, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::{Admin, NoFields, Posted};
use crate::web::{render, render_with_status, run, see_other, submit, Ctx, FormErrors, Submitted};

// ---- Views --------------------------------------------------------------------------------

/// A target as a reader sees it, with its live count.
pub struct TargetView {
    pub id: i32,
    pub name: String,
    pub scope: String,
    pub teachers: String,
    pub starts_iso: String,
    pub starts_on: String,
    pub deadline_iso: String,
    pub deadline: String,
    /// "1 234 (4%)".
    pub trained: String,
    pub on_home: bool,
}

fn scope_name(lang: Lang, regions: &[Region], region_id: Option<i32>) -> String {
    match region_id {
        None => lang.t("admin-targets-national"),
        Some(id) => regions
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name(lang))
            .unwrap_or_default(),
    }
}

/// The share of the target reached, rounded down as on the home page (99.9% is not 100%).
fn percent(trained: i64, teachers: i32) -> i64 {
    trained * 100 / i64::from(teachers).max(1)
}

fn target_view(
    lang: Lang,
    regions: &[Region],
    target: &Target,
    trained: i64,
    on_home: bool,
) -> TargetView {
    TargetView {
        id: target.id,
        name: target.name.clone(),
        scope: scope_name(lang, regions, target.region_id),
        teachers: lang.number(i64::from(target.teachers)),
        starts_iso: target.starts_on.to_string(),
        starts_on: lang.date(target.starts_on),
        deadline_iso: target.deadline.to_string(),
        deadline: lang.date(target.deadline),
        trained: lang.t_args(
            "admin-targets-trained-value",
            &[
                ("trained", Arg::from(lang.number(trained))),
                ("percent", Arg::from(percent(trained, target.teachers))),
            ],
        ),
        on_home,
    }
}

// ---- The list -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "dashboards/admin/targets.html")]
pub struct TargetsPage {
    pub ctx: Ctx,
    pub targets: Vec<TargetView>,
    pub notice: Option<String>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    added: Option<String>,
    updated: Option<String>,
    deleted: Option<String>,
}

struct Listing {
    targets: Vec<(Target, i64)>,
    regions: Vec<Region>,
    on_home: Option<i32>,
}

fn load_listing(
    conn: &mut AnyConnection,
    cache: &Cache<i64>,
    today: NaiveDate,
) -> QueryResult<Listing> {
    let targets = all_targets(conn)?
        .into_iter()
        .map(|t| cached_trained_teachers(conn, cache, &t).map(|n| (t, n)))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(Listing {
        targets,
        regions: all_regions(conn)?,
        on_home: current_national_target(conn, today)?.map(|t| t.id),
    })
}

pub async fn list(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    // Read leniently: a mistyped address shows the list without a notice.
    let query = web::Query::<ListQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let today = now().date();
    let shared = state.clone();
    let listing = run(&state.pool, move |conn| {
        load_listing(conn, &shared.trained, today)
    })
    .await?;
    render(&TargetsPage::new(ctx, listing, &query))
}

impl TargetsPage {
    fn new(ctx: Ctx, mut listing: Listing, query: &ListQuery) -> Self {
        let lang = ctx.lang;
        // National first, then by region name, the newest deadline first within each.
        let regions = &listing.regions;
        listing.targets.sort_by_cached_key(|(t, _)| {
            (
                t.region_id.is_some(),
                scope_name(lang, regions, t.region_id).to_lowercase(),
                Reverse(t.deadline),
                Reverse(t.id),
            )
        });
        let targets = listing
            .targets
            .iter()
            .map(|(t, trained)| {
                let on_home = listing.on_home == Some(t.id);
                target_view(lang, &listing.regions, t, *trained, on_home)
            })
            .collect();
        TargetsPage {
            notice: list_notice(lang, &listing, query),
            targets,
            ctx,
        }
    }
}

/// After a change: the target added or changed by name, or that one was deleted.
fn list_notice(lang: Lang, listing: &Listing, query: &ListQuery) -> Option<String> {
    [
        (&query.added, "admin-targets-added"),
        (&query.updated, "admin-targets-updated"),
    ]
    .into_iter()
    .find_map(|(id, key)| {
        let id: i32 = id.as_deref()?.parse().ok()?;
        let (target, _) = listing.targets.iter().find(|(t, _)| t.id == id)?;
        Some(lang.t_args(key, &[("name", Arg::from(target.name.as_str()))]))
    })
    .or_else(|| {
        query
            .deleted
            .is_some()
            .then(|| lang.t("admin-targets-deleted"))
    })
}

// ---- Add and edit -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "dashboards/admin/targets_form.html")]
pub struct TargetFormPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub form: TargetForm,
    pub regions: Vec<RegionChoice>,
    /// The target being edited; none when adding.
    pub target_id: Option<i32>,
}

impl TargetFormPage {
    pub fn action(&self) -> String {
        match self.target_id {
            Some(id) => format!("/admin/targets/{id}/edit"),
            None => "/admin/targets/new".to_owned(),
        }
    }

    pub fn title_key(&self) -> &'static str {
        match self.target_id {
            Some(_) => "admin-targets-edit-title",
            None => "admin-targets-new-title",
        }
    }

    pub fn national(&self) -> &'static str {
        NATIONAL
    }

    /// The `aria-describedby` of a field: its hint, then its error when it has one.
    pub fn described_by(&self, field: &str) -> String {
        match self.errors.get(field) {
            Some(_) => format!("{field}-hint {field}-error"),
            None => format!("{field}-hint"),
        }
    }
}

pub async fn new_form(ctx: Ctx, _: Admin, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let regions = region_choices(&run(&state.pool, all_regions).await?, ctx.lang);
    render(&TargetFormPage {
        ctx,
        errors: FormErrors::default(),
        form: TargetForm::default(),
        regions,
        target_id: None,
    })
}

pub async fn create(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    Posted(form): Posted<TargetForm>,
) -> AppResult<HttpResponse> {
    submit_target(ctx, admin.id, &state, None, form).await
}

pub async fn edit_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (target, regions) = run(&state.pool, move |conn| {
        Ok((find_target(conn, id)?, all_regions(conn)?))
    })
    .await?;
    let regions = region_choices(&regions, ctx.lang);
    render(&TargetFormPage {
        ctx,
        errors: FormErrors::default(),
        form: TargetForm::of(&target, &regions),
        regions,
        target_id: Some(id),
    })
}

pub async fn update(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    Posted(form): Posted<TargetForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    // A target that does not exist is a 404 before any validation message.
    run(&state.pool, move |conn| find_target(conn, id)).await?;
    submit_target(ctx, admin.id, &state, Some(id), form).await
}

/// Adds a target (`id` none) or changes one, or shows the form again with its errors.
async fn submit_target(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    id: Option<i32>,
    form: TargetForm,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = region_choices(&run(&state.pool, all_regions).await?, lang);
    let version = Version::parse(&form.version);
    let parsed = validate(&form, &regions, lang);
    let save = async |input: TargetInput| {
        let saved = run(&state.pool, move |conn| match id {
            None => ops::create_target(conn, admin_id, &input).map(|id| (id, Updated::Done)),
            Some(id) => ops::update_target(conn, admin_id, id, version, &input).map(|u| (id, u)),
        })
        .await?;
        Ok(match saved {
            (target_id, Updated::Done) => {
                let (what, param) = match id {
                    None => ("target added", "added"),
                    Some(_) => ("target changed", "updated"),
                };
                tracing::info!(admin_id, target_id, "{what}");
                Submitted::Done(format!("/admin/targets?{param}={target_id}"))
            }
            (_, Updated::LastNational) => Submitted::Refused(FormErrors::one(
                "scope",
                lang.t("admin-targets-error-last-national"),
            )),
            (_, Updated::Stale(target)) => Submitted::Stale(TargetForm::of(&target, &regions)),
        })
    };
    let choices = regions.clone();
    let page = async |form, errors| {
        Ok(TargetFormPage {
            ctx,
            errors,
            form,
            regions: choices,
            target_id: id,
        })
    };
    submit(lang, form, parsed, save, page).await
}

// ---- Delete -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "dashboards/admin/targets_delete.html")]
pub struct DeletePage {
    pub ctx: Ctx,
    pub target: TargetView,
    /// The question when the target can be deleted, else the page's title.
    pub heading: String,
    /// The only national target: it cannot be deleted.
    pub last_national: bool,
    /// The deletion was just refused (422).
    pub refused: bool,
}

async fn delete_page(
    ctx: Ctx,
    state: &web::Data<AppState>,
    id: i32,
    refused: bool,
) -> AppResult<DeletePage> {
    let today = now().date();
    let shared = state.clone();
    let (target, trained, regions, last_national, on_home) = run(&state.pool, move |conn| {
        let target = find_target(conn, id)?;
        let trained = cached_trained_teachers(conn, &shared.trained, &target)?;
        let last = target.region_id.is_none() && last_national(conn, id)?;
        let on_home = current_national_target(conn, today)?.map(|t| t.id) == Some(id);
        Ok((target, trained, all_regions(conn)?, last, on_home))
    })
    .await?;
    let heading = if last_national {
        ctx.t("admin-targets-delete-title")
    } else {
        ctx.lang.t_args(
            "admin-targets-delete-question",
            &[("name", Arg::from(target.name.as_str()))],
        )
    };
    Ok(DeletePage {
        target: target_view(ctx.lang, &regions, &target, trained, on_home),
        heading,
        ctx,
        last_national,
        refused,
    })
}

pub async fn delete_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    render(&delete_page(ctx, &state, id.into_inner(), false).await?)
}

pub async fn delete(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let admin_id = admin.id;
    match run(&state.pool, move |conn| {
        ops::delete_target(conn, admin_id, id)
    })
    .await?
    {
        Outcome::Done => {
            tracing::info!(admin_id, target_id = id, "target deleted");
            Ok(see_other("/admin/targets?deleted=1".to_owned()))
        }
        Outcome::LastNational => {
            let page = delete_page(ctx, &state, id, true).await?;
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_is_rounded_down() {
        assert_eq!(percent(0, 30_000), 0);
        assert_eq!(percent(29_999, 30_000), 99);
        assert_eq!(percent(30_000, 30_000), 100);
        assert_eq!(percent(45_000, 30_000), 150);
    }
}
