//! Course authoring operations, each one transaction: saving a course (its creation audited),
//! moving it through draft → published → archived (each change audited), and changing its
//! modules and quiz questions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::courses::models::{
    self, Course, CourseFields, Module, ModuleFields, Question, QuizOption,
};
use crate::db::{self, is_unique_violation, now, AnyConnection};
use crate::domain::{Category, CourseStatus, ModuleKind, Version};

/// The result of saving a course, a module or a quiz question.
pub enum Saved<T> {
    /// Saved; the id of the course, module or question.
    Done(i32),
    /// Another course (or another module of the course) has the slug.
    SlugTaken,
    /// It changed after the form was opened (at another version) and nothing was written: it
    /// as it is now.
    Stale(T),
}

/// A race on the unique slug index reads as the slug being taken.
fn slug_race<T>(result: QueryResult<Saved<T>>) -> QueryResult<Saved<T>> {
    match result {
        Err(e) if is_unique_violation(&e) => Ok(Saved::SlugTaken),
        other => other,
    }
}

/// A course as its form shows it: the row and its audience.
pub type CourseNow = (Course, Vec<String>);

fn course_now(conn: &mut AnyConnection, id: i32) -> QueryResult<CourseNow> {
    Ok((
        models::course_by_id(conn, id)?,
        models::audience_of(conn, id)?,
    ))
}

/// What the audit log compares of a course (the audience as its sorted codes).
fn course_details(fields: &CourseFields, audience: &[&str]) -> serde_json::Value {
    let mut audience = audience.to_vec();
    audience.sort_unstable();
    serde_json::json!({
        "title": fields.title,
        "slug": fields.slug,
        "summary": fields.summary,
        "description": fields.description,
        "audience": audience.join(", "),
        "language": fields.language,
        "hours": fields.hours,
        "area": fields.competency_area,
        "counts": fields.counts_toward_target,
        "certificate": fields.certificate_mode,
    })
}

/// Creates a course (`id` None) or updates the one at `version`, with its audience; each
/// audited (an update only when it changes something).
pub fn save_course(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: Option<i32>,
    version: Version,
    fields: &CourseFields,
    audience: &[Category],
) -> QueryResult<Saved<CourseNow>> {
    let audience: Vec<&str> = audience.iter().map(|c| c.as_str()).collect();
    slug_race(db::transaction(conn, |conn| {
        let Some(id) = id else {
            return create_course(conn, admin_id, fields, &audience);
        };
        let (course, was) = course_now(conn, id)?;
        if course.version != version.get() {
            return Ok(Saved::Stale((course, was)));
        }
        if models::course_slug_taken(conn, &fields.slug, Some(id))? {
            return Ok(Saved::SlugTaken);
        }
        let was: Vec<&str> = was.iter().map(String::as_str).collect();
        let before = course_details(&CourseFields::from(&course), &was);
        let Some(change) = audit::changes(before, course_details(fields, &audience)) else {
            return Ok(Saved::Done(id));
        };
        if !models::update_course(conn, id, version, fields, &audience)? {
            return Ok(Saved::Stale(course_now(conn, id)?));
        }
        let action = AuditAction::CourseUpdated;
        audit::record(
            conn,
            Some(admin_id),
            action,
            AuditSubject::Course,
            Some(id),
            change,
        )?;
        Ok(Saved::Done(id))
    }))
}

