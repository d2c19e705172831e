//! The stored states and kinds of courses, modules, enrolments, certificates and schools. Each is
//! kept in the database as its code (`published`, `quiz`, …); the model boundary converts, so the
//! rest of the code matches on variants, never on strings.

/// An enum stored as a string column: `ALL`, `as_str` (the stored code), `parse`, `label_key`
/// (the translation key of its name) and `Display`, like `Role`. Without labels
/// (`Variant => "code"`), it has no `label_key`: its codes are shown as they are.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($variant:ident => $code:literal / $label:literal),+ $(,)? }
    ) => {
        $crate::domain::stored_enum! {
            $(#[$meta])*
            pub enum $name { $($variant => $code),+ }
        }

        impl $name {
            /// The translation key of the name shown to people.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($variant:ident => $code:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The variant stored as `code` (surrounding spaces and case ignored).
            pub fn parse(code: &str) -> Option<Self> {
                let code = code.trim();
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(code))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stored_enum;

stored_enum! {
    /// `courses.status`: only published courses are in the catalogue.
    pub enum CourseStatus {
        Draft => "draft" / "admin-courses-status-draft",
        Published => "published" / "admin-courses-status-published",
        Archived => "archived" / "admin-courses-status-archived",
    }
}

stored_enum! {
    /// `courses.competency_area`.
    pub enum CompetencyArea {
        Inclusive => "inclusive" / "admin-courses-area-inclusive",
        Subject => "subject" / "admin-courses-area-subject",
        Digital => "digital" / "admin-courses-area-digital",
    }
}

stored_enum! {
    /// `courses.certificate_mode`: issued on completion, or after an administrator's review.
    pub enum CertificateMode {
        Automatic => "automatic" / "admin-courses-certificate-automatic",
        Reviewed => "reviewed" / "admin-courses-certificate-reviewed",
    }
}

stored_enum! {
    /// `modules.kind`.
    pub enum ModuleKind {
        Lesson => "lesson" / "admin-courses-kind-lesson",
        Quiz => "quiz" / "admin-courses-kind-quiz",
        Task => "task" / "admin-courses-kind-task",
    }
}

stored_enum! {
    /// `modules.feedback`: what an attempt at a quiz shows the teacher. `AfterPass`: the score,
    /// and which answers were right with the explanations once the quiz is passed or after the
    /// last attempt allowed; `Always`: all of it after every attempt; `ScoreOnly`: the score only.
    pub enum QuizFeedback {
        AfterPass => "after_pass" / "admin-courses-feedback-after-pass",
        Always => "always" / "admin-courses-feedback-always",
        ScoreOnly => "score_only" / "admin-courses-feedback-score-only",
    }
}

stored_enum! {
    /// `task_submissions.status`: waiting for review, passed, or returned with feedback.
    pub enum SubmissionStatus {
        Submitted => "submitted" / "task-status-submitted",
        Passed => "passed" / "task-status-passed",
        Returned => "returned" / "task-status-returned",
    }
}

stored_enum! {
    /// `enrolments.status`.
    pub enum EnrolmentStatus {
        Active => "active" / "learn-active",
        Completed => "completed" / "learn-completed",
        Withdrawn => "withdrawn" / "learn-withdrawn",
    }
}

stored_enum! {
    /// `schools.kind`: what kind of organisation a school is, in the order forms list them.
    pub enum SchoolKind {
        School => "school" / "admin-schools-kind-school",
        Kindergarten => "kindergarten" / "admin-schools-kind-kindergarten",
        Special => "special" / "admin-schools-kind-special",
        College => "college" / "admin-schools-kind-college",
        Other => "other" / "admin-schools-kind-other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{catalogue_keys, Lang};

    fn check(codes: &[(&str, &str, Option<&str>)]) {
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for (code, label, parsed) in codes {
                assert!(keys.contains(*label), "{lang} lacks {label}");
                assert_eq!(*parsed, Some(*code), "{code} round-trips");
            }
        }
    }

    macro_rules! rows {
        ($t:ty) => {
            <$t>::ALL
                .iter()
                .map(|v| {
                    (
                        v.as_str(),
                        v.label_key(),
                        <$t>::parse(v.as_str()).map(|p| p.as_str()),
                    )
                })
                .collect::<Vec<_>>()
        };
    }

    #[test]
    fn every_state_round_trips_and_is_named_in_every_language() {
        check(&rows!(CourseStatus));
        check(&rows!(CompetencyArea));
        check(&rows!(CertificateMode));
        check(&rows!(ModuleKind));
        check(&rows!(QuizFeedback));
        check(&rows!(SubmissionStatus));
        check(&rows!(EnrolmentStatus));
        check(&rows!(SchoolKind));
    }

    #[test]
    fn unknown_codes_are_refused() {
        assert_eq!(
            CourseStatus::parse(" Published "),
            Some(CourseStatus::Published)
        );
        assert_eq!(CourseStatus::parse("deleted"), None);
        assert_eq!(ModuleKind::parse(""), None);
        assert_eq!(
            SchoolKind::parse(" Kindergarten "),
            Some(SchoolKind::Kindergarten)
        );
        assert_eq!(SchoolKind::parse("university"), None);
    }
}
