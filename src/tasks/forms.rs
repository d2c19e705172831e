//! A task's forms: the teacher's submission (text and files, each file recognised by its
//! content) and the reviewer's decision (a score per criterion, feedback, pass or return).

use std::io::{Cursor, Read};

use sha2::{Digest, Sha256};

use super::models::NewFile;
use crate::courses::models::Criterion;
use crate::i18n::{Arg, Lang};
use crate::web::attachments::WithAttachments;
use crate::web::forms::multi_line;

pub const MAX_FILES: usize = 5;
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The ids of the submission form's fields (the error summary links to them).
pub const BODY_FIELD: &str = "task-body";
pub const FILES_FIELD: &str = "task-files";

/// (id of the field in error, message), as the error summary lists them.
pub type Errors = Vec<(String, String)>;

/// A valid submission: the text (perhaps empty) and the recognised files.
#[derive(Debug, Clone)]
pub struct SubmitTask {
    pub body: String,
    pub files: Vec<NewFile>,
}

// ---- What a file is, by its content -----------------------------------------------------------

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const ODT: &str = "application/vnd.oasis.opendocument.text";

/// The type of a file this form accepts, recognised by its content alone (never its name or
/// what the browser said): PDF, PNG, JPEG, WebP, GIF by signature, DOCX and ODT by the entries
/// of their ZIP container. None for anything else.
pub fn recognise(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        return office_document(bytes);
    }
    let kind = infer::get(bytes)?;
    [
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/webp",
        "image/gif",
    ]
    .into_iter()
    .find(|accepted| *accepted == kind.mime_type())
}

/// DOCX (`[Content_Types].xml` and `word/document.xml`) or ODT (a `mimetype` entry naming it).
fn office_document(bytes: &[u8]) -> Option<&'static str> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |archive: &zip::ZipArchive<_>, name: &str| archive.index_for_name(name).is_some();
    if has(&archive, "[Content_Types].xml") && has(&archive, "word/document.xml") {
        return Some(DOCX);
    }
    let mut mimetype = String::new();
    // The ODF specification stores `mimetype` first and uncompressed.
    archive
        .by_name("mimetype")
        .ok()?
        .take(100)
        .read_to_string(&mut mimetype)
        .ok()?;
    (mimetype.trim() == ODT).then_some(ODT)
}

/// The name a browser sent, fit to show: the last path segment, no control characters, at most
/// 150 characters; "file" when nothing is left.
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(150).collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "file".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn with_name(lang: Lang, key: &str, name: &str) -> String {
    lang.t_args(key, &[("name", Arg::from(name))])
}

/// The files as a list of stored files, or the first problem with them.
fn parse_files(lang: Lang, form: &WithAttachments) -> Result<Vec<NewFile>, String> {
    let files: Vec<_> = form.files.iter().filter(|f| f.field == "files").collect();
    if files.len() > MAX_FILES {
        return Err(lang.t_args(
            "task-error-too-many-files",
            &[("max", Arg::from(MAX_FILES as i64))],
        ));
    }
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    if total > MAX_TOTAL_BYTES {
        return Err(lang.t("task-error-too-large-in-all"));
    }
    let mut stored = Vec::new();
    for file in files {
        let name = display_name(&file.file_name);
        if file.bytes.is_empty() {
            return Err(with_name(lang, "task-error-file-empty", &name));
        }
        if file.bytes.len() > MAX_FILE_BYTES {
            return Err(with_name(lang, "task-error-file-too-large", &name));
        }
        let Some(content_type) = recognise(&file.bytes) else {
            tracing::info!(
                size = file.bytes.len(),
                "task file refused: type not accepted"
            );
            return Err(with_name(lang, "task-error-file-type", &name));
        };
        stored.push(NewFile {
            file_name: name,
            content_type,
            sha256: hex::encode(Sha256::digest(&file.bytes)),
            content: file.bytes.clone(),
        });
    }
    Ok(stored)
}

