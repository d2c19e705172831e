//! Schools, region by region: the list with the share that has created conditions for inclusive
//! education (the national "70% of schools" figure comes from the same flag), and the add and
//! edit forms.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DbError;
use serde::Deserialize;

use crate::db::is_unique_violation;
use crate::db::now;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::on_backend;
use crate::schema::schools;
use crate::schools::models::all_regions;
use crate::schools::models::{region_choices, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::{Admin, Posted};
use crate::web::see_other;
use crate::web::{render, render_with_status, run, Ctx, FormErrors};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/schools", web::get().to(list))
        .route("/admin/schools/new", web::get().to(new_form))
        .route("/admin/schools/new", web::post().to(create))
        .route(r"/admin/schools/{id:\d+}/edit", web::get().to(edit_form))
        .route(r"/admin/schools/{id:\d+}/edit", web::post().to(update));
}

// ---- Parsed input -------------------------------------------------------------------------

/// What kind of organisation a school is (`schools.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchoolKind {
    School,
    Kindergarten,
    Special,
    College,
    Other,
}

impl SchoolKind {
    /// In the order forms list them.
    pub const ALL: [SchoolKind; 5] = [
        SchoolKind::School,
        SchoolKind::Kindergarten,
        SchoolKind::Special,
        SchoolKind::College,
        SchoolKind::Other,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim().to_lowercase())
    }

    /// The value stored in `schools.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            SchoolKind::School => "school",
            SchoolKind::Kindergarten => "kindergarten",
            SchoolKind::Special => "special",
            SchoolKind::College => "college",
            SchoolKind::Other => "other",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            SchoolKind::School => "admin-schools-kind-school",
            SchoolKind::Kindergarten => "admin-schools-kind-kindergarten",
            SchoolKind::Special => "admin-schools-kind-special",
            SchoolKind::College => "admin-schools-kind-college",
            SchoolKind::Other => "admin-schools-kind-other",
        }
    }
}

pub const NAME_MAX_CHARS: usize = 200;
pub const DISTRICT_MAX_CHARS: usize = 100;

fn collapse_whitespace(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A school's name with inner whitespace collapsed, so that "No.  5" and "No. 5" are one school.
/// The error is a translation key.
pub fn parse_name(raw: &str) -> Result<String, &'static str> {
    let name = collapse_whitespace(raw);
    if name.is_empty() {
        Err("admin-schools-error-name-missing")
    } else if name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
        Err("admin-schools-error-name-invalid")
    } else {
        Ok(name)
    }
}

/// An optional district: empty means none.
pub fn parse_district(raw: &str) -> Result<Option<String>, &'static str> {
    let district = collapse_whitespace(raw);
    if district.is_empty() {
        Ok(None)
    } else if district.chars().count() > DISTRICT_MAX_CHARS
        || district.chars().any(char::is_control)
    {
        Err("admin-schools-error-district-invalid")
    } else {
        Ok(Some(district))
    }
}

/// Yes or no as people write it in a spreadsheet, in English, Russian or Kazakh.
pub fn parse_yes_no(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "да" | "иә" | "ия" => Some(true),
        "no" | "n" | "false" | "0" | "нет" | "жоқ" => Some(false),
        _ => None,
    }
}

// ---- Queries ------------------------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = schools)]
pub struct SchoolRow {
    pub id: i32,
    pub region_id: i32,
    pub name: String,
    pub kind: String,
    pub district: Option<String>,
    pub inclusive_conditions: bool,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = schools)]
pub struct NewSchool {
    pub region_id: i32,
    pub name: String,
    pub kind: String,
    pub district: Option<String>,
    pub inclusive_conditions: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = schools, treat_none_as_null = true)]
pub struct SchoolChanges {
    pub region_id: i32,
    pub name: String,
    pub kind: String,
    pub district: Option<String>,
    pub inclusive_conditions: bool,
    pub updated_at: NaiveDateTime,
}

pub fn schools_of_regions(
    conn: &mut AnyConnection,
    region_ids: &[i32],
) -> QueryResult<Vec<SchoolRow>> {
    schools::table
        .filter(schools::region_id.eq_any(region_ids))
        .order(schools::id.asc())
        .select(SchoolRow::as_select())
        .load(conn)
}

pub fn find_school(conn: &mut AnyConnection, id: i32) -> QueryResult<SchoolRow> {
    schools::table
        .find(id)
        .select(SchoolRow::as_select())
        .first(conn)
}

/// Whether another school of the region already has this name (`UNIQUE (region_id, name)`).
pub fn name_taken(
    conn: &mut AnyConnection,
    region_id: i32,
    name: &str,
    except: Option<i32>,
) -> QueryResult<bool> {
    let mut query = schools::table
        .filter(schools::region_id.eq(region_id))
        .filter(schools::name.eq(name))
        .select(schools::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(schools::id.ne(id));
    }
    Ok(query.first::<i32>(conn).optional()?.is_some())
}

pub fn insert_school(conn: &mut AnyConnection, school: &NewSchool) -> QueryResult<i32> {
    on_backend!(conn, |c| diesel::insert_into(schools::table)
        .values(school)
        .returning(schools::id)
        .get_result(c))
}

