//! Administration of users: the list with search and filters, a user's page, and what an
//! administrator changes there (role, a coordinator's region, disabling, ending sessions). Every
//! change is written to the audit log in the same transaction.

use crate::web::extractors::NoFields;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Deserialize;

use crate::audit::models::{self as audit, AuditAction};
use crate::db::now;
use crate::db::{
    contains_pattern, lower, prepare_search, ustaz_lower, AnyConnection, MultiBackend,
};
use crate::domain::{Category, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::schema::{schools, users};
use crate::schools::models::{all_regions, Region};
use crate::schools::models::{region_choices, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::{Admin, Posted};
use crate::web::pagination::{page_count, paginate, Pagination};
use crate::web::{encode_query_value, render, render_with_status, run, Ctx, FormErrors};

pub const PAGE_SIZE: i64 = 25;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // `{id:\d+}` leaves other paths under /admin/users (such as the import) to their own routes.
    cfg.route("/admin/users", web::get().to(list))
        .route(r"/admin/users/{id:\d+}", web::get().to(detail))
        .route(r"/admin/users/{id:\d+}/role", web::post().to(change_role))
        .route(
            r"/admin/users/{id:\d+}/coordinator",
            web::post().to(appoint_coordinator),
        )
        .route(r"/admin/users/{id:\d+}/disable", web::post().to(disable))
        .route(r"/admin/users/{id:\d+}/enable", web::post().to(enable))
        .route(
            r"/admin/users/{id:\d+}/end-sessions",
            web::post().to(end_sessions),
        );
}

// ---- Queries ------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Disabled,
    Unconfirmed,
}

impl Status {
    const ALL: [Status; 3] = [Status::Active, Status::Disabled, Status::Unconfirmed];

