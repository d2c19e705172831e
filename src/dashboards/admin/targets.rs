//! Training targets as data: the national plan and regional quotas, with each target's live
//! count by the counting rule (`crate::dashboards::models::cached_trained_teachers`), and the
//! add, edit and delete forms. Every change is audited in its own transaction.

use std::cmp::Reverse;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::models::{self as audit, AuditAction};
use crate::dashboards::cache::Cache;
use crate::dashboards::models::{cached_trained_teachers, current_national_target, Target};
use crate::db::now;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::on_backend;
use crate::schema::{regions, targets};
use crate::schools::models::{all_regions, Region};
use crate::schools::models::{region_choices, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::{Admin, NoFields, Posted};
use crate::web::see_other;
use crate::web::{render, render_with_status, run, Ctx, FormErrors};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/targets", web::get().to(list))
        .route("/admin/targets/new", web::get().to(new_form))
        .route("/admin/targets/new", web::post().to(create))
        .route(r"/admin/targets/{id:\d+}/edit", web::get().to(edit_form))
        .route(r"/admin/targets/{id:\d+}/edit", web::post().to(update))
        .route(
            r"/admin/targets/{id:\d+}/delete",
            web::get().to(delete_form),
        )
        .route(r"/admin/targets/{id:\d+}/delete", web::post().to(delete));
}

// ---- Parsed input -------------------------------------------------------------------------

pub const NAME_MAX_CHARS: usize = 200;
pub const MAX_TEACHERS: i32 = 10_000_000;
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;
/// The form's value for a national target; otherwise the scope is a region code.
pub const NATIONAL: &str = "national";

/// A target's name with inner whitespace collapsed. The error is a translation key.
pub fn parse_name(raw: &str) -> Result<String, &'static str> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err("admin-targets-error-name-missing")
    } else if name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
        Err("admin-targets-error-name-invalid")
    } else {
        Ok(name)
    }
}

/// A whole number of teachers, 1 to 10 million. Spaces are ignored, and commas or dots are read
/// as thousands separators only where they group digits in threes ("30 000", "30,000"), so
/// that a decimal such as "30,5" is refused rather than misread.
pub fn parse_teachers(raw: &str) -> Result<i32, &'static str> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err("admin-targets-error-teachers-missing");
    }
    let digits = match compact.chars().find(|c| matches!(c, ',' | '.')) {
        None => compact.clone(),
        Some(separator) => {
            let groups: Vec<&str> = compact.split(separator).collect();
            let grouped =
                (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
            if !grouped {
                return Err("admin-targets-error-teachers-invalid");
            }
            groups.concat()
        }
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("admin-targets-error-teachers-invalid");
    }
    // Too many digits for an i32 is out of range, not unreadable.
    match digits.trim_start_matches('0').len() {
        0 => Err("admin-targets-error-teachers-range"),
        n if n > 9 => Err("admin-targets-error-teachers-range"),
        _ => match digits.parse::<i32>() {
            Ok(n) if (1..=MAX_TEACHERS).contains(&n) => Ok(n),
            _ => Err("admin-targets-error-teachers-range"),
        },
    }
}

/// An ISO date (`YYYY-MM-DD`, as `<input type="date">` sends it) in the years 2000 to 2100.
pub fn parse_date(raw: &str, missing: &'static str) -> Result<NaiveDate, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(missing);
    }
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let date = shaped
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or("admin-targets-error-date-invalid")?;
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err("admin-targets-error-date-range")
    }
}

// ---- Queries ------------------------------------------------------------------------------

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = targets)]
struct NewTarget<'a> {
    name: &'a str,
    teachers: i32,
    starts_on: NaiveDate,
    deadline: NaiveDate,
    region_id: Option<i32>,
    created_at: NaiveDateTime,
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = targets, treat_none_as_null = true)]
struct TargetChanges<'a> {
    name: &'a str,
    teachers: i32,
    starts_on: NaiveDate,
    deadline: NaiveDate,
    region_id: Option<i32>,
}

