//! `/admin/certificates/queue/{enrolment_id}`: one completion with all its evidence (the
//! teacher, the dates, every quiz attempt, every task submission with its scores and files, the
//! earlier returns), and the two decisions: issue the certificate, or return the completion to
//! the teacher with a reason.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::forms::{ReturnCommand, ReturnForm};
use super::views::{file_size, iso_date, span, took, when};
use crate::certificates::evidence::{self, Attempt, Completion, Redoable, Return, Submission};
use crate::certificates::ops::{self, IssueBy, ReturnCompletion, Returned};
use crate::db::now;
use crate::domain::{EnrolmentStatus, ModuleKind, SubmissionStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::schools::models::all_regions;
use crate::state::AppState;
use crate::web::extractors::{Admin, NoFields, Posted};
use crate::web::{render, render_with_status, run, see_other, Ctx, FormErrors, Notices};

/// Confirmations after a decision (`?done=…`), each a translation key.
pub const NOTICES: Notices = &[
    ("returned", "admin-completion-done-returned"),
    ("not-waiting", "admin-completion-done-not-waiting"),
    ("certified", "admin-completion-done-certified"),
];

pub struct AttemptView {
    pub module: String,
    pub drawn_iso: String,
    pub drawn: String,
    pub took: String,
    pub score: String,
    pub result: String,
}

impl AttemptView {
    fn new(lang: Lang, a: Attempt) -> Self {
        let result = match a.passed {
            Some(true) => lang.t("admin-completion-passed"),
            Some(false) => lang.t("admin-completion-not-passed"),
            None => lang.t("admin-completion-not-submitted"),
        };
        AttemptView {
            drawn_iso: iso_date(a.drawn_at),
            drawn: when(lang, a.drawn_at),
            took: a
                .submitted_at
                .map(|s| took(lang, a.drawn_at, s))
                .unwrap_or_default(),
            score: a.score.map(|s| format!("{s}%")).unwrap_or_default(),
            result,
            module: a.module_title,
        }
    }
}

pub struct ScoreView {
    pub criterion: String,
    pub points: String,
}

pub struct FileView {
    pub href: String,
    pub name: String,
    pub size: String,
}

pub struct SubmissionView {
    /// `submission-N`, the start of the ids of its heading and table.
    pub anchor: String,
    pub module: String,
    pub status: String,
    pub submitted_iso: String,
    pub submitted: String,
    pub reviewed: String,
    pub reviewer: String,
    pub feedback: String,
    pub body: String,
    pub scores: Vec<ScoreView>,
    pub scores_caption: String,
    pub total: String,
    pub files: Vec<FileView>,
}

fn points(lang: Lang, scored: i64, max: i64) -> String {
    lang.t_args(
        "admin-completion-points",
        &[("scored", Arg::from(scored)), ("max", Arg::from(max))],
    )
}

impl SubmissionView {
    fn new(lang: Lang, index: usize, s: Submission) -> Self {
        let status = SubmissionStatus::parse(&s.status)
            .map(|st| lang.t(st.label_key()))
            .unwrap_or_default();
        let (scored, max) = s.scores.iter().fold((0, 0), |(a, b), c| {
            (a + i64::from(c.score), b + i64::from(c.max_score))
        });
        SubmissionView {
            anchor: format!("submission-{}", index + 1),
            status,
            submitted_iso: iso_date(s.submitted_at),
            submitted: when(lang, s.submitted_at),
            reviewed: s.reviewed_at.map(|d| when(lang, d)).unwrap_or_default(),
            reviewer: s.reviewer.unwrap_or_default(),
            feedback: s.feedback.unwrap_or_default(),
            total: if s.scores.is_empty() {
                String::new()
            } else {
                points(lang, scored, max)
            },
            scores_caption: lang.t_args(
                "admin-completion-scores-caption",
                &[("task", Arg::from(s.module_title.as_str()))],
            ),
            scores: s
                .scores
                .into_iter()
                .map(|c| ScoreView {
                    points: points(lang, c.score.into(), c.max_score.into()),
                    criterion: c.title,
                })
                .collect(),
            files: s
                .files
                .into_iter()
                .map(|f| FileView {
                    href: format!("/review/files/{}", f.id),
                    size: file_size(lang, f.size_bytes),
                    name: f.file_name,
                })
                .collect(),
            body: s.body,
            module: s.module_title,
        }
    }
}

pub struct ReturnView {
    /// When, by whom, and the completion it returned.
    pub line: String,
    pub reason: String,
}

impl ReturnView {
    fn new(lang: Lang, r: Return) -> Self {
        let args = [
            ("returned", Arg::from(when(lang, r.returned_at))),
            ("by", Arg::from(r.returned_by)),
            ("completed", Arg::from(when(lang, r.completed_at))),
        ];
        ReturnView {
            line: lang.t_args("admin-completion-return-line", &args),
            reason: r.reason,
        }
    }
}

pub struct ModuleChoice {
    pub id: i32,
    /// The first box is `module`, so that the error summary can link to the group.
    pub checkbox_id: String,
    pub title: String,
    pub kind: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "certificates/admin/completion.html")]
