use std::fmt;

use super::InputError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Teacher,
    Coordinator,
    Admin,
    /// Reviews the practical tasks of the courses an administrator appointed them to.
    Tutor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Teacher, Role::Coordinator, Role::Admin, Role::Tutor];

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "teacher" => Ok(Role::Teacher),
            "coordinator" => Ok(Role::Coordinator),
            "admin" => Ok(Role::Admin),
            "tutor" => Ok(Role::Tutor),
            _ => Err(InputError("error-role-invalid")),
        }
    }

    /// The value stored in `users.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Teacher => "teacher",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
            Role::Tutor => "tutor",
        }
    }

    /// Coordinators, administrators and tutors: they see other people's records (second
    /// factor, shorter inactivity timeout).
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Coordinator | Role::Admin | Role::Tutor)
    }

    /// The translation key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Teacher => "role-teacher",
            Role::Coordinator => "role-coordinator",
            Role::Admin => "role-admin",
            Role::Tutor => "role-tutor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_unknown_roles() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse(" Admin "), Ok(Role::Admin));
        assert_eq!(Role::parse("root"), Err(InputError("error-role-invalid")));
    }
}
