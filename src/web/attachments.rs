//! A form with attached files (`multipart/form-data`): its text fields and every chosen file,
//! read within a body limit (a request announcing more is answered 413 before it is read, and
//! one that sends more is cut off at the limit), then its CSRF token checked (403 otherwise).
//! What the files are is for the area to decide; this only reads them.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use actix_multipart::Multipart;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;

use crate::error::AppError;
use crate::web::upload::{
    announced_length, csrf_matches, is_multipart, too_large, unless_stuck, unreadable, EndNoted,
};

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
}

async fn read_parts(
    req: HttpRequest,
    mut parts: Multipart,
    ended: Rc<Cell<bool>>,
) -> actix_web::Result<WithAttachments> {
    let mut form = WithAttachments::default();
    let mut budget = MAX_ATTACHED_BYTES;
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
        tracing::warn!(path = %crate::telemetry::loggable_path(req.path()), "upload refused: missing or wrong CSRF token");
        return Err(AppError::Forbidden.into());
    }
    Ok(form)
}

impl FromRequest for WithAttachments {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if !is_multipart(req) {
            let req = req.clone();
            return Box::pin(async move { Err(unreadable(&req, "not multipart/form-data")) });
        }
        if announced_length(req).is_some_and(|n| n > MAX_ATTACHED_BYTES) {
            return Box::pin(async { Err(too_large()) });
        }
        let ended = Rc::new(Cell::new(false));
        let body = EndNoted {
            body: payload.take(),
            ended: ended.clone(),
        };
        let parts = Multipart::new(req.headers(), body);
        Box::pin(read_parts(req.clone(), parts, ended))
    }
}
