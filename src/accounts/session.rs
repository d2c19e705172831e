//! Who is signed in: a session JWT in an HttpOnly cookie, checked against the user's
//! `session_version` on every request, and the CSRF token bound to it.
//!
//! A session ends 12 hours after sign-in (absolute), or sooner after the role's inactivity
//! timeout (`Settings::idle`). The token says when it was last used (`seen`), and this middleware
//! re-issues it as the user goes on, so every instance can tell with no shared memory.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::configuration::Settings;
use crate::domain::Role;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extractors::{CsrfSeed, CurrentUser, SessionTimeout, SessionUnchecked};
use crate::web::{encode_query_value, local_path};

use super::models::{session_user, SessionUser};

const AUDIENCE: &str = "ustaz";
const SESSION_TYP: &str = "session";
/// Sessions end 12 hours after sign-in, whatever the activity (absolute timeout).
pub const SESSION_HOURS: i64 = 12;
/// The warning before an inactivity timeout shows this long before the end (GOV.UK's two
/// minutes), or half-way through a shorter timeout.
const WARN_SECONDS: i64 = 120;
/// The token is re-issued when it was last issued this long ago (or a tenth of the timeout,
/// when that is shorter), not on every request.
const REFRESH_SECONDS: i64 = 60;
/// Asking how long is left is not activity: the warning asks it.
pub const STATUS_PATH: &str = "/session/status";

/// The CSRF seed's cookie: `__Host-` on https, like the session's, so a sibling subdomain cannot
/// plant one.
pub fn csrf_cookie_name(settings: &Settings) -> &'static str {
    if settings.is_https() {
        "__Host-ustaz_csrf"
    } else {
        "ustaz_csrf"
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    sub: String,
    role: String,
    sv: i32,
    typ: String,
    aud: String,
    iat: i64,
    exp: i64,
    /// When the session was last used (Unix seconds). Tokens issued before it existed count from
    /// their sign-in.
    #[serde(default)]
    seen: Option<i64>,
}

impl Claims {
    fn seen(&self) -> i64 {
        self.seen.unwrap_or(self.iat)
    }
}

pub fn session_cookie_name(settings: &Settings) -> &'static str {
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
    if settings.is_https() {
        "__Host-ustaz_session"
    } else {
        "ustaz_session"
    }
}

/// A signed session token for the user (HS256, pinned on decoding), signed in and used now.
pub fn issue_session_token(
    settings: &Settings,
    user_id: i32,
    role: Role,
    session_version: i32,
) -> anyhow::Result<String> {
    let now = Utc::now();
    issue_session_token_at(settings, user_id, role, session_version, now, now)
}

/// A session token signed in at `signed_in_at` and last used at `seen` (the absolute timeout
/// counts from the first, the inactivity timeout from the second).
pub fn issue_session_token_at(
    settings: &Settings,
    user_id: i32,
    role: Role,
    session_version: i32,
    signed_in_at: DateTime<Utc>,
    seen: DateTime<Utc>,
) -> anyhow::Result<String> {
    let iat = signed_in_at.timestamp();
    let claims = Claims {
        sub: user_id.to_string(),
        role: role.as_str().to_owned(),
        sv: session_version,
        typ: SESSION_TYP.to_owned(),
        aud: AUDIENCE.to_owned(),
        iat,
        exp: iat + SESSION_HOURS * 3600,
        seen: Some(seen.timestamp()),
    };
    encode_session_token(settings, &claims)
}

fn encode_session_token(settings: &Settings, claims: &Claims) -> anyhow::Result<String> {
    let key = EncodingKey::from_secret(&settings.derived_key("ustaz session v1"));
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
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
    cookie_lasting(settings, token, SESSION_HOURS * 3600)
}

fn cookie_lasting(settings: &Settings, token: String, seconds: i64) -> Cookie<'static> {
    Cookie::build(session_cookie_name(settings), token)
        .path("/")
        .http_only(true)
        .secure(settings.is_https())
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::seconds(seconds.max(0)))
        .finish()
}

/// The session's token used again at `now`: the same sign-in (so the same absolute end), a
/// new `seen`.
fn refreshed_cookie(settings: &Settings, claims: &Claims, now: i64) -> Option<Cookie<'static>> {
    let claims = Claims {
        seen: Some(now),
        ..claims.clone()
    };
    match encode_session_token(settings, &claims) {
        Ok(token) => Some(cookie_lasting(settings, token, claims.exp - now)),
        Err(e) => {
            tracing::error!(cause = %format!("{e:#}"), "session token could not be refreshed");
            None
        }
    }
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

