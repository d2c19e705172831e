//! Who is signed in: a session JWT in an HttpOnly cookie, checked against the user's
//! `session_version` on every request, and the CSRF token bound to it.

use std::future::{ready, Ready};

use actix_web::body::MessageBody;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use chrono::{NaiveDateTime, Utc};
use futures_util::future::LocalBoxFuture;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::configuration::Settings;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::startup::AppState;

use super::models::{session_user, SessionUser};

const AUDIENCE: &str = "ustaz";
const SESSION_TYP: &str = "session";
/// Sessions end 12 hours after sign-in, whatever the activity (absolute timeout).
pub const SESSION_HOURS: i64 = 12;
const CSRF_COOKIE: &str = "ustaz_csrf";

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
}

impl CurrentUser {
    fn from_row(row: SessionUser) -> Option<Self> {
        Some(Self {
            id: row.id,
            email: row.email,
            full_name: row.full_name,
            role: Role::parse(&row.role).ok()?,
            region_id: row.region_id,
            language: Lang::parse(&row.language).unwrap_or_default(),
            email_verified: row.email_verified_at.is_some(),
        })
    }

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

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    role: String,
    sv: i32,
    typ: String,
    aud: String,
    iat: i64,
    exp: i64,
}

fn derived_key(settings: &Settings, purpose: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(settings.secret_key.bytes())
        .expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

pub fn session_cookie_name(settings: &Settings) -> &'static str {
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
    if settings.is_https() {
        "__Host-ustaz_session"
    } else {
        "ustaz_session"
    }
}

/// A signed session token for the user (HS256, pinned on decoding).
pub fn issue_session_token(
    settings: &Settings,
    user_id: i32,
    role: Role,
    session_version: i32,
) -> anyhow::Result<String> {
    let now = Utc::now().timestamp();
    let claims = Claims {
        sub: user_id.to_string(),
        role: role.as_str().to_owned(),
        sv: session_version,
        typ: SESSION_TYP.to_owned(),
        aud: AUDIENCE.to_owned(),
        iat: now,
        exp: now + SESSION_HOURS * 3600,
    };
    let key = EncodingKey::from_secret(&derived_key(settings, "ustaz session v1"));
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &key,
    )?)
}

fn decode_session_token(settings: &Settings, token: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "aud", "sub", "iat"]);
    validation.leeway = 0;
    let key = DecodingKey::from_secret(&derived_key(settings, "ustaz session v1"));
    let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .ok()?
        .claims;
    (claims.typ == SESSION_TYP).then_some(claims)
}

pub fn session_cookie(settings: &Settings, token: String) -> Cookie<'static> {
    Cookie::build(session_cookie_name(settings), token)
        .path("/")
        .http_only(true)
        .secure(settings.is_https())
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::hours(SESSION_HOURS))
        .finish()
}

pub fn removal_cookie(settings: &Settings) -> Cookie<'static> {
    let mut cookie = session_cookie(settings, String::new());
    cookie.make_removal();
    cookie
}

/// The random value behind this browser's CSRF tokens (the signed double-submit pattern).
#[derive(Debug, Clone)]
struct CsrfSeed(String);

/// Loads the signed-in user and the CSRF seed for every request; clears a session cookie that
/// no longer holds (expired, signed out elsewhere, disabled account).
pub async fn sessions(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    let settings = &state.settings;
    let mut stale_session = false;
    if let Some(cookie) = req.cookie(session_cookie_name(settings)) {
        match decode_session_token(settings, cookie.value()) {
            Some(claims) => {
                let user_id: i32 = claims.sub.parse().unwrap_or(0);
                let pool = state.pool.clone();
                let loaded = web::block(move || -> anyhow::Result<Option<SessionUser>> {
                    let mut conn = pool.get()?;
                    Ok(session_user(&mut conn, user_id)?)
                })
                .await;
                match loaded {
                    Ok(Ok(Some(row)))
                        if row.session_version == claims.sv && row.disabled_at.is_none() =>
                    {
                        if let Some(user) = CurrentUser::from_row(row) {
                            req.extensions_mut().insert(user);
                        }
                    }
                    Ok(Ok(_)) => stale_session = true,
                    Ok(Err(e)) => {
                        tracing::warn!(cause = %format!("{e:#}"), "session could not be checked")
                    }
                    Err(e) => tracing::warn!(cause = %e, "session check failed"),
                }
            }
            None => stale_session = true,
        }
    }
    let existing_seed = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let new_seed = existing_seed.is_none();
    let seed = existing_seed.unwrap_or_else(crate::accounts::tokens::random_token);
    req.extensions_mut().insert(CsrfSeed(seed.clone()));

    let mut res = next.call(req).await?;
    if new_seed {
        let cookie = Cookie::build(CSRF_COOKIE, seed)
            .path("/")
            .http_only(true)
            .secure(settings.is_https())
            .same_site(SameSite::Lax)
            .finish();
        let _ = res.response_mut().add_cookie(&cookie);
    }
    let session_set = res
        .response()
        .cookies()
        .any(|c| c.name() == session_cookie_name(settings));
    if stale_session && !session_set {
        let _ = res.response_mut().add_cookie(&removal_cookie(settings));
    }
    Ok(res)
}

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
    let mut mac = Hmac::<Sha256>::new_from_slice(&derived_key(&state.settings, "ustaz csrf v1"))
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

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
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
            let token = serde_html_form::from_bytes::<CsrfField>(&body)
                .map(|f| f.csrf_token)
                .unwrap_or_default();
            if !csrf_valid(&req, &token) {
                tracing::warn!(path = %req.path(), "form refused: missing or wrong CSRF token");
                return Err(AppError::Forbidden.into());
            }
            serde_html_form::from_bytes::<T>(&body)
                .map(Posted)
                .map_err(|e| {
                    tracing::info!(path = %req.path(), error = %e, "form could not be read");
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

fn require(req: &HttpRequest, allowed: &[Role]) -> Result<CurrentUser, AppError> {
    let user = current_user(req).ok_or(AppError::Unauthorized)?;
    if allowed.contains(&user.role) {
        Ok(user)
    } else {
        tracing::warn!(user_id = user.id, role = %user.role, path = %req.path(), "access denied");
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

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}