pub struct CompletionPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub enrolment_id: i32,
    pub teacher: String,
    pub teacher_email: String,
    pub teacher_href: String,
    pub region: String,
    pub school: String,
    pub course: String,
    pub enrolled_iso: String,
    pub enrolled: String,
    pub completed_iso: String,
    pub completed: String,
    pub duration: String,
    /// Completed without a certificate: the decisions are offered.
    pub waiting: bool,
    /// Where the completion stands when it does not wait (in progress, certified).
    pub standing: String,
    pub certificate_href: String,
    pub attempts: Vec<AttemptView>,
    pub submissions: Vec<SubmissionView>,
    pub returns: Vec<ReturnView>,
    pub modules: Vec<ModuleChoice>,
    /// The reason as typed (kept when the form is refused).
    pub reason: String,
}

/// Everything the page shows, read at once.
struct Evidence {
    completion: Completion,
    attempts: Vec<Attempt>,
    submissions: Vec<Submission>,
    returns: Vec<Return>,
    modules: Vec<Redoable>,
    region: String,
    lang: Lang,
}

impl Evidence {
    fn is_waiting(&self) -> bool {
        self.completion.certificate.is_none()
            && EnrolmentStatus::parse(&self.completion.status) == Some(EnrolmentStatus::Completed)
    }

    fn module_ids(&self) -> Vec<i32> {
        self.modules.iter().map(|m| m.id).collect()
    }
}

