//! Parsed input: once a value has one of these types it is known to be valid.

mod category;
mod email;
mod iin;
mod name;
mod password;
pub mod proxies;
mod role;
mod states;
mod version;

pub use category::Category;
pub use email::Email;
pub use iin::Iin;
pub use name::FullName;
pub use password::Password;
pub use proxies::TrustedProxies;
pub use role::Role;
/// For the stored enums that live with their area (the audit log's subjects).
pub(crate) use states::stored_enum;
pub use states::{
    CertificateMode, CompetencyArea, CourseStatus, EnrolmentStatus, ModuleKind, QuizFeedback,
    SchoolKind, SubmissionStatus,
};
pub use version::Version;

/// Why input was refused; `key()` is the translation key of the message shown next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub &'static str);

impl InputError {
    pub fn key(&self) -> &'static str {
        self.0
    }
}

/// The message (a translation key) for text holding NUL or another control character. Such text
/// is refused, never cleaned up silently: PostgreSQL cannot store NUL, and the others are
/// invisible on the page but break exports, mail headers and comparisons.
pub const CONTROL_CHARACTERS: &str = "error-control-characters";

/// Whether `raw` holds a control character other than a line break or a tab: those are the
/// only ones typed text may hold (a one-line field turns them into spaces).
pub fn has_control_characters(raw: &str) -> bool {
    raw.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}
