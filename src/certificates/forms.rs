//! The verification form's input: `/verify?code=…` as typed, read leniently.

/// The most of a mistyped code shown back on the page.
const SHOWN_BACK_CHARS: usize = 100;

/// What a visit to `/verify` asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeQuery {
    /// No `code` field: the form's first showing.
    Blank,
    /// A well-formed code, as stored.
    Code(String),
    /// Anything else: what was typed (to correct) and the message's translation key.
    Invalid { typed: String, error: &'static str },
}

impl CodeQuery {
    /// An odd parameter is just not a code. An empty field (`?code=`) is a submitted form without
    /// a code, not the form's first showing.
    pub fn parse(query_string: &str) -> Self {
        let fields: Vec<(String, String)> =
            serde_html_form::from_str(query_string).unwrap_or_default();
        let Some(typed) = fields
            .into_iter()
            .find_map(|(name, value)| (name == "code").then_some(value))
        else {
            return CodeQuery::Blank;
        };
        if let Some(code) = super::models::normalize_code(&typed) {
            return CodeQuery::Code(code);
        }
        let error = if typed.trim().is_empty() {
            "verify-error-code-missing"
        } else {
            "verify-error-code-invalid"
        };
        CodeQuery::Invalid {
            typed: shown_back(&typed),
            error,
        }
    }
}

/// A code as asked for, cut to a length a page can show back.
pub fn shown_back(asked: &str) -> String {
    asked.chars().take(SHOWN_BACK_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_tells_blank_from_empty_from_wrong() {
        assert_eq!(CodeQuery::parse(""), CodeQuery::Blank);
        assert_eq!(CodeQuery::parse("lang=ru"), CodeQuery::Blank);
        assert_eq!(
            CodeQuery::parse("code=+"),
            CodeQuery::Invalid {
                typed: " ".into(),
                error: "verify-error-code-missing"
            }
        );
        assert_eq!(
            CodeQuery::parse("code=ABCD"),
            CodeQuery::Invalid {
                typed: "ABCD".into(),
                error: "verify-error-code-invalid"
            }
        );
        assert_eq!(
            CodeQuery::parse("code=23456-789ab-cdefg-hjklm"),
            CodeQuery::Code("23456789ABCDEFGHJKLM".into())
        );
        assert_eq!(shown_back(&"x".repeat(300)).len(), SHOWN_BACK_CHARS);
    }
}