    fn of(disabled_at: Option<NaiveDateTime>, verified_at: Option<NaiveDateTime>) -> Self {
        match (disabled_at, verified_at) {
            (Some(_), _) => Status::Disabled,
            (None, None) => Status::Unconfirmed,
            (None, Some(_)) => Status::Active,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Disabled => "disabled",
            Status::Unconfirmed => "unconfirmed",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    fn label(self, lang: Lang) -> String {
        lang.t(&format!("admin-users-status-{}", self.as_str()))
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRecord {
    id: i32,
    email: String,
    full_name: String,
    role: String,
    region_id: Option<i32>,
    school_id: Option<i32>,
    category: Option<String>,
    language: String,
    iin: Option<String>,
    session_version: i32,
    email_verified_at: Option<NaiveDateTime>,
    disabled_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

impl UserRecord {
    fn status(&self) -> Status {
        Status::of(self.disabled_at, self.email_verified_at)
    }
}

fn user_record(conn: &mut AnyConnection, user_id: i32) -> QueryResult<UserRecord> {
    users::table
        .find(user_id)
        .select(UserRecord::as_select())
        .first(conn)
}

/// The list's filters, parsed; values that mean nothing are ignored rather than refused.
#[derive(Debug, Clone, Default)]
struct UserFilter {
    pattern: Option<String>,
    role: Option<Role>,
    region_id: Option<i32>,
    category: Option<Category>,
    status: Option<Status>,
}

type UserPredicate = Box<dyn BoxableExpression<users::table, MultiBackend, SqlType = Bool>>;

/// Name, email or IIN contains the pattern, whatever the letter case.
fn text_matches(pattern: &str, sqlite: bool) -> UserPredicate {
    let iin = users::iin
        .assume_not_null()
        .like(pattern.to_owned())
        .escape('\\');
    if sqlite {
        Box::new(
            ustaz_lower(users::full_name)
                .like(pattern.to_owned())
                .escape('\\')
                .or(ustaz_lower(users::email)
                    .like(pattern.to_owned())
                    .escape('\\'))
                .or(iin),
        )
    } else {
        Box::new(
            lower(users::full_name)
                .like(pattern.to_owned())
                .escape('\\')
                .or(lower(users::email).like(pattern.to_owned()).escape('\\'))
                .or(iin),
        )
    }
}

fn filtered(filter: &UserFilter, sqlite: bool) -> users::BoxedQuery<'static, MultiBackend> {
    let mut query = users::table.into_boxed();
    if let Some(pattern) = &filter.pattern {
        query = query.filter(text_matches(pattern, sqlite));
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role.as_str()));
    }
    if let Some(region_id) = filter.region_id {
        query = query.filter(users::region_id.eq(region_id));
    }
    if let Some(category) = filter.category {
        query = query.filter(users::category.eq(category.as_str()));
    }
    query = match filter.status {
        Some(Status::Disabled) => query.filter(users::disabled_at.is_not_null()),
        Some(Status::Unconfirmed) => query
            .filter(users::disabled_at.is_null())
            .filter(users::email_verified_at.is_null()),
        Some(Status::Active) => query
            .filter(users::disabled_at.is_null())
            .filter(users::email_verified_at.is_not_null()),
        None => query,
    };
    query
}

/// One page of the users that match, and how many match in all.
fn search_users(
    conn: &mut AnyConnection,
    filter: &UserFilter,
    page: i64,
) -> QueryResult<(Vec<UserRecord>, i64)> {
    let sqlite = prepare_search(conn)?;
    let total: i64 = filtered(filter, sqlite).count().get_result(conn)?;
    let last_page = page_count(total, PAGE_SIZE);
    let rows = filtered(filter, sqlite)
        .select(UserRecord::as_select())
        .order((users::full_name.asc(), users::id.asc()))
        .limit(PAGE_SIZE)
        .offset((page.clamp(1, last_page) - 1) * PAGE_SIZE)
        .load(conn)?;
    Ok((rows, total))
}

fn school_name(conn: &mut AnyConnection, school_id: Option<i32>) -> QueryResult<Option<String>> {
    match school_id {
        Some(id) => schools::table
            .find(id)
            .select(schools::name)
            .first(conn)
            .optional(),
        None => Ok(None),
    }
}

/// Role and region as the audit log records them (the region by its code).
fn placement(user: &UserRecord, regions: &[Region]) -> serde_json::Value {
    let region = user
        .region_id
        .and_then(|id| regions.iter().find(|r| r.id == id))
        .map(|r| r.code.clone());
    serde_json::json!({ "role": user.role, "region": region })
}

/// Sets role and region; a school outside the new region is let go (it would be wrong).
/// Returns whether anything changed.
fn place_user(
    conn: &mut AnyConnection,
    actor_id: i32,
    user_id: i32,
    role: Role,
    region_id: Option<i32>,
    action: AuditAction,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let user = user_record(conn, user_id)?;
        if user.role == role.as_str() && user.region_id == region_id {
            return Ok(false);
        }
        let regions = all_regions(conn)?;
        let school_id = match (user.school_id, region_id) {
            (Some(school), Some(region)) => schools::table
                .find(school)
                .filter(schools::region_id.eq(region))
                .select(schools::id)
                .first::<i32>(conn)
                .optional()?,
            _ => None,
        };
        diesel::update(users::table.find(user_id))
            .set((
                users::role.eq(role.as_str()),
                users::region_id.eq(region_id),
                users::school_id.eq(school_id),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let after = UserRecord {
            role: role.as_str().to_owned(),
            region_id,
            ..user.clone()
        };
        let mut before = placement(&user, &regions);
        let mut after = placement(&after, &regions);
        if school_id != user.school_id {
            before["school"] = school_name(conn, user.school_id)?.into();
            after["school"] = serde_json::Value::Null;
        }
        audit::record(
            conn,
            Some(actor_id),
            action,
            "user",
            Some(user_id),
            serde_json::json!({ "before": before, "after": after }),
        )?;
        Ok(true)
    })
}

/// Disables or enables the account; disabling also ends every session. Returns whether anything
/// changed.
fn set_disabled(
    conn: &mut AnyConnection,
    actor_id: i32,
    user_id: i32,
    disabled: bool,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let user = user_record(conn, user_id)?;
        if user.disabled_at.is_some() == disabled {
            return Ok(false);
        }
        let at = now();
        let (disabled_at, session_version) = if disabled {
            (Some(at), user.session_version + 1)
        } else {
            (None, user.session_version)
        };
        diesel::update(users::table.find(user_id))
            .set((
                users::disabled_at.eq(disabled_at),
                users::session_version.eq(session_version),
                users::updated_at.eq(at),
            ))
            .execute(conn)?;
        let after = Status::of(disabled_at, user.email_verified_at);
        audit::record(
            conn,
            Some(actor_id),
            if disabled {
                AuditAction::UserDisabled
            } else {
                AuditAction::UserEnabled
            },
            "user",
            Some(user_id),
            serde_json::json!({
                "before": { "status": user.status().as_str() },
                "after": { "status": after.as_str() },
            }),
        )?;
        Ok(true)
    })
}

