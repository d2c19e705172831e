//! Administrators' certificate pages: the review queue, manual issuance, the register of issued
//! certificates, revocation and reinstatement. The rules (one certificate per enrolment, the
//! audit event and the teacher's email in the same transaction) live in `super::models`.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate, NaiveTime};
use serde::Deserialize;

use super::models::{self, Certificate, IssueBy, Manual, QueueFilter, RegisterFilter, Reviewed};
use crate::db::now;
use crate::domain::Email;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::schools::models::all_regions;
use crate::schools::models::{region_choices, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::{Admin, NoFields, Posted};
use crate::web::pagination::page_count;
use crate::web::pagination::{paginate, Pagination};
use crate::web::see_other;
use crate::web::{encode_query_value, render, render_with_status, run, Ctx, FormErrors};

pub const REGISTER_PAGE_SIZE: i64 = 50;
pub const QUEUE_PAGE_SIZE: i64 = 50;
/// The longest reason for issuing or revoking, in characters.
pub const REASON_MAX_CHARS: usize = 500;
/// Manual issuance: completions earlier than this are surely typing mistakes.
const EARLIEST_COMPLETION: (i32, u32, u32) = (2000, 1, 1);

pub fn routes(cfg: &mut web::ServiceConfig) {
    // `queue` and `new` come before `{serial}`, which answers 404 to anything not shaped like one.
    cfg.route("/admin/certificates", web::get().to(register))
        .route("/admin/certificates/queue", web::get().to(queue))
        .route("/admin/certificates/queue", web::post().to(issue_queued))
        .route("/admin/certificates/new", web::get().to(new_form))
        .route("/admin/certificates/new", web::post().to(create))
        .route("/admin/certificates/{serial}", web::get().to(detail))
        .route(
            "/admin/certificates/{serial}/revoke",
            web::post().to(revoke),
        )
        .route(
            "/admin/certificates/{serial}/reinstate",
            web::post().to(reinstate),
        );
}

// ---- Parsed input -------------------------------------------------------------------------

/// A reason for issuing or revoking: required, at most `REASON_MAX_CHARS`, line breaks kept.
/// The error is a translation key.
pub fn parse_reason(raw: &str) -> Result<String, &'static str> {
    let reason = raw.replace("\r\n", "\n").trim().to_owned();
    if reason.is_empty() {
        Err("admin-certificates-error-reason-missing")
    } else if reason.chars().count() > REASON_MAX_CHARS {
        Err("admin-certificates-error-reason-too-long")
    } else if reason
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        Err("admin-certificates-error-reason-invalid")
    } else {
        Ok(reason)
    }
}

/// The date a completion outside the platform happened (`YYYY-MM-DD`, as a date field sends it):
/// not before 2000, not after `today`.
pub fn parse_completion_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("admin-certificates-error-date-missing");
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| "admin-certificates-error-date-invalid")?;
    let (y, m, d) = EARLIEST_COMPLETION;
    if NaiveDate::from_ymd_opt(y, m, d).is_some_and(|earliest| date < earliest) {
        Err("admin-certificates-error-date-too-early")
    } else if date > today {
        Err("admin-certificates-error-date-future")
    } else {
        Ok(date)
    }
}

/// Today in Kazakhstan (UTC+5 across the country): an administrator there may enter today's
/// date in the first hours of the day, while it is still yesterday in UTC.
fn today_in_kazakhstan() -> NaiveDate {
    (now() + Duration::hours(5)).date()
}

/// The ids of the enrolments ticked in the queue; None when one of them is not an id at all.
pub fn parse_ids(values: &[String]) -> Option<Vec<i32>> {
    values
        .iter()
        .map(|v| v.trim().parse::<i32>().ok().filter(|id| *id > 0))
        .collect()
}

/// The register's status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Valid,
    Revoked,
}

