//! Courses, their modules, and quiz questions: rows and queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{self, AnyConnection};
use crate::domain::{
    CertificateMode, CompetencyArea, CourseStatus, ModuleKind, QuizFeedback, Version,
};
use crate::on_backend;
use crate::schema::{
    course_audiences, courses, module_progress, modules, quiz_options, quiz_questions,
    task_criteria,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = courses)]
pub struct Course {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub language: String,
    pub hours: i32,
    pub competency_area: String,
    pub status: String,
    pub counts_toward_target: bool,
    pub certificate_mode: String,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    /// One more at every change (`crate::domain::Version`).
    pub version: i32,
    /// The required modules are taken in order.
    pub sequential: bool,
}

impl Course {
    /// The stored status (the schema CHECKs the code; anything else would read as a draft).
    pub fn status(&self) -> CourseStatus {
        CourseStatus::parse(&self.status).unwrap_or(CourseStatus::Draft)
    }

    pub fn is_published(&self) -> bool {
        self.status() == CourseStatus::Published
    }

    pub fn competency_area(&self) -> Option<CompetencyArea> {
        CompetencyArea::parse(&self.competency_area)
    }

    /// The stored mode (the schema CHECKs the code; anything else would read as automatic).
    pub fn certificate_mode(&self) -> CertificateMode {
        CertificateMode::parse(&self.certificate_mode).unwrap_or(CertificateMode::Automatic)
    }
}

/// What an administrator writes about a course.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = courses)]
pub struct CourseFields {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub language: String,
    pub hours: i32,
    pub competency_area: String,
    pub counts_toward_target: bool,
    pub certificate_mode: String,
    pub sequential: bool,
    pub updated_at: NaiveDateTime,
}

impl From<&Course> for CourseFields {
    /// What the course says now, as its form would save it.
    fn from(course: &Course) -> Self {
        Self {
            slug: course.slug.clone(),
            title: course.title.clone(),
            summary: course.summary.clone(),
            description: course.description.clone(),
            language: course.language.clone(),
            hours: course.hours,
            competency_area: course.competency_area.clone(),
            counts_toward_target: course.counts_toward_target,
            certificate_mode: course.certificate_mode.clone(),
            sequential: course.sequential,
            updated_at: course.updated_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = modules)]
pub struct Module {
    pub id: i32,
    pub course_id: i32,
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub slug: String,
    pub body_markdown: String,
    pub video_url: Option<String>,
    pub transcript: Option<String>,
    pub pass_mark: Option<i32>,
    pub required: bool,
    pub archived_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub draw_count: Option<i32>,
    pub attempts_allowed: Option<i32>,
    pub attempt_period_hours: Option<i32>,
    pub retry_wait_minutes: i32,
    pub feedback: String,
}

impl Module {
    /// The stored kind (the schema CHECKs the code; anything else would read as a lesson).
    pub fn kind(&self) -> ModuleKind {
        ModuleKind::parse(&self.kind).unwrap_or(ModuleKind::Lesson)
    }

    pub fn is_quiz(&self) -> bool {
        self.kind() == ModuleKind::Quiz
    }

    pub fn is_task(&self) -> bool {
        self.kind() == ModuleKind::Task
    }