fn end_user_sessions(conn: &mut AnyConnection, actor_id: i32, user_id: i32) -> QueryResult<()> {
    conn.transaction(|conn| {
        let user = user_record(conn, user_id)?;
        diesel::update(users::table.find(user_id))
            .set((
                users::session_version.eq(user.session_version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            Some(actor_id),
            AuditAction::UserSessionsEnded,
            "user",
            Some(user_id),
            serde_json::json!({
                "before": { "session_version": user.session_version },
                "after": { "session_version": user.session_version + 1 },
            }),
        )
    })
}

// ---- The list -----------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    page: String,
}

pub struct UserRow {
    pub href: String,
    pub full_name: String,
    pub email: String,
    pub role: String,
    pub region: String,
    pub category: String,
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    pub ctx: Ctx,
    pub form: ListQuery,
    pub roles: Vec<(&'static str, String)>,
    pub regions: Vec<RegionChoice>,
    pub categories: Vec<(&'static str, String)>,
    pub statuses: Vec<(&'static str, String)>,
    pub rows: Vec<UserRow>,
    pub summary: String,
    pub caption: String,
    pub filtered: bool,
    pub pagination: Pagination,
}

fn role_choices(lang: Lang) -> Vec<(&'static str, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str(), lang.t(&format!("role-{r}"))))
        .collect()
}

pub async fn list(
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let raw = query.into_inner();
    let regions = run(&state.pool, all_regions).await?;
    let text = raw.q.trim().to_owned();
    let role = Role::parse(&raw.role).ok();
    let region = regions.iter().find(|r| r.code == raw.region.trim());
    let category = Category::parse(&raw.category).ok();
    let status = Status::parse(raw.status.trim());
    // The form shows back only what was understood, so the URL and the results agree.
    let form = ListQuery {
        q: text.clone(),
        role: role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        region: region.map(|r| r.code.clone()).unwrap_or_default(),
        category: category.map(|c| c.as_str().to_owned()).unwrap_or_default(),
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        page: String::new(),
    };
    let filter = UserFilter {
        pattern: (!text.is_empty()).then(|| contains_pattern(&text)),
        role,
        region_id: region.map(|r| r.id),
        category,
        status,
    };
    let requested = raw.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let (records, total) = {
        let filter = filter.clone();
        run(&state.pool, move |conn| {
            search_users(conn, &filter, requested)
        })
        .await?
    };
    let total_pages = page_count(total, PAGE_SIZE);
    let page = requested.min(total_pages);

    let rows = records
        .into_iter()
        .map(|u| {
            let status = u.status();
            UserRow {
                href: format!("/admin/users/{}", u.id),
                role: lang.t(&format!("role-{}", u.role)),
                region: u
                    .region_id
                    .and_then(|id| regions.iter().find(|r| r.id == id))
                    .map(|r| r.name(lang))
                    .unwrap_or_default(),
                category: u
                    .category
                    .as_deref()
                    .and_then(|c| Category::parse(c).ok())
                    .map(|c| lang.t(c.label_key()))
                    .unwrap_or_default(),
                status: status.as_str(),
                status_label: status.label(lang),
                full_name: u.full_name,
                email: u.email,
            }
        })
        .collect();

    let mut base_query = String::new();
    for (name, value) in [
        ("q", &form.q),
        ("role", &form.role),
        ("region", &form.region),
        ("category", &form.category),
        ("status", &form.status),
    ] {
        if !value.is_empty() {
            base_query.push_str(&format!("{name}={}&", encode_query_value(value)));
        }
    }
    let page_view = UsersPage {
        roles: role_choices(lang),
        regions: region_choices(&regions, lang),
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), lang.t(c.label_key())))
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| (s.as_str(), s.label(lang)))
            .collect(),
        rows,
        summary: lang.t_args("admin-users-count", &[("count", Arg::from(total))]),
        caption: lang.t_args(
            "admin-users-caption",
            &[("page", Arg::from(page)), ("pages", Arg::from(total_pages))],
        ),
        filtered: !base_query.is_empty(),
        pagination: paginate(lang, "/admin/users", &base_query, page, total_pages),
        form,
        ctx,
    };
    render(&page_view)
}

