//! Teachers' and public certificate pages: my certificates, the PDF, the signed credential, the
//! issuer's public keys and verification.
//!
//! Who may read what: `/certificates` lists the signed-in user's own certificates; the PDF and
//! the credential of one certificate go to its teacher, the coordinator of the teacher's region
//! and administrators (`policy::may_read_certificate`); the verification pages, the status document and the
//! key set are public, and the verification look-ups are rate-limited per client address.

use std::future::{ready, Ready};

use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde_json::json;

use super::credential::{self, CredentialInput};
use super::forms::{shown_back, CodeQuery};
use super::models::{self as m, Certificate};
use super::pdf::{self, CertificateDoc};
use crate::courses::models as courses;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::policy::may_read_certificate;
use crate::state::AppState;
use crate::telemetry::loggable_path;
use crate::web::client::client_ip;
use crate::web::extractors::{CurrentUser, SignedIn};
use crate::web::{render, render_with_status, run, see_other, Ctx, FormErrors};

fn hours_text(lang: Lang, hours: i32) -> String {
    lang.t_args("cert-hours", &[("hours", Arg::from(i64::from(hours)))])
}

/// When and why a certificate was revoked, as shown to people.
pub struct Revocation {
    pub on: String,
    pub reason: String,
}

fn revocation(lang: Lang, certificate: &Certificate) -> Option<Revocation> {
    certificate.revoked_at.map(|at| Revocation {
        on: lang.date(at.date()),
        reason: certificate
            .revocation_reason
            .clone()
            .unwrap_or_default()
            .trim()
            .to_owned(),
    })
}

// ---- My certificates --------------------------------------------------------------------------

pub struct CertificateView {
    pub serial: String,
    pub course_title: String,
    pub hours: String,
    pub issued_on: String,
    pub revoked: Option<Revocation>,
    pub pdf_href: String,
    pub credential_href: String,
    /// The public page to share, absolute (it leaves the site).
    pub verify_url: String,
    /// The verification code as printed: four groups of five.
    pub code: String,
}

#[derive(Template)]
#[template(path = "certificates/list.html")]
pub struct MyCertificatesPage {
    pub ctx: Ctx,
    pub certificates: Vec<CertificateView>,
}

/// `/certificates`: the signed-in user's own certificates, valid and revoked. Any role may
/// hold certificates (a teacher appointed coordinator keeps theirs), so any signed-in user gets
/// the page; most staff see the empty state.
pub async fn my_certificates(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let held = run(&state.pool, move |conn| m::of_user(conn, user.id)).await?;
    let lang = ctx.lang;
    let base_url = &state.settings.base_url;
    let certificates = held
        .iter()
        .map(|c| CertificateView {
            serial: c.serial.clone(),
            course_title: c.course_title.clone(),
            hours: hours_text(lang, c.hours),
            issued_on: lang.date(c.issued_at.date()),
            revoked: revocation(lang, c),
            pdf_href: c.pdf_url(""),
            credential_href: c.credential_url(""),
            verify_url: c.verify_url(base_url),
            code: c.display_code(),
        })
        .collect();
    render(&MyCertificatesPage { ctx, certificates })
}

// ---- One certificate's files ------------------------------------------------------------------

/// The certificate named by a path's serial, if this user may read it: anonymous visitors are
/// sent to sign in before anything is looked up; an unknown serial is a 404, someone else's a
/// 403 (logged).
async fn readable(state: &AppState, user: CurrentUser, serial: String) -> AppResult<Certificate> {
    if !m::is_serial(&serial) {
        return Err(AppError::NotFound);
    }
    let (certificate, region) = run(&state.pool, move |conn| {
        let Some(certificate) = m::by_serial(conn, &serial)? else {
            return Ok(None);
        };
        let region = m::teacher_region(conn, certificate.user_id)?;
        Ok(Some((certificate, region)))
    })
    .await?
    .ok_or(AppError::NotFound)?;
    if !may_read_certificate(&user, certificate.user_id, region) {
        tracing::warn!(user_id = user.id, role = %user.role, serial = %certificate.serial,
            "certificate refused: not the teacher's, their coordinator's or an administrator's");
        return Err(AppError::Forbidden);
    }
    Ok(certificate)
}