impl StatusFilter {
    const ALL: [StatusFilter; 2] = [StatusFilter::Valid, StatusFilter::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Valid => "valid",
            StatusFilter::Revoked => "revoked",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    fn label_key(self) -> &'static str {
        match self {
            StatusFilter::Valid => "admin-certificates-status-valid",
            StatusFilter::Revoked => "admin-certificates-status-revoked",
        }
    }
}

fn status_of(certificate: &Certificate) -> StatusFilter {
    if certificate.is_revoked() {
        StatusFilter::Revoked
    } else {
        StatusFilter::Valid
    }
}

fn hours(lang: Lang, hours: i32) -> String {
    lang.t_args(
        "admin-certificates-hours",
        &[("hours", Arg::from(i64::from(hours)))],
    )
}

/// Reads a query string leniently: a mistyped address shows the unfiltered page, not an error.
fn lenient_query<T: serde::de::DeserializeOwned + Default>(req: &HttpRequest) -> T {
    web::Query::<T>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default()
}

/// `(value, label)` options of the course filters and the manual form; archived courses say so.
fn course_options(lang: Lang, courses: &[models::CourseChoice]) -> Vec<(String, String)> {
    courses
        .iter()
        .map(|c| {
            let label = if c.status == "archived" {
                lang.t_args(
                    "admin-certificates-course-archived",
                    &[("title", Arg::from(c.title.as_str()))],
                )
            } else {
                c.title.clone()
            };
            (c.id.to_string(), label)
        })
        .collect()
}

/// `name=value&` pairs of the filters that are set, for links that keep them.
fn filter_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}&", encode_query_value(value)))
        .collect()
}

// ---- The register -------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct RegisterQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    page: String,
}

pub struct RegisterRow {
    pub href: String,
    pub serial: String,
    pub teacher: String,
    pub teacher_email: String,
    pub course: String,
    pub hours: String,
    pub issued_iso: String,
    pub issued: String,
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "admin/certificates.html")]
pub struct RegisterPage {
    pub ctx: Ctx,
    pub form: RegisterQuery,
    pub statuses: Vec<(&'static str, String)>,
    pub courses: Vec<(String, String)>,
    pub rows: Vec<RegisterRow>,
    pub summary: String,
    pub caption: String,
    pub filtered: bool,
    pub pagination: Pagination,
}

pub async fn register(
    req: HttpRequest,
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let raw: RegisterQuery = lenient_query(&req);
    let courses = run(&state.pool, models::issuable_courses).await?;
    let text = raw.q.trim().to_owned();
    let status = StatusFilter::parse(&raw.status);
    let course_id = raw
        .course
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|id| courses.iter().any(|c| c.id == *id));
    // The form shows back only what was understood, so the address and the results agree.
    let form = RegisterQuery {
        q: text.clone(),
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        course: course_id.map(|id| id.to_string()).unwrap_or_default(),
        page: String::new(),
    };
    let filter = RegisterFilter {
        pattern: (!text.is_empty()).then(|| crate::db::contains_pattern(&text)),
        revoked: status.map(|s| s == StatusFilter::Revoked),
        course_id,
    };
    let requested = raw.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let (entries, total) = run(&state.pool, move |conn| {
        models::register(conn, &filter, requested, REGISTER_PAGE_SIZE)
    })
    .await?;
    let total_pages = page_count(total, REGISTER_PAGE_SIZE);
    let page = requested.min(total_pages);
    let rows = entries
        .into_iter()
        .map(|entry| {
            let c = entry.certificate;
            let status = status_of(&c);
            RegisterRow {
                href: format!("/admin/certificates/{}", c.serial),
                teacher: c.teacher_name,
                teacher_email: entry.teacher_email,
                course: c.course_title,
                hours: hours(lang, c.hours),
                issued_iso: c.issued_at.format("%Y-%m-%d").to_string(),
                issued: lang.date(c.issued_at.date()),
                status: status.as_str(),
                status_label: lang.t(status.label_key()),
                serial: c.serial,
            }
        })
        .collect();
    let base_query = filter_query(&[
        ("q", &form.q),
        ("status", &form.status),
        ("course", &form.course),
    ]);
    let page_view = RegisterPage {
        statuses: StatusFilter::ALL
            .iter()
            .map(|s| (s.as_str(), lang.t(s.label_key())))
            .collect(),
        courses: course_options(lang, &courses),
        rows,
        summary: lang.t_args("admin-certificates-count", &[("count", Arg::from(total))]),
        caption: lang.t_args(
            "admin-certificates-caption",
            &[("page", Arg::from(page)), ("pages", Arg::from(total_pages))],
        ),
        filtered: !base_query.is_empty(),
        pagination: paginate(lang, "/admin/certificates", &base_query, page, total_pages),
        form,
        ctx,
    };
    render(&page_view)
}

