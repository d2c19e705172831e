//! Course authoring: the list of courses, the course and module forms, quiz questions, the
//! draft → published → archived workflow, and a preview that shows a course as a teacher reads it.

use crate::web::extractors::NoFields;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::models::{self as audit, AuditAction};
use crate::courses::markdown::images_without_alt;
use crate::courses::models::{self, Course, CourseFields, Module, ModuleFields};
use crate::db::is_unique_violation;
use crate::db::now;
use crate::db::AnyConnection;
use crate::domain::Category;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::learning::handlers as learning;
use crate::state::AppState;
use crate::web::extractors::{Admin, Posted};
use crate::web::see_other;
use crate::web::{render, render_with_status, run, Ctx, FormErrors};

pub fn routes(cfg: &mut web::ServiceConfig) {
    const COURSE: &str = r"/admin/courses/{id:\d+}";
    const MODULE: &str = r"/admin/courses/{id:\d+}/modules/{module_id:\d+}";
    cfg.route("/admin/courses", web::get().to(list))
        .route("/admin/courses/new", web::get().to(new_course_form))
        .route("/admin/courses/new", web::post().to(create_course))
        .route(COURSE, web::get().to(detail))
        .route(&format!("{COURSE}/edit"), web::get().to(edit_course_form))
        .route(&format!("{COURSE}/edit"), web::post().to(update_course))
        .route(&format!("{COURSE}/publish"), web::post().to(publish))
        .route(&format!("{COURSE}/archive"), web::post().to(archive))
        .route(&format!("{COURSE}/draft"), web::post().to(back_to_draft))
        .route(
            &format!("{COURSE}/preview"),
            web::get().to(learning::preview_course),
        )
        .route(
            &format!("{COURSE}/preview/{{module_slug}}"),
            web::get().to(learning::preview_module),
        )
        .route(
            &format!("{COURSE}/preview/{{module_slug}}/quiz"),
            web::post().to(learning::preview_quiz),
        )
        .route(
            &format!("{COURSE}/modules/new"),
            web::get().to(new_module_form),
        )
        .route(
            &format!("{COURSE}/modules/new"),
            web::post().to(create_module),
        )
        .route(&format!("{MODULE}/edit"), web::get().to(edit_module_form))
        .route(&format!("{MODULE}/edit"), web::post().to(update_module))
        .route(&format!("{MODULE}/up"), web::post().to(move_up))
        .route(&format!("{MODULE}/down"), web::post().to(move_down))
        .route(&format!("{MODULE}/remove"), web::post().to(remove_module))
        .route(&format!("{MODULE}/questions"), web::post().to(add_question))
        .route(
            &format!(r"{MODULE}/questions/{{question_id:\d+}}/delete"),
            web::post().to(delete_question),
        );
}

// ---- Parsed input -------------------------------------------------------------------------

pub const TITLE_MAX_CHARS: usize = 200;
pub const SLUG_MAX_CHARS: usize = 80;
pub const SUMMARY_MAX_CHARS: usize = 500;
pub const TEXT_MAX_CHARS: usize = 100_000;
pub const MAX_OPTIONS: usize = 6;

pub const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];
pub const AREAS: [&str; 3] = ["inclusive", "subject", "digital"];
pub const CERTIFICATE_MODES: [&str; 2] = ["automatic", "reviewed"];

/// Latin letters for the Kazakh and Russian Cyrillic alphabets, so that a slug can come from a
/// title in any of the site's languages.
fn transliterate(c: char) -> &'static str {
    match c {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'і' => "i",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ұ' | 'ү' => "u",
        'ф' => "f",
        'х' | 'һ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "sch",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => "",
    }
}

/// A slug made from a title: lowercase latin letters and digits joined by single hyphens.
pub fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    let mut pending_hyphen = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let piece: String = if c.is_ascii_alphanumeric() {
            c.to_string()
        } else {
            transliterate(c).to_owned()
        };
        if piece.is_empty() {
            pending_hyphen = true;
            continue;
        }
        if pending_hyphen && !slug.is_empty() {
            slug.push('-');
        }
        pending_hyphen = false;
        slug.push_str(&piece);
    }
    let mut cut: String = slug.chars().take(SLUG_MAX_CHARS).collect();
    while cut.ends_with('-') {
        cut.pop();
    }
    cut
}

/// The slug as written, or made from the title when left empty. The error is a translation key.
pub fn parse_slug(raw: &str, title: &str) -> Result<String, &'static str> {
    let written = raw.trim().to_ascii_lowercase();
    let slug = if written.is_empty() {
        slug_from_title(title)
    } else {
        written
    };
    let well_formed = !slug.is_empty()
        && slug.len() <= SLUG_MAX_CHARS
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if well_formed {
        Ok(slug)
    } else {
        Err("admin-courses-error-slug")
    }
}

/// A required one-line text with inner whitespace collapsed.
fn parse_line(raw: &str, max: usize, missing: &'static str) -> Result<String, &'static str> {
    let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        Err(missing)
    } else if line.chars().count() > max {
        Err("admin-courses-error-too-long")
    } else {
        Ok(line)
    }
}