    /// How attempts at this quiz are drawn, limited and shown.
    pub fn quiz_settings(&self) -> QuizSettings {
        QuizSettings {
            draw_count: self.draw_count,
            attempts_allowed: self.attempts_allowed,
            attempt_period_hours: self.attempt_period_hours,
            retry_wait_minutes: self.retry_wait_minutes,
            feedback: self.feedback.clone(),
        }
    }
}

/// A quiz's attempt policy (the columns of `modules` that only a quiz uses): how many questions
/// an attempt draws from the pool (all when `None`), how many attempts a period allows
/// (unlimited when `None`; in all when there is no period), the wait after an attempt that did
/// not pass, and what an attempt shows (`QuizFeedback`).
#[derive(Debug, Clone, PartialEq, Eq, Insertable, AsChangeset)]
#[diesel(table_name = modules, treat_none_as_null = true)]
pub struct QuizSettings {
    pub draw_count: Option<i32>,
    pub attempts_allowed: Option<i32>,
    pub attempt_period_hours: Option<i32>,
    pub retry_wait_minutes: i32,
    pub feedback: String,
}

impl Default for QuizSettings {
    /// Every question, unlimited attempts, no wait, details once passed.
    fn default() -> Self {
        Self {
            draw_count: None,
            attempts_allowed: None,
            attempt_period_hours: None,
            retry_wait_minutes: 0,
            feedback: QuizFeedback::AfterPass.as_str().to_owned(),
        }
    }
}

impl QuizSettings {
    /// The stored feedback (the schema CHECKs the code; anything else would read as `AfterPass`).
    pub fn feedback(&self) -> QuizFeedback {
        QuizFeedback::parse(&self.feedback).unwrap_or(QuizFeedback::AfterPass)
    }
}

/// Writes a quiz's attempt policy (a change of the module: its version moves on).
pub fn set_quiz_settings(
    conn: &mut AnyConnection,
    module_id: i32,
    settings: &QuizSettings,
) -> QueryResult<()> {
    diesel::update(modules::table.find(module_id))
        .set((settings, modules::version.eq(modules::version + 1)))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = modules, treat_none_as_null = true)]
pub struct ModuleFields {
    pub title: String,
    pub slug: String,
    pub body_markdown: String,
    pub video_url: Option<String>,
    pub transcript: Option<String>,
    pub pass_mark: Option<i32>,
    pub required: bool,
    pub updated_at: NaiveDateTime,
}

impl From<&Module> for ModuleFields {
    /// What the module says now, as its form would save it.
    fn from(module: &Module) -> Self {
        Self {
            title: module.title.clone(),
            slug: module.slug.clone(),
            body_markdown: module.body_markdown.clone(),
            video_url: module.video_url.clone(),
            transcript: module.transcript.clone(),
            pass_mark: module.pass_mark,
            required: module.required,
            updated_at: module.updated_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = quiz_questions)]
pub struct Question {
    pub id: i32,
    pub module_id: i32,
    pub position: i32,
    pub prompt: String,
    pub multiple: bool,
    pub version: i32,
    /// Why the right answer is right, shown with the feedback.
    pub explanation: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = quiz_options)]
pub struct QuizOption {
    pub id: i32,
    pub question_id: i32,
    pub position: i32,
    pub label: String,
    pub is_correct: bool,
}

pub fn course_by_slug(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<Course>> {
    courses::table
        .filter(courses::slug.eq(slug))
        .select(Course::as_select())
        .first(conn)
        .optional()
}

/// A course teachers may see (published), by slug.
pub fn published_course_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
) -> QueryResult<Option<Course>> {
    Ok(course_by_slug(conn, slug)?.filter(Course::is_published))
}

pub fn course_by_id(conn: &mut AnyConnection, id: i32) -> QueryResult<Course> {
    courses::table
        .find(id)
        .select(Course::as_select())
        .first(conn)
}

pub fn create_course(
    conn: &mut AnyConnection,
    fields: &CourseFields,
    audience: &[&str],
) -> QueryResult<i32> {
    db::transaction(conn, |conn| {
        let id: i32 = on_backend!(conn, |c| diesel::insert_into(courses::table)
            .values(fields)
            .returning(courses::id)
            .get_result(c))?;
        set_audience(conn, id, audience)?;
        Ok(id)
    })
}

/// Writes the course and its audience if the course is still at `version`, and moves it on;
/// false (nothing written) when another change came first.
pub fn update_course(
    conn: &mut AnyConnection,
    id: i32,
    version: Version,
    fields: &CourseFields,
    audience: &[&str],
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let written = diesel::update(
            courses::table
                .find(id)
                .filter(courses::version.eq(version.get())),
        )
        .set((fields, courses::version.eq(courses::version + 1)))
        .execute(conn)?;
        if written == 0 {
            return Ok(false);
        }
        set_audience(conn, id, audience)?;
        Ok(true)
    })
}