/// Inserts many schools with few statements (the multi-backend cannot do multi-row inserts).
pub fn insert_schools(conn: &mut AnyConnection, rows: &[NewSchool]) -> QueryResult<usize> {
    let mut inserted = 0;
    // 7 values a row stays far below SQLite's and PostgreSQL's limits on bound parameters.
    for chunk in rows.chunks(500) {
        inserted += on_backend!(conn, |c| diesel::insert_into(schools::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(inserted)
}

pub fn update_school(
    conn: &mut AnyConnection,
    id: i32,
    changes: &SchoolChanges,
) -> QueryResult<usize> {
    diesel::update(schools::table.find(id))
        .set(changes)
        .execute(conn)
}

// ---- The list -----------------------------------------------------------------------------

pub struct SchoolView {
    pub id: i32,
    pub name: String,
    pub kind: String,
    pub district: String,
    pub inclusive: bool,
}

#[derive(Template)]
#[template(path = "admin/schools.html")]
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

fn kind_label(lang: Lang, stored: &str) -> String {
    SchoolKind::parse(stored)
        .map(|k| lang.t(k.label_key()))
        .unwrap_or_else(|| stored.to_owned())
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

pub async fn list(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    // Read leniently: a mistyped address shows the first region rather than an error.
    let query = web::Query::<ListQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let lang = ctx.lang;
    let regions = region_choices(&run(&state.pool, all_regions).await?, lang);
    let Some(region) = query
        .region
        .as_deref()
        .and_then(|code| regions.iter().find(|r| r.code.eq_ignore_ascii_case(code)))
        .or_else(|| regions.first())
    else {
        return Err(AppError::NotFound);
    };
    let region_id = region.id;
    let mut rows = run(&state.pool, move |conn| {
        schools_of_regions(conn, &[region_id])
    })
    .await?;
    rows.sort_by_cached_key(|s| s.name.to_lowercase());

    let notice = [
        (&query.added, "admin-schools-added"),
        (&query.updated, "admin-schools-updated"),
    ]
    .into_iter()
    .find_map(|(id, key)| {
        let id: i32 = id.as_deref()?.parse().ok()?;
        let school = rows.iter().find(|s| s.id == id)?;
        Some(lang.t_args(key, &[("name", Arg::from(school.name.as_str()))]))
    });
    let inclusive = rows.iter().filter(|s| s.inclusive_conditions).count();
    let page = SchoolsPage {
        summary: summary(lang, rows.len(), inclusive),
        caption: lang.t_args(
            "admin-schools-caption",
            &[("region", Arg::from(region.name.as_str()))],
        ),
        region_code: region.code.clone(),
        region_name: region.name.clone(),
        schools: rows
            .into_iter()
            .map(|s| SchoolView {
                id: s.id,
                kind: kind_label(lang, &s.kind),
                name: s.name,
                district: s.district.unwrap_or_default(),
                inclusive: s.inclusive_conditions,
            })
            .collect(),
        notice,
        regions,
        ctx,
    };
    render(&page)
}

// ---- Add and edit -------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct SchoolForm {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub district: String,
    /// "yes" when the box is ticked; browsers leave an unticked box out.
    #[serde(default)]
    pub inclusive: String,
}

#[derive(Template)]
#[template(path = "admin/schools_form.html")]
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

struct ValidSchool {
    region_id: i32,
    region_code: String,
    name: String,
    kind: SchoolKind,
    district: Option<String>,
    inclusive: bool,
}

fn validate(
    form: &SchoolForm,
    regions: &[RegionChoice],
    lang: Lang,
) -> Result<ValidSchool, FormErrors> {
    let mut errors = FormErrors::default();
    let region = regions.iter().find(|r| r.code == form.region);
    if region.is_none() {
        errors.add("region", lang.t("admin-schools-error-region"));
    }
    let name = parse_name(&form.name)
        .map_err(|key| errors.add("name", lang.t(key)))
        .ok();
    let kind = SchoolKind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", lang.t("admin-schools-error-kind"));
    }
    let district = parse_district(&form.district)
        .map_err(|key| errors.add("district", lang.t(key)))
        .ok();
    match (region, name, kind, district) {
        (Some(region), Some(name), Some(kind), Some(district)) => Ok(ValidSchool {
            region_id: region.id,
            region_code: region.code.clone(),
            name,
            kind,
            district,
            inclusive: form.inclusive == "yes",
        }),
        _ => Err(errors),
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
    let region = query
        .region
        .and_then(|code| {
            regions
                .iter()
                .find(|r| r.code == code)
                .map(|r| r.code.clone())
        })
        .unwrap_or_default();
    let form = SchoolForm {
        region,
        kind: SchoolKind::School.as_str().to_owned(),
        ..Default::default()
    };
    render(&SchoolFormPage::new(
        ctx,
        regions,
        form,
        FormErrors::default(),
        None,
    ))
}

enum Saved {
    Done(i32),
    Duplicate,
}

/// Saves a new school (`id` none) or changes one; a name already used in the region is reported,
/// whether the check or the database's unique constraint finds it.
fn save(conn: &mut AnyConnection, id: Option<i32>, school: &ValidSchool) -> QueryResult<Saved> {
    if name_taken(conn, school.region_id, &school.name, id)? {
        return Ok(Saved::Duplicate);
    }
    let at = now();
    let result = match id {
        None => insert_school(
            conn,
            &NewSchool {
                region_id: school.region_id,
                name: school.name.clone(),
                kind: school.kind.as_str().to_owned(),
                district: school.district.clone(),
                inclusive_conditions: school.inclusive,
                created_at: at,
                updated_at: at,
            },
        ),
        Some(id) => update_school(
            conn,
            id,
            &SchoolChanges {
                region_id: school.region_id,
                name: school.name.clone(),
                kind: school.kind.as_str().to_owned(),
                district: school.district.clone(),
                inclusive_conditions: school.inclusive,
                updated_at: at,
            },
        )
        .and_then(|n| {
            if n == 1 {
                Ok(id)
            } else {
                Err(DbError::NotFound)
            }
        }),
    };
    match result {
        Ok(id) => Ok(Saved::Done(id)),
        Err(e) if is_unique_violation(&e) => Ok(Saved::Duplicate),
        Err(e) => Err(e),
    }
}

async fn submit(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    id: Option<i32>,
    form: SchoolForm,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = region_choices(&run(&state.pool, all_regions).await?, lang);
    let school = match validate(&form, &regions, lang) {
        Ok(school) => school,
        Err(errors) => {
            let page = SchoolFormPage::new(ctx, regions, form, errors, id);
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let region_code = school.region_code.clone();
    let saved = run(&state.pool, move |conn| save(conn, id, &school)).await?;
    match saved {
        Saved::Done(school_id) => {
            let (what, param) = match id {
                None => ("school added", "added"),
                Some(_) => ("school changed", "updated"),
            };
            tracing::info!(admin_id, school_id, "{what}");
            Ok(see_other(format!(
                "/admin/schools?region={region_code}&{param}={school_id}"
            )))
        }
        Saved::Duplicate => {
            let mut errors = FormErrors::default();
            errors.add("name", lang.t("admin-schools-error-duplicate"));
            let page = SchoolFormPage::new(ctx, regions, form, errors, id);
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub async fn create(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    Posted(form): Posted<SchoolForm>,
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
    let (school, regions) = run(&state.pool, move |conn| {
        Ok((find_school(conn, id)?, all_regions(conn)?))
    })
    .await?;
    let regions = region_choices(&regions, ctx.lang);
    let form = SchoolForm {
        region: regions
            .iter()
            .find(|r| r.id == school.region_id)
            .map(|r| r.code.clone())
            .unwrap_or_default(),
        name: school.name,
        kind: school.kind,
        district: school.district.unwrap_or_default(),
        inclusive: if school.inclusive_conditions {
            "yes".to_owned()
        } else {
            String::new()
        },
    };
    render(&SchoolFormPage::new(
        ctx,
        regions,
        form,
        FormErrors::default(),
        Some(id),
    ))
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
    submit(ctx, admin.id, &state, Some(id), form).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::catalogue_keys;

    #[test]
    fn kinds_round_trip_and_have_labels_in_every_language() {
        for kind in SchoolKind::ALL {
            assert_eq!(SchoolKind::parse(kind.as_str()), Some(kind));
            for lang in Lang::ALL {
                assert!(
                    catalogue_keys(lang).contains(kind.label_key()),
                    "{lang} lacks {}",
                    kind.label_key()
                );
            }
        }
        assert_eq!(
            SchoolKind::parse(" Kindergarten "),
            Some(SchoolKind::Kindergarten)
        );
        assert_eq!(SchoolKind::parse("university"), None);
        assert_eq!(SchoolKind::parse(""), None);
    }

    #[test]
    fn names_are_collapsed_and_bounded() {
        assert_eq!(
            parse_name("  Школа-лицей   № 165 "),
            Ok("Школа-лицей № 165".to_owned())
        );
        assert_eq!(parse_name(" \t"), Err("admin-schools-error-name-missing"));
        assert_eq!(
            parse_name(&"а".repeat(NAME_MAX_CHARS + 1)),
            Err("admin-schools-error-name-invalid")
        );
        assert!(parse_name(&"а".repeat(NAME_MAX_CHARS)).is_ok());
        assert_eq!(parse_district(""), Ok(None));
        assert_eq!(
            parse_district(" Бостандық  ауданы "),
            Ok(Some("Бостандық ауданы".to_owned()))
        );
        assert!(parse_district(&"x".repeat(DISTRICT_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn yes_and_no_are_read_in_three_languages() {
        for yes in ["yes", "YES", "true", "1", " y ", "Да", "иә"] {
            assert_eq!(parse_yes_no(yes), Some(true), "{yes}");
        }
        for no in ["no", "False", "0", "нет", "Жоқ"] {
            assert_eq!(parse_yes_no(no), Some(false), "{no}");
        }
        for neither in ["", "maybe", "2", "yes/no"] {
            assert_eq!(parse_yes_no(neither), None, "{neither}");
        }
    }

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
