//! The teacher's journey: the catalogue, a course page, enrolment, "my learning", lessons and
//! quizzes, progress and completion.

use crate::web::extractors::NoFields;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::models::{self as m, Enrolment, ModuleProgress};
use super::quiz::{self, QuestionKey, QuizInputError};
use crate::courses::markdown::to_safe_html;
use crate::courses::models::{self as courses, Course, Module};
use crate::db::now;
use crate::db::AnyConnection;
use crate::domain::{Category, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::policy::may_learn;
use crate::state::AppState;
use crate::web::extractors::{Admin, CurrentUser, Posted, SignedIn};
use crate::web::see_other;
use crate::web::{render, render_with_status, run, Ctx};
use diesel::QueryResult;

const AREAS: [&str; 3] = ["inclusive", "subject", "digital"];

fn course_path(slug: &str) -> String {
    format!("/courses/{slug}")
}

fn module_path(course: &str, module: &str) -> String {
    format!("/learn/{course}/{module}")
}

fn language_name(code: &str) -> String {
    Lang::parse(code)
        .map(|l| l.native_name().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn area_label(lang: Lang, area: &str) -> String {
    if AREAS.contains(&area) {
        lang.t(&format!("course-area-{area}"))
    } else {
        area.to_owned()
    }
}

fn audience_labels(lang: Lang, audience: &[String]) -> Vec<String> {
    audience
        .iter()
        .map(|a| match Category::parse(a) {
            Ok(c) => lang.t(c.label_key()),
            Err(_) => a.clone(),
        })
        .collect()
}

/// A choice in a filter's select box.
pub struct Choice {
    pub value: String,
    pub label: String,
}

// ---- The catalogue ----------------------------------------------------------------------------

pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub language: String,
    pub hours: i32,
    pub modules: i64,
    pub audience: Vec<String>,
    pub counts_toward_target: bool,
}

#[derive(Template)]
#[template(path = "courses/catalogue.html")]
pub struct CataloguePage {
    pub ctx: Ctx,
    pub cards: Vec<CourseCard>,
    pub q: String,
    pub category: String,
    pub language: String,
    pub area: String,
    pub categories: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub filtered: bool,
    pub count_text: String,
}

#[derive(Deserialize, Default)]
pub struct CatalogueQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    area: String,
}

pub async fn catalogue(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<CatalogueQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (published, counts, audiences) = run(&state.pool, |conn| {
        let published = m::published_courses(conn)?;
        let ids: Vec<i32> = published.iter().map(|c| c.id).collect();
        let counts = m::module_counts(conn, &ids)?;
        let audiences = courses::audiences(conn, &ids)?;
        Ok((published, counts, audiences))
    })
    .await?;
    let lang = ctx.lang;
    let needle = query.q.trim().to_lowercase();
    let category = query.category.trim().to_owned();
    let language = query.language.trim().to_owned();
    let area = query.area.trim().to_owned();
    let cards = published
        .into_iter()
        .filter(|c| language.is_empty() || c.language == language)
        .filter(|c| area.is_empty() || c.competency_area == area)
        .filter(|c| {
            category.is_empty() || audiences.get(&c.id).is_some_and(|a| a.contains(&category))
        })
        .filter(|c| {
            needle.is_empty()
                || c.title.to_lowercase().contains(&needle)
                || c.summary.to_lowercase().contains(&needle)
        })
        .map(|c| CourseCard {
            modules: counts.get(&c.id).copied().unwrap_or(0),
            audience: audience_labels(lang, audiences.get(&c.id).map_or(&[], |a| a)),
            language: language_name(&c.language),
            slug: c.slug,
            title: c.title,
            summary: c.summary,
            hours: c.hours,
            counts_toward_target: c.counts_toward_target,
        })
        .collect::<Vec<_>>();
    let page = CataloguePage {
        count_text: lang.t_args(
            "catalogue-count",
            &[("count", Arg::from(cards.len() as i64))],
        ),
        categories: Category::ALL
            .iter()
            .map(|c| Choice {
                value: c.as_str().to_owned(),
                label: lang.t(c.label_key()),
            })
            .collect(),
        languages: Lang::ALL
            .iter()
            .map(|l| Choice {
                value: l.code().to_owned(),
                label: l.native_name().to_owned(),
            })
            .collect(),
        areas: AREAS
            .iter()
            .map(|a| Choice {
                value: (*a).to_owned(),
                label: area_label(lang, a),
            })
            .collect(),
        filtered: !(needle.is_empty()
            && category.is_empty()
            && language.is_empty()
            && area.is_empty()),
        ctx,
        cards,
        q: query.q.trim().to_owned(),
        category,
        language,
        area,
    };
    render(&page)
}

// ---- A course ---------------------------------------------------------------------------------

/// A module in a list: the course page's outline and the module page's sidebar.
pub struct ModuleRow {
    pub slug: String,
    pub title: String,
    pub is_quiz: bool,
    pub required: bool,
    pub done: bool,
    pub current: bool,
}

fn module_rows(modules: &[Module], progress: &[ModuleProgress], current: i32) -> Vec<ModuleRow> {
    modules
        .iter()
        .map(|module| ModuleRow {
            slug: module.slug.clone(),
            title: module.title.clone(),
            is_quiz: module.is_quiz(),
            required: module.required,
            done: is_done(progress, module.id),
            current: module.id == current,
        })
        .collect()
}

fn is_done(progress: &[ModuleProgress], module_id: i32) -> bool {
    progress
        .iter()
        .any(|p| p.module_id == module_id && p.completed_at.is_some())
}

/// The first module not done yet (required ones first), or None when all are done.
fn next_to_take<'a>(modules: &'a [Module], progress: &[ModuleProgress]) -> Option<&'a Module> {
    modules
        .iter()
        .find(|m| m.required && !is_done(progress, m.id))
        .or_else(|| modules.iter().find(|m| !is_done(progress, m.id)))
}

