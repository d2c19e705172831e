//! Where a second factor is required, a signed-in coordinator or administrator without one (a
//! session from before it was required, or a teacher made staff while signed in) can use
//! nothing but the set-up page: every other page redirects there. Whether the user has a factor
//! comes with the session's own query (`CurrentUser::second_factor`): no query of its own.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};

use super::flow::SETUP_PATH;
use crate::state::AppState;
use crate::web::extractors::CurrentUser;

/// What such a user may still reach: the set-up itself, signing out, the language switch, the
/// public home page, static files and the health check.
fn open_without_factor(path: &str) -> bool {
    matches!(
        path,
        SETUP_PATH | "/" | "/logout" | "/language" | "/healthz"
    ) || path.starts_with("/static/")
}

pub async fn gate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let user = req.extensions().get::<CurrentUser>().cloned();
    let (Some(state), Some(user)) = (state, user) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    if !state.settings.staff_two_step.required_for(user.role) || open_without_factor(req.path()) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    if user.second_factor {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let path = crate::telemetry::loggable_path(req.path());
    tracing::info!(user_id = user.id, %path, "second factor to set up first");
    let redirect = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, SETUP_PATH))
        .finish();
    Ok(req.into_response(redirect).map_into_right_body())
}