/// `/certificates/{serial}.pdf`: the A4 certificate, labelled in the viewer's language.
pub async fn certificate_pdf(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let certificate = readable(&state, user, path.into_inner()).await?;
    let verify_url = certificate.verify_url(&state.settings.base_url);
    let lang = ctx.lang;
    let serial = certificate.serial.clone();
    // Shaping text and drawing the QR code is CPU work: off the async executor.
    let bytes = web::block(move || {
        pdf::render(&CertificateDoc {
            lang,
            teacher_name: &certificate.teacher_name,
            course_title: &certificate.course_title,
            hours: certificate.hours,
            issued_on: certificate.issued_at.date(),
            serial: &certificate.serial,
            issuer: m::ISSUER,
            verify_url: &verify_url,
        })
    })
    .await?
    .map_err(|e| AppError::Unexpected(anyhow::Error::new(e).context("rendering the PDF")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{serial}.pdf\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// `/certificates/{serial}/credential.jwt`: the Open Badges 3.0 credential as a VC-JWT.
pub async fn certificate_credential(
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let certificate = readable(&state, user, path.into_inner()).await?;
    let course_id = certificate.course_id;
    let course = run(&state.pool, move |conn| {
        courses::course_by_id(conn, course_id)
    })
    .await?;
    let base_url = &state.settings.base_url;
    let token = state
        .settings
        .credential_key
        .sign(&CredentialInput {
            base_url,
            issuer_name: m::ISSUER,
            serial: &certificate.serial,
            verification_code: &certificate.verification_code,
            teacher_name: &certificate.teacher_name,
            course_slug: &course.slug,
            // The title and hours as certified, not as the course reads now.
            course_title: &certificate.course_title,
            course_summary: &course.summary,
            hours: certificate.hours,
            language: &course.language,
            issued_at: certificate.issued_at,
        })
        .map_err(AppError::Unexpected)?;
    Ok(HttpResponse::Ok()
        // VC-JOSE-COSE §6.1.1: a credential secured with JOSE is `application/vc+jwt`.
        .content_type("application/vc+jwt")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.jwt\"", certificate.serial),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(token))
}

/// `/.well-known/jwks.json`: the public key that verifies the credentials. Public and
/// readable from other origins (verifiers fetch it from their own pages).
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    let keys = state.settings.credential_key.jwks(&state.settings.base_url);
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(keys)
}

// ---- Verification -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "certificates/verify_form.html")]
pub struct VerifyFormPage {
    pub ctx: Ctx,
    pub code: String,
    pub errors: FormErrors,
}

/// `/verify`: the form, and `?code=…` from it: a well-formed code goes to its page, anything
/// else comes back with a message (422).
pub async fn verify_form(ctx: Ctx, _: VerifyQuota, req: HttpRequest) -> AppResult<HttpResponse> {
    let (code, error) = match CodeQuery::parse(req.query_string()) {
        CodeQuery::Code(code) => return Ok(see_other(verify_path(&code))),
        CodeQuery::Blank => (String::new(), None),
        CodeQuery::Invalid { typed, error } => (typed, Some(error)),
    };
    let mut errors = FormErrors::default();
    let status = match error {
        Some(key) => {
            errors.add("code", ctx.t(key));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        None => StatusCode::OK,
    };
    render_with_status(&VerifyFormPage { ctx, code, errors }, status)
}

fn verify_path(code: &str) -> String {
    format!("/verify/{code}")
}

/// Where a code typed another way lives for good (so shared links all look the same).
fn moved_to(location: String) -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, location))
        .finish()
}

#[derive(Template)]
#[template(path = "certificates/verify.html")]
pub struct VerifyPage {
    pub ctx: Ctx,
    /// Only what the certificate itself shows: never an email address or an IIN.
    pub teacher_name: String,
    pub course_title: String,
    pub hours: String,
    pub issued_on: String,
    pub serial: String,
    pub issuer: &'static str,
    pub code: String,
    /// When it was revoked, if it was: the public never sees why (the reason is about a person;
    /// the teacher's own page and the administrators' show it).
    pub revoked_on: Option<String>,
    pub status_href: String,
}