/// Where the visitor stands with a course, which decides what the course page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Anonymous,
    Unconfirmed,
    NotTeacher,
    CanEnrol,
    Active,
    Completed,
    Withdrawn,
}

fn standing(user: Option<&CurrentUser>, enrolment: Option<&Enrolment>) -> Standing {
    match (user, enrolment) {
        (None, _) => Standing::Anonymous,
        (Some(u), _) if u.role != Role::Teacher => Standing::NotTeacher,
        (Some(_), Some(e)) if e.status == "completed" => Standing::Completed,
        (Some(_), Some(e)) if e.status == "active" => Standing::Active,
        (Some(u), _) if !u.email_verified => Standing::Unconfirmed,
        (Some(_), Some(_)) => Standing::Withdrawn,
        (Some(_), None) => Standing::CanEnrol,
    }
}

#[derive(Template)]
#[template(path = "courses/course.html")]
pub struct CoursePage {
    pub ctx: Ctx,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description_html: String,
    pub language: String,
    pub hours: i32,
    pub area: String,
    pub audience: Vec<String>,
    pub counts_toward_target: bool,
    pub modules: Vec<ModuleRow>,
    pub standing: Standing,
    pub done: i64,
    pub required: i64,
    pub bar: i64,
    pub next_module: Option<String>,
    pub completed_on: String,
    pub sign_in_link: String,
    pub progress_text: String,
    /// Set when an administrator previews a course (its id): links stay inside the preview and
    /// nothing can be submitted.
    pub preview: Option<i32>,
}

/// Where a module's page is: the teacher's, or the administrator's preview of it.
fn module_href(preview: Option<i32>, course: &str, module: &str) -> String {
    match preview {
        Some(id) => format!("/admin/courses/{id}/preview/{module}"),
        None => module_path(course, module),
    }
}

impl CoursePage {
    fn module_href(&self, module: &str) -> String {
        module_href(self.preview, &self.slug, module)
    }

    fn is(&self, s: &str) -> bool {
        let name = match self.standing {
            Standing::Anonymous => "anonymous",
            Standing::Unconfirmed => "unconfirmed",
            Standing::NotTeacher => "not-teacher",
            Standing::CanEnrol => "can-enrol",
            Standing::Active => "active",
            Standing::Completed => "completed",
            Standing::Withdrawn => "withdrawn",
        };
        name == s
    }
}

/// A published course by slug, or 404 (drafts and archived courses are not for teachers).
fn published(course: Option<Course>) -> AppResult<Course> {
    course
        .filter(Course::is_published)
        .ok_or(AppError::NotFound)
}

fn progress_text(lang: Lang, done: i64, required: i64) -> String {
    lang.t_args(
        "learn-progress",
        &[("done", Arg::from(done)), ("required", Arg::from(required))],
    )
}

