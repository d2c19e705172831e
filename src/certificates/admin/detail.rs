//! `/admin/certificates/{serial}`: one certificate, with revocation and reinstatement.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::forms::{parse_reason, RevokeForm, StatusFilter};
use super::views::{hours, iso_date, person};
use crate::certificates::models::{self, Certificate, PeopleById};
use crate::certificates::ops;
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extractors::{Admin, NoFields, Posted};
use crate::web::{render, render_with_status, run, see_other, Ctx, FormErrors, Notices};

/// Confirmations after a change (`?done=…`), each a translation key.
pub const NOTICES: Notices = &[
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

impl CertificateView {
    fn new(lang: Lang, c: Certificate, people: &PeopleById) -> Self {
        let status = StatusFilter::of(&c);
        CertificateView {
            code: c.display_code(),
            teacher_email: people
                .get(&c.user_id)
                .map(|(_, email)| email.clone())
                .unwrap_or_default(),
            teacher_href: format!("/admin/users/{}", c.user_id),
            hours: hours(lang, c.hours),
            issued_iso: iso_date(c.issued_at),
            issued: lang.date(c.issued_at.date()),
            issued_by: match c.issued_by {
                None => lang.t("admin-certificates-issued-automatically"),
                Some(_) => person(lang, people, c.issued_by),
            },
            issue_reason: c.issue_reason.clone().unwrap_or_default(),
            revoked: c.is_revoked(),
            status: status.as_str(),
            status_label: lang.t(status.label_key()),
            revoked_iso: c.revoked_at.map(iso_date).unwrap_or_default(),
            revoked_on: c
                .revoked_at
                .map(|d| lang.date(d.date()))
                .unwrap_or_default(),
            revoked_by: person(lang, people, c.revoked_by),
            revocation_reason: c.revocation_reason.clone().unwrap_or_default(),
            pdf_href: c.pdf_url(""),
            credential_href: c.credential_url(""),
            verify_href: c.verify_url(""),
            teacher: c.teacher_name,
            course: c.course_title,
            serial: c.serial,
        }
    }
}

#[derive(Template)]
#[template(path = "certificates/admin/detail.html")]
pub struct DetailPage {
    pub ctx: Ctx,
    pub certificate: CertificateView,
    pub errors: FormErrors,
    /// The revocation reason as typed (kept when the form is refused).
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

async fn detail_page(
    ctx: Ctx,
    state: &AppState,
    certificate: Certificate,
    errors: FormErrors,
    reason: String,
) -> AppResult<DetailPage> {
    let ids: Vec<i32> = [
        Some(certificate.user_id),
        certificate.issued_by,
        certificate.revoked_by,
    ]
    .into_iter()
    .flatten()
    .collect();
    let people = run(&state.pool, move |conn| models::people(conn, ids)).await?;
    Ok(DetailPage {
        certificate: CertificateView::new(ctx.lang, certificate, &people),
        ctx,
        errors,
        reason,
    })
}

/// Back to the certificate, confirming `done` (one of `NOTICES`) if it changed, else `unchanged`.
fn back_to(serial: &str, changed: bool, done: &str, unchanged: &str) -> HttpResponse {
    let done = if changed { done } else { unchanged };
    see_other(format!("/admin/certificates/{serial}?done={done}"))
}

pub async fn detail(
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let certificate = find(&state, path.into_inner()).await?;
    let ctx = ctx.with_done(NOTICES);
    let no_errors = FormErrors::default();
    let page = detail_page(ctx, &state, certificate, no_errors, String::new()).await?;
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
        return Ok(back_to(&certificate.serial, false, "", "already-revoked"));
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
        ops::revoke(conn, id, admin_id, &reason, now(), &base_url)
    })
    .await?;
    if revoked {
        tracing::info!(admin_id, serial = %certificate.serial, "certificate revoked");
    }
    Ok(back_to(
        &certificate.serial,
        revoked,
        "revoked",
        "already-revoked",
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
        ops::reinstate(conn, id, admin_id, &base_url)
    })
    .await?;
    if reinstated {
        tracing::info!(admin_id, serial = %certificate.serial, "certificate reinstated");
    }
    Ok(back_to(
        &certificate.serial,
        reinstated,
        "reinstated",
        "not-revoked",
    ))
}

#[cfg(test)]
mod tests {
    use super::NOTICES;

    #[test]
    fn every_confirmation_is_translated() {
        crate::i18n::assert_translated(NOTICES.iter().map(|(_, key)| *key));
    }
}
