//! The sign-in between the password and the session: who the pending sign-in is (its cookie),
//! where the right password leads (the session, the code, or the set-up), and how the second
//! step ends (the session cookie issued, the pending one removed).

use actix_web::cookie::Cookie;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

use super::models::has_factor;
use super::{
    issue_pending, may_use, pending_cookie, pending_cookie_name, pending_removal, Keys,
    PENDING_MINUTES, SETUP_MINUTES,
};
use crate::accounts::models::{session_user, SessionUser};
use crate::accounts::session::{current_user, issue_session_token, session_cookie};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::{encode_query_value, local_path, run, see_other_setting, Ctx};

/// Where a user lands after signing in when no page asked for it.
pub const HOME: &str = "/account";
/// The second step's page, and the set-up's.
pub const CODE_PATH: &str = "/login/code";
pub const SETUP_PATH: &str = "/account/two-step/setup";

/// Where to go once signed in: `next` when it is a path on this site, else the home page.
pub fn target(next: &str) -> String {
    match local_path(next) {
        Some(path) if !path.is_empty() => path.to_owned(),
        _ => HOME.to_owned(),
    }
}

/// What follows the right password for an enabled account: the session at once (teachers,
/// and staff without a factor where it is optional), else the second step (with a factor) or
/// the set-up (without one, where it is required), holding only a pending sign-in.
pub async fn after_password(
    state: &AppState,
    user_id: i32,
    role: Role,
    session_version: i32,
    target: &str,
) -> AppResult<Onward> {
    let settings = &state.settings;
    let has = if may_use(role) {
        run(&state.pool, move |conn| has_factor(conn, user_id)).await?
    } else {
        false
    };
    let (path, minutes) = match (has, settings.staff_two_step.required_for(role)) {
        (true, _) => (CODE_PATH, PENDING_MINUTES),
        (false, true) => (SETUP_PATH, SETUP_MINUTES),
        (false, false) => {
            let token = issue_session_token(settings, user_id, role, session_version)?;
            tracing::info!(user_id, "signed in");
            return Ok(Onward {
                location: target.to_owned(),
                cookies: vec![session_cookie(settings, token)],
            });
        }
    };
    let token = issue_pending(&Keys::new(settings), user_id, session_version, minutes)?;
    tracing::info!(user_id, "password accepted, second step asked");
    let location = format!("{path}?next={}", encode_query_value(target));
    Ok(Onward {
        location,
        cookies: vec![pending_cookie(settings, token, minutes)],
    })
}

/// Where the browser goes next and the cookies it takes along (the pages answer with it).
pub struct Onward {
    pub location: String,
    pub cookies: Vec<Cookie<'static>>,
}

impl Onward {
    pub fn response(&self) -> HttpResponse {
        see_other_setting(&self.location, &self.cookies)
    }
}

/// The cookies that end the second step: the session, and the pending sign-in removed.
pub fn sign_in_cookies(state: &AppState, user: &SessionUser) -> AppResult<Vec<Cookie<'static>>> {
    let settings = &state.settings;
    let role = Role::parse(&user.role).map_err(|_| AppError::Forbidden)?;
    let token = issue_session_token(settings, user.id, role, user.session_version)?;
    Ok(vec![
        session_cookie(settings, token),
        pending_removal(settings),
    ])
}

/// Signed in: to `target` with the session cookie.
pub fn signed_in(state: &AppState, user: &SessionUser, target: &str) -> AppResult<Onward> {
    tracing::info!(user_id = user.id, "signed in with the second step");
    Ok(Onward {
        location: target.to_owned(),
        cookies: sign_in_cookies(state, user)?,
    })
}

/// The user of a valid pending sign-in on this request: right key and type, unexpired, the
/// account's session version unchanged (no sign-out everywhere, new password or reset since)
/// and the account enabled.
pub async fn pending_user(req: &HttpRequest, state: &AppState) -> AppResult<Option<SessionUser>> {
    let Some(cookie) = req.cookie(pending_cookie_name(&state.settings)) else {
        return Ok(None);
    };
    let Some(pending) = super::decode_pending(&Keys::new(&state.settings), cookie.value()) else {
        return Ok(None);
    };
    let Some(user_id) = pending.user_id() else {
        return Ok(None);
    };
    let user = run(&state.pool, move |conn| session_user(conn, user_id)).await?;
    Ok(user
        .map(|(user, _)| user)
        .filter(|u| u.session_version == pending.sv && u.disabled_at.is_none()))
}

/// The page's context as the user now signed in sees it (the header for a signed-in user, a
/// CSRF token bound to the new session), still in the language of the sign-in's pages. Only
/// the second step's end calls it: the user has a factor now.
pub fn signed_in_ctx(req: &HttpRequest, user: &SessionUser) -> Ctx {
    let lang = Lang::from_request(req);
    if let Some(user) = current_user(user, true) {
        req.extensions_mut().insert(user);
    }
    Ctx {
        lang,
        ..Ctx::from_request(req)
    }
}
