//! Course authoring operations, each one transaction: saving a course (its creation audited),
//! moving it through draft → published → archived (each change audited), and changing its
//! modules and quiz questions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::courses::models::{self, CourseFields, ModuleFields};
use crate::db::{self, is_unique_violation, now, AnyConnection};
use crate::domain::{Category, CourseStatus, ModuleKind};

/// The result of saving a course or a module.
pub enum Saved {
    /// Saved; the id of the course or module.
    Done(i32),
    /// Another course (or another module of the course) has the slug.
    SlugTaken,
}

/// A race on the unique slug index reads as the slug being taken.
fn slug_race(result: QueryResult<Saved>) -> QueryResult<Saved> {
    match result {
        Err(e) if is_unique_violation(&e) => Ok(Saved::SlugTaken),
        other => other,
    }
}

/// Creates a course (`id` None, audited) or updates one, with its audience.
pub fn save_course(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: Option<i32>,
    fields: &CourseFields,
    audience: &[Category],
) -> QueryResult<Saved> {
    let audience: Vec<&str> = audience.iter().map(|c| c.as_str()).collect();
    slug_race(db::transaction(conn, |conn| {
        if models::course_slug_taken(conn, &fields.slug, id)? {
            return Ok(Saved::SlugTaken);
        }
        if let Some(id) = id {
            models::update_course(conn, id, fields, &audience)?;
            return Ok(Saved::Done(id));
        }
        let id = models::create_course(conn, fields, &audience)?;
        audit::record(
            conn,
            Some(admin_id),
            AuditAction::CourseCreated,
            AuditSubject::Course,
            Some(id),
            serde_json::json!({"after": {"title": fields.title, "slug": fields.slug}}),
        )?;
        Ok(Saved::Done(id))
    }))
}

pub enum Transition {
    Done,
    /// Why the change is refused (a translation key).
    Refused(&'static str),
}

/// Publishes, archives or returns a course to draft, audited. A course is published only with a
/// required module, and returns to draft only while nobody has enrolled.
pub fn change_status(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: i32,
    to: CourseStatus,
) -> QueryResult<Transition> {
    db::transaction(conn, |conn| {
        let course = models::course_by_id(conn, id)?;
        let refused = match to {
            CourseStatus::Published if !models::has_required_module(conn, id)? => {
                Some("admin-courses-error-publish-empty")
            }
            CourseStatus::Draft if models::enrolment_count(conn, id)? > 0 => {
                Some("admin-courses-error-draft-enrolled")
            }
            _ => None,
        };
        if let Some(key) = refused {
            return Ok(Transition::Refused(key));
        }
        if course.status() == to {
            return Ok(Transition::Done);
        }
        models::set_status(conn, id, to, now())?;
        let action = match to {
            CourseStatus::Published => AuditAction::CoursePublished,
            CourseStatus::Archived => AuditAction::CourseArchived,
            CourseStatus::Draft => AuditAction::CourseReturnedToDraft,
        };
        audit::record(
            conn,
            Some(admin_id),
            action,
            AuditSubject::Course,
            Some(id),
            serde_json::json!({"before": {"status": course.status}, "after": {"status": to.as_str()}}),
        )?;
        Ok(Transition::Done)
    })
}

/// Adds a module of `kind` at the end of the course (`module_id` None) or updates one.
pub fn save_module(
    conn: &mut AnyConnection,
    course_id: i32,
    module_id: Option<i32>,
    kind: ModuleKind,
    fields: &ModuleFields,
) -> QueryResult<Saved> {
    slug_race(db::transaction(conn, |conn| {
        if models::module_slug_taken(conn, course_id, &fields.slug, module_id)? {
            return Ok(Saved::SlugTaken);
        }
        match module_id {
            Some(m) => {
                models::update_module(conn, m, fields)?;
                Ok(Saved::Done(m))
            }
            None => models::add_module(conn, course_id, kind.as_str(), fields).map(Saved::Done),
        }
    }))
}

/// Swaps a module of the course with its neighbour above (`up`) or below.
pub fn move_module(
    conn: &mut AnyConnection,
    course_id: i32,
    module_id: i32,
    up: bool,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        models::module_of_course(conn, course_id, module_id)?;
        models::move_module(conn, module_id, up)
    })
}

/// Deletes a module of the course, or archives it when teachers have completed it. Returns
/// true when it was deleted.
pub fn remove_module(
    conn: &mut AnyConnection,
    course_id: i32,
    module_id: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        models::module_of_course(conn, course_id, module_id)?;
        models::remove_module(conn, module_id, now)
    })
}

/// Deletes a question of the course's module (`NotFound` for a question of another module).
pub fn delete_question(
    conn: &mut AnyConnection,
    course_id: i32,
    module_id: i32,
    question_id: i32,
) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        models::module_of_course(conn, course_id, module_id)?;
        let question = models::question_by_id(conn, question_id)?;
        if question.module_id != module_id {
            return Err(diesel::NotFound);
        }
        models::delete_question(conn, question_id)
    })
}
