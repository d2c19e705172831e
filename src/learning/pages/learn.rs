//! Enrolling on a course, withdrawing from it, and "my learning": a teacher's courses in
//! progress, completed (with their certificates) and withdrawn.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::teacher;
use crate::certificates::models::{self as certificates, Certificate};
use crate::courses::models::{self as courses, Course, Module};
use crate::db::now;
use crate::domain::{CertificateMode, EnrolmentStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::learning::models::{self as m, Enrolment, ModuleProgress};
use crate::learning::ops;
use crate::learning::outline::{bar, course_path, module_path, next_to_take, progress_text};
use crate::state::AppState;
use crate::web::extractors::{NoFields, Posted, SignedIn};
use crate::web::{render, run, see_other, Ctx};

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
        let Some(course) = courses::published_course_by_slug(conn, &slug)? else {
            return Ok((None, None));
        };
        ops::enrol(conn, user.id, course.id, now())?;
        let modules = courses::modules_of(conn, course.id, false)?;
        let first = modules.first().map(|m| m.slug.clone());
        Ok((Some(course), first))
    })
    .await?;
    let course = course.ok_or(AppError::NotFound)?;
    Ok(match first {
        Some(module) => see_other(module_path(&course.slug, &module)),
        None => see_other(course_path(&course.slug)),
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
        let Some(course) = courses::published_course_by_slug(conn, &slug)? else {
            return Ok(None);
        };
        ops::withdraw(conn, user.id, course.id, now())?;
        Ok(Some(course))
    })
    .await?;
    let course = course.ok_or(AppError::NotFound)?;
    Ok(see_other(course_path(&course.slug)))
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
    certificate: Option<&Certificate>,
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
        None if course.certificate_mode() == CertificateMode::Reviewed => {
            (None, Some("learn-cert-awaiting-review"))
        }
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

/// One enrolment as "my learning" shows it.
struct Row {
    enrolment: Enrolment,
    course: Course,
    modules: Vec<Module>,
    progress: Vec<ModuleProgress>,
    counts: (i64, i64),
}

impl EnrolmentView {
    fn new(lang: Lang, row: Row, certificates: &[Certificate]) -> Self {
        let Row {
            enrolment,
            course,
            modules,
            progress,
            counts: (done, required),
        } = row;
        let (certificate, certificate_note) = if enrolment.status() == EnrolmentStatus::Completed {
            let held = certificates.iter().find(|c| c.enrolment_id == enrolment.id);
            certificate_of(lang, &course, held)
        } else {
            (None, None)
        };
        Self {
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
        }
    }
}

impl MyLearningPage {
    fn new(ctx: Ctx, rows: Vec<Row>, certificates: &[Certificate]) -> Self {
        let lang = ctx.lang;
        let mut page = Self {
            ctx,
            active: vec![],
            completed: vec![],
            withdrawn: vec![],
        };
        // An unpublished course's enrolment has nothing to open; it stays recorded, not shown.
        for row in rows.into_iter().filter(|r| r.course.is_published()) {
            let status = row.enrolment.status();
            let view = EnrolmentView::new(lang, row, certificates);
            match status {
                EnrolmentStatus::Completed => page.completed.push(view),
                EnrolmentStatus::Withdrawn => page.withdrawn.push(view),
                EnrolmentStatus::Active => page.active.push(view),
            }
        }
        page
    }
}

pub async fn my_learning(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (rows, certificates) = run(&state.pool, move |conn| {
        let mut rows = Vec::new();
        for (enrolment, course) in m::enrolments_of(conn, user.id)? {
            rows.push(Row {
                modules: courses::modules_of(conn, course.id, false)?,
                progress: m::progress_of(conn, enrolment.id)?,
                counts: m::required_progress(conn, enrolment.id, course.id)?,
                enrolment,
                course,
            });
        }
        Ok((rows, certificates::of_user(conn, user.id)?))
    })
    .await?;
    render(&MyLearningPage::new(ctx, rows, &certificates))
}
