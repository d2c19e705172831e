//! Who may see what, in one place: every per-row access rule the pages enforce. Pages call these
//! after extracting the user and loading the row, then answer 403 (and log) when they say no.

use crate::domain::Role;
use crate::web::extractors::CurrentUser;

/// A region's dashboard, its exports and reminders: an administrator sees every region, a
/// coordinator only their own, a teacher none.
pub fn may_see_region(user: &CurrentUser, region_id: i32) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Coordinator => user.region_id == Some(region_id),
        Role::Teacher | Role::Tutor => false,
    }
}

/// A certificate's PDF and signed credential: its teacher, the coordinator of the teacher's
/// region, administrators.
pub fn may_read_certificate(
    user: &CurrentUser,
    teacher_id: i32,
    teacher_region: Option<i32>,
) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Coordinator => user.region_id.is_some() && user.region_id == teacher_region,
        Role::Teacher => user.id == teacher_id,
        Role::Tutor => false,
    }
}

/// Enrolling, learning and taking quizzes: teachers only (staff may read courses, not enrol).
pub fn may_learn(user: &CurrentUser) -> bool {
    user.role == Role::Teacher
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn user(id: i32, role: Role, region_id: Option<i32>) -> CurrentUser {
        CurrentUser {
            id,
            email: format!("u{id}@example.kz"),
            full_name: "U".into(),
            role,
            region_id,
            language: Lang::En,
            email_verified: true,
            second_factor: false,
        }
    }

    #[test]
    fn coordinators_see_their_own_region_only() {
        assert!(may_see_region(&user(1, Role::Admin, None), 7));
        assert!(may_see_region(&user(2, Role::Coordinator, Some(7)), 7));
        assert!(!may_see_region(&user(2, Role::Coordinator, Some(8)), 7));
        assert!(!may_see_region(&user(3, Role::Teacher, Some(7)), 7));
    }

    #[test]
    fn a_certificate_is_read_by_its_teacher_their_coordinator_and_admins() {
        assert!(may_read_certificate(
            &user(3, Role::Teacher, Some(7)),
            3,
            Some(7)
        ));
        assert!(!may_read_certificate(
            &user(4, Role::Teacher, Some(7)),
            3,
            Some(7)
        ));
        assert!(may_read_certificate(
            &user(2, Role::Coordinator, Some(7)),
            3,
            Some(7)
        ));
        assert!(!may_read_certificate(
            &user(2, Role::Coordinator, Some(8)),
            3,
            Some(7)
        ));
        assert!(!may_read_certificate(
            &user(2, Role::Coordinator, None),
            3,
            None
        ));
        assert!(may_read_certificate(&user(1, Role::Admin, None), 3, None));
    }

    #[test]
    fn only_teachers_learn() {
        assert!(may_learn(&user(3, Role::Teacher, None)));
        assert!(!may_learn(&user(1, Role::Admin, None)));
    }
}