fn set_audience(conn: &mut AnyConnection, course_id: i32, audience: &[&str]) -> QueryResult<()> {
    diesel::delete(course_audiences::table.filter(course_audiences::course_id.eq(course_id)))
        .execute(conn)?;
    for category in audience {
        diesel::insert_into(course_audiences::table)
            .values((
                course_audiences::course_id.eq(course_id),
                course_audiences::category.eq(*category),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The teaching categories each course is written for.
pub fn audiences(
    conn: &mut AnyConnection,
    course_ids: &[i32],
) -> QueryResult<HashMap<i32, Vec<String>>> {
    let rows: Vec<(i32, String)> = course_audiences::table
        .filter(course_audiences::course_id.eq_any(course_ids))
        .order((course_audiences::course_id, course_audiences::category))
        .select((course_audiences::course_id, course_audiences::category))
        .load(conn)?;
    let mut map: HashMap<i32, Vec<String>> = HashMap::new();
    for (course_id, category) in rows {
        map.entry(course_id).or_default().push(category);
    }
    Ok(map)
}

/// The teaching categories one course is written for.
pub fn audience_of(conn: &mut AnyConnection, course_id: i32) -> QueryResult<Vec<String>> {
    Ok(audiences(conn, &[course_id])?
        .remove(&course_id)
        .unwrap_or_default())
}

pub fn set_status(
    conn: &mut AnyConnection,
    id: i32,
    status: CourseStatus,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let published_at = (status == CourseStatus::Published).then_some(now);
    diesel::update(courses::table.find(id))
        .set((
            courses::status.eq(status.as_str()),
            courses::published_at.eq(published_at),
            courses::updated_at.eq(now),
            courses::version.eq(courses::version + 1),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The course's modules in order; archived ones only when asked (authoring shows them).
pub fn modules_of(
    conn: &mut AnyConnection,
    course_id: i32,
    with_archived: bool,
) -> QueryResult<Vec<Module>> {
    let mut query = modules::table
        .filter(modules::course_id.eq(course_id))
        .order(modules::position.asc())
        .select(Module::as_select())
        .into_boxed();
    if !with_archived {
        query = query.filter(modules::archived_at.is_null());
    }
    query.load(conn)
}

pub fn module_by_slug(
    conn: &mut AnyConnection,
    course_id: i32,
    slug: &str,
) -> QueryResult<Option<Module>> {
    modules::table
        .filter(modules::course_id.eq(course_id))
        .filter(modules::slug.eq(slug))
        .select(Module::as_select())
        .first(conn)
        .optional()
}

pub fn module_by_id(conn: &mut AnyConnection, id: i32) -> QueryResult<Module> {
    modules::table
        .find(id)
        .select(Module::as_select())
        .first(conn)
}

/// A module of the given course, or `NotFound` (never a module of another course through an
/// address that names both).
pub fn module_of_course(
    conn: &mut AnyConnection,
    course_id: i32,
    module_id: i32,
) -> QueryResult<Module> {
    let module = module_by_id(conn, module_id)?;
    if module.course_id == course_id {
        Ok(module)
    } else {
        Err(diesel::NotFound)
    }
}

/// Adds a module at the end of the course.
pub fn add_module(
    conn: &mut AnyConnection,
    course_id: i32,
    kind: &str,
    fields: &ModuleFields,
) -> QueryResult<i32> {
    db::transaction(conn, |conn| {
        let last: Option<i32> = modules::table
            .filter(modules::course_id.eq(course_id))
            .select(diesel::dsl::max(modules::position))
            .first(conn)?;
        let position = last.unwrap_or(0) + 1;
        on_backend!(conn, |c| diesel::insert_into(modules::table)
            .values((
                fields,
                modules::course_id.eq(course_id),
                modules::kind.eq(kind),
                modules::position.eq(position),
                modules::created_at.eq(fields.updated_at),
            ))
            .returning(modules::id)
            .get_result(c))
    })
}

/// Moves a module to `position`: a change of the module like any other (its version moves on).
fn set_position(conn: &mut AnyConnection, id: i32, position: i32) -> QueryResult<usize> {
    diesel::update(modules::table.find(id))
        .set((
            modules::position.eq(position),
            modules::version.eq(modules::version + 1),
        ))
        .execute(conn)
}

/// Swaps a module with its neighbour above (`up`) or below. Returns false at either end.
pub fn move_module(conn: &mut AnyConnection, id: i32, up: bool) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let module = module_by_id(conn, id)?;
        let neighbour: Option<(i32, i32)> = if up {
            modules::table
                .filter(modules::course_id.eq(module.course_id))
                .filter(modules::position.lt(module.position))
                .order(modules::position.desc())
                .select((modules::id, modules::position))
                .first(conn)
                .optional()?
        } else {
            modules::table
                .filter(modules::course_id.eq(module.course_id))
                .filter(modules::position.gt(module.position))
                .order(modules::position.asc())
                .select((modules::id, modules::position))
                .first(conn)
                .optional()?
        };
        let Some((other_id, other_position)) = neighbour else {
            return Ok(false);
        };
        // Positions are unique per course: park one module past the end while swapping.
        let parked: i32 = modules::table
            .filter(modules::course_id.eq(module.course_id))
            .select(diesel::dsl::max(modules::position))
            .first::<Option<i32>>(conn)?
            .unwrap_or(0)
            + 1;
        set_position(conn, id, parked)?;
        set_position(conn, other_id, module.position)?;
        set_position(conn, id, other_position)?;
        Ok(true)
    })
}

/// Whether any teacher has completed this module (then it may be archived, never deleted).
pub fn module_has_completions(conn: &mut AnyConnection, module_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        module_progress::table
            .filter(module_progress::module_id.eq(module_id))
            .filter(module_progress::completed_at.is_not_null()),
    ))
    .get_result(conn)
}

/// Deletes a module nobody has completed, or archives it when someone has.
/// Returns true when it was deleted.
pub fn remove_module(conn: &mut AnyConnection, id: i32, now: NaiveDateTime) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        if module_has_completions(conn, id)? {
            diesel::update(modules::table.find(id))
                .set((
                    modules::archived_at.eq(now),
                    modules::version.eq(modules::version + 1),
                ))
                .execute(conn)?;
            return Ok(false);
        }
        diesel::delete(module_progress::table.filter(module_progress::module_id.eq(id)))
            .execute(conn)?;
        diesel::delete(modules::table.find(id)).execute(conn)?;
        Ok(true)
    })
}

