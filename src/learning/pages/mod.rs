//! The teacher's pages: a course's page (`course`), enrolment and "my learning" (`learn`), and a
//! module's page with its lesson and quiz (`module`); `course` and `module` also serve an
//! administrator's preview. What they share is here.

pub mod attempt;
pub mod course;
pub mod learn;
pub mod module;

use crate::error::{AppError, AppResult};
use crate::policy::may_learn;
use crate::web::extractors::CurrentUser;

/// Teachers only: coordinators and administrators may read courses but not enrol.
fn teacher(user: &CurrentUser) -> AppResult<()> {
    if may_learn(user) {
        Ok(())
    } else {
        tracing::warn!(user_id = user.id, role = %user.role, "learning action refused: not a teacher");
        Err(AppError::Forbidden)
    }
}
