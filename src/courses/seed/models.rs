//! The queries only a refresh of the starter courses needs.

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::schema::{courses, quiz_attempts};

/// Takes the course's row lock (a write that changes nothing), so that two refreshes of one
/// course run one after the other and the second sees what the first did.
pub fn lock_course(conn: &mut AnyConnection, course_id: i32) -> QueryResult<()> {
    diesel::update(courses::table.find(course_id))
        .set(courses::version.eq(courses::version))
        .execute(conn)
        .map(|_| ())
}

/// Deletes the attempts at a quiz that were drawn and not submitted (their questions are about
/// to go); returns how many. Submitted attempts stay, with their scores.
pub fn delete_open_attempts(conn: &mut AnyConnection, module_id: i32) -> QueryResult<usize> {
    diesel::delete(
        quiz_attempts::table
            .filter(quiz_attempts::module_id.eq(module_id))
            .filter(quiz_attempts::submitted_at.is_null()),
    )
    .execute(conn)
}