/// A quiz's questions in order, each with its options in order.
pub fn quiz(
    conn: &mut AnyConnection,
    module_id: i32,
) -> QueryResult<Vec<(Question, Vec<QuizOption>)>> {
    let questions: Vec<Question> = quiz_questions::table
        .filter(quiz_questions::module_id.eq(module_id))
        .order(quiz_questions::position.asc())
        .select(Question::as_select())
        .load(conn)?;
    let ids: Vec<i32> = questions.iter().map(|q| q.id).collect();
    let options: Vec<QuizOption> = quiz_options::table
        .filter(quiz_options::question_id.eq_any(&ids))
        .order((
            quiz_options::question_id.asc(),
            quiz_options::position.asc(),
        ))
        .select(QuizOption::as_select())
        .load(conn)?;
    let mut by_question: HashMap<i32, Vec<QuizOption>> = HashMap::new();
    for option in options {
        by_question
            .entry(option.question_id)
            .or_default()
            .push(option);
    }
    Ok(questions
        .into_iter()
        .map(|q| {
            let options = by_question.remove(&q.id).unwrap_or_default();
            (q, options)
        })
        .collect())
}

/// Adds a question with its options (label, correct?) at the end of the quiz.
pub fn add_question(
    conn: &mut AnyConnection,
    module_id: i32,
    prompt: &str,
    multiple: bool,
    explanation: &str,
    options: &[(String, bool)],
) -> QueryResult<i32> {
    db::transaction(conn, |conn| {
        let last: Option<i32> = quiz_questions::table
            .filter(quiz_questions::module_id.eq(module_id))
            .select(diesel::dsl::max(quiz_questions::position))
            .first(conn)?;
        let question_id: i32 = on_backend!(conn, |c| diesel::insert_into(quiz_questions::table)
            .values((
                quiz_questions::module_id.eq(module_id),
                quiz_questions::position.eq(last.unwrap_or(0) + 1),
                quiz_questions::prompt.eq(prompt),
                quiz_questions::multiple.eq(multiple),
                quiz_questions::explanation.eq(explanation),
            ))
            .returning(quiz_questions::id)
            .get_result(c))?;
        insert_options(conn, question_id, options)?;
        Ok(question_id)
    })
}