/// The submission, or its errors: text or at least one file, the text within its length, every
/// file of an accepted type and within the limits.
pub fn parse_submission(lang: Lang, form: &WithAttachments) -> Result<SubmitTask, Errors> {
    let mut errors = Errors::new();
    let body = match multi_line(form.field("body")) {
        Ok(body) if body.chars().count() > MAX_TEXT_CHARS => {
            errors.push((
                BODY_FIELD.to_owned(),
                lang.t_args(
                    "task-error-text-too-long",
                    &[("max", Arg::from(lang.number(MAX_TEXT_CHARS as i64)))],
                ),
            ));
            String::new()
        }
        Ok(body) => body,
        Err(key) => {
            errors.push((BODY_FIELD.to_owned(), lang.t(key)));
            String::new()
        }
    };
    let files = parse_files(lang, form).unwrap_or_else(|message| {
        errors.push((FILES_FIELD.to_owned(), message));
        Vec::new()
    });
    if errors.is_empty() && body.is_empty() && files.is_empty() {
        errors.push((BODY_FIELD.to_owned(), lang.t("task-error-empty")));
    }
    if errors.is_empty() {
        Ok(SubmitTask { body, files })
    } else {
        Err(errors)
    }
}

// ---- The reviewer's decision --------------------------------------------------------------

/// A valid decision on the submission shown at `version`.
#[derive(Debug, Clone)]
pub struct Decision {
    pub version: i32,
    pub pass: bool,
    /// (criterion id, score) for every criterion scored.
    pub scores: Vec<(i32, i32)>,
    pub feedback: String,
}

/// The form as posted, to show again with its errors.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    pub scores: Vec<(i32, String)>,
    pub feedback: String,
}

pub fn score_field(criterion_id: i32) -> String {
    format!("score-{criterion_id}")
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The decision, or the form as posted and its errors. A pass needs every criterion scored; a
/// return needs feedback; a score given is a whole number from 0 to the criterion's maximum.
pub fn parse_decision(
    lang: Lang,
    criteria: &[Criterion],
    fields: &[(String, String)],
) -> Result<Decision, (DecisionInput, Errors)> {
    let pass = value(fields, "decision") == "pass";
    let mut errors = Errors::new();
    let input = DecisionInput {
        scores: criteria
            .iter()
            .map(|c| (c.id, value(fields, &score_field(c.id)).trim().to_owned()))
            .collect(),
        feedback: value(fields, "feedback").to_owned(),
    };
    let mut scores = Vec::new();
    for (criterion, (_, raw)) in criteria.iter().zip(&input.scores) {
        let args = [
            ("criterion", Arg::from(criterion.title.as_str())),
            ("max", Arg::from(i64::from(criterion.max_score))),
        ];
        match raw.parse::<i32>() {
            Ok(score) if (0..=criterion.max_score).contains(&score) => {
                scores.push((criterion.id, score))
            }
            _ if raw.is_empty() && !pass => {}
            _ if raw.is_empty() => errors.push((
                score_field(criterion.id),
                lang.t_args("task-error-score-missing", &args),
            )),
            _ => errors.push((
                score_field(criterion.id),
                lang.t_args("task-error-score-range", &args),
            )),
        }
    }
    let feedback = match multi_line(&input.feedback) {
        Ok(feedback) if feedback.chars().count() > MAX_TEXT_CHARS => {
            errors.push((
                "feedback".to_owned(),
                lang.t("task-error-feedback-too-long"),
            ));
            String::new()
        }
        Ok(feedback) => feedback,
        Err(key) => {
            errors.push(("feedback".to_owned(), lang.t(key)));
            String::new()
        }
    };
    if !pass && feedback.is_empty() && errors.iter().all(|(f, _)| f != "feedback") {
        errors.push(("feedback".to_owned(), lang.t("task-error-feedback-missing")));
    }
    let version = value(fields, "version").parse().unwrap_or(0);
    if !errors.is_empty() {
        return Err((input, errors));
    }
    Ok(Decision {
        version,
        pass,
        scores,
        feedback,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content_not_name() {
        assert_eq!(recognise(b"%PDF-1.7\n%\xe2\xe3"), Some("application/pdf"));
        assert_eq!(
            recognise(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(recognise(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"), None);
        assert_eq!(recognise(b"MZ\x90\0\x03\0\0\0\x04\0\0\0"), None);
        assert_eq!(recognise(b"plain text"), None);
        assert_eq!(recognise(b""), None);
        assert_eq!(recognise(b"PK\x03\x04 not really a zip"), None);
    }

    #[test]
    fn names_are_cleaned_for_display() {
        assert_eq!(
            display_name("C:\\Users\\a\\План урока.pdf"),
            "План урока.pdf"
        );
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("a\r\nb.pdf"), "ab.pdf");
        assert_eq!(display_name("  "), "file");
    }
}
