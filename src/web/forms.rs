//! What every form shares: the messages for its fields and the options of its selects, and the
//! one way an administration form is answered (`submit`).

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

use crate::error::AppResult;
use crate::i18n::Lang;
use crate::web::{render_with_status, see_other};

/// Messages for a form's fields, shown in the error summary and next to each field.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<(&'static str, String)>);

/// The field name of a message about the whole form: the summary shows it without a link.
const WHOLE_FORM: &str = "";

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        if self.get(field).is_none() {
            self.0.push((field, message));
        }
    }

    /// One message for one field.
    pub fn one(field: &'static str, message: String) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    /// "Someone else saved first": the form shows the record as it is now.
    pub fn stale(lang: Lang) -> Self {
        Self::one(WHOLE_FORM, lang.t("error-stale"))
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, String)> {
        self.0.iter()
    }
}

/// How saving a valid form `F` ended.
pub enum Submitted<F> {
    /// Saved: the page to go to (Post/Redirect/Get), e.g. `…?done=saved`.
    Done(String),
    /// Refused by what only the database knows (a name already taken …): the form again as
    /// posted, with these messages.
    Refused(FormErrors),
    /// The record changed after the form was opened (another save, an import, a status change, a
    /// reorder) and nothing was written: the form as the record is now.
    Stale(F),
}

/// An administration form's answer, written once: input that does not parse, or that `save`
/// refuses, gets the `page` back as posted with its messages (422); a stale save gets the page
/// with the record's current values and a message saying someone else saved first (409); a
/// save that is done goes to the next page (303).
pub async fn submit<F, C, P: Template>(
    lang: Lang,
    form: F,
    parsed: Result<C, FormErrors>,
    save: impl AsyncFnOnce(C) -> AppResult<Submitted<F>>,
    page: impl AsyncFnOnce(F, FormErrors) -> AppResult<P>,
) -> AppResult<HttpResponse> {
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let (shown, errors, status) = match parsed {
        Err(errors) => (form, errors, refused),
        Ok(command) => match save(command).await? {
            Submitted::Done(to) => return Ok(see_other(to)),
            Submitted::Refused(errors) => (form, errors, refused),
            Submitted::Stale(current) => (current, FormErrors::stale(lang), StatusCode::CONFLICT),
        },
    };
    render_with_status(&page(shown, errors).await?, status)
}

// ---- Typed text -----------------------------------------------------------------------------

pub use crate::domain::{has_control_characters, CONTROL_CHARACTERS};

/// One line of text as typed: trimmed, inner whitespace (tabs, line breaks) collapsed to single
/// spaces. NUL and the other control characters are refused ([`CONTROL_CHARACTERS`]).
pub fn one_line(raw: &str) -> Result<String, &'static str> {
    if has_control_characters(raw) {
        return Err(CONTROL_CHARACTERS);
    }
    Ok(raw.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Text of several lines as typed: trimmed, line breaks written as `\n`, tabs kept. NUL and the
/// other control characters are refused ([`CONTROL_CHARACTERS`]).
pub fn multi_line(raw: &str) -> Result<String, &'static str> {
    if has_control_characters(raw) {
        return Err(CONTROL_CHARACTERS);
    }
    Ok(raw.trim().replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_collapses_whitespace_and_refuses_control_characters() {
        assert_eq!(
            one_line("  School \t No.\r\n 5 "),
            Ok("School No. 5".into())
        );
        assert_eq!(one_line(" \t"), Ok(String::new()));
        for bad in [
            "a\0b",
            "\u{1b}[31m",
            "bell\u{7}",
            "del\u{7f}",
            "c1\u{85}",
            "\u{9b}x",
        ] {
            assert_eq!(one_line(bad), Err(CONTROL_CHARACTERS), "{bad:?}");
        }
    }

    #[test]
    fn multi_line_keeps_lines_and_tabs_only() {
        assert_eq!(
            multi_line(" First\r\nsecond\rthird\n\tindented "),
            Ok("First\nsecond\nthird\n\tindented".into())
        );
        assert_eq!(multi_line("Әсел — «ок»"), Ok("Әсел — «ок»".into()));
        for bad in ["a\0b", "form\u{c}feed", "vertical\u{b}tab", "\u{1b}"] {
            assert_eq!(multi_line(bad), Err(CONTROL_CHARACTERS), "{bad:?}");
        }
    }
}
