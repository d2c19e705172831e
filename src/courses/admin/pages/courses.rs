//! The list of courses, the course form, and a course's page with its draft → published →
//! archived workflow and its modules in order.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::NOTICES;
use crate::courses::admin::forms::{validate_course, CourseForm, ValidCourse};
use crate::courses::admin::models as authoring;
use crate::courses::models::{self, Course, Module};
use crate::courses::ops::{self, Saved, Transition};
use crate::domain::{Category, CertificateMode, CompetencyArea, CourseStatus, Version};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::web::extractors::{Admin, NoFields, Posted};
use crate::web::{render, render_with_status, run, see_other, submit, Ctx, FormErrors, Submitted};

fn language_label(lang: Lang, code: &str) -> String {
    Lang::parse(code)
        .map(|l| l.native_name().to_owned())
        .unwrap_or_else(|| lang.t("admin-courses-unknown"))
}

fn area_label(lang: Lang, course: &Course) -> String {
    lang.t(course
        .competency_area()
        .map_or("admin-courses-unknown", CompetencyArea::label_key))
}

fn yes_no(lang: Lang, value: bool) -> String {
    lang.t(if value {
        "admin-courses-yes"
    } else {
        "admin-courses-no"
    })
}

// ---- The list -----------------------------------------------------------------------------

pub struct CourseRowView {
    pub id: i32,
    pub title: String,
    pub language: String,
    pub hours: i32,
    pub status: String,
    pub modules: i64,
    pub counts: String,
}

#[derive(Template)]
#[template(path = "courses/admin/list.html")]
pub struct CoursesPage {
    pub ctx: Ctx,
    pub courses: Vec<CourseRowView>,
}

pub async fn list(ctx: Ctx, _: Admin, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let rows = run(&state.pool, authoring::all_courses_with_module_counts).await?;
    let courses = rows
        .into_iter()
        .map(|(c, modules)| CourseRowView {
            id: c.id,
            language: language_label(lang, &c.language),
            hours: c.hours,
            status: lang.t(c.status().label_key()),
            counts: yes_no(lang, c.counts_toward_target),
            modules,
            title: c.title,
        })
        .collect();
    render(&CoursesPage { ctx, courses })
}

// ---- The course form ----------------------------------------------------------------------

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

impl Choice {
    /// One radio button or check box per variant, labelled in the visitor's language.
    fn each<T: Copy>(
        lang: Lang,
        all: &[T],
        code: fn(T) -> &'static str,
        label_key: fn(T) -> &'static str,
        checked: impl Fn(&str) -> bool,
    ) -> Vec<Choice> {
        all.iter()
            .map(|v| Choice {
                value: code(*v),
                label: lang.t(label_key(*v)),
                checked: checked(code(*v)),
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "courses/admin/form.html")]
pub struct CourseFormPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub form: CourseForm,
    pub course_id: Option<i32>,
    pub audiences: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub certificates: Vec<Choice>,
}

impl CourseFormPage {
    fn new(ctx: Ctx, form: CourseForm, errors: FormErrors, course_id: Option<i32>) -> Self {
        let lang = ctx.lang;
        let audiences = Choice::each(
            lang,
            &Category::ALL,
            Category::as_str,
            Category::label_key,
            |v| form.audience.iter().any(|a| a == v),
        );
        let languages = Lang::ALL
            .iter()
            .map(|l| Choice {
                value: l.code(),
                label: l.native_name().to_owned(),
                checked: l.code() == form.language,
            })
            .collect();
        let areas = Choice::each(
            lang,
            CompetencyArea::ALL,
            CompetencyArea::as_str,
            CompetencyArea::label_key,
            |v| v == form.area,
        );
        let certificates = Choice::each(
            lang,
            CertificateMode::ALL,
            CertificateMode::as_str,
            CertificateMode::label_key,
            |v| v == form.certificate,
        );
        Self {
            ctx,
            errors,
            form,
            course_id,
            audiences,
            languages,
            areas,
            certificates,
        }
    }

    pub fn action(&self) -> String {
        match self.course_id {
            Some(id) => format!("/admin/courses/{id}/edit"),
            None => "/admin/courses/new".to_owned(),
        }
    }

    pub fn back(&self) -> String {
        match self.course_id {
            Some(id) => format!("/admin/courses/{id}"),
            None => "/admin/courses".to_owned(),
        }
    }

    pub fn title_key(&self) -> &'static str {
        match self.course_id {
            Some(_) => "admin-courses-edit-title",
            None => "admin-courses-new-title",
        }
    }
}

/// Creates (`id` None) or updates a course from its form.
async fn submit_course(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    id: Option<i32>,
    form: CourseForm,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let version = Version::parse(&form.version);
    let parsed = validate_course(&form, lang);
    let save = async |course: ValidCourse| {
        let saved = run(&state.pool, move |conn| {
            ops::save_course(
                conn,
                admin_id,
                id,
                version,
                &course.fields,
                &course.audience,
            )
        })
        .await?;
        Ok(match saved {
            Saved::Done(course_id) => {
                tracing::info!(admin_id, course_id, "course saved");
                let done = if id.is_some() { "saved" } else { "created" };
                Submitted::Done(format!("/admin/courses/{course_id}?done={done}"))
            }
            Saved::SlugTaken => Submitted::Refused(FormErrors::one(
                "slug",
                lang.t("admin-courses-error-slug-taken"),
            )),
            Saved::Stale((course, audience)) => Submitted::Stale(CourseForm::of(course, audience)),
        })
    };
    let page = async |form, errors| Ok(CourseFormPage::new(ctx, form, errors, id));
    submit(lang, form, parsed, save, page).await
}