pub fn all_targets(conn: &mut AnyConnection) -> QueryResult<Vec<Target>> {
    targets::table
        .order(targets::id.asc())
        .select(Target::as_select())
        .load(conn)
}

pub fn find_target(conn: &mut AnyConnection, id: i32) -> QueryResult<Target> {
    targets::table
        .find(id)
        .select(Target::as_select())
        .first(conn)
}

fn region_code(conn: &mut AnyConnection, region_id: Option<i32>) -> QueryResult<Option<String>> {
    match region_id {
        Some(id) => regions::table
            .find(id)
            .select(regions::code)
            .first(conn)
            .map(Some),
        None => Ok(None),
    }
}

/// The ids of the national targets. On PostgreSQL their rows stay locked until the transaction
/// ends, so that two administrators cannot each remove one of the last two national targets at
/// once; SQLite has one writer at a time, and a transaction that read a stale set fails to write.
fn national_target_ids(conn: &mut AnyConnection) -> QueryResult<Vec<i32>> {
    let query = targets::table
        .filter(targets::region_id.is_null())
        .select(targets::id);
    match conn {
        AnyConnection::Pg(c) => query.for_update().load(c),
        AnyConnection::Sqlite(c) => query.load(c),
    }
}

/// Whether `id` is the only national target left.
fn last_national(conn: &mut AnyConnection, id: i32) -> QueryResult<bool> {
    Ok(national_target_ids(conn)?.iter().all(|&other| other == id))
}

/// What the audit log keeps of a target: its fields, the region as its code.
fn audit_fields(
    name: &str,
    teachers: i32,
    starts_on: NaiveDate,
    deadline: NaiveDate,
    region: Option<&str>,
) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "teachers": teachers,
        "starts_on": starts_on.to_string(),
        "deadline": deadline.to_string(),
        "region": region,
    })
}

fn audit_fields_of(conn: &mut AnyConnection, target: &Target) -> QueryResult<serde_json::Value> {
    let region = region_code(conn, target.region_id)?;
    Ok(audit_fields(
        &target.name,
        target.teachers,
        target.starts_on,
        target.deadline,
        region.as_deref(),
    ))
}

enum Saved {
    Done(i32),
    LastNational,
}

/// Adds a target (`id` none) or changes one, with its audit event, in one transaction. The last
/// national target cannot become regional: the home page shows a national target.
fn save(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: Option<i32>,
    target: &ValidTarget,
) -> QueryResult<Saved> {
    conn.transaction(|conn| {
        let after = audit_fields(
            &target.name,
            target.teachers,
            target.starts_on,
            target.deadline,
            target.region.as_ref().map(|(_, code)| code.as_str()),
        );
        let region_id = target.region.as_ref().map(|(id, _)| *id);
        match id {
            None => {
                let row = NewTarget {
                    name: &target.name,
                    teachers: target.teachers,
                    starts_on: target.starts_on,
                    deadline: target.deadline,
                    region_id,
                    created_at: now(),
                };
                let id: i32 = on_backend!(conn, |c| diesel::insert_into(targets::table)
                    .values(&row)
                    .returning(targets::id)
                    .get_result(c))?;
                audit::record(
                    conn,
                    Some(admin_id),
                    AuditAction::TargetCreated,
                    "target",
                    Some(id),
                    serde_json::json!({ "after": after }),
                )?;
                Ok(Saved::Done(id))
            }
            Some(id) => {
                let existing = find_target(conn, id)?;
                if existing.region_id.is_none() && region_id.is_some() && last_national(conn, id)? {
                    return Ok(Saved::LastNational);
                }
                let before = audit_fields_of(conn, &existing)?;
                diesel::update(targets::table.find(id))
                    .set(&TargetChanges {
                        name: &target.name,
                        teachers: target.teachers,
                        starts_on: target.starts_on,
                        deadline: target.deadline,
                        region_id,
                    })
                    .execute(conn)?;
                // Saving the form unchanged is not an event.
                if before != after {
                    audit::record(
                        conn,
                        Some(admin_id),
                        AuditAction::TargetUpdated,
                        "target",
                        Some(id),
                        serde_json::json!({ "before": before, "after": after }),
                    )?;
                }
                Ok(Saved::Done(id))
            }
        }
    })
}