fn bar(done: i64, required: i64) -> i64 {
    if required == 0 {
        0
    } else {
        (done * 100 / required).clamp(0, 100)
    }
}

/// What a course page is built from.
struct CourseData {
    course: Course,
    modules: Vec<Module>,
    audience: Vec<String>,
    enrolment: Option<Enrolment>,
    progress: Vec<ModuleProgress>,
    counts: (i64, i64),
}

fn course_page(ctx: Ctx, data: CourseData, preview: Option<i32>) -> CoursePage {
    let CourseData {
        course,
        modules,
        audience,
        enrolment,
        progress,
        counts: (done, required),
    } = data;
    let lang = ctx.lang;
    // A preview shows the page an eligible teacher sees before enrolling.
    let standing = match preview {
        Some(_) => Standing::CanEnrol,
        None => standing(ctx.user.as_ref(), enrolment.as_ref()),
    };
    CoursePage {
        description_html: to_safe_html(&course.description),
        language: language_name(&course.language),
        area: area_label(lang, &course.competency_area),
        audience: audience_labels(lang, &audience),
        modules: module_rows(&modules, &progress, 0),
        next_module: next_to_take(&modules, &progress)
            .or(modules.first())
            .map(|m| m.slug.clone()),
        completed_on: enrolment
            .as_ref()
            .and_then(|e| e.completed_at)
            .map(|d| lang.date(d.date()))
            .unwrap_or_default(),
        sign_in_link: format!("/login?next=/courses/{}", course.slug),
        progress_text: progress_text(lang, done, required),
        standing,
        done,
        required,
        bar: bar(done, required),
        counts_toward_target: course.counts_toward_target,
        hours: course.hours,
        slug: course.slug,
        title: course.title,
        summary: course.summary,
        preview,
        ctx,
    }
}

pub async fn course(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner();
    let user_id = ctx.user.as_ref().map(|u| u.id);
    let data = run(&state.pool, move |conn| {
        let Some(course) = courses::course_by_slug(conn, &slug)?.filter(Course::is_published)
        else {
            return Ok(None);
        };
        let modules = courses::modules_of(conn, course.id, false)?;
        let enrolment = match user_id {
            Some(id) => m::enrolment(conn, id, course.id)?,
            None => None,
        };
        let (progress, counts) = match &enrolment {
            Some(e) => (
                m::progress_of(conn, e.id)?,
                m::required_progress(conn, e.id, course.id)?,
            ),
            None => (vec![], (0, 0)),
        };
        Ok(Some(CourseData {
            audience: audience_of(conn, course.id)?,
            course,
            modules,
            enrolment,
            progress,
            counts,
        }))
    })
    .await?
    .ok_or(AppError::NotFound)?;
    render(&course_page(ctx, data, None))
}

fn audience_of(conn: &mut AnyConnection, course_id: i32) -> QueryResult<Vec<String>> {
    Ok(courses::audiences(conn, &[course_id])?
        .remove(&course_id)
        .unwrap_or_default())
}

/// `/admin/courses/{id}/preview`: the course page as a teacher who may enrol sees it, whatever
/// the course's status.
pub async fn preview_course(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let data = run(&state.pool, move |conn| {
        let course = courses::course_by_id(conn, id)?;
        Ok(CourseData {
            modules: courses::modules_of(conn, id, false)?,
            audience: audience_of(conn, id)?,
            course,
            enrolment: None,
            progress: vec![],
            counts: (0, 0),
        })
    })
    .await?;
    let required = data.modules.iter().filter(|m| m.required).count() as i64;
    let data = CourseData {
        counts: (0, required),
        ..data
    };
    render(&course_page(ctx, data, Some(id)))
}

/// Teachers only: coordinators and administrators may read courses but not enrol.
fn teacher(user: &CurrentUser) -> AppResult<()> {
    if may_learn(user) {
        Ok(())
    } else {
        tracing::warn!(user_id = user.id, role = %user.role, "learning action refused: not a teacher");
        Err(AppError::Forbidden)
    }
}

