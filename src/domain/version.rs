//! The version of a row an edit form was opened at (the form's hidden `version` field).
//!
//! Every row an administrator edits has a `version` column: 1 when the row is made, one more at
//! every change. A save writes only `WHERE id = ? AND version = ?`, so a form opened before
//! another save (or an import, a status change, a reorder) changes nothing: it is stale.

use std::fmt;

/// The version a form says its row was at when it was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(i32);

impl Version {
    /// What no row ever is (versions start at 1): the version of a form that carries none, or
    /// one that cannot be read (a page from before versions, a hand-made request). Saving it is
    /// always stale, never a blind overwrite.
    const NONE: Version = Version(0);

    /// The version a stored row is at.
    pub fn of_row(version: i32) -> Self {
        Self(version)
    }

    /// The hidden field as posted; anything but a positive whole number reads as `NONE`.
    pub fn parse(raw: &str) -> Self {
        match raw.trim().parse::<i32>() {
            Ok(n) if n > 0 => Self(n),
            _ => Self::NONE,
        }
    }

    /// The value to compare with the `version` column.
    pub fn get(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    #[test]
    fn only_positive_numbers_are_versions() {
        assert_eq!(Version::parse(" 3 ").get(), 3);
        for unreadable in ["", "0", "-1", "x", "1.5", "99999999999"] {
            assert_eq!(Version::parse(unreadable).get(), 0, "{unreadable}");
        }
        assert_eq!(Version::of_row(7).to_string(), "7");
    }
}
