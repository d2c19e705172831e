//! Parsed input: once a value has one of these types it is known to be valid.

mod category;
mod email;
mod iin;
mod name;
mod password;
mod role;
mod states;

pub use category::Category;
pub use email::Email;
pub use iin::Iin;
pub use name::FullName;
pub use password::Password;
pub use role::Role;
/// For the stored enums that live with their area (the audit log's subjects).
pub(crate) use states::stored_enum;
pub use states::{
    CertificateMode, CompetencyArea, CourseStatus, EnrolmentStatus, ModuleKind, SchoolKind,
};

/// Why input was refused; `key()` is the translation key of the message shown next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub &'static str);

impl InputError {
    pub fn key(&self) -> &'static str {
        self.0
    }
}
