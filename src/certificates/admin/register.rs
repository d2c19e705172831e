//! `/admin/certificates`: the register of issued certificates, searched and filtered.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::forms::{lenient_query, page_number, RegisterQuery, StatusFilter};
use super::views::{counted, course_options, hours, iso_date};
use crate::certificates::models::{self, RegisterEntry};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extractors::Admin;
use crate::web::pagination::{page_count, paginate, Pagination};
use crate::web::{render, run, Ctx};

pub const PAGE_SIZE: i64 = 50;

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

impl RegisterRow {
    fn new(lang: Lang, entry: RegisterEntry) -> Self {
        let c = entry.certificate;
        let status = StatusFilter::of(&c);
        RegisterRow {
            href: format!("/admin/certificates/{}", c.serial),
            teacher: c.teacher_name,
            teacher_email: entry.teacher_email,
            course: c.course_title,
            hours: hours(lang, c.hours),
            issued_iso: iso_date(c.issued_at),
            issued: lang.date(c.issued_at.date()),
            status: status.as_str(),
            status_label: lang.t(status.label_key()),
            serial: c.serial,
        }
    }
}

#[derive(Template)]
#[template(path = "certificates/admin/register.html")]
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
    let (form, filter) = raw.understood(&courses);
    let requested = page_number(&raw.page);
    let (entries, total) = run(&state.pool, move |conn| {
        models::register(conn, &filter, requested, PAGE_SIZE)
    })
    .await?;
    let total_pages = page_count(total, PAGE_SIZE);
    let page = requested.min(total_pages);
    let base_query = form.filters();
    let keys = ("admin-certificates-count", "admin-certificates-caption");
    let (summary, caption) = counted(lang, keys, total, page, total_pages);
    render(&RegisterPage {
        statuses: StatusFilter::ALL
            .iter()
            .map(|s| (s.as_str(), lang.t(s.label_key())))
            .collect(),
        courses: course_options(lang, &courses),
        rows: entries
            .into_iter()
            .map(|e| RegisterRow::new(lang, e))
            .collect(),
        summary,
        caption,
        filtered: !base_query.is_empty(),
        pagination: paginate(lang, "/admin/certificates", &base_query, page, total_pages),
        form,
        ctx,
    })
}
