//! What every form shares: the messages for its fields and the options of its selects.

/// Messages for a form's fields, shown in the error summary and next to each field.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        if self.get(field).is_none() {
            self.0.push((field, message));
        }
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