pub fn insert_options(
    conn: &mut AnyConnection,
    question_id: i32,
    options: &[(String, bool)],
) -> QueryResult<()> {
    for (i, (label, correct)) in options.iter().enumerate() {
        diesel::insert_into(quiz_options::table)
            .values((
                quiz_options::question_id.eq(question_id),
                quiz_options::position.eq(i as i32 + 1),
                quiz_options::label.eq(label),
                quiz_options::is_correct.eq(*correct),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every published course, newest first (the catalogue filters them in Rust: they are few, and
/// SQLite's `lower()` only folds ASCII).
pub fn published_courses(conn: &mut AnyConnection) -> QueryResult<Vec<Course>> {
    courses::table
        .filter(courses::status.eq(CourseStatus::Published.as_str()))
        .order((courses::published_at.desc(), courses::id.desc()))
        .select(Course::as_select())
        .load(conn)
}

/// How many (not archived) modules each course has.
pub fn module_counts(
    conn: &mut AnyConnection,
    course_ids: &[i32],
) -> QueryResult<HashMap<i32, i64>> {
    let rows: Vec<(i32, i64)> = modules::table
        .filter(modules::course_id.eq_any(course_ids))
        .filter(modules::archived_at.is_null())
        .group_by(modules::course_id)
        .select((modules::course_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

// ---- A practical task's rubric --------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = task_criteria)]
pub struct Criterion {
    pub id: i32,
    pub module_id: i32,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub max_score: i32,
    pub version: i32,
}

/// A task's rubric in order.
pub fn criteria_of(conn: &mut AnyConnection, module_id: i32) -> QueryResult<Vec<Criterion>> {
    task_criteria::table
        .filter(task_criteria::module_id.eq(module_id))
        .order(task_criteria::position.asc())
        .select(Criterion::as_select())
        .load(conn)
}

/// Adds a criterion at the end of a task's rubric.
pub fn add_criterion(
    conn: &mut AnyConnection,
    module_id: i32,
    title: &str,
    description: &str,
    max_score: i32,
) -> QueryResult<i32> {
    db::transaction(conn, |conn| {
        let last: Option<i32> = task_criteria::table
            .filter(task_criteria::module_id.eq(module_id))
            .select(diesel::dsl::max(task_criteria::position))
            .first(conn)?;
        on_backend!(conn, |c| diesel::insert_into(task_criteria::table)
            .values((
                task_criteria::module_id.eq(module_id),
                task_criteria::position.eq(last.unwrap_or(0) + 1),
                task_criteria::title.eq(title),
                task_criteria::description.eq(description),
                task_criteria::max_score.eq(max_score),
            ))
            .returning(task_criteria::id)
            .get_result(c))
    })
}
