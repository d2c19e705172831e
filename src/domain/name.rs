use std::fmt;

use super::{has_control_characters, InputError, CONTROL_CHARACTERS};

/// A person's full name as they write it: 1–200 characters, no control characters, inner
/// whitespace collapsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        if has_control_characters(raw) {
            return Err(InputError(CONTROL_CHARACTERS));
        }
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(InputError("error-name-missing"));
        }
        if name.chars().count() > 200 {
            return Err(InputError("error-name-invalid"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_names_in_any_script() {
        assert_eq!(
            FullName::parse("  Әсел   Нұрлыбекқызы ").map(|n| n.0),
            Ok("Әсел Нұрлыбекқызы".into())
        );
        assert!(FullName::parse("Мария Иванова").is_ok());
    }

    #[test]
    fn refuses_empty_long_and_control_characters() {
        assert_eq!(
            FullName::parse(" \t "),
            Err(InputError("error-name-missing"))
        );
        assert_eq!(
            FullName::parse(&"a".repeat(201)),
            Err(InputError("error-name-invalid"))
        );
        assert_eq!(
            FullName::parse("Name\u{7}"),
            Err(InputError(CONTROL_CHARACTERS))
        );
        assert_eq!(
            FullName::parse("Nul\0").map_err(|e| e.key()),
            Err(CONTROL_CHARACTERS)
        );
    }
}
