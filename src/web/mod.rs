//! The kit every page uses, importing no area: the visitor's context, rendering, running queries
//! off the async executor, redirects and notices, extractors, forms, pagination, downloads,
//! security headers and the translated error pages.

pub mod attachments;
pub mod client;
pub mod download;
pub mod error_page;
pub mod extractors;
pub mod forms;
pub mod pagination;
pub mod readiness;
pub mod requests;
pub mod security;
pub mod upload;

pub use forms::{submit, FormErrors, Submitted};

use std::future::{ready, Ready};

use actix_web::cookie::Cookie;
use actix_web::http::header::{self};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use diesel::QueryResult;

use crate::db::{AnyConnection, DbPool};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::extractors::{csrf_token, current_user, CurrentUser, SessionTimeout};

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
    /// For a signed-in user: when the session runs out without activity (the timeout warning).
    pub session_timeout: Option<SessionTimeout>,
}

/// Confirmations that a redirect may ask the next page to show (`?notice=…`).
const NOTICES: &[(&str, &str)] = &[
    ("signed-out", "notice-signed-out"),
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
            session_timeout: req.extensions().get::<SessionTimeout>().cloned(),
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
    done: Option<String>,
}

/// The confirmations an area's pages may show after its redirects (`?done=<name>`), as
/// (name in the URL, translation key).
pub type Notices = &'static [(&'static str, &'static str)];

impl Ctx {
    /// Shows the confirmation that `?done=` names, when `notices` lists it (anything else in
    /// the address is ignored, so a link cannot make a page say what it did not do).
    pub fn with_done(mut self, notices: Notices) -> Self {
        let done = web::Query::<NoticeQuery>::from_query(self.query())
            .ok()
            .and_then(|q| q.into_inner().done);
        if let Some(done) = done {
            if let Some((_, key)) = notices.iter().find(|(name, _)| *name == done) {
                self.notice = Some(key);
            }
        }
        self
    }

    fn query(&self) -> &str {
        self.path.split_once('?').map_or("", |(_, query)| query)
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
        let result = work(&mut conn);
        crate::db::checked(&mut conn, result).map_err(AppError::from)
    })
    .await?
}

/// The answer to a successful form post: go to `location` (Post/Redirect/Get).
pub fn see_other(location: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.into()))
        .finish()
}

/// A redirect (Post/Redirect/Get) that sets `cookies`.
pub fn see_other_setting(location: &str, cookies: &[Cookie<'static>]) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, location));
    for cookie in cookies {
        response.cookie(cookie.clone());
    }
    response.finish()
}

/// A page answered with `cookies` set.
pub fn with_cookies(
    mut response: HttpResponse,
    cookies: &[Cookie<'static>],
) -> AppResult<HttpResponse> {
    for cookie in cookies {
        response
            .add_cookie(cookie)
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("cookie: {e}")))?;
    }
    Ok(response)
}

/// A path on this site only (`/…`, never `//host` or `/\host`): no open redirects.
pub fn local_path(candidate: &str) -> Option<&str> {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.starts_with("/\\")
        && !candidate.chars().any(|c| c.is_control());
    ok.then_some(candidate)
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
        let roles = crate::domain::Role::ALL.iter().map(|role| role.label_key());
        crate::i18n::assert_translated(super::NOTICES.iter().map(|(_, key)| *key).chain(roles));
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