pub async fn new_course_form(ctx: Ctx, _: Admin) -> AppResult<HttpResponse> {
    let form = CourseForm::new_course(ctx.lang);
    render(&CourseFormPage::new(ctx, form, FormErrors::default(), None))
}

pub async fn create_course(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    Posted(form): Posted<CourseForm>,
) -> AppResult<HttpResponse> {
    submit_course(ctx, admin.id, &state, None, form).await
}

pub async fn edit_course_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (course, audience) = run(&state.pool, move |conn| {
        Ok((
            models::course_by_id(conn, id)?,
            models::audience_of(conn, id)?,
        ))
    })
    .await?;
    let form = CourseForm::of(course, audience);
    render(&CourseFormPage::new(
        ctx,
        form,
        FormErrors::default(),
        Some(id),
    ))
}

pub async fn update_course(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    Posted(form): Posted<CourseForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    run(&state.pool, move |conn| models::course_by_id(conn, id)).await?;
    submit_course(ctx, admin.id, &state, Some(id), form).await
}

// ---- The course page and its workflow -----------------------------------------------------

pub struct ModuleRowView {
    pub id: i32,
    pub title: String,
    pub kind: String,
    pub required: String,
    pub archived: bool,
    pub first: bool,
    pub last: bool,
}

impl ModuleRowView {
    fn rows(lang: Lang, modules: Vec<Module>) -> Vec<Self> {
        let count = modules.len();
        modules
            .into_iter()
            .enumerate()
            .map(|(i, m)| ModuleRowView {
                id: m.id,
                kind: lang.t(m.kind().label_key()),
                required: yes_no(lang, m.required),
                archived: m.archived_at.is_some(),
                first: i == 0,
                last: i + 1 == count,
                title: m.title,
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "courses/admin/detail.html")]
pub struct CourseDetailPage {
    pub ctx: Ctx,
    pub course: Course,
    pub course_status: CourseStatus,
    pub status: String,
    pub language: String,
    pub area: String,
    pub certificate: String,
    pub counts: String,
    pub sequential: String,
    pub audience: String,
    pub modules: Vec<ModuleRowView>,
    /// Why the last status change was refused.
    pub problem: Option<String>,
}

impl CourseDetailPage {
    fn new(
        ctx: Ctx,
        course: Course,
        audience: &[String],
        modules: Vec<Module>,
        problem: Option<String>,
    ) -> Self {
        let lang = ctx.lang;
        let audience = audience
            .iter()
            .filter_map(|a| Category::parse(a).ok())
            .map(|c| lang.t(c.label_key()))
            .collect::<Vec<_>>()
            .join(", ");
        Self {
            course_status: course.status(),
            status: lang.t(course.status().label_key()),
            language: language_label(lang, &course.language),
            area: area_label(lang, &course),
            certificate: lang.t(course.certificate_mode().label_key()),
            counts: yes_no(lang, course.counts_toward_target),
            sequential: yes_no(lang, course.sequential),
            audience,
            modules: ModuleRowView::rows(lang, modules),
            course,
            problem,
            ctx,
        }
    }

    async fn load(ctx: Ctx, state: &AppState, id: i32, problem: Option<String>) -> AppResult<Self> {
        let (course, audience, modules) = run(&state.pool, move |conn| {
            let course = models::course_by_id(conn, id)?;
            let audience = models::audience_of(conn, id)?;
            let modules = models::modules_of(conn, id, true)?;
            Ok((course, audience, modules))
        })
        .await?;
        Ok(Self::new(ctx, course, &audience, modules, problem))
    }
}

pub async fn detail(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let ctx = ctx.with_done(NOTICES);
    render(&CourseDetailPage::load(ctx, &state, id.into_inner(), None).await?)
}

/// Moves the course to `to`; a refusal shows the course page with the reason (422).
async fn transition(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    id: i32,
    to: CourseStatus,
) -> AppResult<HttpResponse> {
    let changed = run(&state.pool, move |conn| {
        ops::change_status(conn, admin_id, id, to)
    })
    .await?;
    match changed {
        Transition::Done => {
            tracing::info!(admin_id, course_id = id, status = %to, "course status changed");
            // The confirmations are named after the status reached.
            Ok(see_other(format!("/admin/courses/{id}?done={to}")))
        }
        Transition::Refused(key, module) => {
            let module = Arg::from(module.unwrap_or_default().as_str());
            let problem = Some(ctx.lang.t_args(key, &[("module", module)]));
            let page = CourseDetailPage::load(ctx, state, id, problem).await?;
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// `/publish`, `/archive`, `/draft`: moves the course to that status.
pub async fn change_status(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, action) = path.into_inner();
    // The words of the URL (`/admin/courses/{id}/publish`), not stored states.
    let to = match action.as_str() {
        "publish" => CourseStatus::Published,
        "archive" => CourseStatus::Archived,
        "draft" => CourseStatus::Draft, // URL word
        _ => return Err(AppError::NotFound),
    };
    transition(ctx, admin.id, &state, id, to).await
}
