//! What the timeout warning asks: how long the session has left, and to stay signed in. Both
//! answer JSON, for the script in `static/js/session-timeout.js`.

use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use serde_json::json;

use crate::accounts::session::extend_session;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extractors::{NoFields, Posted, SessionTimeout, SessionUnchecked};

/// 401 with a JSON body (the error pages leave it as it is): nobody is signed in.
fn signed_out() -> HttpResponse {
    HttpResponse::Unauthorized().json(json!({ "signed_in": false, "seconds_left": 0 }))
}

/// 503 while the database cannot tell whether the browser's session holds (the script then asks
/// again rather than signing the user out).
fn unchecked(req: &HttpRequest) -> AppResult<()> {
    match req.extensions().get::<SessionUnchecked>() {
        Some(_) => Err(AppError::Unavailable(anyhow::anyhow!(
            "the session could not be checked"
        ))),
        None => Ok(()),
    }
}

/// `GET /session/status`: the seconds the session has left. Asking is not activity: it does
/// not extend the session.
pub async fn status(req: HttpRequest) -> AppResult<HttpResponse> {
    unchecked(&req)?;
    let seconds_left = req
        .extensions()
        .get::<SessionTimeout>()
        .map(|t| t.seconds_left);
    Ok(match seconds_left {
        Some(seconds_left) => {
            HttpResponse::Ok().json(json!({ "signed_in": true, "seconds_left": seconds_left }))
        }
        None => signed_out(),
    })
}

/// `POST /session/extend` ("Stay signed in"): the session counts as used now; a fresh cookie
/// and the seconds it then has.
pub async fn extend(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Result<Posted<NoFields>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    unchecked(&req)?;
    let Some((cookie, seconds_left)) = extend_session(&req, &state.settings) else {
        return Ok(signed_out());
    };
    // Signed in: now the form must carry the session's CSRF token.
    form?;
    Ok(HttpResponse::Ok()
        .cookie(cookie)
        .json(json!({ "signed_in": true, "seconds_left": seconds_left })))
}