fn parse_text(raw: &str, max: usize) -> Result<String, &'static str> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.chars().count() > max {
        Err("admin-courses-error-too-long")
    } else {
        Ok(text)
    }
}

pub fn parse_hours(raw: &str) -> Result<i32, &'static str> {
    match raw.trim().parse::<i32>() {
        Ok(h) if (1..=1000).contains(&h) => Ok(h),
        _ => Err("admin-courses-error-hours"),
    }
}

pub fn parse_pass_mark(raw: &str) -> Result<i32, &'static str> {
    match raw.trim().trim_end_matches('%').trim().parse::<i32>() {
        Ok(p) if (0..=100).contains(&p) => Ok(p),
        _ => Err("admin-courses-error-pass-mark"),
    }
}

/// An optional video link: http or https only, no spaces.
pub fn parse_video_url(raw: &str) -> Result<Option<String>, &'static str> {
    let url = raw.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest
        .and_then(|r| r.split(['/', '?', '#']).next())
        .unwrap_or_default();
    let ok = !host.is_empty()
        && url.len() <= 500
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(Some(url.to_owned()))
    } else {
        Err("admin-courses-error-video-url")
    }
}

/// The categories ticked, in the usual order; at least one.
pub fn parse_audience(raw: &[String]) -> Result<Vec<Category>, &'static str> {
    let mut chosen = Vec::new();
    for value in raw {
        let category = Category::parse(value).map_err(|_| "admin-courses-error-audience")?;
        if !chosen.contains(&category) {
            chosen.push(category);
        }
    }
    if chosen.is_empty() {
        return Err("admin-courses-error-audience");
    }
    chosen.sort_by_key(|c| Category::ALL.iter().position(|a| a == c));
    Ok(chosen)
}

/// A question's option lines (label, correct?) with empty lines dropped, checked for the kind.
pub fn parse_options(
    labels: &[String],
    correct: &[String],
    multiple: bool,
) -> Result<Vec<(String, bool)>, (&'static str, &'static str)> {
    let mut options = Vec::new();
    for (i, label) in labels.iter().enumerate().take(MAX_OPTIONS) {
        let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
        let ticked = correct.iter().any(|c| c.trim() == (i + 1).to_string());
        if label.is_empty() {
            if ticked {
                return Err(("option-1", "admin-courses-error-correct-empty"));
            }
            continue;
        }
        if label.chars().count() > SUMMARY_MAX_CHARS {
            return Err(("option-1", "admin-courses-error-too-long"));
        }
        options.push((label, ticked));
    }
    if options.len() < 2 {
        return Err(("option-1", "admin-courses-error-options"));
    }
    let correct_count = options.iter().filter(|(_, c)| *c).count();
    if multiple && correct_count == 0 {
        return Err(("correct-1", "admin-courses-error-correct-multiple"));
    }
    if !multiple && correct_count != 1 {
        return Err(("correct-1", "admin-courses-error-correct-single"));
    }
    Ok(options)
}

// ---- Shared helpers -----------------------------------------------------------------------

fn status_label(lang: Lang, status: &str) -> String {
    match status {
        "published" => lang.t("admin-courses-status-published"),
        "archived" => lang.t("admin-courses-status-archived"),
        _ => lang.t("admin-courses-status-draft"),
    }
}

fn language_label(lang: Lang, code: &str) -> String {
    Lang::parse(code)
        .map(|l| l.native_name().to_owned())
        .unwrap_or_else(|| lang.t("admin-courses-unknown"))
}

fn area_label(lang: Lang, area: &str) -> String {
    match area {
        "inclusive" => lang.t("admin-courses-area-inclusive"),
        "subject" => lang.t("admin-courses-area-subject"),
        "digital" => lang.t("admin-courses-area-digital"),
        _ => lang.t("admin-courses-unknown"),
    }
}

fn certificate_label(lang: Lang, mode: &str) -> String {
    match mode {
        "reviewed" => lang.t("admin-courses-certificate-reviewed"),
        _ => lang.t("admin-courses-certificate-automatic"),
    }
}

fn yes_no(lang: Lang, value: bool) -> String {
    if value {
        lang.t("admin-courses-yes")
    } else {
        lang.t("admin-courses-no")
    }
}

fn ticked(value: bool) -> String {
    if value {
        "yes".to_owned()
    } else {
        String::new()
    }
}