pub async fn enrol(
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    Posted(_): Posted<NoFields>,
) -> AppResult<HttpResponse> {
    teacher(&user)?;
    if !user.email_verified {
        tracing::info!(user_id = user.id, "enrolment refused: email not confirmed");
        return Err(AppError::Forbidden);
    }
    let slug = path.into_inner();
    let (course, first) = run(&state.pool, move |conn| {
        let Some(course) = courses::course_by_slug(conn, &slug)?.filter(Course::is_published)
        else {
            return Ok((None, None));
        };
        m::enrol(conn, user.id, course.id, now())?;
        let modules = courses::modules_of(conn, course.id, false)?;
        let first = modules.first().map(|m| m.slug.clone());
        Ok((Some(course), first))
    })
    .await?;
    let course = published(course)?;
    Ok(match first {
        Some(module) => see_other(&module_path(&course.slug, &module)),
        None => see_other(&course_path(&course.slug)),
    })
}

pub async fn withdraw(
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    Posted(_): Posted<NoFields>,
) -> AppResult<HttpResponse> {
    teacher(&user)?;
    let slug = path.into_inner();
    let course = run(&state.pool, move |conn| {
        let Some(course) = courses::course_by_slug(conn, &slug)?.filter(Course::is_published)
        else {
            return Ok(None);
        };
        if let Some(e) = m::enrolment(conn, user.id, course.id)? {
            m::withdraw(conn, e.id, now())?;
        }
        Ok(Some(course))
    })
    .await?;
    let course = published(course)?;
    Ok(see_other(&course_path(&course.slug)))
}

// ---- My learning ------------------------------------------------------------------------------

pub struct EnrolmentView {
    pub slug: String,
    pub title: String,
    pub done: i64,
    pub required: i64,
    pub bar: i64,
    pub next: Option<(String, String)>,
    pub completed_on: String,
    pub progress_text: String,
    /// A completed course's certificate, or why there is none yet.
    pub certificate: Option<CertificateLink>,
    pub certificate_note: Option<&'static str>,
}

/// A completed course's certificate on "my learning".
pub struct CertificateLink {
    pub label: String,
    pub pdf_href: String,
    pub revoked: bool,
}

/// What "my learning" says about the certificate of a completed course: the certificate, or
/// that it waits for an administrator (reviewed courses), or that it is still to come.
fn certificate_of(
    lang: Lang,
    course: &Course,
    certificate: Option<&crate::certificates::models::Certificate>,
) -> (Option<CertificateLink>, Option<&'static str>) {
    match certificate {
        Some(c) => {
            let key = if c.is_revoked() {
                "learn-cert-revoked"
            } else {
                "learn-cert-issued"
            };
            let link = CertificateLink {
                label: lang.t_args(key, &[("serial", Arg::from(c.serial.as_str()))]),
                pdf_href: format!("/certificates/{}.pdf", c.serial),
                revoked: c.is_revoked(),
            };
            (Some(link), None)
        }
        None if course.certificate_mode == "reviewed" => (None, Some("learn-cert-awaiting-review")),
        None => (None, Some("learn-cert-pending")),
    }
}

#[derive(Template)]
#[template(path = "learning/my_learning.html")]
pub struct MyLearningPage {
    pub ctx: Ctx,
    pub active: Vec<EnrolmentView>,
    pub completed: Vec<EnrolmentView>,
    pub withdrawn: Vec<EnrolmentView>,
}

pub async fn my_learning(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (rows, certificates) = run(&state.pool, move |conn| {
        let mut rows = Vec::new();
        for (enrolment, course) in m::enrolments_of(conn, user.id)? {
            let modules = courses::modules_of(conn, course.id, false)?;
            let progress = m::progress_of(conn, enrolment.id)?;
            let counts = m::required_progress(conn, enrolment.id, course.id)?;
            rows.push((enrolment, course, modules, progress, counts));
        }
        Ok((rows, crate::certificates::models::of_user(conn, user.id)?))
    })
    .await?;
    let lang = ctx.lang;
    let mut page = MyLearningPage {
        ctx,
        active: vec![],
        completed: vec![],
        withdrawn: vec![],
    };
    for (enrolment, course, modules, progress, (done, required)) in rows {
        // An unpublished course's enrolment has nothing to open; it stays recorded, not shown.
        if !course.is_published() {
            continue;
        }
        let (certificate, certificate_note) = if enrolment.status == "completed" {
            let held = certificates.iter().find(|c| c.enrolment_id == enrolment.id);
            certificate_of(lang, &course, held)
        } else {
            (None, None)
        };
        let view = EnrolmentView {
            certificate,
            certificate_note,
            next: next_to_take(&modules, &progress).map(|m| (m.slug.clone(), m.title.clone())),
            completed_on: enrolment
                .completed_at
                .map(|d| lang.date(d.date()))
                .unwrap_or_default(),
            progress_text: progress_text(lang, done, required),
            slug: course.slug,
            title: course.title,
            done,
            required,
            bar: bar(done, required),
        };
        match enrolment.status.as_str() {
            "completed" => page.completed.push(view),
            "withdrawn" => page.withdrawn.push(view),
            _ => page.active.push(view),
        }
    }
    render(&page)
}