/// The token of this request's session, for `extend_session`.
#[derive(Debug, Clone)]
struct ActiveSession(Claims);

/// This request's session used now ("Stay signed in"): the cookie to send back, and the seconds
/// the session then has. None when nobody is signed in.
pub fn extend_session(req: &HttpRequest, settings: &Settings) -> Option<(Cookie<'static>, i64)> {
    let claims = req.extensions().get::<ActiveSession>()?.0.clone();
    let role = req.extensions().get::<CurrentUser>()?.role;
    let now = Utc::now().timestamp();
    let cookie = refreshed_cookie(settings, &claims, now)?;
    Some((cookie, seconds_left(settings, role, &claims, now, now)))
}

/// Seconds until the session ends, last used at `seen`: the inactivity timeout, or the absolute
/// one when it comes first.
fn seconds_left(settings: &Settings, role: Role, claims: &Claims, seen: i64, now: i64) -> i64 {
    let idle_end = seen + settings.idle.minutes_for(role) * 60;
    idle_end.min(claims.exp) - now
}

/// Who a timeout notice speaks of, in the sign-in page's address (`/login?timeout=staff`).
fn timeout_group(role: Role) -> &'static str {
    if role.is_staff() {
        "staff"
    } else {
        Role::Teacher.as_str()
    }
}

/// The minutes of inactivity a sign-in page's `timeout=` speaks of: from the settings, never
/// from the address.
pub fn timed_out_minutes(settings: &Settings, group: &str) -> Option<i64> {
    match group {
        "staff" => Some(settings.idle.minutes_for(Role::Admin)),
        teacher if teacher == Role::Teacher.as_str() => {
            Some(settings.idle.minutes_for(Role::Teacher))
        }
        _ => None,
    }
}

/// The sign-in page saying the session timed out, coming back to `back` afterwards.
fn timed_out_sign_in(group: &str, back: Option<&str>) -> String {
    match back {
        Some(back) => format!("/login?timeout={group}&next={}", encode_query_value(back)),
        None => format!("/login?timeout={group}"),
    }
}

/// Static files and the health check neither need a session nor count as activity.
fn sessionless(path: &str) -> bool {
    path == "/healthz" || path.starts_with("/static/")
}

/// Where a request made with a session that has timed out goes: the sign-in page, saying so,
/// then back to the page (for a form, the page it was sent from). None for the sign-in form
/// itself and for what is not a page (JSON): those go on without a user.
fn timed_out_redirect(req: &ServiceRequest, settings: &Settings, role: Role) -> Option<String> {
    let path = req.path();
    if path == "/login" || path.starts_with("/session/") || path.starts_with("/api/") {
        return None;
    }
    let back = if req.method() == Method::GET || req.method() == Method::HEAD {
        req.uri().path_and_query().map(|pq| pq.as_str().to_owned())
    } else {
        req.headers()
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|referer| referer.strip_prefix(settings.base_url.as_str()))
            .and_then(local_path)
            .map(str::to_owned)
    };
    Some(timed_out_sign_in(timeout_group(role), back.as_deref()))
}

/// What becomes of the session cookie once the request is answered.
enum CookieAfter {
    Kept,
    /// Re-issued with the request's time as the last use.
    Refreshed(Claims),
    /// Removed: it no longer holds.
    Removed,
}

/// Loads the signed-in user and the CSRF seed for every request; clears a session cookie that
/// no longer holds (expired, timed out, signed out elsewhere, disabled account) and re-issues
/// one that is used again.
pub async fn sessions(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let state = match req.app_data::<web::Data<AppState>>().cloned() {
        Some(state) if !sessionless(req.path()) => state,
        _ => return Ok(next.call(req).await?.map_into_left_body()),
    };
    let settings = &state.settings;
    let now = Utc::now().timestamp();
    let (after, timed_out) = check_session(&req, &state, now).await;
    let seed_cookie = csrf_seed(&req, settings);

    if let Some(location) = timed_out.and_then(|role| timed_out_redirect(&req, settings, role)) {
        let mut response = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .cookie(removal_cookie(settings))
            .finish();
        if let Some(seed_cookie) = &seed_cookie {
            let _ = response.add_cookie(seed_cookie);
        }
        return Ok(req.into_response(response).map_into_right_body());
    }

    let mut res = next.call(req).await?;
    if let Some(seed_cookie) = &seed_cookie {
        let _ = res.response_mut().add_cookie(seed_cookie);
    }
    finish_session_cookie(res.response_mut(), settings, after, now);
    Ok(res.map_into_left_body())
}

