//! The teacher's pages: enrolment and "my learning" (`learn`), and a module's page with its
//! lesson and quiz (`module`). What both need is here.

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
