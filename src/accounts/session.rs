//! Who is signed in: a session JWT in an HttpOnly cookie, checked against the user's
//! `session_version` on every request, and the CSRF token bound to it.

use actix_web::body::MessageBody;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::configuration::Settings;
use crate::domain::Role;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extractors::{CsrfSeed, CurrentUser, SessionUnchecked};

use super::models::{session_user, SessionUser};

const AUDIENCE: &str = "ustaz";
const SESSION_TYP: &str = "session";
/// Sessions end 12 hours after sign-in, whatever the activity (absolute timeout).
pub const SESSION_HOURS: i64 = 12;

/// The CSRF seed's cookie: `__Host-` on https, like the session's, so a sibling subdomain cannot
/// plant one.
pub fn csrf_cookie_name(settings: &Settings) -> &'static str {
    if settings.is_https() {
        "__Host-ustaz_csrf"
    } else {
        "ustaz_csrf"
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
    let key = EncodingKey::from_secret(&settings.derived_key("ustaz session v1"));
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
    let key = DecodingKey::from_secret(&settings.derived_key("ustaz session v1"));
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

/// A redirect (Post/Redirect/Get) that also sets or removes the session cookie.
pub fn see_other_with(location: &str, cookie: Cookie<'static>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .cookie(cookie)
        .finish()
}

pub fn removal_cookie(settings: &Settings) -> Cookie<'static> {
    let mut cookie = session_cookie(settings, String::new());
    cookie.make_removal();
    cookie
}

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
        match signed_in_user(&state, cookie.value()).await {
            Ok(Some(user)) => {
                req.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(Check::Stale) => stale_session = true,
            Err(Check::Unavailable) => {
                req.extensions_mut().insert(SessionUnchecked);
            }
        }
    }
    let existing_seed = req
        .cookie(csrf_cookie_name(settings))
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let new_seed = existing_seed.is_none();
    let seed = existing_seed.unwrap_or_else(crate::accounts::tokens::random_token);
    req.extensions_mut().insert(CsrfSeed(seed.clone()));

    let mut res = next.call(req).await?;
    if new_seed {
        let cookie = Cookie::build(csrf_cookie_name(settings), seed)
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

/// Why a session cookie names nobody.
enum Check {
    /// It no longer holds: expired, forged, signed out elsewhere, disabled.
    Stale,
    /// It cannot be checked now (the database is unreachable): the cookie is kept.
    Unavailable,
}

/// The user the session token names, when it still holds; `Ok(None)` when the stored role is
/// unknown.
async fn signed_in_user(state: &AppState, token: &str) -> Result<Option<CurrentUser>, Check> {
    let claims = decode_session_token(&state.settings, token).ok_or(Check::Stale)?;
    let user_id: i32 = claims.sub.parse().unwrap_or(0);
    let pool = state.pool.clone();
    let loaded = web::block(move || -> anyhow::Result<Option<SessionUser>> {
        let mut conn = pool.get()?;
        let row = session_user(&mut conn, user_id);
        Ok(crate::db::checked(&mut conn, row)?)
    })
    .await;
    match loaded {
        Ok(Ok(Some(row))) if row.session_version == claims.sv && row.disabled_at.is_none() => {
            Ok(current_user(row))
        }
        Ok(Ok(_)) => Err(Check::Stale),
        Ok(Err(e)) => {
            tracing::warn!(cause = %format!("{e:#}"), "session could not be checked");
            Err(Check::Unavailable)
        }
        Err(e) => {
            tracing::warn!(cause = %e, "session check failed");
            Err(Check::Unavailable)
        }
    }
}

/// The user a session row describes; None when its stored role is not one this version knows.
fn current_user(row: SessionUser) -> Option<CurrentUser> {
    Some(CurrentUser {
        id: row.id,
        email: row.email,
        full_name: row.full_name,
        role: Role::parse(&row.role).ok()?,
        region_id: row.region_id,
        language: Lang::parse(&row.language).unwrap_or_default(),
        email_verified: row.email_verified_at.is_some(),
    })
}
