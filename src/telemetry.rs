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

/// A path fit for the logs: every segment that looks like a link token (`redact_secrets`) becomes
/// `[redacted]`, and the query string is left out (it may hold an address or a search).
pub fn loggable_path(path: &str) -> Cow<'_, str> {
    redact_secrets(path.split('?').next().unwrap_or(path))
}

/// What stands for a secret in the logs and in stored records.
pub const REDACTED: &str = "[redacted]";

/// `text` with every run of 32 or more ASCII letters, digits, `-` and `_` replaced by
/// `[redacted]`: link tokens are 64 hex digits, and no page path, certificate number or
/// message of the site has such a run of its own. For log lines and for what is kept of a sent
/// email.
pub fn redact_secrets(text: &str) -> Cow<'_, str> {
    const LONGEST_KEPT: usize = 31;
    let is_token_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut kept = String::new();
    // `copied` is where the text not yet copied to `kept` begins.
    let (mut copied, mut run_start) = (0, None);
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() {
        match (
            bytes.get(i).copied().filter(|&b| is_token_byte(b)),
            run_start,
        ) {
            (Some(_), None) => run_start = Some(i),
            (None, Some(start)) => {
                run_start = None;
                if i - start > LONGEST_KEPT {
                    // Runs are of ASCII bytes, so `start` and `i` are character boundaries.
                    kept.push_str(&text[copied..start]);
                    kept.push_str(REDACTED);
                    copied = i;
                }
            }
            _ => {}
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    kept.push_str(&text[copied..]);
    Cow::Owned(kept)
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
    use super::{loggable_path, redact_secrets};

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

    #[test]
    fn secrets_in_text_are_blanked_and_the_rest_kept() {
        let token = "0123456789abcdef".repeat(4);
        let body = format!("Сәлем!\nhttps://ustaz.kz/password/reset/{token}\nСілтеме {token}.");
        assert_eq!(
            redact_secrets(&body),
            "Сәлем!\nhttps://ustaz.kz/password/reset/[redacted]\nСілтеме [redacted]."
        );
        let ordinary = "USTAZ-2025-000123 https://ustaz.kz/certificates/12/credential.jwt";
        assert!(matches!(
            redact_secrets(ordinary),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(redact_secrets(&"a".repeat(31)), "a".repeat(31));
        assert_eq!(redact_secrets(&"a".repeat(32)), "[redacted]");
        assert_eq!(redact_secrets(""), "");
    }
}
