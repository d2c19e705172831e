//! What every request goes through before any handler, whatever the area: `HEAD` is answered as
//! `GET` without the body, an address holding control characters is refused, and a body has to
//! arrive within the timeouts (a stalled or trickling body is answered 408 and the connection
//! closed), so that bad input and slow clients cannot reach the handlers or hold connections.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::Method;
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::web::{self, Bytes};
use actix_web::{HttpMessage, HttpResponse};
use futures_util::Stream;
use tokio::time::{sleep_until, Instant, Sleep};

use super::error_page::render_error_page;
use crate::configuration::Timeouts;
use crate::error::PageMessage;
use crate::state::AppState;

/// The page refusing an address with control characters (`…-title`, `…-body` translations).
pub const ADDRESS_CONTROL_CHARACTERS: &str = "error-address-control-characters";

// ---- HEAD -----------------------------------------------------------------------------------

/// `HEAD` is routed as `GET`. The HTTP layer remembers that the request was `HEAD` and sends the
/// `GET` answer's status and headers (its `Content-Length` too) without the body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

// ---- Control characters in the address ------------------------------------------------------

/// Whether a path or query string, percent-decoded, holds a control character (NUL, a line
/// break, …): no page of the site takes one, and PostgreSQL cannot even compare text with NUL.
fn decodes_to_control(raw: &str) -> bool {
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(raw).collect();
    String::from_utf8_lossy(&bytes)
        .chars()
        .any(char::is_control)
}

/// Refuses (400, with a page saying why) a request whose path or query string holds control
/// characters, before any handler or database sees it.
pub async fn refuse_control_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let uri = req.uri();
    if decodes_to_control(uri.path()) || uri.query().is_some_and(decodes_to_control) {
        tracing::info!(path = %crate::telemetry::loggable_path(uri.path()), "address refused: it holds control characters");
        let mut response = HttpResponse::BadRequest().finish();
        response
            .extensions_mut()
            .insert(PageMessage(ADDRESS_CONTROL_CHARACTERS));
        return Ok(req.into_response(response).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

// ---- Body timeouts --------------------------------------------------------------------------

/// A request body read against its timeouts: each piece must come within `body_idle` of the
/// one before, and the whole body within `body_total` of the headers.
struct TimedBody {
    inner: Payload,
    idle: std::time::Duration,
    deadline: Instant,
    timer: Pin<Box<Sleep>>,
    expired: bool,
}

impl TimedBody {
    fn new(inner: Payload, timeouts: Timeouts) -> Self {
        let now = Instant::now();
        let deadline = now + timeouts.body_total;
        let first = deadline.min(now + timeouts.body_idle);
        Self {
            inner,
            idle: timeouts.body_idle,
            deadline,
            timer: Box::pin(sleep_until(first)),
            expired: false,
        }
    }

    fn timed_out() -> PayloadError {
        PayloadError::Io(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "the request body did not arrive in time",
        ))
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, PayloadError>>> {
        if self.expired {
            return Poll::Ready(Some(Err(Self::timed_out())));
        }
        // What has arrived is taken even after a deadline: only waiting is bounded.
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let next = self.deadline.min(Instant::now() + self.idle);
                self.timer.as_mut().reset(next);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Pending if self.timer.as_mut().poll(cx).is_ready() => {
                self.expired = true;
                Poll::Ready(Some(Err(Self::timed_out())))
            }
            other => other,
        }
    }
}

/// The handler's end of a [`TimedBody`]; the other end stays with the answer.
struct SharedBody(Rc<RefCell<TimedBody>>);

impl Stream for SharedBody {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.borrow_mut().poll_chunk(cx)
    }
}

/// An answer that holds the request body until it is sent. A body still arriving then (the
/// handler did not need it, or it timed out) makes the HTTP layer close the connection after
/// the answer (lingering `Timeouts::disconnect` for the client to read it) instead of reading
/// the rest of a chunked body, however slowly it comes.
struct HeldBody {
    answer: BoxBody,
    _request_body: Rc<RefCell<TimedBody>>,
}

impl MessageBody for HeldBody {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.answer.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().answer).poll_next(cx)
    }
}

/// Reads every request body against the timeouts ([`Timeouts`]); a body that does not arrive in
/// time is answered 408 with the translated page, and the connection is closed.
pub async fn body_timeouts(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let payload = req.take_payload();
    if matches!(payload, Payload::None) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let timeouts = req
        .app_data::<web::Data<AppState>>()
        .map_or(Timeouts::DEFAULT, |state| state.settings.timeouts);
    let body = Rc::new(RefCell::new(TimedBody::new(payload, timeouts)));
    let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(SharedBody(body.clone()));
    req.set_payload(Payload::from(stream));
    let res = next.call(req).await?;
    let expired = body.borrow().expired;
    let res = if expired {
        let (req, _) = res.into_parts();
        tracing::info!(path = %crate::telemetry::loggable_path(req.path()), "request body timed out");
        let bare = ServiceResponse::new(req, HttpResponse::RequestTimeout().finish());
        match render_error_page(bare)? {
            ErrorHandlerResponse::Response(page) => page.map_into_boxed_body(),
            ErrorHandlerResponse::Future(page) => page.await?.map_into_boxed_body(),
        }
    } else {
        res.map_into_boxed_body()
    };
    Ok(res.map_body(|_, answer| {
        BoxBody::new(HeldBody {
            answer,
            _request_body: body,
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::decodes_to_control;

    #[test]
    fn control_characters_are_found_however_encoded() {
        for bad in [
            "/courses/%00",
            "q=a%0Ab",
            "q=%1b%5B",
            "/x%7F",
            "q=%C2%85",
            "q=%c2%9b",
        ] {
            assert!(decodes_to_control(bad), "{bad}");
        }
        for good in [
            "/courses/intro-1",
            "q=%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D1%96%D0%BC",
            "q=a+b&status=stalled",
            "q=100%25",
            "q=%2500",
            "q=%FF",
        ] {
            assert!(!decodes_to_control(good), "{good}");
        }
    }
}