enum Deleted {
    Done,
    LastNational,
}

fn delete_target(conn: &mut AnyConnection, admin_id: i32, id: i32) -> QueryResult<Deleted> {
    conn.transaction(|conn| {
        let target = find_target(conn, id)?;
        if target.region_id.is_none() && last_national(conn, id)? {
            return Ok(Deleted::LastNational);
        }
        let before = audit_fields_of(conn, &target)?;
        diesel::delete(targets::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            Some(admin_id),
            AuditAction::TargetDeleted,
            "target",
            Some(id),
            serde_json::json!({ "before": before }),
        )?;
        Ok(Deleted::Done)
    })
}

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
#[template(path = "admin/targets.html")]
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
    let lang = ctx.lang;
    let today = Utc::now().date_naive();
    let shared = state.clone();
    let mut listing = run(&state.pool, move |conn| {
        load_listing(conn, &shared.trained, today)
    })
    .await?;
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

    let mut notice = [
        (&query.added, "admin-targets-added"),
        (&query.updated, "admin-targets-updated"),
    ]
    .into_iter()
    .find_map(|(id, key)| {
        let id: i32 = id.as_deref()?.parse().ok()?;
        let (target, _) = listing.targets.iter().find(|(t, _)| t.id == id)?;
        Some(lang.t_args(key, &[("name", Arg::from(target.name.as_str()))]))
    });
    if notice.is_none() && query.deleted.is_some() {
        notice = Some(lang.t("admin-targets-deleted"));
    }
    let targets = listing
        .targets
        .iter()
        .map(|(t, trained)| {
            target_view(
                lang,
                &listing.regions,
                t,
                *trained,
                listing.on_home == Some(t.id),
            )
        })
        .collect();
    render(&TargetsPage {
        ctx,
        targets,
        notice,
    })
}

// ---- Add and edit -------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct TargetForm {
    #[serde(default)]
    pub name: String,
    /// `national` or a region code.
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub teachers: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "admin/targets_form.html")]
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

#[derive(Debug)]
struct ValidTarget {
    name: String,
    teachers: i32,
    starts_on: NaiveDate,
    deadline: NaiveDate,
    /// Id and code of the region; none for a national target.
    region: Option<(i32, String)>,
}