async fn load(state: &AppState, lang: Lang, enrolment_id: i32) -> AppResult<Evidence> {
    run(&state.pool, move |conn| {
        let Some(completion) = evidence::completion(conn, enrolment_id)? else {
            return Ok(None);
        };
        let region = all_regions(conn)?
            .into_iter()
            .find(|r| Some(r.id) == completion.region_id)
            .map(|r| r.name(lang))
            .unwrap_or_default();
        Ok(Some(Evidence {
            attempts: evidence::attempts(conn, enrolment_id)?,
            submissions: evidence::submissions(conn, enrolment_id)?,
            returns: evidence::returns(conn, enrolment_id)?,
            modules: evidence::course_modules(conn, completion.course_id)?,
            completion,
            region,
            lang,
        }))
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// The modules to offer for redoing: as ticked in a refused form, else quizzes and tasks.
fn module_choices(
    lang: Lang,
    modules: Vec<Redoable>,
    ticked: Option<HashSet<i32>>,
) -> Vec<ModuleChoice> {
    modules
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let kind = ModuleKind::parse(&m.kind);
            let checked = match &ticked {
                Some(ticked) => ticked.contains(&m.id),
                None => matches!(kind, Some(ModuleKind::Quiz | ModuleKind::Task)),
            };
            ModuleChoice {
                id: m.id,
                checkbox_id: if i == 0 {
                    "module".to_owned()
                } else {
                    format!("module-{}", m.id)
                },
                kind: kind.map(|k| lang.t(k.label_key())).unwrap_or_default(),
                checked,
                title: m.title,
            }
        })
        .collect()
}

/// The page, with a refused return's messages, reason and ticks when there was one.
fn page(
    ctx: Ctx,
    e: Evidence,
    refused: Option<(FormErrors, String, HashSet<i32>)>,
) -> CompletionPage {
    let lang = e.lang;
    let waiting = e.is_waiting();
    let c = e.completion;
    let standing = match (&c.certificate, EnrolmentStatus::parse(&c.status)) {
        (Some(serial), _) => lang.t_args(
            "admin-completion-standing-certified",
            &[("serial", Arg::from(serial.as_str()))],
        ),
        (None, Some(EnrolmentStatus::Completed)) => String::new(),
        (None, Some(EnrolmentStatus::Withdrawn)) => lang.t("admin-completion-standing-withdrawn"),
        (None, _) => lang.t("admin-completion-standing-active"),
    };
    let (errors, reason, ticked) = match refused {
        Some((errors, reason, ticked)) => (errors, reason, Some(ticked)),
        None => (FormErrors::default(), String::new(), None),
    };
    CompletionPage {
        enrolment_id: c.enrolment_id,
        teacher_href: format!("/admin/users/{}", c.user_id),
        region: e.region,
        school: c.school.unwrap_or_default(),
        enrolled_iso: iso_date(c.enrolled_at),
        enrolled: when(lang, c.enrolled_at),
        completed_iso: c.completed_at.map(iso_date).unwrap_or_default(),
        completed: c.completed_at.map(|d| when(lang, d)).unwrap_or_default(),
        duration: c
            .completed_at
            .map(|d| span(lang, c.enrolled_at, d))
            .unwrap_or_default(),
        waiting,
        standing,
        certificate_href: c
            .certificate
            .map(|s| format!("/admin/certificates/{s}"))
            .unwrap_or_default(),
        attempts: e
            .attempts
            .into_iter()
            .map(|a| AttemptView::new(lang, a))
            .collect(),
        submissions: e
            .submissions
            .into_iter()
            .enumerate()
            .map(|(i, s)| SubmissionView::new(lang, i, s))
            .collect(),
        returns: e
            .returns
            .into_iter()
            .map(|r| ReturnView::new(lang, r))
            .collect(),
        modules: module_choices(lang, e.modules, ticked),
        teacher: c.teacher_name,
        teacher_email: c.teacher_email,
        course: c.course_title,
        errors,
        reason,
        ctx,
    }
}

fn back_to(enrolment_id: i32, done: &str) -> HttpResponse {
    see_other(format!(
        "/admin/certificates/queue/{enrolment_id}?done={done}"
    ))
}

pub async fn completion(
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let evidence = load(&state, ctx.lang, path.into_inner()).await?;
    render(&page(ctx.with_done(NOTICES), evidence, None))
}

/// Issues the certificate, as reviewed by this administrator.
pub async fn issue(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let enrolment_id = path.into_inner();
    let (admin_id, base_url) = (admin.id, state.settings.base_url.clone());
    let issued = run(&state.pool, move |conn| {
        let by = IssueBy {
            admin: Some(admin_id),
            reason: None,
            now: now(),
            base_url: &base_url,
        };
        ops::issue(conn, enrolment_id, by)
    })
    .await?;
    Ok(match issued.certificate() {
        Some(certificate) => {
            tracing::info!(admin_id, enrolment_id, serial = %certificate.serial, "reviewed certificate issued");
            see_other(format!(
                "/admin/certificates/{}?done=issued",
                certificate.serial
            ))
        }
        None => back_to(enrolment_id, "not-waiting"),
    })
}

/// Returns the completion to the teacher with a reason and the modules to redo.
pub async fn return_to_teacher(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    Posted(form): Posted<ReturnForm>,
) -> AppResult<HttpResponse> {
    let enrolment_id = path.into_inner();
    let evidence = load(&state, ctx.lang, enrolment_id).await?;
    if !evidence.is_waiting() {
        return Ok(back_to(enrolment_id, "not-waiting"));
    }
    let ReturnCommand { reason, module_ids } = match form.parse(ctx.lang, &evidence.module_ids()) {
        Ok(command) => command,
        Err(errors) => {
            let refused = Some((errors, form.reason.clone(), form.ticked()));
            let page = page(ctx, evidence, refused);
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (admin_id, base_url) = (admin.id, state.settings.base_url.clone());
    let returned = run(&state.pool, move |conn| {
        let command = ReturnCompletion {
            enrolment_id,
            admin_id,
            reason: &reason,
            module_ids: &module_ids,
            now: now(),
            base_url: &base_url,
        };
        ops::return_completion(conn, &command)
    })
    .await?;
    Ok(match returned {
        Returned::Done => {
            tracing::info!(admin_id, enrolment_id, "completion returned");
            back_to(enrolment_id, "returned")
        }
        Returned::AlreadyCertified(_) => back_to(enrolment_id, "certified"),
        Returned::NotCompleted => back_to(enrolment_id, "not-waiting"),
    })
}

#[cfg(test)]
mod tests {
    use super::NOTICES;

    #[test]
    fn every_confirmation_is_translated() {
        crate::i18n::assert_translated(NOTICES.iter().map(|(_, key)| *key));
    }
}