// ---- The review queue ---------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct QueueQuery {
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    page: String,
    /// After issuing: how many were issued, and how many already had one.
    #[serde(default)]
    issued: String,
    #[serde(default)]
    already: String,
}

#[derive(Deserialize, Default)]
pub struct QueueForm {
    /// The ticked enrolments (a repeated field).
    #[serde(default)]
    pub enrolment: Vec<String>,
    /// The filters the list was shown with, to come back to them.
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub page: String,
}

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
}

#[derive(Template)]
#[template(path = "admin/certificates_queue.html")]
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

/// The queue's filters as understood: (course id, region), unknown values dropped.
fn queue_filter(
    course: &str,
    region: &str,
    courses: &[models::CourseChoice],
    regions: &[RegionChoice],
) -> (Option<i32>, Option<RegionChoice>) {
    let course_id = course
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|id| courses.iter().any(|c| c.id == *id));
    let region = regions
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(region.trim()))
        .map(|r| RegionChoice {
            code: r.code.clone(),
            name: r.name.clone(),
            id: r.id,
        });
    (course_id, region)
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
    let QueueShown {
        course,
        region,
        page: requested_page,
        checked,
        errors,
        notice,
    } = shown;
    let (courses, all) = run(&state.pool, |conn| {
        Ok((models::issuable_courses(conn)?, all_regions(conn)?))
    })
    .await?;
    let regions = region_choices(&all, lang);
    let (course_id, region) = queue_filter(course, region, &courses, &regions);
    let filter = QueueFilter {
        course_id,
        region_id: region.as_ref().map(|r| r.id),
    };
    let requested = requested_page.trim().parse::<i64>().unwrap_or(1).max(1);
    let (awaiting, total) = run(&state.pool, move |conn| {
        models::queue(conn, &filter, requested, QUEUE_PAGE_SIZE)
    })
    .await?;
    let total_pages = page_count(total, QUEUE_PAGE_SIZE);
    let page = requested.min(total_pages);
    let rows = awaiting
        .into_iter()
        .enumerate()
        .map(|(i, a)| QueueRow {
            enrolment_id: a.enrolment_id,
            checkbox_id: if i == 0 {
                "enrolment".to_owned()
            } else {
                format!("enrolment-{}", a.enrolment_id)
            },
            checked: checked.contains(&a.enrolment_id),
            teacher_href: format!("/admin/users/{}", a.user_id),
            region: a
                .region_id
                .and_then(|id| all.iter().find(|r| r.id == id))
                .map(|r| r.name(lang))
                .unwrap_or_default(),
            mode: lang.t(if a.certificate_mode == "automatic" {
                "admin-certificates-mode-automatic"
            } else {
                "admin-certificates-mode-reviewed"
            }),
            completed_iso: a
                .completed_at
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            completed: a
                .completed_at
                .map(|d| lang.date(d.date()))
                .unwrap_or_default(),
            teacher: a.teacher_name,
            teacher_email: a.teacher_email,
            course: a.course_title,
        })
        .collect();
    let course = course_id.map(|id| id.to_string()).unwrap_or_default();
    let region = region.map(|r| r.code).unwrap_or_default();
    let base_query = filter_query(&[("course", &course), ("region", &region)]);
    Ok(QueuePage {
        courses: course_options(lang, &courses),
        regions,
        rows,
        summary: lang.t_args(
            "admin-certificates-queue-count",
            &[("count", Arg::from(total))],
        ),
        caption: lang.t_args(
            "admin-certificates-queue-caption",
            &[("page", Arg::from(page)), ("pages", Arg::from(total_pages))],
        ),
        filtered: !base_query.is_empty(),
        pagination: paginate(
            lang,
            "/admin/certificates/queue",
            &base_query,
            page,
            total_pages,
        ),
        course,
        region,
        page,
        errors,
        notice,
        ctx,
    })
}

