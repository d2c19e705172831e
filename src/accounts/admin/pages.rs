//! The users administration pages: the list with search and filters, a user's page, and the
//! forms on it (role, a coordinator's region, a tutor's courses, disabling, ending sessions).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::forms::{CoordinatorForm, ListQuery, RoleForm, TutoringForm};
use super::ops::{self, Placed, Tutoring};
use crate::accounts::forms::{category_choices, role_choices, role_label};
use crate::accounts::models::{self as m, AccountRow, TutoredCourse, UserStatus};
use crate::accounts::two_step::{self, forms::ResetForm};
use crate::audit::models::AuditAction;
use crate::domain::{Category, CourseStatus, Role, Version};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::schools::models::{all_regions, region_choices, Region, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::{Admin, NoFields, Posted};
use crate::web::pagination::{page_count, paginate, Pagination};
use crate::web::{
    render, render_with_status, run, see_other, submit, Ctx, FormErrors, Notices, Submitted,
};

pub const PAGE_SIZE: i64 = 25;

/// A user's stored category by name ("" when none).
fn category_label(lang: Lang, category: Option<&str>) -> String {
    category
        .and_then(|c| Category::parse(c).ok())
        .map(|c| lang.t(c.label_key()))
        .unwrap_or_default()
}

fn user_role_label(lang: Lang, user: &AccountRow) -> String {
    user.role()
        .map(|role| role_label(lang, role))
        .unwrap_or_default()
}

fn region_of<'a>(regions: &'a [Region], user: &AccountRow) -> Option<&'a Region> {
    user.region_id
        .and_then(|id| regions.iter().find(|r| r.id == id))
}

// ---- The list -----------------------------------------------------------------------------

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

