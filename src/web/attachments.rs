//! A form with attached files (`multipart/form-data`): its text fields and every chosen file,
//! read within a body limit (a request announcing more is answered 413 before it is read, and
//! one that sends more is cut off at the limit), then its CSRF token checked (403 otherwise).
//! What the files are is for the area to decide; this only reads them. The CSV imports read
//! their forms through it too (`upload::ImportSubmission`).

use std::cell::Cell;
use std::collections::HashMap;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_multipart::Multipart;
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use futures_util::{Stream, StreamExt};

use crate::error::AppError;
use crate::web::extractors::csrf_token;

/// The most a form with attachments may hold in all (files and text): 20 MB of files and a
/// margin for the text fields, part headers and boundaries.
pub const MAX_ATTACHED_BYTES: usize = 21 * 1024 * 1024;

/// One chosen file: its name as the browser sent it (untrusted) and its bytes.
#[derive(Debug, Clone)]
pub struct AttachedFile {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A submitted form with attachments whose CSRF token has been checked.
#[derive(Debug, Default)]
pub struct WithAttachments {
    fields: HashMap<String, String>,
    pub files: Vec<AttachedFile>,
}

impl WithAttachments {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// The text fields by name, and the files.
    pub fn into_parts(self) -> (HashMap<String, String>, Vec<AttachedFile>) {
        (self.fields, self.files)
    }
}

fn unreadable(req: &HttpRequest, error: impl std::fmt::Display) -> actix_web::Error {
    tracing::info!(path = %crate::telemetry::loggable_path(req.path()), %error, "form with files could not be read");
    AppError::Invalid("error-form-unreadable").into()
}

fn too_large() -> actix_web::Error {
    actix_web::error::InternalError::from_response(
        "upload too large",
        HttpResponse::PayloadTooLarge().finish(),
    )
    .into()
}

fn csrf_matches(req: &HttpRequest, submitted: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = csrf_token(req);
    !expected.is_empty() && expected.as_bytes().ct_eq(submitted.as_bytes()).into()
}

/// The body length the request announces, if it does.
fn announced_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

pub fn is_multipart(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// The request body as the multipart reader gets it, noting when it has ended.
struct EndNoted {
    body: Payload,
    ended: Rc<Cell<bool>>,
}

impl Stream for EndNoted {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let next = Pin::new(&mut this.body).poll_next(cx);
        if let Poll::Ready(None) = next {
            this.ended.set(true);
        }
        next
    }
}

/// `reading`, or None when it waits for more after the body has ended: the multipart reader
/// then waits forever (a body without its closing boundary), as nothing more can come.
async fn unless_stuck<T>(ended: &Cell<bool>, reading: impl Future<Output = T>) -> Option<T> {
    let mut reading = pin!(reading);
    poll_fn(|cx| match reading.as_mut().poll(cx) {
        Poll::Ready(done) => Poll::Ready(Some(done)),
        Poll::Pending if ended.get() => Poll::Ready(None),
        Poll::Pending => Poll::Pending,
    })
    .await
}

async fn read_parts(
    req: HttpRequest,
    mut parts: Multipart,
    ended: Rc<Cell<bool>>,
    mut budget: usize,
) -> actix_web::Result<WithAttachments> {
    let mut form = WithAttachments::default();
    let incomplete = || unreadable(&req, "the body ended before its closing boundary");
    while let Some(part) = unless_stuck(&ended, parts.next())
        .await
        .ok_or_else(incomplete)?
    {
        let mut part = part.map_err(|e| unreadable(&req, e))?;
        let read = unless_stuck(&ended, part.bytes(budget)).await;
        let bytes = match read.ok_or_else(incomplete)? {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) => return Err(unreadable(&req, e)),
            Err(_) => return Err(too_large()),
        };
        budget = budget.saturating_sub(bytes.len());
        let Some(name) = part.name().map(str::to_owned) else {
            continue;
        };
        let file_name = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        match file_name {
            // A file input left empty still sends a part, with an empty name and no bytes.
            Some(file_name) if file_name.is_empty() && bytes.is_empty() => {}
            Some(file_name) => form.files.push(AttachedFile {
                field: name,
                file_name,
                bytes: bytes.to_vec(),
            }),
            None => {
                let text = String::from_utf8(bytes.to_vec()).map_err(|e| unreadable(&req, e))?;
                form.fields.insert(name, text);
            }
        }
    }
    if !csrf_matches(&req, form.field("csrf_token")) {
        tracing::warn!(path = %crate::telemetry::loggable_path(req.path()), "form with files refused: missing or wrong CSRF token");
        return Err(AppError::Forbidden.into());
    }
    Ok(form)
}

/// Reads a multipart form: 413 when the request announces more than `announced` bytes (before
/// reading), or when its parts hold more than `content` bytes (reading stops there).
pub fn read_multipart(
    req: &HttpRequest,
    payload: &mut Payload,
    announced: usize,
    content: usize,
) -> LocalBoxFuture<'static, actix_web::Result<WithAttachments>> {
    if announced_length(req).is_some_and(|n| n > announced) {
        return Box::pin(async { Err(too_large()) });
    }
    let ended = Rc::new(Cell::new(false));
    let body = EndNoted {
        body: payload.take(),
        ended: ended.clone(),
    };
    let parts = Multipart::new(req.headers(), body);
    Box::pin(read_parts(req.clone(), parts, ended, content))
}

impl FromRequest for WithAttachments {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if !is_multipart(req) {
            let req = req.clone();
            return Box::pin(async move { Err(unreadable(&req, "not multipart/form-data")) });
        }
        read_multipart(req, payload, MAX_ATTACHED_BYTES, MAX_ATTACHED_BYTES)
    }
}
