//! Structured logs to standard error; `RUST_LOG` sets the verbosity (default `info`). Each request
//! gets a span naming its client (the address `web::client` trusts, not a header anyone can send)
//! and its path with single-use links blanked out, so no log line holds a working link.

use std::borrow::Cow;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};
use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second call (tests) keeps the first subscriber.
    let _ = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// A path fit for the logs: every segment that looks like a link token (32 or more hex digits or
/// URL-safe characters after `/reset/`, `/confirm/` and the like) becomes `[redacted]`, and the
/// query string is left out (it may hold an address or a search).
pub fn loggable_path(path: &str) -> Cow<'_, str> {
    let path = path.split('?').next().unwrap_or(path);
    if !path.split('/').any(looks_secret) {
        return Cow::Borrowed(path);
    }
    let parts: Vec<&str> = path
        .split('/')
        .map(|segment| {
            if looks_secret(segment) {
                "[redacted]"
            } else {
                segment
            }
        })
        .collect();
    Cow::Owned(parts.join("/"))
}

/// Tokens are 64 hex digits; anything of 32 or more letters and digits with no other character is
/// treated as one (no page of the site has such a segment of its own).
fn looks_secret(segment: &str) -> bool {
    segment.len() >= 32
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The request span of `TracingLogger`: method, route, redacted path, trusted client address and
/// request id; the status is recorded at the end as the default builder does.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern().unwrap_or_else(|| "default".into());
        let client = crate::web::client::client_ip(request.request())
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %loggable_path(request.path()),
            http.client_ip = %client,
            request_id = %request_id,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn link_tokens_never_reach_the_logs() {
        let token = "ab".repeat(32);
        assert_eq!(
            loggable_path(&format!("/password/reset/{token}")),
            "/password/reset/[redacted]"
        );
        assert_eq!(
            loggable_path(&format!("/account/confirm/{token}?x=1")),
            "/account/confirm/[redacted]"
        );
        assert_eq!(loggable_path("/courses/12?page=2"), "/courses/12");
        assert_eq!(
            loggable_path("/verify/USTAZ-2025-000123"),
            "/verify/USTAZ-2025-000123"
        );
    }
}