impl UserRow {
    fn new(lang: Lang, regions: &[Region], user: AccountRow) -> Self {
        let status = user.status();
        UserRow {
            href: format!("/admin/users/{}", user.id),
            role: user_role_label(lang, &user),
            region: region_of(regions, &user)
                .map(|r| r.name(lang))
                .unwrap_or_default(),
            category: category_label(lang, user.category.as_deref()),
            status: status.as_str(),
            status_label: lang.t(status.label_key()),
            full_name: user.full_name,
            email: user.email,
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/admin/users.html")]
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

impl UsersPage {
    /// Page `page` of `total_pages` of the `total` users the `form`'s filters match.
    fn new(
        ctx: Ctx,
        form: ListQuery,
        regions: &[Region],
        rows: Vec<UserRow>,
        total: i64,
        page: i64,
    ) -> Self {
        let lang = ctx.lang;
        let total_pages = page_count(total, PAGE_SIZE);
        let page = page.min(total_pages);
        let filters = form.filters_query();
        let pages = [("page", Arg::from(page)), ("pages", Arg::from(total_pages))];
        UsersPage {
            roles: role_choices(lang),
            regions: region_choices(regions, lang),
            categories: category_choices(lang),
            statuses: UserStatus::ALL
                .iter()
                .map(|s| (s.as_str(), lang.t(s.label_key())))
                .collect(),
            rows,
            summary: lang.t_args("admin-users-count", &[("count", Arg::from(total))]),
            caption: lang.t_args("admin-users-caption", &pages),
            filtered: !filters.is_empty(),
            pagination: paginate(lang, "/admin/users", &filters, page, total_pages),
            form,
            ctx,
        }
    }
}

pub async fn list(
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let regions = run(&state.pool, all_regions).await?;
    let (filter, form) = query.parse(&regions);
    let page = query.page();
    let (records, total) = run(&state.pool, move |conn| {
        m::search_users(conn, &filter, page, PAGE_SIZE)
    })
    .await?;
    let rows = records
        .into_iter()
        .map(|user| UserRow::new(ctx.lang, &regions, user))
        .collect();
    render(&UsersPage::new(ctx, form, &regions, rows, total, page))
}

// ---- A user's page ------------------------------------------------------------------------

/// Confirmations after a change (`?done=…`), each a translation key.
const DONE: Notices = &[
    ("role-changed", "admin-users-done-role-changed"),
    (
        "coordinator-appointed",
        "admin-users-done-coordinator-appointed",
    ),
    ("disabled", "admin-users-done-disabled"),
    ("enabled", "admin-users-done-enabled"),
    ("sessions-ended", "admin-users-done-sessions-ended"),
    ("two-step-reset", "admin-users-done-two-step-reset"),
    ("tutoring-saved", "admin-users-done-tutoring-saved"),
    ("unchanged", "admin-users-done-unchanged"),
];

pub struct UserView {
    pub id: i32,
    pub full_name: String,
    pub email: String,
    pub role_label: String,
    pub is_coordinator: bool,
    pub is_tutor: bool,
    pub region: String,
    pub school: String,
    pub category: String,
    pub language: String,
    pub iin: String,
    pub status: &'static str,
    pub status_label: String,
    pub disabled: bool,
    pub registered: String,
    pub disabled_since: String,
    pub is_self: bool,
    /// Whether the user has a second factor an administrator could reset.
    pub two_step_on: bool,
}

impl UserView {
    fn new(
        lang: Lang,
        user: &AccountRow,
        region: Option<&Region>,
        school: Option<String>,
        admin_id: i32,
    ) -> Self {
        let status = user.status();
        UserView {
            id: user.id,
            full_name: user.full_name.clone(),
            email: user.email.clone(),
            role_label: user_role_label(lang, user),
            is_coordinator: user.role() == Some(Role::Coordinator),
            is_tutor: user.role() == Some(Role::Tutor),
            region: region.map(|r| r.name(lang)).unwrap_or_default(),
            school: school.unwrap_or_default(),
            category: category_label(lang, user.category.as_deref()),
            language: Lang::parse(&user.language)
                .map(|l| l.native_name().to_owned())
                .unwrap_or_default(),
            iin: user.iin.clone().unwrap_or_default(),
            status: status.as_str(),
            status_label: lang.t(status.label_key()),
            disabled: status == UserStatus::Disabled,
            registered: lang.date(user.created_at.date()),
            disabled_since: user
                .disabled_at
                .map(|d| lang.date(d.date()))
                .unwrap_or_default(),
            is_self: user.id == admin_id,
            two_step_on: false,
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/admin/users_detail.html")]
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
    /// The version of the account the page's forms were opened at.
    pub version: String,
    /// A tutor's page: every course, ticked when the tutor reviews it.
    pub tutoring: Vec<TutoringChoice>,
}

pub struct TutoringChoice {
    pub id: i32,
    /// The first box is `course`, so that the error summary can link to the group.
    pub checkbox_id: String,
    pub title: String,
    pub checked: bool,
}

fn tutoring_choices(
    lang: Lang,
    courses: Vec<TutoredCourse>,
    ticked: &[i32],
) -> Vec<TutoringChoice> {
    courses
        .into_iter()
        .enumerate()
        .map(|(i, (id, title, status))| TutoringChoice {
            id,
            checkbox_id: if i == 0 {
                "course".to_owned()
            } else {
                format!("course-{id}")
            },
            title: match CourseStatus::parse(&status) {
                Some(s) if s != CourseStatus::Published => {
                    format!("{title} ({})", lang.t(s.label_key()))
                }
                _ => title,
            },
            checked: ticked.contains(&id),
        })
        .collect()
}

/// What the page shows of a refused form instead of the account as stored (none: as stored).
#[derive(Default)]
struct Refused {
    errors: FormErrors,
    role: Option<(String, String)>,
    coordinator_region: Option<String>,
    version: Option<String>,
    /// The courses ticked in a refused tutoring form.
    tutoring: Option<Vec<i32>>,
}

impl UserPage {
    async fn load(
        ctx: Ctx,
        state: &AppState,
        admin_id: i32,
        user_id: i32,
        refused: Refused,
    ) -> AppResult<Self> {
        let lang = ctx.lang;
        let (user, school, regions, two_step_on, tutoring) = run(&state.pool, move |conn| {
            let user = m::account(conn, user_id)?;
            let school = m::school_name(conn, user.school_id)?;
            let two_step_on = two_step::models::has_factor(conn, user_id)?;
            let tutoring = match user.role() {
                Some(Role::Tutor) => Some((
                    m::courses_to_tutor(conn)?,
                    m::tutored_course_ids(conn, user_id)?,
                )),
                None | Some(_) => None,
            };
            Ok((user, school, all_regions(conn)?, two_step_on, tutoring))
        })
        .await?;
        let tutoring = match tutoring {
            Some((courses, appointed)) => {
                let ticked = refused.tutoring.unwrap_or(appointed);
                tutoring_choices(lang, courses, &ticked)
            }
            None => Vec::new(),
        };
        let region = region_of(&regions, &user);
        let region_code = region.map(|r| r.code.clone()).unwrap_or_default();
        let mut view = UserView::new(lang, &user, region, school, admin_id);
        view.two_step_on = two_step_on;
        let (role_choice, role_region) = refused
            .role
            .unwrap_or_else(|| (user.role.clone(), region_code.clone()));
        let coordinator_region = refused.coordinator_region.unwrap_or_else(|| {
            if view.is_coordinator {
                region_code
            } else {
                String::new()
            }
        });
        let version = refused.version.unwrap_or_else(|| user.version.to_string());
        Ok(UserPage {
            tutoring,
            version,
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
}

pub async fn detail(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let ctx = ctx.with_done(DONE);
    let page = UserPage::load(ctx, &state, admin.id, path.into_inner(), Refused::default());
    render(&page.await?)
}

async fn refuse(
    ctx: Ctx,
    state: &AppState,
    admin_id: i32,
    user_id: i32,
    refused: Refused,
) -> AppResult<HttpResponse> {
    let page = UserPage::load(ctx, state, admin_id, user_id, refused).await?;
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// The user's page, saying what was `done` (or that nothing changed).
fn done_location(user_id: i32, changed: bool, done: &str) -> String {
    let done = if changed { done } else { "unchanged" };
    format!("/admin/users/{user_id}?done={done}")
}

/// 404 before anything else: changing a user who does not exist is not a form error.
async fn ensure_exists(state: &AppState, user_id: i32) -> AppResult<()> {
    if run(&state.pool, move |conn| m::user_exists(conn, user_id)).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Gives the user at `version` a role and region (`action` says which form asked), then back to
/// their page saying it was `done`.
async fn place(
    state: &AppState,
    actor: i32,
    user: (i32, Version),
    (role, region_id): (Role, Option<i32>),
    (action, done): (AuditAction, &str),
) -> AppResult<Submitted<Refused>> {
    let placed = run(&state.pool, move |conn| {
        ops::place_user(conn, actor, user, role, region_id, action)
    })
    .await?;
    let user_id = user.0;
    Ok(match placed {
        Placed::Stale => Submitted::Stale(Refused::default()),
        placed => {
            let changed = placed == Placed::Changed;
            if changed {
                tracing::info!(user_id, actor_id = actor, role = %role, ?region_id, "{done}");
            }
            Submitted::Done(done_location(user_id, changed, done))
        }
    })
}

pub async fn change_role(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    Posted(form): Posted<RoleForm>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    let regions = regions_for(&state, user_id).await?;
    let parsed = form.parse(ctx.lang, &regions, user_id == admin.id);
    let shown = Refused {
        version: Some(form.version),
        role: Some((form.role, form.region)),
        ..Refused::default()
    };
    let why = (AuditAction::UserRoleChanged, "role-changed");
    submit_placement(ctx, &state, (admin.id, user_id), shown, parsed, why).await
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
    let regions = regions_for(&state, user_id).await?;
    let parsed = form
        .parse(ctx.lang, &regions, user_id == admin.id)
        .map(|region_id| (Role::Coordinator, Some(region_id)));
    let shown = Refused {
        version: Some(form.version),
        coordinator_region: Some(form.region),
        ..Refused::default()
    };
    let why = (
        AuditAction::UserCoordinatorAppointed,
        "coordinator-appointed",
    );
    submit_placement(ctx, &state, (admin.id, user_id), shown, parsed, why).await
}

/// The regions a placement form chooses from, once the user is known to exist (404 otherwise).
async fn regions_for(state: &AppState, user_id: i32) -> AppResult<Vec<Region>> {
    ensure_exists(state, user_id).await?;
    run(&state.pool, all_regions).await
}

/// Answers a placement form of the user page (a role, or a coordinator's region): saved at the
/// version the page was opened at, or the page again with the form as `shown` and its errors.
async fn submit_placement(
    ctx: Ctx,
    state: &AppState,
    (actor, user_id): (i32, i32),
    shown: Refused,
    parsed: Result<(Role, Option<i32>), FormErrors>,
    why: (AuditAction, &'static str),
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let version = Version::parse(shown.version.as_deref().unwrap_or_default());
    let save = async |placement| place(state, actor, (user_id, version), placement, why).await;
    let page = async |mut shown: Refused, errors| {
        shown.errors = errors;
        UserPage::load(ctx, state, actor, user_id, shown).await
    };
    submit(lang, shown, parsed, save, page).await
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
        let refused = Refused {
            errors: FormErrors::one("access", ctx.t("admin-users-error-disable-self")),
            ..Refused::default()
        };
        return refuse(ctx, &state, admin.id, user_id, refused).await;
    }
    set_disabled(&state, admin.id, user_id, true).await
}

pub async fn enable(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    ensure_exists(&state, user_id).await?;
    set_disabled(&state, admin.id, user_id, false).await
}

async fn set_disabled(
    state: &AppState,
    actor: i32,
    user_id: i32,
    disabled: bool,
) -> AppResult<HttpResponse> {
    let changed = run(&state.pool, move |conn| {
        ops::set_disabled(conn, actor, user_id, disabled)
    })
    .await?;
    let done = if disabled { "disabled" } else { "enabled" };
    if changed {
        tracing::info!(user_id, actor_id = actor, "account {done}");
    }
    Ok(see_other(done_location(user_id, changed, done)))
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
        ops::end_user_sessions(conn, actor, user_id)
    })
    .await?;
    tracing::info!(user_id, actor_id = actor, "sessions ended");
    Ok(see_other(done_location(user_id, true, "sessions-ended")))
}

/// Removes another user's second factor (they set it up again at their next sign-in, every
/// session of theirs ends, they are emailed); the box must say the administrator checked who
/// asked. Not one's own: another administrator does that.
pub async fn reset_two_step(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    Posted(form): Posted<ResetForm>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    ensure_exists(&state, user_id).await?;
    let field = two_step::forms::RESET_FIELD;
    let checked = match user_id == admin.id {
        true => Err(FormErrors::one(
            field,
            ctx.t("admin-users-two-step-error-self"),
        )),
        false => form.parse(ctx.lang),
    };
    if let Err(errors) = checked {
        let refused = Refused {
            errors,
            ..Refused::default()
        };
        return refuse(ctx, &state, admin.id, user_id, refused).await;
    }
    let actor = admin.id;
    let changed = run(&state.pool, move |conn| {
        two_step::ops::reset_by_admin(conn, actor, user_id)
    })
    .await?;
    if changed {
        tracing::info!(user_id, actor_id = actor, "second factor reset");
    }
    Ok(see_other(done_location(user_id, changed, "two-step-reset")))
}

/// Saves the courses a tutor reviews.
pub async fn save_tutoring(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    Posted(form): Posted<TutoringForm>,
) -> AppResult<HttpResponse> {
    let user_id = path.into_inner();
    ensure_exists(&state, user_id).await?;
    let courses = run(&state.pool, m::courses_to_tutor).await?;
    let known: Vec<i32> = courses.iter().map(|c| c.0).collect();
    let ids = match form.parse(ctx.lang, &known) {
        Ok(ids) => ids,
        Err(errors) => {
            let refused = Refused {
                errors,
                tutoring: Some(form.ticked()),
                ..Refused::default()
            };
            return refuse(ctx, &state, admin.id, user_id, refused).await;
        }
    };
    let actor = admin.id;
    let saved = run(&state.pool, move |conn| {
        ops::set_tutoring(conn, actor, user_id, &ids)
    })
    .await?;
    match saved {
        Tutoring::NotTutor => {
            let message = ctx.t("admin-users-error-not-tutor");
            let refused = Refused {
                errors: FormErrors::one("course", message),
                ..Refused::default()
            };
            refuse(ctx, &state, admin.id, user_id, refused).await
        }
        saved => {
            let changed = saved == Tutoring::Changed;
            if changed {
                tracing::info!(user_id, actor_id = actor, "tutor's courses saved");
            }
            Ok(see_other(done_location(user_id, changed, "tutoring-saved")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_confirmation_is_translated() {
        crate::i18n::assert_translated(DONE.iter().map(|(_, key)| *key));
    }
}
