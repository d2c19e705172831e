//! Until the schema is up to date (`serve` started while the database was unreachable), every
//! page answers the translated 503 page; static files and `/healthz` are served as usual.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};

use crate::error::AppError;
use crate::state::AppState;

pub async fn until_migrated(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let waiting = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| !state.migrated.is_done());
    let exempt = req.path() == "/healthz" || req.path().starts_with("/static/");
    if waiting && !exempt {
        let refused = AppError::Unavailable(anyhow::anyhow!("the database is not ready yet"));
        return Ok(req
            .into_response(refused.error_response())
            .map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}
