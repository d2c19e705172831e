//! Security headers on every response, and the same-origin check on state-changing requests.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use crate::state::AppState;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Security headers on every response, and a same-origin check on every state-changing request
/// (browsers send `Sec-Fetch-Site`/`Origin`; a cross-site POST is refused before any handler runs).
pub async fn security(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let https = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.settings.is_https())
        .unwrap_or(false);
    let mut res = if req.method() != Method::GET
        && req.method() != Method::HEAD
        && !same_origin(&req)
    {
        tracing::warn!(path = %crate::telemetry::loggable_path(req.path()), "cross-site request refused");
        let response = HttpResponse::Forbidden().finish();
        req.into_response(response).map_into_right_body()
    } else {
        next.call(req).await?.map_into_left_body()
    };
    add_headers(res.headers_mut(), https);
    Ok(res)
}

/// The headers every answer carries (a refusal too), unless the handler set its own.
fn add_headers(headers: &mut HeaderMap, https: bool) {
    let defaults = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        // Pages depend on the visitor and change live; static files set their own.
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
}

fn same_origin(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Not a browser form post (no Origin, no Fetch metadata): the CSRF token decides.
        return true;
    };
    let base = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.settings.base_url.clone())
        .unwrap_or_default();
    // The Host header (a trusted proxy's X-Forwarded-Host): a browser cannot forge either.
    let Some(host) = crate::web::client::requested_host(req.request()) else {
        return origin == base;
    };
    origin == base || origin == format!("http://{host}") || origin == format!("https://{host}")
}
