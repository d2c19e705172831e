//! Course authoring operations, each one transaction: saving a course (its creation audited),
//! moving it through draft → published → archived (each change audited), and changing its
//! modules, quiz questions and task criteria. A change to a quiz's pool or settings abandons
//! its open attempts in the same transaction, so that the next visit draws from the quiz as it
//! is now.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::courses::admin::models::{self as authoring, CriterionFields};
use crate::courses::models::{
    self, Course, CourseFields, Criterion, Module, ModuleFields, Question, QuizOption, QuizSettings,
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
        "sequential": fields.sequential,
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
        if authoring::course_slug_taken(conn, &fields.slug, Some(id))? {
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
    if authoring::course_slug_taken(conn, &fields.slug, None)? {
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
    /// Why the change is refused: a translation key, and the module it names (`$module`).
    Refused(&'static str, Option<String>),
}

/// Publishes, archives or returns a course to draft, audited. A course is published only with a
/// required module, every quiz with enough questions for its draw and every task with a rubric;
/// it returns to draft only while nobody has enrolled.
pub fn change_status(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: i32,
    to: CourseStatus,
) -> QueryResult<Transition> {
    db::transaction(conn, |conn| {
        let course = models::course_by_id(conn, id)?;
        let refused = match to {
            CourseStatus::Published if !authoring::has_required_module(conn, id)? => {
                Some(("admin-courses-error-publish-empty", None))
            }
            CourseStatus::Published => authoring::publish_problems(conn, id)?
                .into_iter()
                .next()
                .map(|(key, module)| (key, Some(module))),
            CourseStatus::Draft if authoring::enrolment_count(conn, id)? > 0 => {
                Some(("admin-courses-error-draft-enrolled", None))
            }
            _ => None,
        };
        if let Some((key, module)) = refused {
            return Ok(Transition::Refused(key, module));
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

/// What the audit log compares of a module (and of a quiz, its settings).
fn module_details(fields: &ModuleFields, settings: Option<&QuizSettings>) -> serde_json::Value {
    let mut details = serde_json::json!({
        "title": fields.title,
        "slug": fields.slug,
        "required": fields.required,
        "body": fields.body_markdown,
        "video": fields.video_url,
        "transcript": fields.transcript,
        "pass_mark": fields.pass_mark,
    });
    if let (Some(s), Some(map)) = (settings, details.as_object_mut()) {
        map.insert("draw_count".into(), s.draw_count.into());
        map.insert("attempts_allowed".into(), s.attempts_allowed.into());
        map.insert("attempt_period_hours".into(), s.attempt_period_hours.into());
        map.insert("retry_wait_minutes".into(), s.retry_wait_minutes.into());
        map.insert("feedback".into(), s.feedback.clone().into());
    }
    details
}

/// A module's new fields, and a quiz's settings (None for a lesson or a task).
pub struct ModuleChange<'a> {
    pub kind: ModuleKind,
    pub fields: &'a ModuleFields,
    pub settings: Option<&'a QuizSettings>,
}

/// Adds a module of `kind` at the end of the course (`module_id` None) or updates the one at
/// `version` with a quiz's settings in the same update (audited when it changes something; a
/// change of the settings abandons the quiz's open attempts).
pub fn save_module(
    conn: &mut AnyConnection,
    admin_id: i32,
    course_id: i32,
    module_id: Option<(i32, Version)>,
    change: &ModuleChange,
) -> QueryResult<Saved<Module>> {
    let ModuleChange {
        kind,
        fields,
        settings,
    } = *change;
    slug_race(db::transaction(conn, |conn| {
        let Some((id, version)) = module_id else {
            if authoring::module_slug_taken(conn, course_id, &fields.slug, None)? {
                return Ok(Saved::SlugTaken);
            }
            let id = models::add_module(conn, course_id, kind.as_str(), fields)?;
            if let Some(settings) = settings.filter(|_| kind == ModuleKind::Quiz) {
                models::set_quiz_settings(conn, id, settings)?;
            }
            return Ok(Saved::Done(id));
        };
        let module = models::module_of_course(conn, course_id, id)?;
        if module.version != version.get() {
            return Ok(Saved::Stale(module));
        }
        if authoring::module_slug_taken(conn, course_id, &fields.slug, Some(id))? {
            return Ok(Saved::SlugTaken);
        }
        let was = module.is_quiz().then(|| module.quiz_settings());
        let settings = settings.filter(|_| module.is_quiz());
        let before = module_details(&ModuleFields::from(&module), was.as_ref());
        let Some(change) = audit::changes(before, module_details(fields, settings)) else {
            return Ok(Saved::Done(id));
        };
        if !authoring::update_module(conn, id, version, fields, settings)? {
            return Ok(Saved::Stale(models::module_by_id(conn, id)?));
        }
        if settings.is_some() && settings != was.as_ref() {
            authoring::abandon_open_attempts(conn, id)?;
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

/// A question of the course's quiz (`NotFound` for a question of another module, or a module
/// that is not a quiz of the course).
fn question_of(
    conn: &mut AnyConnection,
    (course_id, module_id, question_id): (i32, i32, i32),
) -> QueryResult<QuestionNow> {
    quiz_of(conn, course_id, module_id)?;
    let (question, options) = authoring::question_with_options(conn, question_id)?;
    if question.module_id != module_id {
        return Err(diesel::NotFound);
    }
    Ok((question, options))
}

/// A quiz of the course, or `NotFound`; locked until the transaction ends.
fn quiz_of(conn: &mut AnyConnection, course_id: i32, module_id: i32) -> QueryResult<Module> {
    let module = models::module_of_course(conn, course_id, module_id)?;
    if !module.is_quiz() {
        return Err(diesel::NotFound);
    }
    authoring::lock_module(conn, module_id)?;
    Ok(module)
}

/// Records a change of a quiz's pool, after abandoning the quiz's open attempts.
fn pool_changed(
    conn: &mut AnyConnection,
    admin_id: i32,
    (module_id, question_id): (i32, i32),
    action: AuditAction,
    details: serde_json::Value,
) -> QueryResult<()> {
    authoring::abandon_open_attempts(conn, module_id)?;
    audit::record(
        conn,
        Some(admin_id),
        action,
        AuditSubject::Question,
        Some(question_id),
        details,
    )
}

/// Adds a question at the end of the course's quiz, audited.
pub fn add_question(
    conn: &mut AnyConnection,
    admin_id: i32,
    (course_id, module_id): (i32, i32),
    question: &QuestionFields,
) -> QueryResult<i32> {
    db::transaction(conn, |conn| {
        quiz_of(conn, course_id, module_id)?;
        let q = *question;
        let id = models::add_question(
            conn,
            module_id,
            q.prompt,
            q.multiple,
            q.explanation,
            q.options,
        )?;
        let details = question_details(&q);
        let details = serde_json::json!({ "after": details });
        pool_changed(
            conn,
            admin_id,
            (module_id, id),
            AuditAction::QuestionAdded,
            details,
        )?;
        Ok(id)
    })
}

/// Deletes a question of the course's quiz, audited. Submitted attempts keep their score.
pub fn delete_question(
    conn: &mut AnyConnection,
    admin_id: i32,
    ids: (i32, i32, i32),
) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        let (question, options) = question_of(conn, ids)?;
        let was = option_pairs(options);
        let before = question_details(&QuestionFields::of(&question, &was));
        authoring::delete_question(conn, question.id)?;
        let details = serde_json::json!({ "before": before });
        let (_, module_id, question_id) = ids;
        let action = AuditAction::QuestionDeleted;
        pool_changed(conn, admin_id, (module_id, question_id), action, details)
    })
}

/// Swaps a question of the course's quiz with its neighbour above (`up`) or below, audited.
pub fn move_question(
    conn: &mut AnyConnection,
    admin_id: i32,
    ids: (i32, i32, i32),
    up: bool,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let (question, _) = question_of(conn, ids)?;
        if !authoring::move_question(conn, question.id, up)? {
            return Ok(false);
        }
        let position = authoring::question_by_id(conn, question.id)?.position;
        let details = serde_json::json!({
            "before": {"position": question.position},
            "after": {"position": position},
        });
        let action = AuditAction::QuestionMoved;
        pool_changed(
            conn,
            admin_id,
            (question.module_id, question.id),
            action,
            details,
        )?;
        Ok(true)
    })
}

/// A question as its form shows it: the row and its options in order.
pub type QuestionNow = (Question, Vec<QuizOption>);

fn option_pairs(options: Vec<QuizOption>) -> Vec<(String, bool)> {
    options
        .into_iter()
        .map(|o| (o.label, o.is_correct))
        .collect()
}

/// What the audit log compares of a quiz question: its prompt, its kind of answer, its options
/// ("✓" after a correct one) and its explanation.
fn question_details(question: &QuestionFields) -> serde_json::Value {
    let options: Vec<String> = question
        .options
        .iter()
        .map(|(label, correct)| match correct {
            true => format!("{label} ✓"),
            false => label.clone(),
        })
        .collect();
    serde_json::json!({
        "prompt": question.prompt,
        "answer_kind": if question.multiple { "multiple" } else { "single" },
        "options": options.join("; "),
        "explanation": question.explanation,
    })
}

/// A quiz question's new prompt, kind of answer, explanation and options (label, correct?).
#[derive(Clone, Copy)]
pub struct QuestionFields<'a> {
    pub prompt: &'a str,
    pub multiple: bool,
    pub explanation: &'a str,
    pub options: &'a [(String, bool)],
}

impl<'a> QuestionFields<'a> {
    fn of(question: &'a Question, options: &'a [(String, bool)]) -> Self {
        Self {
            prompt: &question.prompt,
            multiple: question.multiple,
            explanation: &question.explanation,
            options,
        }
    }
}

/// The result of changing a quiz question or a task's criterion.
pub enum Changed<T> {
    Done,
    /// It changed after the form was opened and nothing was written: it as it is now.
    Stale(T),
}

/// Changes a question of the course's quiz that is still at `version`, audited when it changes
/// something (`NotFound` for a question of another module). A change abandons open attempts.
pub fn save_question(
    conn: &mut AnyConnection,
    admin_id: i32,
    ids: (i32, i32, i32),
    version: Version,
    question: &QuestionFields,
) -> QueryResult<Changed<QuestionNow>> {
    db::transaction(conn, |conn| {
        let (stored, options) = question_of(conn, ids)?;
        if stored.version != version.get() {
            return Ok(Changed::Stale((stored, options)));
        }
        let was = option_pairs(options);
        let before = question_details(&QuestionFields::of(&stored, &was));
        let Some(change) = audit::changes(before, question_details(question)) else {
            return Ok(Changed::Done);
        };
        let q = *question;
        let (_, module_id, question_id) = ids;
        let written = authoring::update_question(
            conn,
            question_id,
            version,
            (q.prompt, q.multiple, q.explanation),
            q.options,
        )?;
        if !written {
            return Ok(Changed::Stale(authoring::question_with_options(
                conn,
                question_id,
            )?));
        }
        let action = AuditAction::QuestionUpdated;
        pool_changed(conn, admin_id, (module_id, question_id), action, change)?;
        Ok(Changed::Done)
    })
}

// ---- A practical task's rubric --------------------------------------------------------------

/// A criterion of the course's task, or `NotFound`.
pub fn criterion_of(
    conn: &mut AnyConnection,
    (course_id, module_id, criterion_id): (i32, i32, i32),
) -> QueryResult<Criterion> {
    let module = models::module_of_course(conn, course_id, module_id)?;
    if !module.is_task() {
        return Err(diesel::NotFound);
    }
    let criterion = authoring::criterion_by_id(conn, criterion_id)?;
    if criterion.module_id != module_id {
        return Err(diesel::NotFound);
    }
    Ok(criterion)
}

/// A criterion of the course's task with the task locked until the transaction ends (what
/// follows reads the rubric as it is).
fn locked_criterion(conn: &mut AnyConnection, ids: (i32, i32, i32)) -> QueryResult<Criterion> {
    let criterion = criterion_of(conn, ids)?;
    authoring::lock_module(conn, criterion.module_id)?;
    Ok(criterion)
}

/// What the audit log compares of a criterion.
fn criterion_details(fields: &CriterionFields) -> serde_json::Value {
    serde_json::json!({
        "title": fields.title,
        "description": fields.description,
        "max_score": fields.max_score,
    })
}

fn record_criterion(
    conn: &mut AnyConnection,
    admin_id: i32,
    module_id: i32,
    action: AuditAction,
    details: serde_json::Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        Some(admin_id),
        action,
        AuditSubject::Module,
        Some(module_id),
        details,
    )
}

/// Adds a criterion at the end of the course's task's rubric, audited.
pub fn add_criterion(
    conn: &mut AnyConnection,
    admin_id: i32,
    (course_id, module_id): (i32, i32),
    fields: &CriterionFields,
) -> QueryResult<i32> {
    db::transaction(conn, |conn| {
        let module = models::module_of_course(conn, course_id, module_id)?;
        if !module.is_task() {
            return Err(diesel::NotFound);
        }
        authoring::lock_module(conn, module_id)?;
        let id = models::add_criterion(
            conn,
            module_id,
            &fields.title,
            &fields.description,
            fields.max_score,
        )?;
        let details = serde_json::json!({ "after": criterion_details(fields) });
        record_criterion(
            conn,
            admin_id,
            module_id,
            AuditAction::CriterionAdded,
            details,
        )?;
        Ok(id)
    })
}

/// Changes a criterion still at `version`, audited when it changes something.
pub fn save_criterion(
    conn: &mut AnyConnection,
    admin_id: i32,
    ids: (i32, i32, i32),
    version: Version,
    fields: &CriterionFields,
) -> QueryResult<Changed<Criterion>> {
    db::transaction(conn, |conn| {
        let stored = locked_criterion(conn, ids)?;
        if stored.version != version.get() {
            return Ok(Changed::Stale(stored));
        }
        let before = criterion_details(&CriterionFields::from(&stored));
        let Some(change) = audit::changes(before, criterion_details(fields)) else {
            return Ok(Changed::Done);
        };
        if !authoring::update_criterion(conn, stored.id, version, fields)? {
            return Ok(Changed::Stale(authoring::criterion_by_id(conn, stored.id)?));
        }
        let action = AuditAction::CriterionUpdated;
        record_criterion(conn, admin_id, stored.module_id, action, change)?;
        Ok(Changed::Done)
    })
}

/// Removes a criterion nobody was scored against, audited; false (nothing removed) when a
/// reviewer has scored a submission against it.
pub fn remove_criterion(
    conn: &mut AnyConnection,
    admin_id: i32,
    ids: (i32, i32, i32),
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let stored = locked_criterion(conn, ids)?;
        if authoring::criterion_has_scores(conn, stored.id)? {
            return Ok(false);
        }
        authoring::delete_criterion(conn, stored.id)?;
        let details =
            serde_json::json!({ "before": criterion_details(&CriterionFields::from(&stored)) });
        let action = AuditAction::CriterionDeleted;
        record_criterion(conn, admin_id, stored.module_id, action, details)?;
        Ok(true)
    })
}

/// Swaps a criterion of the course's task with its neighbour above (`up`) or below.
pub fn move_criterion(
    conn: &mut AnyConnection,
    ids: (i32, i32, i32),
    up: bool,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let stored = locked_criterion(conn, ids)?;
        authoring::move_criterion(conn, stored.id, up)
    })
}
