use std::fmt;

use super::InputError;

/// The part of the education system a teacher works in; a course's audience is a set of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Preschool,
    General,
    Special,
    Other,
}

impl Category {
    /// In the order forms list them.
    pub const ALL: [Category; 4] = [
        Category::Preschool,
        Category::General,
        Category::Special,
        Category::Other,
    ];

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "preschool" => Ok(Category::Preschool),
            "general" => Ok(Category::General),
            "special" => Ok(Category::Special),
            "other" => Ok(Category::Other),
            _ => Err(InputError("error-category-invalid")),
        }
    }

    /// The value stored in `users.category` and `course_audiences.category`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Preschool => "preschool",
            Category::General => "general",
            Category::Special => "special",
            Category::Other => "other",
        }
    }

    /// The translation key of the name shown to people.
    pub fn label_key(self) -> &'static str {
        match self {
            Category::Preschool => "category-preschool",
            Category::General => "category-general",
            Category::Special => "category-special",
            Category::Other => "category-other",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{catalogue_keys, Lang};

    #[test]
    fn round_trips_and_refuses_unknown_categories() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.as_str()), Ok(category));
            assert_eq!(category.to_string(), category.as_str());
        }
        assert_eq!(Category::parse(" Special "), Ok(Category::Special));
        for bad in ["", "higher", "preschool,general", "дошкольное"] {
            assert_eq!(
                Category::parse(bad),
                Err(InputError("error-category-invalid")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn every_category_and_its_error_has_a_label_in_every_language() {
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for key in Category::ALL
                .iter()
                .map(|c| c.label_key())
                .chain(["error-category-invalid"])
            {
                assert!(keys.contains(key), "{lang} lacks {key}");
            }
        }
        assert_eq!(
            Lang::En.t(Category::Preschool.label_key()),
            "Preschool education"
        );
        assert_eq!(Lang::Ru.t(Category::Other.label_key()), "Другое");
    }
}