/// "3 certificates issued." (and how many already had one), after a redirect.
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

pub async fn issue_queued(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<QueueForm>,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let mut errors = FormErrors::default();
    let ids = parse_ids(&form.enrolment);
    let ticked: HashSet<i32> = ids.iter().flatten().copied().collect();
    match ids {
        None => errors.add(
            "enrolment",
            lang.t("admin-certificates-error-selection-invalid"),
        ),
        Some(ids) if ids.is_empty() => errors.add(
            "enrolment",
            lang.t("admin-certificates-error-nothing-selected"),
        ),
        Some(ids) => {
            let admin_id = admin.id;
            let base_url = state.settings.base_url.clone();
            let outcome = run(&state.pool, move |conn| {
                models::issue_selected(
                    conn,
                    &ids,
                    IssueBy {
                        admin: Some(admin_id),
                        // A review of a completion on the platform: the completion is the reason.
                        reason: None,
                        now: now(),
                        base_url: &base_url,
                    },
                )
            })
            .await?;
            match outcome {
                Reviewed::Done { issued, existing } => {
                    tracing::info!(admin_id, issued, existing, "reviewed certificates issued");
                    let query = filter_query(&[
                        ("course", form.course.trim()),
                        ("region", form.region.trim()),
                    ]);
                    return Ok(see_other(format!(
                        "/admin/certificates/queue?{query}issued={issued}&already={existing}"
                    )));
                }
                Reviewed::Refused(refused) => errors.add(
                    "enrolment",
                    lang.t_args(
                        "admin-certificates-error-selection-refused",
                        &[("count", Arg::from(refused.len() as i64))],
                    ),
                ),
            }
        }
    }
    let shown = QueueShown {
        course: &form.course,
        region: &form.region,
        page: &form.page,
        checked: ticked,
        errors,
        notice: None,
    };
    let page = queue_page(ctx, &state, shown).await?;
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

// ---- Manual issuance ----------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct ManualForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub completed_on: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Template)]
#[template(path = "admin/certificates_form.html")]
pub struct ManualPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub form: ManualForm,
    pub courses: Vec<(String, String)>,
    pub today: String,
}

impl ManualPage {
    fn new(
        ctx: Ctx,
        courses: &[models::CourseChoice],
        form: ManualForm,
        errors: FormErrors,
    ) -> Self {
        Self {
            courses: course_options(ctx.lang, courses),
            today: today_in_kazakhstan().format("%Y-%m-%d").to_string(),
            ctx,
            errors,
            form,
        }
    }
}

pub async fn new_form(
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let courses = run(&state.pool, models::issuable_courses).await?;
    render(&ManualPage::new(
        ctx,
        &courses,
        ManualForm::default(),
        FormErrors::default(),
    ))
}