fn validate(
    form: &TargetForm,
    regions: &[RegionChoice],
    lang: Lang,
) -> Result<ValidTarget, FormErrors> {
    let mut errors = FormErrors::default();
    let name = parse_name(&form.name)
        .map_err(|key| errors.add("name", lang.t(key)))
        .ok();
    let scope = form.scope.trim();
    let region = if scope == NATIONAL {
        Some(None)
    } else {
        regions
            .iter()
            .find(|r| !scope.is_empty() && r.code.eq_ignore_ascii_case(scope))
            .map(|r| Some((r.id, r.code.clone())))
    };
    if region.is_none() {
        errors.add("scope", lang.t("admin-targets-error-scope"));
    }
    let teachers = parse_teachers(&form.teachers)
        .map_err(|key| errors.add("teachers", lang.t(key)))
        .ok();
    let starts_on = parse_date(&form.starts_on, "admin-targets-error-starts-on-missing")
        .map_err(|key| errors.add("starts_on", lang.t(key)))
        .ok();
    let deadline = parse_date(&form.deadline, "admin-targets-error-deadline-missing")
        .map_err(|key| errors.add("deadline", lang.t(key)))
        .ok();
    if let (Some(start), Some(end)) = (starts_on, deadline) {
        if end < start {
            errors.add(
                "deadline",
                lang.t("admin-targets-error-deadline-before-start"),
            );
        }
    }
    match (name, region, teachers, starts_on, deadline) {
        (Some(name), Some(region), Some(teachers), Some(starts_on), Some(deadline))
            if errors.is_empty() =>
        {
            Ok(ValidTarget {
                name,
                teachers,
                starts_on,
                deadline,
                region,
            })
        }
        _ => Err(errors),
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

fn refuse(
    ctx: Ctx,
    regions: Vec<RegionChoice>,
    form: TargetForm,
    errors: FormErrors,
    target_id: Option<i32>,
) -> AppResult<HttpResponse> {
    let page = TargetFormPage {
        ctx,
        errors,
        form,
        regions,
        target_id,
    };
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

async fn submit(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    id: Option<i32>,
    form: TargetForm,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = region_choices(&run(&state.pool, all_regions).await?, lang);
    let target = match validate(&form, &regions, lang) {
        Ok(target) => target,
        Err(errors) => return refuse(ctx, regions, form, errors, id),
    };
    match run(&state.pool, move |conn| save(conn, admin_id, id, &target)).await? {
        Saved::Done(target_id) => {
            let (what, param) = match id {
                None => ("target added", "added"),
                Some(_) => ("target changed", "updated"),
            };
            tracing::info!(admin_id, target_id, "{what}");
            Ok(see_other(format!("/admin/targets?{param}={target_id}")))
        }
        Saved::LastNational => {
            let mut errors = FormErrors::default();
            errors.add("scope", lang.t("admin-targets-error-last-national"));
            refuse(ctx, regions, form, errors, id)
        }
    }
}

pub async fn create(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    Posted(form): Posted<TargetForm>,
) -> AppResult<HttpResponse> {
    submit(ctx, admin.id, &state, None, form).await
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
    let scope = match target.region_id {
        None => NATIONAL.to_owned(),
        Some(region_id) => regions
            .iter()
            .find(|r| r.id == region_id)
            .map(|r| r.code.clone())
            .unwrap_or_default(),
    };
    let form = TargetForm {
        name: target.name,
        scope,
        teachers: target.teachers.to_string(),
        starts_on: target.starts_on.to_string(),
        deadline: target.deadline.to_string(),
    };
    render(&TargetFormPage {
        ctx,
        errors: FormErrors::default(),
        form,
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
    submit(ctx, admin.id, &state, Some(id), form).await
}

// ---- Delete -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/targets_delete.html")]
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
    let today = Utc::now().date_naive();
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
    match run(&state.pool, move |conn| delete_target(conn, admin_id, id)).await? {
        Deleted::Done => {
            tracing::info!(admin_id, target_id = id, "target deleted");
            Ok(see_other("/admin/targets?deleted=1".to_owned()))
        }
        Deleted::LastNational => {
            let page = delete_page(ctx, &state, id, true).await?;
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn names_are_collapsed_and_bounded() {
        assert_eq!(
            parse_name("  National   plan 2026–2030 "),
            Ok("National plan 2026–2030".to_owned())
        );
        assert_eq!(parse_name(" \t"), Err("admin-targets-error-name-missing"));
        assert!(parse_name(&"ж".repeat(NAME_MAX_CHARS)).is_ok());
        assert_eq!(
            parse_name(&"ж".repeat(NAME_MAX_CHARS + 1)),
            Err("admin-targets-error-name-invalid")
        );
    }

    #[test]
    fn teachers_are_whole_numbers_in_range() {
        for (raw, n) in [
            ("30000", 30_000),
            (" 30 000 ", 30_000),
            ("30\u{a0}000", 30_000),
            ("30,000", 30_000),
            ("1.500.000", 1_500_000),
            ("1", 1),
            ("10000000", MAX_TEACHERS),
            ("007", 7),
        ] {
            assert_eq!(parse_teachers(raw), Ok(n), "{raw}");
        }
        assert_eq!(
            parse_teachers(""),
            Err("admin-targets-error-teachers-missing")
        );
        assert_eq!(
            parse_teachers("  "),
            Err("admin-targets-error-teachers-missing")
        );
        for bad in ["30,5", "3,0000", "1.5", "-5", "+5", "thirty", "1e4", ",000"] {
            assert_eq!(
                parse_teachers(bad),
                Err("admin-targets-error-teachers-invalid"),
                "{bad}"
            );
        }
        for out in ["0", "000", "10000001", "99999999999999999999"] {
            assert_eq!(
                parse_teachers(out),
                Err("admin-targets-error-teachers-range"),
                "{out}"
            );
        }
    }

    #[test]
    fn dates_are_iso_and_in_the_years_2000_to_2100() {
        let missing = "missing";
        assert_eq!(parse_date(" 2026-01-31 ", missing), Ok(date(2026, 1, 31)));
        assert_eq!(parse_date("2000-01-01", missing), Ok(date(2000, 1, 1)));
        assert_eq!(parse_date("2100-12-31", missing), Ok(date(2100, 12, 31)));
        assert_eq!(parse_date("", missing), Err(missing));
        for bad in [
            "2026-02-30",
            "2026-1-5",
            "31.12.2025",
            "2025/12/31",
            "+2025-12-31",
            "soon",
        ] {
            assert_eq!(
                parse_date(bad, missing),
                Err("admin-targets-error-date-invalid"),
                "{bad}"
            );
        }
        for out in ["1999-12-31", "2101-01-01"] {
            assert_eq!(
                parse_date(out, missing),
                Err("admin-targets-error-date-range"),
                "{out}"
            );
        }
    }

    #[test]
    fn validation_reports_every_field_and_the_order_of_dates() {
        let regions = vec![RegionChoice {
            code: "KZ-75".to_owned(),
            name: "Almaty".to_owned(),
            id: 19,
        }];
        let form = TargetForm {
            name: "Almaty quota".to_owned(),
            scope: "KZ-75".to_owned(),
            teachers: "2 000".to_owned(),
            starts_on: "2026-01-01".to_owned(),
            deadline: "2026-12-31".to_owned(),
        };
        let valid = validate(&form, &regions, Lang::En).expect("valid");
        assert_eq!(valid.region, Some((19, "KZ-75".to_owned())));
        assert_eq!(valid.teachers, 2000);

        let national = TargetForm {
            scope: NATIONAL.to_owned(),
            ..form.clone()
        };
        let valid = validate(&national, &regions, Lang::En).expect("valid");
        assert_eq!(valid.region, None);

        let backwards = TargetForm {
            deadline: "2025-12-31".to_owned(),
            ..form.clone()
        };
        let errors = validate(&backwards, &regions, Lang::En).expect_err("errors");
        assert_eq!(
            errors.get("deadline"),
            Some("The deadline must be the same as or later than the start date.")
        );

        let errors = validate(&TargetForm::default(), &regions, Lang::En).expect_err("errors");
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            ["name", "scope", "teachers", "starts_on", "deadline"]
        );
        let unknown = TargetForm {
            scope: "KZ-00".to_owned(),
            ..form
        };
        assert!(validate(&unknown, &regions, Lang::En)
            .expect_err("errors")
            .get("scope")
            .is_some());
    }

    #[test]
    fn the_share_is_rounded_down() {
        assert_eq!(percent(0, 30_000), 0);
        assert_eq!(percent(29_999, 30_000), 99);
        assert_eq!(percent(30_000, 30_000), 100);
        assert_eq!(percent(45_000, 30_000), 150);
    }

    #[test]
    fn audit_fields_name_the_region_by_code() {
        let fields = audit_fields("Plan", 5, date(2026, 1, 1), date(2026, 12, 31), None);
        assert_eq!(fields["region"], serde_json::Value::Null);
        assert_eq!(fields["starts_on"], "2026-01-01");
        let fields = audit_fields(
            "Plan",
            5,
            date(2026, 1, 1),
            date(2026, 12, 31),
            Some("KZ-75"),
        );
        assert_eq!(fields["region"], "KZ-75");
    }
}