fn create_course<T>(
    conn: &mut AnyConnection,
    admin_id: i32,
    fields: &CourseFields,
    audience: &[&str],
) -> QueryResult<Saved<T>> {
    if models::course_slug_taken(conn, &fields.slug, None)? {
        return Ok(Saved::SlugTaken);
    }
    let id = models::create_course(conn, fields, audience)?;
    audit::record(
        conn,
        Some(admin_id),
        AuditAction::CourseCreated,
        AuditSubject::Course,
        Some(id),
        serde_json::json!({"after": {"title": fields.title, "slug": fields.slug}}),
    )?;
    Ok(Saved::Done(id))
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

/// What the audit log compares of a module.
fn module_details(fields: &ModuleFields) -> serde_json::Value {
    serde_json::json!({
        "title": fields.title,
        "slug": fields.slug,
        "required": fields.required,
        "body": fields.body_markdown,
        "video": fields.video_url,
        "transcript": fields.transcript,
        "pass_mark": fields.pass_mark,
    })
}

/// Adds a module of `kind` at the end of the course (`module_id` None) or updates the one at
/// `version` (audited when it changes something).
pub fn save_module(
    conn: &mut AnyConnection,
    admin_id: i32,
    course_id: i32,
    module_id: Option<(i32, Version)>,
    kind: ModuleKind,
    fields: &ModuleFields,
) -> QueryResult<Saved<Module>> {
    slug_race(db::transaction(conn, |conn| {
        let Some((id, version)) = module_id else {
            if models::module_slug_taken(conn, course_id, &fields.slug, None)? {
                return Ok(Saved::SlugTaken);
            }
            return models::add_module(conn, course_id, kind.as_str(), fields).map(Saved::Done);
        };
        let module = models::module_of_course(conn, course_id, id)?;
        if module.version != version.get() {
            return Ok(Saved::Stale(module));
        }
        if models::module_slug_taken(conn, course_id, &fields.slug, Some(id))? {
            return Ok(Saved::SlugTaken);
        }
        let before = module_details(&ModuleFields::from(&module));
        let Some(change) = audit::changes(before, module_details(fields)) else {
            return Ok(Saved::Done(id));
        };
        if !models::update_module(conn, id, version, fields)? {
            return Ok(Saved::Stale(models::module_by_id(conn, id)?));
        }
        let action = AuditAction::ModuleUpdated;
        audit::record(
            conn,
            Some(admin_id),
            action,
            AuditSubject::Module,
            Some(id),
            change,
        )?;
        Ok(Saved::Done(id))
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

/// A question as its form shows it: the row and its options in order.
pub type QuestionNow = (Question, Vec<QuizOption>);

/// What the audit log compares of a quiz question: its prompt, its kind of answer and its
/// options ("✓" after a correct one).
fn question_details(prompt: &str, multiple: bool, options: &[(String, bool)]) -> serde_json::Value {
    let options: Vec<String> = options
        .iter()
        .map(|(label, correct)| match correct {
            true => format!("{label} ✓"),
            false => label.clone(),
        })
        .collect();
    serde_json::json!({
        "prompt": prompt,
        "answer_kind": if multiple { "multiple" } else { "single" },
        "options": options.join("; "),
    })
}

/// A quiz question's new prompt, kind of answer and options (label, correct?).
#[derive(Clone, Copy)]
pub struct QuestionFields<'a> {
    pub prompt: &'a str,
    pub multiple: bool,
    pub explanation: &'a str,
    pub options: &'a [(String, bool)],
}

/// The result of changing a quiz question.
pub enum QuestionSaved {
    Done,
    /// It changed after the form was opened and nothing was written: it as it is now.
    Stale(QuestionNow),
}

/// Changes a question of the course's module that is still at `version`, audited when it
/// changes something (`NotFound` for a question of another module).
pub fn save_question(
    conn: &mut AnyConnection,
    admin_id: i32,
    (course_id, module_id, question_id): (i32, i32, i32),
    version: Version,
    question: &QuestionFields,
) -> QueryResult<QuestionSaved> {
    db::transaction(conn, |conn| {
        models::module_of_course(conn, course_id, module_id)?;
        let (stored, options) = models::question_with_options(conn, question_id)?;
        if stored.module_id != module_id {
            return Err(diesel::NotFound);
        }
        if stored.version != version.get() {
            return Ok(QuestionSaved::Stale((stored, options)));
        }
        let was: Vec<(String, bool)> = options
            .into_iter()
            .map(|o| (o.label, o.is_correct))
            .collect();
        let before = question_details(&stored.prompt, stored.multiple, &was);
        let after = question_details(question.prompt, question.multiple, question.options);
        let Some(change) = audit::changes(before, after) else {
            return Ok(QuestionSaved::Done);
        };
        let QuestionFields {
            prompt,
            multiple,
            explanation,
            options,
        } = *question;
        if !models::update_question(
            conn,
            question_id,
            version,
            prompt,
            multiple,
            explanation,
            options,
        )? {
            let now = models::question_with_options(conn, question_id)?;
            return Ok(QuestionSaved::Stale(now));
        }
        let action = AuditAction::QuestionUpdated;
        audit::record(
            conn,
            Some(admin_id),
            action,
            AuditSubject::Question,
            Some(question_id),
            change,
        )?;
        Ok(QuestionSaved::Done)
    })
}