pub async fn create(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<ManualForm>,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let mut errors = FormErrors::default();
    let email = match Email::parse(&form.email) {
        Ok(email) => Some(email),
        Err(_) if form.email.trim().is_empty() => {
            errors.add("email", lang.t("admin-certificates-error-email-missing"));
            None
        }
        Err(_) => {
            errors.add("email", lang.t("admin-certificates-error-email-invalid"));
            None
        }
    };
    let lookup = email.as_ref().map(|e| e.as_str().to_owned());
    let (courses, account) = run(&state.pool, move |conn| {
        let account = match lookup {
            Some(email) => models::account_by_email(conn, &email)?,
            None => None,
        };
        Ok((models::issuable_courses(conn)?, account))
    })
    .await?;
    let teacher = match (&email, account) {
        (None, _) => None,
        (Some(_), None) => {
            errors.add("email", lang.t("admin-certificates-error-email-unknown"));
            None
        }
        (Some(_), Some(account)) if account.role != "teacher" => {
            errors.add(
                "email",
                lang.t("admin-certificates-error-email-not-teacher"),
            );
            None
        }
        (Some(_), Some(account)) => Some(account),
    };
    let course = form
        .course
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(|id| courses.iter().find(|c| c.id == id).cloned());
    if course.is_none() {
        errors.add("course", lang.t("admin-certificates-error-course"));
    }
    let completed_on = parse_completion_date(&form.completed_on, today_in_kazakhstan())
        .map_err(|key| errors.add("completed_on", lang.t(key)))
        .ok();
    let reason = parse_reason(&form.reason)
        .map_err(|key| errors.add("reason", lang.t(key)))
        .ok();
    let (Some(teacher), Some(course), Some(completed_on), Some(reason)) =
        (teacher, course, completed_on, reason)
    else {
        let page = ManualPage::new(ctx, &courses, form, errors);
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };

    let admin_id = admin.id;
    let base_url = state.settings.base_url.clone();
    let (teacher_id, course_id) = (teacher.id, course.id);
    let completed_at = completed_on.and_time(NaiveTime::MIN);
    let outcome = run(&state.pool, move |conn| {
        models::issue_for_outside_completion(
            conn,
            teacher_id,
            course_id,
            completed_at,
            IssueBy {
                admin: Some(admin_id),
                reason: Some(&reason),
                now: now(),
                base_url: &base_url,
            },
        )
    })
    .await?;
    match outcome {
        Manual::Issued(certificate) => {
            tracing::info!(
                admin_id,
                serial = %certificate.serial,
                "certificate issued for a completion outside the platform"
            );
            Ok(see_other(format!(
                "/admin/certificates/{}?done=issued",
                certificate.serial
            )))
        }
        Manual::AlreadyCertified(existing) => {
            errors.add(
                "course",
                lang.t_args(
                    "admin-certificates-error-already-certified",
                    &[
                        ("name", Arg::from(teacher.full_name.as_str())),
                        ("serial", Arg::from(existing.serial.as_str())),
                    ],
                ),
            );
            let page = ManualPage::new(ctx, &courses, form, errors);
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

// ---- A certificate ------------------------------------------------------------------------

/// Confirmations after a change (`?done=…`), each a translation key.
const DONE: &[(&str, &str)] = &[
    ("issued", "admin-certificates-done-issued"),
    ("revoked", "admin-certificates-done-revoked"),
    ("reinstated", "admin-certificates-done-reinstated"),
    ("already-revoked", "admin-certificates-done-already-revoked"),
    ("not-revoked", "admin-certificates-done-not-revoked"),
];

pub struct CertificateView {
    pub serial: String,
    pub code: String,
    pub teacher: String,
    pub teacher_email: String,
    pub teacher_href: String,
    pub course: String,
    pub hours: String,
    pub issued_iso: String,
    pub issued: String,
    pub issued_by: String,
    pub issue_reason: String,
    pub revoked: bool,
    pub status: &'static str,
    pub status_label: String,
    pub revoked_iso: String,
    pub revoked_on: String,
    pub revoked_by: String,
    pub revocation_reason: String,
    pub pdf_href: String,
    pub credential_href: String,
    pub verify_href: String,
}

#[derive(Template)]
#[template(path = "admin/certificates_detail.html")]
pub struct DetailPage {
    pub ctx: Ctx,
    pub certificate: CertificateView,
    pub errors: FormErrors,
    /// The revocation reason as typed (kept when the form is refused).
    pub reason: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

#[derive(Deserialize, Default)]
pub struct RevokeForm {
    #[serde(default)]
    pub reason: String,
}

/// The certificate with this serial; 404 for anything else (without a query when the path
/// cannot be a serial).
async fn find(state: &AppState, serial: String) -> AppResult<Certificate> {
    if !models::is_serial(&serial) {
        return Err(AppError::NotFound);
    }
    run(&state.pool, move |conn| models::by_serial(conn, &serial))
        .await?
        .ok_or(AppError::NotFound)
}

fn person(lang: Lang, people: &models::PeopleById, id: Option<i32>) -> String {
    match id.and_then(|id| people.get(&id)) {
        Some((name, email)) => lang.t_args(
            "admin-certificates-person",
            &[
                ("name", Arg::from(name.as_str())),
                ("email", Arg::from(email.as_str())),
            ],
        ),
        None => String::new(),
    }
}

async fn detail_page(
    ctx: Ctx,
    state: &AppState,
    certificate: Certificate,
    errors: FormErrors,
    reason: String,
) -> AppResult<DetailPage> {
    let lang = ctx.lang;
    let ids: Vec<i32> = [
        Some(certificate.user_id),
        certificate.issued_by,
        certificate.revoked_by,
    ]
    .into_iter()
    .flatten()
    .collect();
    let people = run(&state.pool, move |conn| models::people(conn, ids)).await?;
    let c = certificate;
    let status = status_of(&c);
    let view = CertificateView {
        code: c.display_code(),
        teacher_email: people
            .get(&c.user_id)
            .map(|(_, email)| email.clone())
            .unwrap_or_default(),
        teacher_href: format!("/admin/users/{}", c.user_id),
        hours: hours(lang, c.hours),
        issued_iso: c.issued_at.format("%Y-%m-%d").to_string(),
        issued: lang.date(c.issued_at.date()),
        issued_by: match c.issued_by {
            None => lang.t("admin-certificates-issued-automatically"),
            Some(_) => person(lang, &people, c.issued_by),
        },
        issue_reason: c.issue_reason.clone().unwrap_or_default(),
        revoked: c.is_revoked(),
        status: status.as_str(),
        status_label: lang.t(status.label_key()),
        revoked_iso: c
            .revoked_at
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        revoked_on: c
            .revoked_at
            .map(|d| lang.date(d.date()))
            .unwrap_or_default(),
        revoked_by: person(lang, &people, c.revoked_by),
        revocation_reason: c.revocation_reason.clone().unwrap_or_default(),
        pdf_href: format!("/certificates/{}.pdf", c.serial),
        credential_href: format!("/certificates/{}/credential.jwt", c.serial),
        verify_href: c.verify_url(""),
        teacher: c.teacher_name,
        course: c.course_title,
        serial: c.serial,
    };
    Ok(DetailPage {
        ctx,
        certificate: view,
        errors,
        reason,
    })
}

fn back_to(serial: &str, done: &str) -> HttpResponse {
    see_other(format!("/admin/certificates/{serial}?done={done}"))
}

pub async fn detail(
    req: HttpRequest,
    Admin(_admin): Admin,
    mut ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let certificate = find(&state, path.into_inner()).await?;
    let query: DoneQuery = lenient_query(&req);
    if let Some((_, key)) = DONE.iter().find(|(name, _)| *name == query.done) {
        ctx.notice = Some(key);
    }
    let page = detail_page(
        ctx,
        &state,
        certificate,
        FormErrors::default(),
        String::new(),
    )
    .await?;
    render(&page)
}

pub async fn revoke(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    Posted(form): Posted<RevokeForm>,
) -> AppResult<HttpResponse> {
    let certificate = find(&state, path.into_inner()).await?;
    if certificate.is_revoked() {
        return Ok(back_to(&certificate.serial, "already-revoked"));
    }
    let reason = match parse_reason(&form.reason) {
        Ok(reason) => reason,
        Err(key) => {
            let mut errors = FormErrors::default();
            errors.add("reason", ctx.t(key));
            let page = detail_page(ctx, &state, certificate, errors, form.reason).await?;
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (id, admin_id) = (certificate.id, admin.id);
    let base_url = state.settings.base_url.clone();
    let revoked = run(&state.pool, move |conn| {
        models::revoke(conn, id, admin_id, &reason, now(), &base_url)
    })
    .await?;
    if revoked {
        tracing::info!(admin_id, serial = %certificate.serial, "certificate revoked");
    }
    Ok(back_to(
        &certificate.serial,
        if revoked {
            "revoked"
        } else {
            "already-revoked"
        },
    ))
}

pub async fn reinstate(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let certificate = find(&state, path.into_inner()).await?;
    let (id, admin_id) = (certificate.id, admin.id);
    let base_url = state.settings.base_url.clone();
    let reinstated = run(&state.pool, move |conn| {
        models::reinstate(conn, id, admin_id, &base_url)
    })
    .await?;
    if reinstated {
        tracing::info!(admin_id, serial = %certificate.serial, "certificate reinstated");
    }
    Ok(back_to(
        &certificate.serial,
        if reinstated {
            "reinstated"
        } else {
            "not-revoked"
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::catalogue_keys;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn reasons_are_required_trimmed_and_bounded() {
        assert_eq!(
            parse_reason("  Completed at the regional institute \r\n(order 12) "),
            Ok("Completed at the regional institute \n(order 12)".to_owned())
        );
        assert_eq!(
            parse_reason(" \n\t "),
            Err("admin-certificates-error-reason-missing")
        );
        assert!(parse_reason(&"я".repeat(REASON_MAX_CHARS)).is_ok());
        assert_eq!(
            parse_reason(&"я".repeat(REASON_MAX_CHARS + 1)),
            Err("admin-certificates-error-reason-too-long")
        );
        assert_eq!(
            parse_reason("bell\u{7}"),
            Err("admin-certificates-error-reason-invalid")
        );
    }

    #[test]
    fn completion_dates_are_between_2000_and_today() {
        let today = date(2025, 6, 1);
        assert_eq!(
            parse_completion_date(" 2025-05-31 ", today),
            Ok(date(2025, 5, 31))
        );
        assert_eq!(parse_completion_date("2025-06-01", today), Ok(today));
        assert_eq!(
            parse_completion_date("2000-01-01", today),
            Ok(date(2000, 1, 1))
        );
        assert_eq!(
            parse_completion_date("2025-06-02", today),
            Err("admin-certificates-error-date-future")
        );
        assert_eq!(
            parse_completion_date("1999-12-31", today),
            Err("admin-certificates-error-date-too-early")
        );
        assert_eq!(
            parse_completion_date("", today),
            Err("admin-certificates-error-date-missing")
        );
        for bad in ["31.05.2025", "2025-02-30", "yesterday"] {
            assert_eq!(
                parse_completion_date(bad, today),
                Err("admin-certificates-error-date-invalid"),
                "{bad}"
            );
        }
    }

    #[test]
    fn selections_are_positive_ids() {
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_ids(&values(&["3", " 12 "])), Some(vec![3, 12]));
        assert_eq!(parse_ids(&values(&[])), Some(vec![]));
        assert_eq!(parse_ids(&values(&["3", "x"])), None);
        assert_eq!(parse_ids(&values(&["0"])), None);
        assert_eq!(parse_ids(&values(&["99999999999"])), None);
    }

    #[test]
    fn statuses_round_trip() {
        for status in StatusFilter::ALL {
            assert_eq!(StatusFilter::parse(status.as_str()), Some(status));
        }
        assert_eq!(StatusFilter::parse("all"), None);
    }

    #[test]
    fn every_confirmation_and_status_is_translated() {
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for (_, key) in DONE {
                assert!(keys.contains(*key), "{lang} lacks {key}");
            }
            for status in StatusFilter::ALL {
                assert!(keys.contains(status.label_key()), "{lang} lacks {status:?}");
            }
        }
    }

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