// ---- A module ---------------------------------------------------------------------------------

/// Everything a module page needs, loaded in one go.
struct Loaded {
    course: Course,
    modules: Vec<Module>,
    module: Module,
    enrolment: Option<Enrolment>,
    progress: Vec<ModuleProgress>,
    quiz: Vec<(courses::Question, Vec<courses::QuizOption>)>,
    /// The course id when an administrator previews it.
    preview: Option<i32>,
}

/// The course (published) and module (not archived) of the path, or 404.
async fn load(
    state: &AppState,
    user_id: i32,
    course_slug: String,
    module_slug: String,
) -> AppResult<Loaded> {
    run(&state.pool, move |conn| {
        let Some(course) =
            courses::course_by_slug(conn, &course_slug)?.filter(Course::is_published)
        else {
            return Ok(None);
        };
        let enrolment = m::enrolment(conn, user_id, course.id)?;
        load_module(conn, course, &module_slug, enrolment)
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// A course's module in any status, with no enrolment: what an administrator previews.
async fn load_preview(state: &AppState, course_id: i32, module_slug: String) -> AppResult<Loaded> {
    run(&state.pool, move |conn| {
        let course = courses::course_by_id(conn, course_id)?;
        load_module(conn, course, &module_slug, None)
    })
    .await?
    .map(|loaded| Loaded {
        preview: Some(course_id),
        ..loaded
    })
    .ok_or(AppError::NotFound)
}

fn load_module(
    conn: &mut AnyConnection,
    course: Course,
    module_slug: &str,
    enrolment: Option<Enrolment>,
) -> QueryResult<Option<Loaded>> {
    let modules = courses::modules_of(conn, course.id, false)?;
    let Some(module) = modules.iter().find(|m| m.slug == module_slug).cloned() else {
        return Ok(None);
    };
    let progress = match &enrolment {
        Some(e) => m::progress_of(conn, e.id)?,
        None => vec![],
    };
    let quiz = if module.is_quiz() {
        courses::quiz(conn, module.id)?
    } else {
        vec![]
    };
    Ok(Some(Loaded {
        course,
        modules,
        module,
        enrolment,
        progress,
        quiz,
        preview: None,
    }))
}

/// The enrolment that lets this user study the course, if any (active or completed).
fn studying(loaded: &Loaded) -> Option<&Enrolment> {
    loaded
        .enrolment
        .as_ref()
        .filter(|e| e.status == "active" || e.status == "completed")
}

pub struct OptionView {
    pub id: i32,
    pub label: String,
    pub checked: bool,
}

pub struct QuestionView {
    pub id: i32,
    pub number: usize,
    pub prompt: String,
    pub multiple: bool,
    pub options: Vec<OptionView>,
    pub wrong: bool,
    pub error: String,
}

pub struct QuizResult {
    pub score: i32,
    pub passed: bool,
    pub wrong: usize,
}

#[derive(Template)]
#[template(path = "learning/module.html")]
pub struct ModulePage {
    pub ctx: Ctx,
    pub course_slug: String,
    pub course_title: String,
    pub slug: String,
    pub title: String,
    pub is_quiz: bool,
    pub required: bool,
    pub body_html: String,
    pub video_url: String,
    pub transcript: String,
    pub done: bool,
    pub best_score: Option<i32>,
    pub pass_mark: i32,
    pub sidebar: Vec<ModuleRow>,
    pub prev: Option<(String, String)>,
    pub next: Option<(String, String)>,
    pub questions: Vec<QuestionView>,
    pub result: Option<QuizResult>,
    /// (id of the field in error, message) for the error summary.
    pub errors: Vec<(String, String)>,
    pub course_completed: bool,
    /// Set when an administrator previews the module (the course id); see `CoursePage::preview`.
    pub preview: Option<i32>,
}

impl ModulePage {
    fn module_href(&self, module: &str) -> String {
        module_href(self.preview, &self.course_slug, module)
    }

    fn course_href(&self) -> String {
        match self.preview {
            Some(id) => format!("/admin/courses/{id}/preview"),
            None => course_path(&self.course_slug),
        }
    }

    fn quiz_action(&self) -> String {
        format!("{}/quiz", self.module_href(&self.slug))
    }
}

fn module_page(ctx: Ctx, loaded: &Loaded) -> ModulePage {
    let module = &loaded.module;
    let position = loaded
        .modules
        .iter()
        .position(|m| m.id == module.id)
        .unwrap_or(0);
    let neighbour = |m: &Module| (m.slug.clone(), m.title.clone());
    let progress = loaded.progress.iter().find(|p| p.module_id == module.id);
    ModulePage {
        course_slug: loaded.course.slug.clone(),
        course_title: loaded.course.title.clone(),
        slug: module.slug.clone(),
        title: module.title.clone(),
        is_quiz: module.is_quiz(),
        required: module.required,
        body_html: to_safe_html(&module.body_markdown),
        video_url: module
            .video_url
            .clone()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .unwrap_or_default(),
        transcript: module.transcript.clone().unwrap_or_default(),
        done: progress.is_some_and(|p| p.completed_at.is_some()),
        best_score: progress.and_then(|p| p.best_score),
        pass_mark: module.pass_mark.unwrap_or(100),
        sidebar: module_rows(&loaded.modules, &loaded.progress, module.id),
        prev: position
            .checked_sub(1)
            .and_then(|i| loaded.modules.get(i))
            .map(neighbour),
        next: loaded.modules.get(position + 1).map(neighbour),
        questions: loaded
            .quiz
            .iter()
            .enumerate()
            .map(|(i, (q, options))| QuestionView {
                id: q.id,
                number: i + 1,
                prompt: q.prompt.clone(),
                multiple: q.multiple,
                options: options
                    .iter()
                    .map(|o| OptionView {
                        id: o.id,
                        label: o.label.clone(),
                        checked: false,
                    })
                    .collect(),
                wrong: false,
                error: String::new(),
            })
            .collect(),
        result: None,
        errors: vec![],
        course_completed: loaded
            .enrolment
            .as_ref()
            .is_some_and(|e| e.status == "completed"),
        preview: loaded.preview,
        ctx,
    }
}

pub async fn module(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    let loaded = load(&state, user.id, course_slug, module_slug).await?;
    if user.role != Role::Teacher || studying(&loaded).is_none() {
        return Ok(see_other(&course_path(&loaded.course.slug)));
    }
    render(&module_page(ctx, &loaded))
}

/// The enrolment a POST may record progress in: teachers only (403), enrolled (else back to
/// the course page).
fn enrolment_for_post(user: &CurrentUser, loaded: &Loaded) -> AppResult<Option<Enrolment>> {
    teacher(user)?;
    Ok(studying(loaded).cloned())
}

pub async fn complete_lesson(
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    Posted(_): Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    let loaded = load(&state, user.id, course_slug, module_slug).await?;
    let Some(enrolment) = enrolment_for_post(&user, &loaded)? else {
        return Ok(see_other(&course_path(&loaded.course.slug)));
    };
    // A quiz is completed by passing it, never by a button.
    if loaded.module.is_quiz() {
        return Err(AppError::NotFound);
    }
    let (course_id, module_id) = (loaded.course.id, loaded.module.id);
    let base_url = state.settings.base_url.clone();
    run(&state.pool, move |conn| {
        m::complete_module(
            conn,
            enrolment.id,
            course_id,
            module_id,
            None,
            true,
            now(),
            &base_url,
        )
    })
    .await?;
    let position = loaded
        .modules
        .iter()
        .position(|m| m.id == module_id)
        .unwrap_or(0);
    let target = loaded.modules.get(position + 1).unwrap_or(&loaded.module);
    Ok(see_other(&module_path(&loaded.course.slug, &target.slug)))
}

/// Grades an attempt at the loaded quiz. Unanswered questions or unknown options come back as
/// the quiz page with its errors (422); a module that is not a quiz is a 404.
fn grade_attempt(
    ctx: &Ctx,
    loaded: &Loaded,
    fields: &[(String, String)],
) -> AppResult<Result<quiz::Grade, HttpResponse>> {
    if !loaded.module.is_quiz() || loaded.quiz.is_empty() {
        return Err(AppError::NotFound);
    }
    let keys: Vec<QuestionKey> = loaded
        .quiz
        .iter()
        .map(|(q, options)| QuestionKey {
            id: q.id,
            multiple: q.multiple,
            options: options.iter().map(|o| (o.id, o.is_correct)).collect(),
        })
        .collect();
    let error = match quiz::parse_answers(fields, &keys) {
        Ok(answers) => {
            let pass_mark = loaded.module.pass_mark.unwrap_or(100);
            return Ok(Ok(quiz::grade(&keys, &answers, pass_mark)));
        }
        Err(error) => error,
    };
    let lang = ctx.lang;
    let mut page = module_page(ctx.clone(), loaded);
    keep_choices(&mut page, fields);
    match error {
        QuizInputError::Unknown => {
            tracing::info!("quiz answers refused: unknown options");
            page.errors
                .push(("quiz-form".to_owned(), lang.t("quiz-error-unknown-answer")));
        }
        QuizInputError::Unanswered(ids) => {
            for question in page.questions.iter_mut().filter(|q| ids.contains(&q.id)) {
                let message = lang.t_args(
                    "quiz-error-unanswered",
                    &[("number", Arg::from(question.number as i64))],
                );
                question.error = message.clone();
                page.errors.push((format!("q{}", question.id), message));
            }
        }
    }
    Ok(Err(render_with_status(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    )?))
}

/// Shows an attempt: the teacher's choices, the wrong answers marked, the score.
fn show_attempt(page: &mut ModulePage, fields: &[(String, String)], grade: &quiz::Grade) {
    keep_choices(page, fields);
    for question in page.questions.iter_mut() {
        question.wrong = grade.wrong.contains(&question.id);
    }
    page.result = Some(QuizResult {
        score: grade.score,
        passed: grade.passed,
        wrong: grade.wrong.len(),
    });
}

pub async fn submit_quiz(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    let mut loaded = load(&state, user.id, course_slug, module_slug).await?;
    let Some(enrolment) = enrolment_for_post(&user, &loaded)? else {
        return Ok(see_other(&course_path(&loaded.course.slug)));
    };
    let grade = match grade_attempt(&ctx, &loaded, &fields)? {
        Ok(grade) => grade,
        Err(invalid) => return Ok(invalid),
    };
    let (course_id, module_id, score, passed) = (
        loaded.course.id,
        loaded.module.id,
        grade.score,
        grade.passed,
    );
    let base_url = state.settings.base_url.clone();
    let (progress, enrolment_now) = run(&state.pool, move |conn| {
        m::complete_module(
            conn,
            enrolment.id,
            course_id,
            module_id,
            Some(score),
            passed,
            now(),
            &base_url,
        )?;
        Ok((
            m::progress_of(conn, enrolment.id)?,
            m::enrolment(conn, enrolment.user_id, course_id)?,
        ))
    })
    .await?;
    loaded.progress = progress;
    loaded.enrolment = enrolment_now;
    let mut page = module_page(ctx, &loaded);
    show_attempt(&mut page, &fields, &grade);
    render(&page)
}

/// `/admin/courses/{id}/preview/{module}`: the module page as an enrolled teacher sees it
/// before starting, whatever the course's status.
pub async fn preview_module(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
) -> AppResult<HttpResponse> {
    let (course_id, module_slug) = path.into_inner();
    let loaded = load_preview(&state, course_id, module_slug).await?;
    render(&module_page(ctx, &loaded))
}

/// Grades a previewed quiz so an author can check the answer key; nothing is recorded.
pub async fn preview_quiz(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (course_id, module_slug) = path.into_inner();
    let loaded = load_preview(&state, course_id, module_slug).await?;
    let grade = match grade_attempt(&ctx, &loaded, &fields)? {
        Ok(grade) => grade,
        Err(invalid) => return Ok(invalid),
    };
    let mut page = module_page(ctx, &loaded);
    show_attempt(&mut page, &fields, &grade);
    render(&page)
}

/// Shows the teacher's choices again after an attempt.
fn keep_choices(page: &mut ModulePage, fields: &[(String, String)]) {
    for question in page.questions.iter_mut() {
        let name = format!("q{}", question.id);
        for option in question.options.iter_mut() {
            let value = option.id.to_string();
            option.checked = fields.iter().any(|(k, v)| *k == name && *v == value);
        }
    }
}
