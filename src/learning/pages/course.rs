//! A course's page as a teacher (or a visitor) sees it: what it is, its modules, and where the
//! teacher stands with it (enrol, continue, completed). An administrator's preview shows the
//! same page, as a teacher about to enrol sees it, for a course in any status.

use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::QueryResult;

use crate::certificates::evidence::latest_return;
use crate::courses::labels::{area_label, audience_labels, language_name};
use crate::courses::markdown::to_safe_html;
use crate::courses::models::{self as courses, Course, Module};
use crate::db::AnyConnection;
use crate::domain::{EnrolmentStatus, Role};
use crate::error::{AppError, AppResult};
use crate::learning::models::{self as m, Enrolment, ModuleProgress};
use crate::learning::outline::{
    self, bar, course_path, module_rows, next_to_take, progress_text, ModuleRow,
};
use crate::state::AppState;
use crate::web::extractors::{Admin, CurrentUser};
use crate::web::{render, run, Ctx};

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
    let status = enrolment.map(Enrolment::status);
    match (user, status) {
        (None, _) => Standing::Anonymous,
        (Some(u), _) if u.role != Role::Teacher => Standing::NotTeacher,
        (Some(_), Some(EnrolmentStatus::Completed)) => Standing::Completed,
        (Some(_), Some(EnrolmentStatus::Active)) => Standing::Active,
        (Some(u), _) if !u.email_verified => Standing::Unconfirmed,
        (Some(_), Some(_)) => Standing::Withdrawn,
        (Some(_), None) => Standing::CanEnrol,
    }
}

#[derive(Template)]
#[template(path = "learning/course.html")]
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
    /// The latest return of the completion while the course is taken again: (when, the reason).
    pub returned: Option<(String, String)>,
    /// Set when an administrator previews a course (its id): links stay inside the preview and
    /// nothing can be submitted.
    pub preview: Option<i32>,
}

impl CoursePage {
    fn module_href(&self, module: &str) -> String {
        outline::module_href(self.preview, &self.slug, module)
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
    returned: Option<(chrono::NaiveDateTime, String)>,
}

impl CourseData {
    /// A published course by slug with the user's enrolment and progress; None for a course
    /// teachers may not see (drafts, archived courses).
    fn published(
        conn: &mut AnyConnection,
        slug: &str,
        user_id: Option<i32>,
    ) -> QueryResult<Option<Self>> {
        let Some(course) = courses::published_course_by_slug(conn, slug)? else {
            return Ok(None);
        };
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
        let returned = match &enrolment {
            Some(e) if e.status() == EnrolmentStatus::Active => latest_return(conn, e.id)?,
            _ => None,
        };
        Ok(Some(Self {
            returned,
            modules: courses::modules_of(conn, course.id, false)?,
            audience: courses::audience_of(conn, course.id)?,
            course,
            enrolment,
            progress,
            counts,
        }))
    }

    /// A course in any status, as a teacher about to enrol sees it.
    fn preview(conn: &mut AnyConnection, id: i32) -> QueryResult<Self> {
        let course = courses::course_by_id(conn, id)?;
        let modules = courses::modules_of(conn, id, false)?;
        let required = modules.iter().filter(|m| m.required).count() as i64;
        Ok(Self {
            audience: courses::audience_of(conn, id)?,
            course,
            modules,
            enrolment: None,
            progress: vec![],
            counts: (0, required),
            returned: None,
        })
    }
}

fn course_page(ctx: Ctx, data: CourseData, preview: Option<i32>) -> CoursePage {
    let CourseData {
        course,
        modules,
        audience,
        enrolment,
        progress,
        counts: (done, required),
        returned,
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
        area: area_label(lang, &course),
        audience: audience_labels(lang, &audience),
        modules: module_rows(
            &modules,
            &progress,
            0,
            enrolment.as_ref().map(|_| course.sequential),
        ),
        next_module: next_to_take(&modules, &progress)
            .or(modules.first())
            .map(|m| m.slug.clone()),
        completed_on: enrolment
            .as_ref()
            .and_then(|e| e.completed_at)
            .map(|d| lang.date(d.date()))
            .unwrap_or_default(),
        sign_in_link: format!("/login?next={}", course_path(&course.slug)),
        progress_text: progress_text(lang, done, required),
        returned: returned.map(|(at, reason)| {
            let date = crate::i18n::Arg::from(lang.date(at.date()));
            (
                lang.t_args("course-returned-text", &[("date", date)]),
                reason,
            )
        }),
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
        CourseData::published(conn, &slug, user_id)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    render(&course_page(ctx, data, None))
}

/// `/admin/courses/{id}/preview`: the course page as a teacher who may enrol sees it, whatever
/// the course's status.
pub async fn preview(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let data = run(&state.pool, move |conn| CourseData::preview(conn, id)).await?;
    render(&course_page(ctx, data, Some(id)))
}