#[derive(Template)]
#[template(path = "certificates/verify_not_found.html")]
pub struct VerifyNotFoundPage {
    pub ctx: Ctx,
    /// What was asked for, to correct in the form.
    pub code: String,
    pub errors: FormErrors,
}

/// `/verify/{code}`: the public answer for one code. Codes typed in another case or with dashes
/// are sent to the canonical address (301), so shared links all look the same.
pub async fn verify(
    ctx: Ctx,
    _: VerifyQuota,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let asked = path.into_inner();
    let not_found = |ctx: Ctx, asked: &str| {
        render_with_status(
            &VerifyNotFoundPage {
                ctx,
                code: shown_back(asked),
                errors: FormErrors::default(),
            },
            StatusCode::NOT_FOUND,
        )
    };
    let Some(code) = m::normalize_code(&asked) else {
        return not_found(ctx, &asked);
    };
    if code != asked {
        return Ok(moved_to(verify_path(&code)));
    }
    let lookup = code.clone();
    let Some(certificate) = run(&state.pool, move |conn| m::by_code(conn, &lookup)).await? else {
        return not_found(ctx, &m::display_code(&code));
    };
    let lang = ctx.lang;
    render(&VerifyPage {
        teacher_name: certificate.teacher_name.clone(),
        course_title: certificate.course_title.clone(),
        hours: hours_text(lang, certificate.hours),
        issued_on: lang.date(certificate.issued_at.date()),
        serial: certificate.serial.clone(),
        issuer: m::ISSUER,
        code: certificate.display_code(),
        revoked_on: certificate.revoked_at.map(|at| lang.date(at.date())),
        status_href: format!("{}/status", verify_path(&code)),
        ctx,
    })
}

/// `/verify/{code}/status`: the credential's revocation status (1EdTech Revocation List), for
/// verifiers; public, readable from other origins, never cached for long.
pub async fn verify_status(
    _: VerifyQuota,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let found = match m::normalize_code(&path.into_inner()) {
        Some(code) => run(&state.pool, move |conn| m::by_code(conn, &code)).await?,
        None => None,
    };
    let Some(certificate) = found else {
        return Ok(HttpResponse::NotFound()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .json(json!({ "error": "no certificate has this verification code" })));
    };
    let status = credential::revocation_status(
        &state.settings.base_url,
        &certificate.verification_code,
        certificate.revoked_at,
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(status))
}

// ---- Rate limit of the verification look-ups --------------------------------------------------

/// A verification look-up allowed for this client address (429 with `Retry-After` otherwise).
///
/// The limit is `super::limits::VerifyLimiter`'s, per client address (`web::client`: the TCP
/// peer unless it is a trusted proxy).
pub struct VerifyQuota;

#[derive(Debug, thiserror::Error)]
#[error("verification look-ups rate-limited; retry after {retry_after} s")]
pub struct RateLimited {
    retry_after: u64,
    json: bool,
}

impl ResponseError for RateLimited {
    fn status_code(&self) -> StatusCode {
        StatusCode::TOO_MANY_REQUESTS
    }

    /// The status JSON answers in JSON; pages get a bare 429 that the error-page middleware
    /// fills in the visitor's language (keeping `Retry-After`).
    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::TooManyRequests();
        response.insert_header((header::RETRY_AFTER, self.retry_after.to_string()));
        if self.json {
            response.json(json!({ "error": "too many requests", "retry_after": self.retry_after }))
        } else {
            response.finish()
        }
    }
}

impl FromRequest for VerifyQuota {
    type Error = RateLimited;
    type Future = Ready<Result<Self, RateLimited>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let (Some(state), Some(client)) = (req.app_data::<web::Data<AppState>>(), client_ip(req))
        else {
            return ready(Ok(VerifyQuota));
        };
        let outcome = state.verify_limiter.check(client);
        ready(match outcome {
            Ok(()) => Ok(VerifyQuota),
            Err(retry_after) => {
                tracing::info!(path = %loggable_path(req.path()), retry_after, "verification look-up rate-limited");
                Err(RateLimited {
                    retry_after,
                    json: req.path().ends_with("/status"),
                })
            }
        })
    }
}
