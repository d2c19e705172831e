//! One error type for handlers. Internal causes are logged, never shown: the error page (rendered
//! by `web::render_error_page` in the visitor's language) or the JSON error carries only the status.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

pub type AppResult<T> = Result<T, AppError>;

/// What a "temporarily unavailable" answer asks the client to wait before trying again.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// In a bare error response's extensions: the error page then says `{key}-title` and
/// `{key}-body` rather than its status's title and message.
#[derive(Debug, Clone, Copy)]
pub struct PageMessage(pub &'static str);

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    Unauthorized,
    /// Input that cannot be accepted; the message is a translation key.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    #[error("conflict")]
    Conflict,
    #[error("service unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// More of one kind of heavy work (password hashing) waiting than can be done shortly.
    #[error("busy")]
    Busy,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use crate::db::{is_unavailable, Transient};
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            // Still aborted after the retries of `db::transaction`: another write won.
            other if other.is_transient() => AppError::Conflict,
            other if is_unavailable(&other) => AppError::Unavailable(other.into()),
            other => AppError::Unexpected(other.into()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Unavailable(e.into())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Unexpected(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Unexpected(anyhow::anyhow!("template failed: {e}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Unavailable(_) | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A bare status: the error-page middleware fills in the page in the visitor's language.
    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Unexpected(cause) => {
                tracing::error!(cause = %format!("{cause:#}"), "internal error")
            }
            AppError::Unavailable(cause) => {
                tracing::warn!(cause = %format!("{cause:#}"), "service unavailable")
            }
            AppError::Forbidden => tracing::warn!("access denied"),
            AppError::Busy => tracing::warn!("busy: no turn to hash a password within the wait"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        if let AppError::Unavailable(_) | AppError::Busy = self {
            // Most outages are a restart: ask browsers and clients to come back shortly.
            response.insert_header((actix_web::http::header::RETRY_AFTER, RETRY_AFTER_SECONDS));
        }
        if let AppError::Busy = self {
            response.extensions_mut().insert(PageMessage("error-busy"));
        }
        response.finish()
    }
}