/// A module of the given course, or 404 (never a module of another course through this address).
fn module_of(conn: &mut AnyConnection, course_id: i32, module_id: i32) -> QueryResult<Module> {
    let module = models::module_by_id(conn, module_id)?;
    if module.course_id == course_id {
        Ok(module)
    } else {
        Err(diesel::NotFound)
    }
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

/// The confirmation a redirect asked for, from a fixed list.
fn done_notice(req: &HttpRequest, lang: Lang) -> Option<String> {
    let done = web::Query::<DoneQuery>::from_query(req.query_string())
        .ok()?
        .into_inner()
        .done?;
    let key = match done.as_str() {
        "created" => "admin-courses-done-created",
        "saved" => "admin-courses-done-saved",
        "published" => "admin-courses-done-published",
        "archived" => "admin-courses-done-archived",
        "draft" => "admin-courses-done-draft",
        "module-added" => "admin-courses-done-module-added",
        "module-saved" => "admin-courses-done-module-saved",
        "module-deleted" => "admin-courses-done-module-deleted",
        "module-archived" => "admin-courses-done-module-archived",
        "moved" => "admin-courses-done-moved",
        "question-added" => "admin-courses-done-question-added",
        "question-deleted" => "admin-courses-done-question-deleted",
        _ => return None,
    };
    Some(lang.t(key))
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
#[template(path = "admin/courses.html")]
pub struct CoursesPage {
    pub ctx: Ctx,
    pub courses: Vec<CourseRowView>,
}

pub async fn list(ctx: Ctx, _: Admin, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let rows = run(&state.pool, models::all_courses_with_module_counts).await?;
    let courses = rows
        .into_iter()
        .map(|(c, modules)| CourseRowView {
            id: c.id,
            language: language_label(lang, &c.language),
            hours: c.hours,
            status: status_label(lang, &c.status),
            counts: yes_no(lang, c.counts_toward_target),
            modules,
            title: c.title,
        })
        .collect();
    render(&CoursesPage { ctx, courses })
}

// ---- The course form ----------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct CourseForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub audience: Vec<String>,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub area: String,
    /// "yes" when ticked.
    #[serde(default)]
    pub counts: String,
    #[serde(default)]
    pub certificate: String,
}

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin/courses_form.html")]
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
        let audiences = Category::ALL
            .iter()
            .map(|c| Choice {
                value: c.as_str(),
                label: lang.t(c.label_key()),
                checked: form.audience.iter().any(|a| a == c.as_str()),
            })
            .collect();
        let radio = |values: &[&'static str], current: &str, label: &dyn Fn(&str) -> String| {
            values
                .iter()
                .map(|v| Choice {
                    value: v,
                    label: label(v),
                    checked: *v == current,
                })
                .collect::<Vec<_>>()
        };
        let languages = radio(&LANGUAGES, &form.language, &|v| language_label(lang, v));
        let areas = radio(&AREAS, &form.area, &|v| area_label(lang, v));
        let certificates = radio(&CERTIFICATE_MODES, &form.certificate, &|v| {
            certificate_label(lang, v)
        });
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

struct ValidCourse {
    fields: CourseFields,
    audience: Vec<Category>,
}

fn validate_course(form: &CourseForm, lang: Lang) -> Result<ValidCourse, FormErrors> {
    let mut errors = FormErrors::default();
    let title = parse_line(&form.title, TITLE_MAX_CHARS, "admin-courses-error-title")
        .map_err(|k| errors.add("title", lang.t(k)))
        .ok();
    let slug = parse_slug(&form.slug, &form.title)
        .map_err(|k| errors.add("slug", lang.t(k)))
        .ok();
    let summary = parse_text(&form.summary, SUMMARY_MAX_CHARS)
        .map_err(|k| errors.add("summary", lang.t(k)))
        .ok();
    let description = parse_text(&form.description, TEXT_MAX_CHARS)
        .map_err(|k| errors.add("description", lang.t(k)))
        .ok();
    let audience = parse_audience(&form.audience)
        .map_err(|k| errors.add("audience", lang.t(k)))
        .ok();
    let language = LANGUAGES.iter().find(|l| **l == form.language);
    if language.is_none() {
        errors.add("language", lang.t("admin-courses-error-language"));
    }
    let hours = parse_hours(&form.hours)
        .map_err(|k| errors.add("hours", lang.t(k)))
        .ok();
    let area = AREAS.iter().find(|a| **a == form.area);
    if area.is_none() {
        errors.add("area", lang.t("admin-courses-error-area"));
    }
    let certificate = CERTIFICATE_MODES.iter().find(|m| **m == form.certificate);
    if certificate.is_none() {
        errors.add("certificate", lang.t("admin-courses-error-certificate"));
    }
    match (
        title,
        slug,
        summary,
        description,
        audience,
        language,
        hours,
        area,
        certificate,
    ) {
        (
            Some(title),
            Some(slug),
            Some(summary),
            Some(description),
            Some(audience),
            Some(language),
            Some(hours),
            Some(area),
            Some(certificate),
        ) => Ok(ValidCourse {
            fields: CourseFields {
                slug,
                title,
                summary,
                description,
                language: (*language).to_owned(),
                hours,
                competency_area: (*area).to_owned(),
                counts_toward_target: form.counts == "yes",
                certificate_mode: (*certificate).to_owned(),
                updated_at: now(),
            },
            audience,
        }),
        _ => Err(errors),
    }
}

enum Saved {
    Done(i32),
    SlugTaken,
}

fn save_course(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: Option<i32>,
    course: &ValidCourse,
) -> QueryResult<Saved> {
    let audience: Vec<&str> = course.audience.iter().map(|c| c.as_str()).collect();
    let result = conn.transaction(|conn| {
        if models::course_slug_taken(conn, &course.fields.slug, id)? {
            return Ok(Saved::SlugTaken);
        }
        match id {
            Some(id) => {
                models::update_course(conn, id, &course.fields, &audience)?;
                Ok(Saved::Done(id))
            }
            None => {
                let id = models::create_course(conn, &course.fields, &audience)?;
                audit::record(
                    conn,
                    Some(admin_id),
                    AuditAction::CourseCreated,
                    "course",
                    Some(id),
                    serde_json::json!({"after": {"title": course.fields.title, "slug": course.fields.slug}}),
                )?;
                Ok(Saved::Done(id))
            }
        }
    });
    match result {
        Err(e) if is_unique_violation(&e) => Ok(Saved::SlugTaken),
        other => other,
    }
}

async fn submit_course(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    id: Option<i32>,
    form: CourseForm,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let course = match validate_course(&form, lang) {
        Ok(course) => course,
        Err(errors) => {
            let page = CourseFormPage::new(ctx, form, errors, id);
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match run(&state.pool, move |conn| {
        save_course(conn, admin_id, id, &course)
    })
    .await?
    {
        Saved::Done(course_id) => {
            tracing::info!(admin_id, course_id, "course saved");
            let done = if id.is_some() { "saved" } else { "created" };
            Ok(see_other(format!("/admin/courses/{course_id}?done={done}")))
        }
        Saved::SlugTaken => {
            let mut errors = FormErrors::default();
            errors.add("slug", lang.t("admin-courses-error-slug-taken"));
            let page = CourseFormPage::new(ctx, form, errors, id);
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub async fn new_course_form(ctx: Ctx, _: Admin) -> AppResult<HttpResponse> {
    let form = CourseForm {
        language: ctx.lang.code().to_owned(),
        area: "inclusive".to_owned(),
        certificate: "automatic".to_owned(),
        counts: "yes".to_owned(),
        hours: "36".to_owned(),
        ..Default::default()
    };
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
        let course = models::course_by_id(conn, id)?;
        let audience = models::audiences(conn, &[id])?
            .remove(&id)
            .unwrap_or_default();
        Ok((course, audience))
    })
    .await?;
    let form = CourseForm {
        title: course.title,
        slug: course.slug,
        summary: course.summary,
        description: course.description,
        audience,
        language: course.language,
        hours: course.hours.to_string(),
        area: course.competency_area,
        counts: ticked(course.counts_toward_target),
        certificate: course.certificate_mode,
    };
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

#[derive(Template)]
#[template(path = "admin/courses_detail.html")]
pub struct CourseDetailPage {
    pub ctx: Ctx,
    pub course: Course,
    pub status: String,
    pub language: String,
    pub area: String,
    pub certificate: String,
    pub counts: String,
    pub audience: String,
    pub modules: Vec<ModuleRowView>,
    pub notice: Option<String>,
    /// Why the last status change was refused.
    pub problem: Option<String>,
}

async fn detail_page(
    ctx: Ctx,
    state: &AppState,
    id: i32,
    notice: Option<String>,
    problem: Option<String>,
) -> AppResult<CourseDetailPage> {
    let (course, audience, modules) = run(&state.pool, move |conn| {
        let course = models::course_by_id(conn, id)?;
        let audience = models::audiences(conn, &[id])?
            .remove(&id)
            .unwrap_or_default();
        let modules = models::modules_of(conn, id, true)?;
        Ok((course, audience, modules))
    })
    .await?;
    let lang = ctx.lang;
    let live: Vec<i32> = modules.iter().map(|m| m.id).collect();
    let count = live.len();
    let modules = modules
        .into_iter()
        .enumerate()
        .map(|(i, m)| ModuleRowView {
            id: m.id,
            kind: if m.is_quiz() {
                lang.t("admin-courses-kind-quiz")
            } else {
                lang.t("admin-courses-kind-lesson")
            },
            required: yes_no(lang, m.required),
            archived: m.archived_at.is_some(),
            first: i == 0,
            last: i + 1 == count,
            title: m.title,
        })
        .collect();
    let audience = audience
        .iter()
        .filter_map(|a| Category::parse(a).ok())
        .map(|c| lang.t(c.label_key()))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(CourseDetailPage {
        status: status_label(lang, &course.status),
        language: language_label(lang, &course.language),
        area: area_label(lang, &course.competency_area),
        certificate: certificate_label(lang, &course.certificate_mode),
        counts: yes_no(lang, course.counts_toward_target),
        audience,
        course,
        modules,
        notice,
        problem,
        ctx,
    })
}

pub async fn detail(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let notice = done_notice(&req, ctx.lang);
    render(&detail_page(ctx, &state, id.into_inner(), notice, None).await?)
}

enum Transition {
    Done,
    Refused(&'static str),
}

fn change_status(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: i32,
    to: &'static str,
) -> QueryResult<Transition> {
    conn.transaction(|conn| {
        let course = models::course_by_id(conn, id)?;
        match to {
            "published" if !models::has_required_module(conn, id)? => {
                return Ok(Transition::Refused("admin-courses-error-publish-empty"));
            }
            "draft" if models::enrolment_count(conn, id)? > 0 => {
                return Ok(Transition::Refused("admin-courses-error-draft-enrolled"));
            }
            _ => {}
        }
        if course.status == to {
            return Ok(Transition::Done);
        }
        models::set_status(conn, id, to, now())?;
        let action = match to {
            "published" => AuditAction::CoursePublished,
            "archived" => AuditAction::CourseArchived,
            _ => AuditAction::CourseReturnedToDraft,
        };
        audit::record(
            conn,
            Some(admin_id),
            action,
            "course",
            Some(id),
            serde_json::json!({"before": {"status": course.status}, "after": {"status": to}}),
        )?;
        Ok(Transition::Done)
    })
}

async fn transition(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    id: i32,
    to: &'static str,
    done: &str,
) -> AppResult<HttpResponse> {
    match run(&state.pool, move |conn| {
        change_status(conn, admin_id, id, to)
    })
    .await?
    {
        Transition::Done => {
            tracing::info!(
                admin_id,
                course_id = id,
                status = to,
                "course status changed"
            );
            Ok(see_other(format!("/admin/courses/{id}?done={done}")))
        }
        Transition::Refused(key) => {
            let problem = Some(ctx.t(key));
            let page = detail_page(ctx, state, id, None, problem).await?;
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub async fn publish(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    transition(
        ctx,
        admin.id,
        &state,
        id.into_inner(),
        "published",
        "published",
    )
    .await
}

pub async fn archive(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    transition(
        ctx,
        admin.id,
        &state,
        id.into_inner(),
        "archived",
        "archived",
    )
    .await
}

pub async fn back_to_draft(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    transition(ctx, admin.id, &state, id.into_inner(), "draft", "draft").await
}

async fn move_module(state: &AppState, path: (i32, i32), up: bool) -> AppResult<HttpResponse> {
    let (id, module_id) = path;
    run(&state.pool, move |conn| {
        module_of(conn, id, module_id)?;
        models::move_module(conn, module_id, up)
    })
    .await?;
    Ok(see_other(format!(
        "/admin/courses/{id}?done=moved#module-{module_id}"
    )))
}

pub async fn move_up(
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    move_module(&state, path.into_inner(), true).await
}

pub async fn move_down(
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    move_module(&state, path.into_inner(), false).await
}

pub async fn remove_module(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let deleted = run(&state.pool, move |conn| {
        module_of(conn, id, module_id)?;
        models::remove_module(conn, module_id, now())
    })
    .await?;
    tracing::info!(admin_id = admin.id, module_id, deleted, "module removed");
    let done = if deleted {
        "module-deleted"
    } else {
        "module-archived"
    };
    Ok(see_other(format!("/admin/courses/{id}?done={done}")))
}

// ---- Modules ------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct ModuleForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub required: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub video_url: String,
    #[serde(default)]
    pub transcript: String,
    #[serde(default)]
    pub pass_mark: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct QuestionForm {
    #[serde(default)]
    pub prompt: String,
    /// "single" or "multiple".
    #[serde(default)]
    pub answer_kind: String,
    #[serde(default)]
    pub option: Vec<String>,
    /// The numbers (1–6) of the correct options.
    #[serde(default)]
    pub correct: Vec<String>,
}

pub struct OptionSlot {
    pub number: usize,
    /// "Option 1" …
    pub caption: String,
    pub label: String,
    pub correct: bool,
}

pub struct QuestionView {
    pub id: i32,
    pub prompt: String,
    pub multiple: bool,
    pub options: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "admin/courses_module_form.html")]
pub struct ModuleFormPage {
    pub ctx: Ctx,
    pub course_id: i32,
    pub course_title: String,
    pub module_id: Option<i32>,
    pub quiz: bool,
    pub form: ModuleForm,
    pub errors: FormErrors,
    pub questions: Vec<QuestionView>,
    pub question: QuestionForm,
    pub question_errors: FormErrors,
    pub slots: Vec<OptionSlot>,
    pub notice: Option<String>,
}

impl ModuleFormPage {
    pub fn action(&self) -> String {
        match self.module_id {
            Some(m) => format!("/admin/courses/{}/modules/{m}/edit", self.course_id),
            None => format!(
                "/admin/courses/{}/modules/new?kind={}",
                self.course_id,
                if self.quiz { "quiz" } else { "lesson" }
            ),
        }
    }

    pub fn title_key(&self) -> &'static str {
        match (self.module_id.is_some(), self.quiz) {
            (false, false) => "admin-courses-module-new-lesson",
            (false, true) => "admin-courses-module-new-quiz",
            (true, false) => "admin-courses-module-edit-lesson",
            (true, true) => "admin-courses-module-edit-quiz",
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || !self.question_errors.is_empty()
    }

    pub fn multiple(&self) -> bool {
        self.question.answer_kind == "multiple"
    }
}

struct ModulePageInput {
    course_id: i32,
    module_id: Option<i32>,
    quiz: bool,
    form: ModuleForm,
    errors: FormErrors,
    question: QuestionForm,
    question_errors: FormErrors,
    notice: Option<String>,
}

async fn module_page(
    ctx: Ctx,
    state: &AppState,
    input: ModulePageInput,
) -> AppResult<ModuleFormPage> {
    let course_id = input.course_id;
    let module_id = input.module_id;
    let (course, questions) = run(&state.pool, move |conn| {
        let course = models::course_by_id(conn, course_id)?;
        let questions = match module_id {
            Some(m) => models::quiz(conn, m)?,
            None => Vec::new(),
        };
        Ok((course, questions))
    })
    .await?;
    let slots = (1..=MAX_OPTIONS)
        .map(|n| OptionSlot {
            number: n,
            caption: ctx
                .lang
                .t_args("admin-courses-option-n", &[("n", Arg::from(n as i64))]),
            label: input
                .question
                .option
                .get(n - 1)
                .cloned()
                .unwrap_or_default(),
            correct: input
                .question
                .correct
                .iter()
                .any(|c| c.trim() == n.to_string()),
        })
        .collect();
    Ok(ModuleFormPage {
        ctx,
        course_id,
        course_title: course.title,
        module_id,
        quiz: input.quiz,
        form: input.form,
        errors: input.errors,
        questions: questions
            .into_iter()
            .map(|(q, options)| QuestionView {
                id: q.id,
                prompt: q.prompt,
                multiple: q.multiple,
                options: options
                    .into_iter()
                    .map(|o| (o.label, o.is_correct))
                    .collect(),
            })
            .collect(),
        question: input.question,
        question_errors: input.question_errors,
        slots,
        notice: input.notice,
    })
}

fn validate_module(form: &ModuleForm, quiz: bool, lang: Lang) -> Result<ModuleFields, FormErrors> {
    let mut errors = FormErrors::default();
    let title = parse_line(&form.title, TITLE_MAX_CHARS, "admin-courses-error-title")
        .map_err(|k| errors.add("title", lang.t(k)))
        .ok();
    let slug = parse_slug(&form.slug, &form.title)
        .map_err(|k| errors.add("slug", lang.t(k)))
        .ok();
    let body = parse_text(&form.body, TEXT_MAX_CHARS)
        .map_err(|k| errors.add("body", lang.t(k)))
        .ok();
    if let Some(body) = &body {
        if let Some(image) = images_without_alt(body).first() {
            errors.add(
                "body",
                lang.t_args(
                    "admin-courses-error-image-alt",
                    &[("image", Arg::from(image.as_str()))],
                ),
            );
        }
    }
    let (mut video_url, mut transcript, mut pass_mark) = (Ok(None), Ok(None), Ok(None));
    if quiz {
        pass_mark = parse_pass_mark(&form.pass_mark)
            .map(Some)
            .map_err(|k| errors.add("pass_mark", lang.t(k)));
    } else {
        video_url =
            parse_video_url(&form.video_url).map_err(|k| errors.add("video_url", lang.t(k)));
        let text = parse_text(&form.transcript, TEXT_MAX_CHARS)
            .map_err(|k| errors.add("transcript", lang.t(k)));
        transcript = match (&video_url, text) {
            (Ok(Some(_)), Ok(t)) if t.is_empty() => {
                errors.add("transcript", lang.t("admin-courses-error-transcript"));
                Err(())
            }
            (_, Ok(t)) if t.is_empty() => Ok(None),
            (_, Ok(t)) => Ok(Some(t)),
            (_, Err(())) => Err(()),
        };
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match (title, slug, body, video_url, transcript, pass_mark) {
        (Some(title), Some(slug), Some(body), Ok(video_url), Ok(transcript), Ok(pass_mark)) => {
            Ok(ModuleFields {
                title,
                slug,
                body_markdown: body,
                video_url,
                transcript,
                pass_mark,
                required: form.required == "yes",
                updated_at: now(),
            })
        }
        _ => Err(errors),
    }
}

enum ModuleSaved {
    Done(i32),
    SlugTaken,
}

fn save_module(
    conn: &mut AnyConnection,
    course_id: i32,
    module_id: Option<i32>,
    kind: &str,
    fields: &ModuleFields,
) -> QueryResult<ModuleSaved> {
    let result = conn.transaction(|conn| {
        if models::module_slug_taken(conn, course_id, &fields.slug, module_id)? {
            return Ok(ModuleSaved::SlugTaken);
        }
        match module_id {
            Some(m) => {
                models::update_module(conn, m, fields)?;
                Ok(ModuleSaved::Done(m))
            }
            None => models::add_module(conn, course_id, kind, fields).map(ModuleSaved::Done),
        }
    });
    match result {
        Err(e) if is_unique_violation(&e) => Ok(ModuleSaved::SlugTaken),
        other => other,
    }
}

#[derive(Deserialize, Default)]
struct KindQuery {
    kind: Option<String>,
}

fn kind_is_quiz(req: &HttpRequest) -> AppResult<bool> {
    let kind = web::Query::<KindQuery>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().kind);
    match kind.as_deref() {
        None | Some("lesson") => Ok(false),
        Some("quiz") => Ok(true),
        Some(_) => Err(AppError::NotFound),
    }
}

async fn submit_module(
    ctx: Ctx,
    state: &AppState,
    course_id: i32,
    module_id: Option<i32>,
    quiz: bool,
    form: ModuleForm,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let input = |form: ModuleForm, errors: FormErrors| ModulePageInput {
        course_id,
        module_id,
        quiz,
        form,
        errors,
        question: QuestionForm::default(),
        question_errors: FormErrors::default(),
        notice: None,
    };
    let fields = match validate_module(&form, quiz, lang) {
        Ok(fields) => fields,
        Err(errors) => {
            let page = module_page(ctx, state, input(form, errors)).await?;
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let kind = if quiz { "quiz" } else { "lesson" };
    let saved = run(&state.pool, move |conn| {
        save_module(conn, course_id, module_id, kind, &fields)
    })
    .await?;
    match saved {
        ModuleSaved::Done(m) => {
            let done = if module_id.is_some() {
                "module-saved"
            } else {
                "module-added"
            };
            if quiz && module_id.is_none() {
                // A new quiz needs its questions next.
                return Ok(see_other(format!(
                    "/admin/courses/{course_id}/modules/{m}/edit?done={done}"
                )));
            }
            Ok(see_other(format!(
                "/admin/courses/{course_id}?done={done}#module-{m}"
            )))
        }
        ModuleSaved::SlugTaken => {
            let mut errors = FormErrors::default();
            errors.add("slug", lang.t("admin-courses-error-module-slug-taken"));
            let page = module_page(ctx, state, input(form, errors)).await?;
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub async fn new_module_form(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let quiz = kind_is_quiz(&req)?;
    let form = ModuleForm {
        required: "yes".to_owned(),
        pass_mark: if quiz { "70".to_owned() } else { String::new() },
        ..Default::default()
    };
    let input = ModulePageInput {
        course_id: id.into_inner(),
        module_id: None,
        quiz,
        form,
        errors: FormErrors::default(),
        question: QuestionForm::default(),
        question_errors: FormErrors::default(),
        notice: None,
    };
    render(&module_page(ctx, &state, input).await?)
}

pub async fn create_module(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    Posted(form): Posted<ModuleForm>,
) -> AppResult<HttpResponse> {
    let quiz = kind_is_quiz(&req)?;
    let id = id.into_inner();
    run(&state.pool, move |conn| models::course_by_id(conn, id)).await?;
    submit_module(ctx, &state, id, None, quiz, form).await
}

fn form_of(module: &Module) -> ModuleForm {
    ModuleForm {
        title: module.title.clone(),
        slug: module.slug.clone(),
        required: ticked(module.required),
        body: module.body_markdown.clone(),
        video_url: module.video_url.clone().unwrap_or_default(),
        transcript: module.transcript.clone().unwrap_or_default(),
        pass_mark: module.pass_mark.map(|p| p.to_string()).unwrap_or_default(),
    }
}

pub async fn edit_module_form(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let module = run(&state.pool, move |conn| module_of(conn, id, module_id)).await?;
    let notice = done_notice(&req, ctx.lang);
    let input = ModulePageInput {
        course_id: id,
        module_id: Some(module_id),
        quiz: module.is_quiz(),
        form: form_of(&module),
        errors: FormErrors::default(),
        question: QuestionForm {
            answer_kind: "single".to_owned(),
            ..Default::default()
        },
        question_errors: FormErrors::default(),
        notice,
    };
    render(&module_page(ctx, &state, input).await?)
}

pub async fn update_module(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    Posted(form): Posted<ModuleForm>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let module = run(&state.pool, move |conn| module_of(conn, id, module_id)).await?;
    submit_module(ctx, &state, id, Some(module_id), module.is_quiz(), form).await
}

struct ValidQuestion {
    prompt: String,
    multiple: bool,
    /// Label and whether it is correct, in order.
    options: Vec<(String, bool)>,
}

fn validate_question(form: &QuestionForm, lang: Lang) -> Result<ValidQuestion, FormErrors> {
    let mut errors = FormErrors::default();
    let prompt = parse_line(
        &form.prompt,
        SUMMARY_MAX_CHARS * 2,
        "admin-courses-error-prompt",
    )
    .map_err(|k| errors.add("prompt", lang.t(k)))
    .ok();
    let multiple = match form.answer_kind.as_str() {
        "single" => Some(false),
        "multiple" => Some(true),
        _ => {
            errors.add("answer_kind", lang.t("admin-courses-error-answer-kind"));
            None
        }
    };
    let options = parse_options(&form.option, &form.correct, multiple.unwrap_or(false))
        .map_err(|(field, key)| {
            if multiple.is_some() {
                errors.add(field, lang.t(key))
            }
        })
        .ok();
    match (prompt, multiple, options) {
        (Some(prompt), Some(multiple), Some(options)) if errors.is_empty() => Ok(ValidQuestion {
            prompt,
            multiple,
            options,
        }),
        _ => Err(errors),
    }
}

pub async fn add_question(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    Posted(question): Posted<QuestionForm>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let module = run(&state.pool, move |conn| module_of(conn, id, module_id)).await?;
    if !module.is_quiz() {
        return Err(AppError::NotFound);
    }
    match validate_question(&question, ctx.lang) {
        Ok(q) => {
            run(&state.pool, move |conn| {
                models::add_question(conn, module_id, &q.prompt, q.multiple, &q.options)
            })
            .await?;
            Ok(see_other(format!(
                "/admin/courses/{id}/modules/{module_id}/edit?done=question-added#questions"
            )))
        }
        Err(question_errors) => {
            let input = ModulePageInput {
                course_id: id,
                module_id: Some(module_id),
                quiz: true,
                form: form_of(&module),
                errors: FormErrors::default(),
                question,
                question_errors,
                notice: None,
            };
            let page = module_page(ctx, &state, input).await?;
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub async fn delete_question(
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, module_id, question_id) = path.into_inner();
    run(&state.pool, move |conn| {
        module_of(conn, id, module_id)?;
        let question = models::question_by_id(conn, question_id)?;
        if question.module_id != module_id {
            return Err(diesel::NotFound);
        }
        models::delete_question(conn, question_id)
    })
    .await?;
    Ok(see_other(format!(
        "/admin/courses/{id}/modules/{module_id}/edit?done=question-deleted#questions"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_titles_in_any_language() {
        assert_eq!(
            slug_from_title("Foundations of Inclusive Education"),
            "foundations-of-inclusive-education"
        );
        assert_eq!(
            slug_from_title("Инклюзивное образование: основы"),
            "inklyuzivnoe-obrazovanie-osnovy"
        );
        assert_eq!(
            slug_from_title("Инклюзивті білім беру"),
            "inklyuzivti-bilim-beru"
        );
        assert_eq!(slug_from_title("  --  "), "");
        assert_eq!(parse_slug("", "Module 1"), Ok("module-1".to_owned()));
        assert_eq!(parse_slug(" Intro-2 ", "x"), Ok("intro-2".to_owned()));
        assert!(parse_slug("intro--2", "x").is_err());
        assert!(parse_slug("intro_2", "x").is_err());
        assert!(parse_slug("-intro", "x").is_err());
        assert!(parse_slug("", "!!!").is_err());
    }

    #[test]
    fn numbers_and_links_are_bounded() {
        assert_eq!(parse_hours("72"), Ok(72));
        assert!(parse_hours("0").is_err());
        assert!(parse_hours("1001").is_err());
        assert!(parse_hours("seventy").is_err());
        assert_eq!(parse_pass_mark("80%"), Ok(80));
        assert!(parse_pass_mark("101").is_err());
        assert_eq!(parse_video_url(""), Ok(None));
        assert_eq!(
            parse_video_url("https://example.org/v?id=1"),
            Ok(Some("https://example.org/v?id=1".to_owned()))
        );
        assert!(parse_video_url("javascript:alert(1)").is_err());
        assert!(parse_video_url("https://").is_err());
        assert!(parse_video_url("ftp://example.org/v").is_err());
    }

    #[test]
    fn audiences_need_one_known_category() {
        assert!(parse_audience(&[]).is_err());
        assert!(parse_audience(&["teachers".to_owned()]).is_err());
        assert_eq!(
            parse_audience(&[
                "special".to_owned(),
                "preschool".to_owned(),
                "special".to_owned()
            ]),
            Ok(vec![Category::Preschool, Category::Special])
        );
    }

    #[test]
    fn options_follow_the_answer_kind() {
        let labels = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let two = labels(&["Yes", "No", "", "", "", ""]);
        assert!(parse_options(&two, &labels(&["1"]), false).is_ok());
        assert!(parse_options(&two, &labels(&["1", "2"]), false).is_err());
        assert!(parse_options(&two, &labels(&[]), false).is_err());
        assert!(parse_options(&two, &labels(&["1", "2"]), true).is_ok());
        assert!(parse_options(&two, &labels(&[]), true).is_err());
        assert!(parse_options(&labels(&["Only"]), &labels(&["1"]), false).is_err());
        assert!(parse_options(&two, &labels(&["3"]), false).is_err());
    }
}
