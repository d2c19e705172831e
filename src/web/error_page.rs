//! The translated error page that fills every bare error response.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::HttpResponse;
use askama::Template;

use super::{encode_query_value, Ctx};
use crate::error::PageMessage;

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    ctx: Ctx,
    status: u16,
    title: String,
    message: String,
}

/// Fills every bare error response (one without a body of its own) with a page in the site
/// layout, in the visitor's language; JSON endpoints get a JSON error.
pub fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    if res.headers().contains_key(header::CONTENT_TYPE) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    if status == StatusCode::UNAUTHORIZED && res.request().method() == Method::GET {
        // Pages that need a signed-in user send visitors to sign in, then back.
        let (req, _) = res.into_parts();
        let back = req
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/");
        let location = format!("/login?next={}", encode_query_value(back));
        let response = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish();
        return Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, response).map_into_right_body(),
        ));
    }
    let (req, original) = res.into_parts();
    let ctx = Ctx::from_request(&req);
    let family = match status.as_u16() {
        code @ (400 | 401 | 403 | 404 | 405 | 408 | 409 | 413 | 429 | 503) => code,
        code if code >= 500 => 500,
        _ => 400,
    };
    let key = match original.extensions().get::<PageMessage>() {
        Some(PageMessage(key)) => (*key).to_owned(),
        None => format!("error-{family}"),
    };
    let title = ctx.t(&format!("{key}-title"));
    let message = ctx.t(&format!("{key}-body"));
    let mut response = if req.path().starts_with("/api/") || req.path() == "/healthz" {
        HttpResponse::build(status).json(serde_json::json!({ "error": title }))
    } else {
        let page = ErrorPage {
            ctx,
            status: status.as_u16(),
            title,
            message,
        };
        match page.render() {
            Ok(html) => HttpResponse::build(status)
                .content_type(header::ContentType::html())
                .body(html),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                HttpResponse::build(status).body(status.canonical_reason().unwrap_or("Error"))
            }
        }
    };
    // Keep headers the handler set (Allow, Retry-After, …).
    for (name, value) in original.headers() {
        if !response.headers().contains_key(name) {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let res = ServiceResponse::new(req, response.map_body(|_, b| BoxBody::new(b)));
    Ok(ErrorHandlerResponse::Response(res.map_into_right_body()))
}
