//! `/admin/certificates/queue`: completed enrolments waiting for their certificate, and
//! "issue selected".

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::forms::{filter_query, lenient_query, page_number, queue_filter, QueueForm, QueueQuery};
use super::views::{counted, course_options, iso_date, span};
use crate::certificates::evidence::{self, EvidenceSummary};
use crate::certificates::models::{self, Awaiting, QueueFilter};
use crate::certificates::ops::{self, IssueBy, Reviewed};
use crate::db::now;
use crate::domain::CertificateMode;
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::schools::models::{all_regions, region_choices, Region, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::{Admin, Posted};
use crate::web::pagination::{page_count, paginate, Pagination};
use crate::web::{render, render_with_status, run, see_other, Ctx, FormErrors};

pub const PAGE_SIZE: i64 = 50;

pub struct QueueRow {
    pub enrolment_id: i32,
    /// The first box is `enrolment`, so that the error summary can link to the list.
    pub checkbox_id: String,
    pub checked: bool,
    pub teacher: String,
    pub teacher_email: String,
    pub teacher_href: String,
    pub region: String,
    pub course: String,
    pub mode: String,
    pub completed_iso: String,
    pub completed: String,
    pub evidence_href: String,
    /// The evidence in plain words: quiz attempts, time taken, practical tasks.
    pub evidence: Vec<String>,
}

/// A completion's evidence as the queue sums it up, one line each.
fn evidence_lines(lang: Lang, a: &Awaiting, e: &EvidenceSummary) -> Vec<String> {
    let quizzes = lang.t_args(
        "admin-completion-summary-quizzes",
        &[
            ("count", Arg::from(e.attempts)),
            ("best", Arg::from(i64::from(e.best_score.unwrap_or(0)))),
        ],
    );
    let mut lines = vec![quizzes];
    if let Some(completed) = a.completed_at {
        let time = span(lang, a.enrolled_at, completed);
        lines.push(lang.t_args(
            "admin-completion-summary-time",
            &[("time", Arg::from(time))],
        ));
    }
    if e.tasks > 0 {
        let mut tasks = lang.t_args(
            "admin-completion-summary-tasks",
            &[
                ("count", Arg::from(e.tasks)),
                ("passed", Arg::from(e.tasks_passed)),
            ],
        );
        if let Some((scored, max)) = e.task_points {
            tasks.push_str(", ");
            tasks.push_str(&lang.t_args(
                "admin-completion-points",
                &[("scored", Arg::from(scored)), ("max", Arg::from(max))],
            ));
        }
        lines.push(tasks);
    }
    lines
}

impl QueueRow {
    fn new(
        lang: Lang,
        first: bool,
        a: Awaiting,
        shown: (&[Region], &EvidenceSummary, bool),
    ) -> Self {
        let (regions, summary, checked) = shown;
        let mode = match CertificateMode::parse(&a.certificate_mode) {
            Some(CertificateMode::Automatic) => "admin-certificates-mode-automatic",
            _ => "admin-certificates-mode-reviewed",
        };
        QueueRow {
            enrolment_id: a.enrolment_id,
            checkbox_id: if first {
                "enrolment".to_owned()
            } else {
                format!("enrolment-{}", a.enrolment_id)
            },
            checked,
            evidence: evidence_lines(lang, &a, summary),
            evidence_href: format!("/admin/certificates/queue/{}", a.enrolment_id),
            teacher_href: format!("/admin/users/{}", a.user_id),
            region: a
                .region_id
                .and_then(|id| regions.iter().find(|r| r.id == id))
                .map(|r| r.name(lang))
                .unwrap_or_default(),
            mode: lang.t(mode),
            completed_iso: a.completed_at.map(iso_date).unwrap_or_default(),
            completed: a
                .completed_at
                .map(|d| lang.date(d.date()))
                .unwrap_or_default(),
            teacher: a.teacher_name,
            teacher_email: a.teacher_email,
            course: a.course_title,
        }
    }
}

#[derive(Template)]
#[template(path = "certificates/admin/queue.html")]
pub struct QueuePage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub notice: Option<String>,
    pub course: String,
    pub region: String,
    pub page: i64,
    pub courses: Vec<(String, String)>,
    pub regions: Vec<RegionChoice>,
    pub rows: Vec<QueueRow>,
    pub summary: String,
    pub caption: String,
    pub filtered: bool,
    pub pagination: Pagination,
}

/// How to show the queue: the filters and page as asked for, and after a submission the boxes
/// to show ticked with the messages, or the confirmation.
#[derive(Default)]
struct QueueShown<'a> {
    course: &'a str,
    region: &'a str,
    page: &'a str,
    checked: HashSet<i32>,
    errors: FormErrors,
    notice: Option<String>,
}