// ---- A user's page ------------------------------------------------------------------------

/// Confirmations after a change (`?done=…`), each a translation key.
const DONE: &[(&str, &str)] = &[
    ("role-changed", "admin-users-done-role-changed"),
    (
        "coordinator-appointed",
        "admin-users-done-coordinator-appointed",
    ),
    ("disabled", "admin-users-done-disabled"),
    ("enabled", "admin-users-done-enabled"),
    ("sessions-ended", "admin-users-done-sessions-ended"),
    ("unchanged", "admin-users-done-unchanged"),
];

pub struct UserView {
    pub id: i32,
    pub full_name: String,
    pub email: String,
    pub role: String,
    pub role_label: String,
    pub region: String,
    pub school: String,
    pub category: String,
    pub language: String,
    pub iin: String,
    pub status: &'static str,
    pub status_label: String,
    pub registered: String,
    pub disabled_since: String,
    pub is_self: bool,
}

#[derive(Template)]
#[template(path = "admin/users_detail.html")]
pub struct UserPage {
    pub ctx: Ctx,
    pub user: UserView,
    pub errors: FormErrors,
    pub roles: Vec<(&'static str, String)>,
    pub regions: Vec<RegionChoice>,
    /// The role form's values (as submitted, or the user's own).
    pub role_choice: String,
    pub role_region: String,
    pub coordinator_region: String,
    pub audit_href: String,
}

/// What a refused form sends back to the page.
#[derive(Default)]
struct Refused {
    errors: FormErrors,
    role: Option<(String, String)>,
    coordinator_region: Option<String>,
}

async fn user_page(
    ctx: Ctx,
    state: &AppState,
    admin_id: i32,
    user_id: i32,
    refused: Refused,
) -> AppResult<UserPage> {
    let lang = ctx.lang;
    let (user, school, regions) = run(&state.pool, move |conn| {
        let user = user_record(conn, user_id)?;
        let school = school_name(conn, user.school_id)?;
        Ok((user, school, all_regions(conn)?))
    })
    .await?;
    let region = user
        .region_id
        .and_then(|id| regions.iter().find(|r| r.id == id));
    let region_code = region.map(|r| r.code.clone()).unwrap_or_default();
    let status = user.status();
    let view = UserView {
        id: user.id,
        role_label: lang.t(&format!("role-{}", user.role)),
        region: region.map(|r| r.name(lang)).unwrap_or_default(),
        school: school.unwrap_or_default(),
        category: user
            .category
            .as_deref()
            .and_then(|c| Category::parse(c).ok())
            .map(|c| lang.t(c.label_key()))
            .unwrap_or_default(),
        language: Lang::parse(&user.language)
            .map(|l| l.native_name().to_owned())
            .unwrap_or_default(),
        iin: user.iin.clone().unwrap_or_default(),
        status: status.as_str(),
        status_label: status.label(lang),
        registered: lang.date(user.created_at.date()),
        disabled_since: user
            .disabled_at
            .map(|d| lang.date(d.date()))
            .unwrap_or_default(),
        is_self: user.id == admin_id,
        full_name: user.full_name,
        email: user.email,
        role: user.role.clone(),
    };
    let (role_choice, role_region) = refused
        .role
        .unwrap_or_else(|| (user.role.clone(), region_code.clone()));
    let coordinator_region = refused.coordinator_region.unwrap_or_else(|| {
        if user.role == Role::Coordinator.as_str() {
            region_code.clone()
        } else {
            String::new()
        }
    });
    Ok(UserPage {
        roles: role_choices(lang),
        regions: region_choices(&regions, lang),
        audit_href: format!("/admin/audit?user={user_id}"),
        ctx,
        user: view,
        errors: refused.errors,
        role_choice,
        role_region,
        coordinator_region,
    })
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn detail(
    Admin(admin): Admin,
    mut ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<DoneQuery>,
) -> AppResult<HttpResponse> {
    if let Some(done) = query.done.as_deref() {
        ctx.notice = DONE
            .iter()
            .find(|(name, _)| *name == done)
            .map(|(_, key)| *key);
    }
    let page = user_page(ctx, &state, admin.id, path.into_inner(), Refused::default()).await?;
    render(&page)
}

async fn refuse(
    ctx: Ctx,
    state: &AppState,
    admin_id: i32,
    user_id: i32,
    refused: Refused,
) -> AppResult<HttpResponse> {
    let page = user_page(ctx, state, admin_id, user_id, refused).await?;
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

fn back_to(user_id: i32, done: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/admin/users/{user_id}?done={done}"),
        ))
        .finish()
}

/// 404 before anything else: changing a user who does not exist is not a form error.
async fn ensure_exists(state: &AppState, user_id: i32) -> AppResult<()> {
    let exists = run(&state.pool, move |conn| {
        diesel::select(diesel::dsl::exists(users::table.find(user_id))).get_result::<bool>(conn)
    })
    .await?;
    if exists {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    region: String,
}

/// Teachers and coordinators belong to a region; an administrator may have none.
pub async fn change_role(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    Posted(form): Posted<RoleForm>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    ensure_exists(&state, user_id).await?;
    let lang = ctx.lang;
    let regions = run(&state.pool, all_regions).await?;
    let mut errors = FormErrors::default();
    let role = Role::parse(&form.role)
        .map_err(|e| errors.add("role", lang.t(e.key())))
        .ok();
    if user_id == admin.id && role.is_some_and(|r| r != Role::Admin) {
        errors.add("role", lang.t("admin-users-error-own-role"));
    }
    let region = regions.iter().find(|r| r.code == form.region.trim());
    match (role, region) {
        (Some(Role::Coordinator), None) => errors.add(
            "role-region",
            lang.t("admin-users-error-coordinator-region"),
        ),
        (Some(Role::Teacher), None) => {
            errors.add("role-region", lang.t("admin-users-error-teacher-region"))
        }
        _ => {}
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        let refused = Refused {
            errors,
            role: Some((form.role, form.region)),
            coordinator_region: None,
        };
        return refuse(ctx, &state, admin.id, user_id, refused).await;
    };
    let region_id = region.map(|r| r.id);
    let actor = admin.id;
    let changed = run(&state.pool, move |conn| {
        place_user(
            conn,
            actor,
            user_id,
            role,
            region_id,
            AuditAction::UserRoleChanged,
        )
    })
    .await?;
    if changed {
        tracing::info!(user_id, actor_id = actor, role = %role, "role changed");
    }
    Ok(back_to(
        user_id,
        if changed { "role-changed" } else { "unchanged" },
    ))
}

#[derive(Deserialize)]
pub struct CoordinatorForm {
    #[serde(default)]
    region: String,
}

/// Makes the user the coordinator of a region (or moves a coordinator to another region).
pub async fn appoint_coordinator(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    Posted(form): Posted<CoordinatorForm>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    ensure_exists(&state, user_id).await?;
    let lang = ctx.lang;
    let regions = run(&state.pool, all_regions).await?;
    let mut errors = FormErrors::default();
    let region = regions.iter().find(|r| r.code == form.region.trim());
    if region.is_none() {
        errors.add(
            "coordinator-region",
            lang.t("admin-users-error-coordinator-region"),
        );
    }
    if user_id == admin.id {
        errors.add("coordinator-region", lang.t("admin-users-error-own-role"));
    }
    let Some(region_id) = region.map(|r| r.id).filter(|_| errors.is_empty()) else {
        let refused = Refused {
            errors,
            role: None,
            coordinator_region: Some(form.region),
        };
        return refuse(ctx, &state, admin.id, user_id, refused).await;
    };
    let actor = admin.id;
    let changed = run(&state.pool, move |conn| {
        place_user(
            conn,
            actor,
            user_id,
            Role::Coordinator,
            Some(region_id),
            AuditAction::UserCoordinatorAppointed,
        )
    })
    .await?;
    if changed {
        tracing::info!(
            user_id,
            actor_id = actor,
            region_id,
            "coordinator appointed"
        );
    }
    Ok(back_to(
        user_id,
        if changed {
            "coordinator-appointed"
        } else {
            "unchanged"
        },
    ))
}

pub async fn disable(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    ensure_exists(&state, user_id).await?;
    if user_id == admin.id {
        let mut errors = FormErrors::default();
        errors.add("access", ctx.t("admin-users-error-disable-self"));
        let refused = Refused {
            errors,
            ..Refused::default()
        };
        return refuse(ctx, &state, admin.id, user_id, refused).await;
    }
    let actor = admin.id;
    let changed = run(&state.pool, move |conn| {
        set_disabled(conn, actor, user_id, true)
    })
    .await?;
    if changed {
        tracing::info!(user_id, actor_id = actor, "account disabled");
    }
    Ok(back_to(
        user_id,
        if changed { "disabled" } else { "unchanged" },
    ))
}

pub async fn enable(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    ensure_exists(&state, user_id).await?;
    let actor = admin.id;
    let changed = run(&state.pool, move |conn| {
        set_disabled(conn, actor, user_id, false)
    })
    .await?;
    if changed {
        tracing::info!(user_id, actor_id = actor, "account enabled");
    }
    Ok(back_to(
        user_id,
        if changed { "enabled" } else { "unchanged" },
    ))
}

/// Signs the user out everywhere: every session token they hold stops working.
pub async fn end_sessions(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    ensure_exists(&state, user_id).await?;
    let actor = admin.id;
    run(&state.pool, move |conn| {
        end_user_sessions(conn, actor, user_id)
    })
    .await?;
    tracing::info!(user_id, actor_id = actor, "sessions ended");
    Ok(back_to(user_id, "sessions-ended"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_lowered_and_its_wildcards_escaped() {
        assert_eq!(contains_pattern("Айгерім"), "%айгерім%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }

    #[test]
    fn pages_link_the_ends_and_the_neighbourhood() {
        let p = paginate(Lang::En, "/admin/users", "role=admin&", 5, 10);
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
                Some(10)
            ]
        );
        assert_eq!(
            p.previous.as_deref(),
            Some("/admin/users?role=admin&page=4")
        );
        assert_eq!(p.next.as_deref(), Some("/admin/users?role=admin&page=6"));
        assert!(p.pages.iter().any(|l| l.current && l.number == Some(5)));
        let single = paginate(Lang::En, "/admin/audit", "", 1, 1);
        assert!(!single.is_needed() && single.previous.is_none() && single.next.is_none());
    }

    #[test]
    fn status_follows_disabled_then_confirmed() {
        let t = Some(now());
        assert_eq!(Status::of(t, t), Status::Disabled);
        assert_eq!(Status::of(None, None), Status::Unconfirmed);
        assert_eq!(Status::of(None, t), Status::Active);
    }

    #[test]
    fn every_confirmation_and_status_is_translated() {
        use crate::i18n::catalogue_keys;
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for (_, key) in DONE {
                assert!(keys.contains(*key), "{lang} lacks {key}");
            }
            for status in Status::ALL {
                let key = format!("admin-users-status-{}", status.as_str());
                assert!(keys.contains(&key), "{lang} lacks {key}");
            }
        }
    }
}