/// Checks the session cookie (if any) and puts its user, claims and timer on the request: what
/// to do with the cookie afterwards, and the role whose session just timed out (if it did).
async fn check_session(
    req: &ServiceRequest,
    state: &AppState,
    now: i64,
) -> (CookieAfter, Option<Role>) {
    let settings = &state.settings;
    let Some(cookie) = req.cookie(session_cookie_name(settings)) else {
        return (CookieAfter::Kept, None);
    };
    match signed_in_user(state, cookie.value(), now).await {
        Ok(Some((user, claims))) => {
            let limit = settings.idle.minutes_for(user.role) * 60;
            let refresh = req.path() != STATUS_PATH
                && now - claims.seen() >= (limit / 10).min(REFRESH_SECONDS);
            let seen = if refresh { now } else { claims.seen() };
            let back = req.uri().path_and_query().map(|pq| pq.as_str().to_owned());
            req.extensions_mut().insert(SessionTimeout {
                seconds_left: seconds_left(settings, user.role, &claims, seen, now),
                warn_seconds: (limit / 2).min(WARN_SECONDS),
                sign_in_url: timed_out_sign_in(timeout_group(user.role), back.as_deref()),
            });
            let after = if refresh {
                CookieAfter::Refreshed(claims.clone())
            } else {
                CookieAfter::Kept
            };
            req.extensions_mut().insert(ActiveSession(claims));
            req.extensions_mut().insert(user);
            (after, None)
        }
        Ok(None) => (CookieAfter::Kept, None),
        Err(Check::Stale) => (CookieAfter::Removed, None),
        Err(Check::TimedOut(user_id, role)) => {
            tracing::info!(user_id, "session ended after inactivity");
            (CookieAfter::Removed, Some(role))
        }
        Err(Check::Unavailable) => {
            req.extensions_mut().insert(SessionUnchecked);
            (CookieAfter::Kept, None)
        }
    }
}

/// Puts the CSRF seed on the request: the browser's, or a new one whose cookie is returned to set.
fn csrf_seed(req: &ServiceRequest, settings: &Settings) -> Option<Cookie<'static>> {
    let existing_seed = req
        .cookie(csrf_cookie_name(settings))
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let new_seed = existing_seed.is_none();
    let seed = existing_seed.unwrap_or_else(crate::accounts::tokens::random_token);
    req.extensions_mut().insert(CsrfSeed(seed.clone()));
    new_seed.then(|| {
        Cookie::build(csrf_cookie_name(settings), seed)
            .path("/")
            .http_only(true)
            .secure(settings.is_https())
            .same_site(SameSite::Lax)
            .finish()
    })
}

/// Re-issues or removes the session cookie as the check decided, unless the handler set one.
fn finish_session_cookie(
    response: &mut HttpResponse<impl MessageBody>,
    settings: &Settings,
    after: CookieAfter,
    now: i64,
) {
    let session_set = response
        .cookies()
        .any(|c| c.name() == session_cookie_name(settings));
    if session_set {
        return;
    }
    let cookie = match after {
        CookieAfter::Kept => None,
        CookieAfter::Refreshed(claims) => refreshed_cookie(settings, &claims, now),
        CookieAfter::Removed => Some(removal_cookie(settings)),
    };
    if let Some(cookie) = cookie {
        let _ = response.add_cookie(&cookie);
    }
}

/// Why a session cookie names nobody.
enum Check {
    /// It no longer holds: expired, forged, signed out elsewhere, disabled.
    Stale,
    /// It was not used for longer than the role's inactivity timeout (the user's id and role).
    TimedOut(i32, Role),
    /// It cannot be checked now (the database is unreachable): the cookie is kept.
    Unavailable,
}