async fn queue_page(ctx: Ctx, state: &AppState, shown: QueueShown<'_>) -> AppResult<QueuePage> {
    let lang = ctx.lang;
    let (courses, all) = run(&state.pool, |conn| {
        Ok((models::issuable_courses(conn)?, all_regions(conn)?))
    })
    .await?;
    let regions = region_choices(&all, lang);
    let (course_id, region) = queue_filter(shown.course, shown.region, &courses, &regions);
    let filter = QueueFilter {
        course_id,
        region_id: region.as_ref().map(|r| r.id),
    };
    let requested = page_number(shown.page);
    let (awaiting, total, summaries) = run(&state.pool, move |conn| {
        let (awaiting, total) = models::queue(conn, &filter, requested, PAGE_SIZE)?;
        let ids: Vec<i32> = awaiting.iter().map(|a| a.enrolment_id).collect();
        Ok((awaiting, total, evidence::summaries(conn, &ids)?))
    })
    .await?;
    let total_pages = page_count(total, PAGE_SIZE);
    let page = requested.min(total_pages);
    let rows = awaiting
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let checked = shown.checked.contains(&a.enrolment_id);
            let summary = summaries.get(&a.enrolment_id).cloned().unwrap_or_default();
            QueueRow::new(lang, i == 0, a, (&all, &summary, checked))
        })
        .collect();
    let course = course_id.map(|id| id.to_string()).unwrap_or_default();
    let region = region.map(|r| r.code).unwrap_or_default();
    let base_query = filter_query(&[("course", &course), ("region", &region)]);
    let keys = (
        "admin-certificates-queue-count",
        "admin-certificates-queue-caption",
    );
    let (summary, caption) = counted(lang, keys, total, page, total_pages);
    let path = "/admin/certificates/queue";
    Ok(QueuePage {
        courses: course_options(lang, &courses),
        regions,
        rows,
        summary,
        caption,
        filtered: !base_query.is_empty(),
        pagination: paginate(lang, path, &base_query, page, total_pages),
        course,
        region,
        page,
        errors: shown.errors,
        notice: shown.notice,
        ctx,
    })
}

/// "3 certificates issued." (and how many already had one), after a redirect. The counts make
/// it more than a fixed confirmation (`Ctx::with_done`).
fn issued_notice(lang: Lang, issued: &str, already: &str) -> Option<String> {
    let issued: i64 = issued.trim().parse().ok().filter(|n| *n >= 0)?;
    let already: i64 = already.trim().parse().ok().filter(|n| *n > 0).unwrap_or(0);
    let mut text = lang.t_args(
        "admin-certificates-queue-issued",
        &[("count", Arg::from(issued))],
    );
    if already > 0 {
        text.push(' ');
        text.push_str(&lang.t_args(
            "admin-certificates-queue-already",
            &[("count", Arg::from(already))],
        ));
    }
    Some(text)
}

pub async fn queue(
    req: HttpRequest,
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let query: QueueQuery = lenient_query(&req);
    let notice = issued_notice(ctx.lang, &query.issued, &query.already);
    let shown = QueueShown {
        course: &query.course,
        region: &query.region,
        page: &query.page,
        notice,
        ..QueueShown::default()
    };
    let page = queue_page(ctx, &state, shown).await?;
    render(&page)
}

/// Issues the selected enrolments' certificates as reviewed by this administrator.
async fn issue_reviewed(state: &AppState, admin_id: i32, ids: Vec<i32>) -> AppResult<Reviewed> {
    let base_url = state.settings.base_url.clone();
    run(&state.pool, move |conn| {
        let by = IssueBy {
            admin: Some(admin_id),
            // A review of a completion on the platform: the completion is the reason.
            reason: None,
            now: now(),
            base_url: &base_url,
        };
        ops::issue_selected(conn, &ids, by)
    })
    .await
}

pub async fn issue_queued(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<QueueForm>,
) -> AppResult<HttpResponse> {
    let error = match form.selection() {
        Err(key) => ctx.t(key),
        Ok(ids) => {
            let admin_id = admin.id;
            let outcome = issue_reviewed(&state, admin_id, ids).await?;
            match outcome {
                Reviewed::Done { issued, existing } => {
                    tracing::info!(admin_id, issued, existing, "reviewed certificates issued");
                    return Ok(see_other(form.issued_location(issued, existing)));
                }
                Reviewed::Refused(refused) => ctx.lang.t_args(
                    "admin-certificates-error-selection-refused",
                    &[("count", Arg::from(refused.len() as i64))],
                ),
            }
        }
    };
    let mut errors = FormErrors::default();
    errors.add("enrolment", error);
    let shown = QueueShown {
        course: &form.course,
        region: &form.region,
        page: &form.page,
        checked: form.ticked(),
        errors,
        notice: None,
    };
    let page = queue_page(ctx, &state, shown).await?;
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issued_notice_counts_both_kinds() {
        assert_eq!(
            issued_notice(Lang::En, "3", "0").as_deref(),
            Some("3 certificates issued.")
        );
        assert_eq!(
            issued_notice(Lang::En, "1", "2").as_deref(),
            Some("1 certificate issued. 2 of the selected teachers already had one.")
        );
        assert_eq!(issued_notice(Lang::En, "", ""), None);
        assert_eq!(issued_notice(Lang::En, "-1", ""), None);
    }
}
