//! What a handler extracts from a request: the signed-in user and their role, and a submitted
//! form whose CSRF token has been checked. The `sessions` middleware (accounts) puts the user and
//! the browser's CSRF seed in the request's extensions; everything here reads them.

use std::future::{ready, Ready};

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::Sha256;

use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

/// The signed-in user, as loaded for this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub region_id: Option<i32>,
    pub language: Lang,
    pub email_verified: bool,
    /// Whether the user has a second factor (an authenticator app) set up.
    pub second_factor: bool,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_teacher(&self) -> bool {
        self.role == Role::Teacher
    }

    /// Coordinators and administrators: they see the dashboards.
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Coordinator | Role::Admin)
    }
}

/// The random value behind this browser's CSRF tokens (the signed double-submit pattern).
#[derive(Debug, Clone)]
pub struct CsrfSeed(pub String);

/// The CSRF token for forms on this request's page: bound to the browser's seed and the session.
pub fn csrf_token(req: &HttpRequest) -> String {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return String::new();
    };
    let seed = req
        .extensions()
        .get::<CsrfSeed>()
        .map(|s| s.0.clone())
        .unwrap_or_default();
    let binding = match req.extensions().get::<CurrentUser>() {
        Some(user) => format!("user:{}", user.id),
        None => "anonymous".to_owned(),
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(&state.settings.derived_key("ustaz csrf v1"))
        .expect("HMAC takes any key length");
    mac.update(seed.as_bytes());
    mac.update(b"|");
    mac.update(binding.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn csrf_valid(req: &HttpRequest, submitted: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = csrf_token(req);
    !expected.is_empty() && expected.as_bytes().ct_eq(submitted.as_bytes()).into()
}

pub fn current_user(req: &HttpRequest) -> Option<CurrentUser> {
    req.extensions().get::<CurrentUser>().cloned()
}

/// Put in the extensions when the browser has a session the database could not check (it is
/// unreachable): pages that need the user answer "temporarily unavailable" rather than asking
/// a signed-in visitor to sign in again, and the cookie is kept for when the database is back.
#[derive(Debug, Clone, Copy)]
pub struct SessionUnchecked;

/// When the signed-in session ends without activity, as of this request (put in the extensions
/// by the `sessions` middleware): pages carry it for the warning before it runs out.
#[derive(Debug, Clone)]
pub struct SessionTimeout {
    /// Seconds until the session ends if the user does nothing more.
    pub seconds_left: i64,
    /// How long before the end the warning shows.
    pub warn_seconds: i64,
    /// Where a page goes when the time has run out: the sign-in page, saying why, then back.
    pub sign_in_url: String,
}

impl SessionTimeout {
    /// The warning's countdown sentences in `lang`, as (`data-` name, text): whole minutes while
    /// more than a minute is left (the warning shows at most two minutes before), then tens of
    /// seconds. Written here, so that each language's plural forms are right.
    pub fn countdown(&self, lang: &Lang) -> Vec<(String, String)> {
        let minutes = (1..=2).map(|n: i64| {
            let text = lang.t_args("session-warning-minutes", &[("minutes", n.into())]);
            (format!("m{n}"), text)
        });
        let seconds = (1..=5).map(|tens: i64| {
            let n = tens * 10;
            let text = lang.t_args("session-warning-seconds", &[("seconds", n.into())]);
            (format!("s{n}"), text)
        });
        minutes.chain(seconds).collect()
    }
}

/// Unauthorized, or unavailable when the visitor may well be signed in but it cannot be known.
fn not_signed_in(req: &HttpRequest) -> AppError {
    if req.extensions().get::<SessionUnchecked>().is_some() {
        AppError::Unavailable(anyhow::anyhow!("the session could not be checked"))
    } else {
        AppError::Unauthorized
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

/// The largest form body (urlencoded) the site reads, unless a route sets a larger
/// `web::PayloadConfig` for a form with long texts ([`long_text_form`]); more is answered 413
/// before it is read. File uploads have their own limit (`upload::MAX_UPLOAD_BYTES`).
pub const MAX_FORM_BYTES: usize = 256 * 1024;
/// Forms with long texts (a course's description, a lesson and its transcript: 100,000
/// characters each, up to six bytes a character once urlencoded).
pub const MAX_LONG_TEXT_FORM_BYTES: usize = 2 * 1024 * 1024;

/// The body limit of a route whose form holds long texts.
pub fn long_text_form() -> web::PayloadConfig {
    web::PayloadConfig::new(MAX_LONG_TEXT_FORM_BYTES)
}

/// A submitted form whose CSRF token has been checked (403 otherwise). Every POST handler takes
/// its input through this. Repeated fields (`a=1&a=2`) deserialize into a `Vec`.
pub struct Posted<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Posted<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let body = web::Bytes::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let body = body.await?;
            if req.extensions().get::<SessionUnchecked>().is_some() {
                return Err(not_signed_in(&req).into());
            }
            let token = serde_html_form::from_bytes::<CsrfField>(&body)
                .map(|f| f.csrf_token)
                .unwrap_or_default();
            if !csrf_valid(&req, &token) {
                tracing::warn!(path = %crate::telemetry::loggable_path(req.path()), "form refused: missing or wrong CSRF token");
                return Err(AppError::Forbidden.into());
            }
            serde_html_form::from_bytes::<T>(&body)
                .map(Posted)
                .map_err(|e| {
                    tracing::info!(path = %crate::telemetry::loggable_path(req.path()), error = %e, "form could not be read");
                    AppError::Invalid("error-form-unreadable").into()
                })
        })
    }
}

/// The body of a form that carries nothing but its CSRF token (`Posted<NoFields>`).
#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

/// Any signed-in user; anonymous visitors are sent to sign in.
pub struct SignedIn(pub CurrentUser);

/// An administrator.
pub struct Admin(pub CurrentUser);

/// A coordinator or an administrator.
pub struct Staff(pub CurrentUser);

/// A teacher (a learner).
pub struct Teacher(pub CurrentUser);

fn require(req: &HttpRequest, allowed: &[Role]) -> Result<CurrentUser, AppError> {
    let user = current_user(req).ok_or_else(|| not_signed_in(req))?;
    if allowed.contains(&user.role) {
        Ok(user)
    } else {
        tracing::warn!(user_id = user.id, role = %user.role, path = %crate::telemetry::loggable_path(req.path()), "access denied");
        Err(AppError::Forbidden)
    }
}

macro_rules! role_extractor {
    ($name:ident, $roles:expr) => {
        impl FromRequest for $name {
            type Error = AppError;
            type Future = Ready<Result<Self, AppError>>;

            fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
                ready(require(req, &$roles).map($name))
            }
        }
    };
}

role_extractor!(SignedIn, Role::ALL);
role_extractor!(Admin, [Role::Admin]);
role_extractor!(Staff, [Role::Coordinator, Role::Admin]);
role_extractor!(Teacher, [Role::Teacher]);
