//! What every page shares: the visitor's context, rendering, running queries off the async
//! executor, security headers and the translated error pages.

use std::future::{ready, Ready};

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::QueryResult;

use crate::accounts::session::{csrf_token, current_user, CurrentUser};
use crate::db::{AnyConnection, DbPool};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::startup::AppState;

/// The visitor's context, given to every page template as `ctx`.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// The path and query of this page, for the language switch to come back to.
    pub path: String,
    pub user: Option<CurrentUser>,
    pub csrf_token: String,
    /// A confirmation to show at the top of the page (a translation key from a fixed list).
    pub notice: Option<&'static str>,
}

/// Confirmations that a redirect may ask the next page to show (`?notice=…`).
const NOTICES: &[(&str, &str)] = &[
    ("signed-out", "notice-signed-out"),
    ("registered", "notice-registered"),
    ("email-confirmed", "notice-email-confirmed"),
    ("link-sent", "notice-link-sent"),
    ("password-reset", "notice-password-reset"),
    ("password-changed", "notice-password-changed"),
    ("account-saved", "notice-account-saved"),
];

impl Ctx {
    pub fn from_request(req: &HttpRequest) -> Self {
        let path = match req.uri().path_and_query() {
            Some(pq) => pq.as_str().to_owned(),
            None => "/".to_owned(),
        };
        let user = current_user(req);
        let lang = match &user {
            Some(u) => u.language,
            None => Lang::from_request(req),
        };
        let notice = web::Query::<NoticeQuery>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.notice.clone())
            .and_then(|n| {
                NOTICES
                    .iter()
                    .find(|(name, _)| *name == n)
                    .map(|(_, key)| *key)
            });
        Self {
            lang,
            path,
            user,
            csrf_token: csrf_token(req),
            notice,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn languages(&self) -> [Lang; 3] {
        Lang::ALL
    }
}

#[derive(serde::Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// Messages for a form's fields, shown in the error summary and next to each field.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        if self.get(field).is_none() {
            self.0.push((field, message));
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, String)> {
        self.0.iter()
    }
}

impl FromRequest for Ctx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(Ok(Ctx::from_request(req)))
    }
}

/// Renders a page with status 200.
pub fn render<T: Template>(page: &T) -> AppResult<HttpResponse> {
    render_with_status(page, StatusCode::OK)
}

pub fn render_with_status<T: Template>(page: &T, status: StatusCode) -> AppResult<HttpResponse> {
    let body = page.render()?;
    Ok(HttpResponse::build(status)
        .content_type(header::ContentType::html())
        .body(body))
}

/// Runs blocking diesel work on the blocking thread pool with a pooled connection.
pub async fn run<T, F>(pool: &DbPool, work: F) -> AppResult<T>
where
    F: FnOnce(&mut AnyConnection) -> QueryResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        work(&mut conn).map_err(AppError::from)
    })
    .await?
}

/// A path on this site only (`/…`, never `//host` or `/\host`): no open redirects.
pub fn local_path(candidate: &str) -> Option<&str> {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.starts_with("/\\")
        && !candidate.chars().any(|c| c.is_control());
    ok.then_some(candidate)
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Security headers on every response, and a same-origin check on every state-changing request
/// (browsers send `Sec-Fetch-Site`/`Origin`; a cross-site POST is refused before any handler runs).
pub async fn security(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let https = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.settings.is_https())
        .unwrap_or(false);
    if req.method() != Method::GET && req.method() != Method::HEAD && !same_origin(&req) {
        tracing::warn!(path = %req.path(), "cross-site request refused");
        let response = HttpResponse::Forbidden().finish();
        return Ok(req.into_response(response).map_into_right_body());
    }
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let defaults = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        // Pages depend on the visitor and change live; static files set their own.
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    Ok(res.map_into_left_body())
}

fn same_origin(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Not a browser form post (no Origin, no Fetch metadata): the CSRF token decides.
        return true;
    };
    let base = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.settings.base_url.clone())
        .unwrap_or_default();
    let host = req.connection_info().host().to_owned();
    origin == base || origin == format!("http://{host}") || origin == format!("https://{host}")
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    ctx: Ctx,
    status: u16,
    title: String,
    message: String,
}

/// Fills every bare error response (one without a body of its own) with a page in the site
/// layout, in the visitor's language; JSON endpoints get a JSON error.
pub fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    if res.headers().contains_key(header::CONTENT_TYPE) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    if status == StatusCode::UNAUTHORIZED && res.request().method() == Method::GET {
        // Pages that need a signed-in user send visitors to sign in, then back.
        let (req, _) = res.into_parts();
        let back = req
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/");
        let location = format!("/login?next={}", encode_query_value(back));
        let response = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish();
        return Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, response).map_into_right_body(),
        ));
    }
    let (req, original) = res.into_parts();
    let ctx = Ctx::from_request(&req);
    let family = match status.as_u16() {
        code @ (400 | 401 | 403 | 404 | 405 | 409 | 413 | 429 | 503) => code,
        code if code >= 500 => 500,
        _ => 400,
    };
    let title = ctx.t(&format!("error-{family}-title"));
    let message = ctx.t(&format!("error-{family}-body"));
    let mut response = if req.path().starts_with("/api/") || req.path() == "/healthz" {
        HttpResponse::build(status).json(serde_json::json!({ "error": title }))
    } else {
        let page = ErrorPage {
            ctx,
            status: status.as_u16(),
            title,
            message,
        };
        match page.render() {
            Ok(html) => HttpResponse::build(status)
                .content_type(header::ContentType::html())
                .body(html),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                HttpResponse::build(status).body(status.canonical_reason().unwrap_or("Error"))
            }
        }
    };
    // Keep headers the handler set (Allow, Retry-After, …).
    for (name, value) in original.headers() {
        if !response.headers().contains_key(name) {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let res = ServiceResponse::new(req, response.map_body(|_, b| BoxBody::new(b)));
    Ok(ErrorHandlerResponse::Response(res.map_into_right_body()))
}

/// Percent-encodes a value for a query string.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{encode_query_value, local_path};

    #[test]
    fn every_notice_and_role_is_translated() {
        use crate::i18n::{catalogue_keys, Lang};
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for (_, key) in super::NOTICES {
                assert!(keys.contains(*key), "{lang} lacks {key}");
            }
            for role in crate::domain::Role::ALL {
                assert!(
                    keys.contains(&format!("role-{role}")),
                    "{lang} lacks role-{role}"
                );
            }
        }
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode_query_value("/account?x=1&y=ä"),
            "/account%3Fx%3D1%26y%3D%C3%A4"
        );
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/courses?lang=ru"), Some("/courses?lang=ru"));
        assert_eq!(local_path("/"), Some("/"));
        assert_eq!(local_path("//evil.example"), None);
        assert_eq!(local_path("/\\evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path("/x\r\nSet-Cookie: a=b"), None);
        assert_eq!(local_path(""), None);
    }
}