/// The user the session token names and the token, when it still holds at `now`; `Ok(None)`
/// when the stored role is unknown.
async fn signed_in_user(
    state: &AppState,
    token: &str,
    now: i64,
) -> Result<Option<(CurrentUser, Claims)>, Check> {
    let claims = decode_session_token(&state.settings, token)
        .filter(|claims| claims.exp > now)
        .ok_or(Check::Stale)?;
    let user_id: i32 = claims.sub.parse().unwrap_or(0);
    let pool = state.pool.clone();
    let loaded = web::block(move || -> anyhow::Result<Option<(SessionUser, bool)>> {
        let mut conn = pool.get()?;
        let row = session_user(&mut conn, user_id);
        Ok(crate::db::checked(&mut conn, row)?)
    })
    .await;
    match loaded {
        Ok(Ok(Some((row, second_factor))))
            if row.session_version == claims.sv && row.disabled_at.is_none() =>
        {
            let Some(user) = current_user(&row, second_factor) else {
                return Ok(None);
            };
            // The role as stored now decides (an administrator may have changed it).
            let limit = state.settings.idle.minutes_for(user.role) * 60;
            // Ended at the very second `seconds_left` reaches 0, as the warning counts.
            if now - claims.seen() >= limit {
                return Err(Check::TimedOut(user.id, user.role));
            }
            Ok(Some((user, claims)))
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
pub fn current_user(row: &SessionUser, second_factor: bool) -> Option<CurrentUser> {
    Some(CurrentUser {
        id: row.id,
        email: row.email.clone(),
        full_name: row.full_name.clone(),
        role: Role::parse(&row.role).ok()?,
        region_id: row.region_id,
        language: Lang::parse(&row.language).unwrap_or_default(),
        email_verified: row.email_verified_at.is_some(),
        second_factor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        let key = "7".repeat(64);
        let dir = tempfile::tempdir().expect("tempdir");
        Settings::from_lookup(|name| match name {
            "USTAZ_SECRET_KEY" => Some(key.clone()),
            "USTAZ_DATA_DIR" => Some(dir.path().to_string_lossy().into_owned()),
            _ => None,
        })
        .expect("settings")
    }

    #[test]
    fn a_token_keeps_its_sign_in_and_counts_idleness_from_its_last_use() {
        let settings = settings();
        let now = Utc::now();
        let signed_in = now - chrono::Duration::hours(3);
        let seen = now - chrono::Duration::minutes(4);
        let token =
            issue_session_token_at(&settings, 7, Role::Teacher, 2, signed_in, seen).expect("token");
        let claims = decode_session_token(&settings, &token).expect("valid");
        assert_eq!(claims.iat, signed_in.timestamp());
        assert_eq!(claims.exp, signed_in.timestamp() + SESSION_HOURS * 3600);
        assert_eq!(claims.seen(), seen.timestamp());
        let left = seconds_left(
            &settings,
            Role::Teacher,
            &claims,
            claims.seen(),
            now.timestamp(),
        );
        assert_eq!(left, 120 * 60 - 4 * 60);
        // Re-issued: used now, the same absolute end.
        let cookie = refreshed_cookie(&settings, &claims, now.timestamp()).expect("cookie");
        let again = decode_session_token(&settings, cookie.value()).expect("valid");
        assert_eq!((again.iat, again.exp), (claims.iat, claims.exp));
        assert_eq!(again.seen(), now.timestamp());
    }

    #[test]
    fn tokens_from_before_the_idle_timeout_count_from_their_sign_in() {
        let claims: Claims = serde_json::from_value(serde_json::json!({
            "sub": "1", "role": "admin", "sv": 1, "typ": "session", "aud": "ustaz",
            "iat": 1_000, "exp": 44_200,
        }))
        .expect("claims");
        assert_eq!(claims.seen(), 1_000);
    }

    #[test]
    fn the_absolute_end_caps_the_time_left() {
        let settings = settings();
        let now = Utc::now();
        let signed_in =
            now - chrono::Duration::hours(SESSION_HOURS) + chrono::Duration::seconds(90);
        let token =
            issue_session_token_at(&settings, 1, Role::Admin, 1, signed_in, now).expect("token");
        let claims = decode_session_token(&settings, &token).expect("valid");
        let left = seconds_left(
            &settings,
            Role::Admin,
            &claims,
            now.timestamp(),
            now.timestamp(),
        );
        assert_eq!(left, 90);
    }
}
