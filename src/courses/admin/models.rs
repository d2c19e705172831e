//! Course authoring: the queries only the authoring pages use (checks before saving, versioned
//! updates, reordering questions and criteria, the publishing checks).

use diesel::prelude::*;

use crate::courses::models::{
    self, Course, Criterion, ModuleFields, Question, QuizOption, QuizSettings,
};
use crate::db::{self, AnyConnection};
use crate::domain::{ModuleKind, Version};
use crate::schema::{
    courses, modules, quiz_attempts, quiz_options, quiz_questions, task_criteria, task_scores,
};

/// Writes the module (and a quiz's settings) if it is still at `version`, in one update, and
/// moves it on; false (nothing written) when
/// another change came first.
pub fn update_module(
    conn: &mut AnyConnection,
    id: i32,
    version: Version,
    fields: &ModuleFields,
    settings: Option<&QuizSettings>,
) -> QueryResult<bool> {
    let written = diesel::update(
        modules::table
            .find(id)
            .filter(modules::version.eq(version.get())),
    )
    .set((fields, settings, modules::version.eq(modules::version + 1)))
    .execute(conn)?;
    Ok(written == 1)
}

/// Writes the question (prompt, multiple answers?, explanation) with its new options if it is still at `version`, and moves it on;
/// false (nothing written) when another change came first.
pub fn update_question(
    conn: &mut AnyConnection,
    id: i32,
    version: Version,
    (prompt, multiple, explanation): (&str, bool, &str),
    options: &[(String, bool)],
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let written = diesel::update(
            quiz_questions::table
                .find(id)
                .filter(quiz_questions::version.eq(version.get())),
        )
        .set((
            quiz_questions::prompt.eq(prompt),
            quiz_questions::multiple.eq(multiple),
            quiz_questions::explanation.eq(explanation),
            quiz_questions::version.eq(quiz_questions::version + 1),
        ))
        .execute(conn)?;
        if written == 0 {
            return Ok(false);
        }
        diesel::delete(quiz_options::table.filter(quiz_options::question_id.eq(id)))
            .execute(conn)?;
        models::insert_options(conn, id, options)?;
        Ok(true)
    })
}

/// A question with its options in order.
pub fn question_with_options(
    conn: &mut AnyConnection,
    id: i32,
) -> QueryResult<(Question, Vec<QuizOption>)> {
    let question = question_by_id(conn, id)?;
    let options = quiz_options::table
        .filter(quiz_options::question_id.eq(id))
        .order(quiz_options::position.asc())
        .select(QuizOption::as_select())
        .load(conn)?;
    Ok((question, options))
}

pub fn delete_question(conn: &mut AnyConnection, question_id: i32) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        diesel::delete(quiz_options::table.filter(quiz_options::question_id.eq(question_id)))
            .execute(conn)?;
        diesel::delete(quiz_questions::table.find(question_id)).execute(conn)?;
        Ok(())
    })
}

/// Every course, newest first, with how many modules it has (archived ones left out).
pub fn all_courses_with_module_counts(conn: &mut AnyConnection) -> QueryResult<Vec<(Course, i64)>> {
    let all: Vec<Course> = courses::table
        .order(courses::id.desc())
        .select(Course::as_select())
        .load(conn)?;
    let ids: Vec<i32> = all.iter().map(|c| c.id).collect();
    let counts = models::module_counts(conn, &ids)?;
    Ok(all
        .into_iter()
        .map(|c| {
            let n = counts.get(&c.id).copied().unwrap_or(0);
            (c, n)
        })
        .collect())
}

/// Whether another course already uses this slug.
pub fn course_slug_taken(
    conn: &mut AnyConnection,
    slug: &str,
    except: Option<i32>,
) -> QueryResult<bool> {
    let mut query = courses::table
        .filter(courses::slug.eq(slug))
        .select(courses::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(courses::id.ne(id));
    }
    Ok(query.first::<i32>(conn).optional()?.is_some())
}

/// Whether another module of the course already uses this slug (archived ones too).
pub fn module_slug_taken(
    conn: &mut AnyConnection,
    course_id: i32,
    slug: &str,
    except: Option<i32>,
) -> QueryResult<bool> {
    let mut query = modules::table
        .filter(modules::course_id.eq(course_id))
        .filter(modules::slug.eq(slug))
        .select(modules::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(modules::id.ne(id));
    }
    Ok(query.first::<i32>(conn).optional()?.is_some())
}

/// A course may be published once it has a required module that is not archived.
pub fn has_required_module(conn: &mut AnyConnection, course_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        modules::table
            .filter(modules::course_id.eq(course_id))
            .filter(modules::required.eq(true))
            .filter(modules::archived_at.is_null()),
    ))
    .get_result(conn)
}

/// How many teachers have ever enrolled on the course (withdrawn ones keep their progress).
pub fn enrolment_count(conn: &mut AnyConnection, course_id: i32) -> QueryResult<i64> {
    crate::schema::enrolments::table
        .filter(crate::schema::enrolments::course_id.eq(course_id))
        .count()
        .get_result(conn)
}

pub fn question_by_id(conn: &mut AnyConnection, id: i32) -> QueryResult<Question> {
    quiz_questions::table
        .find(id)
        .select(Question::as_select())
        .first(conn)
}

/// Swaps a question with its neighbour above (`up`) or below in its quiz (positions are unique
/// per quiz: one is parked past the end meanwhile). Returns false at either end.
pub fn move_question(conn: &mut AnyConnection, id: i32, up: bool) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let question = question_by_id(conn, id)?;
        let siblings = quiz_questions::table
            .filter(quiz_questions::module_id.eq(question.module_id))
            .select((quiz_questions::id, quiz_questions::position));
        let neighbour: Option<(i32, i32)> = if up {
            siblings
                .filter(quiz_questions::position.lt(question.position))
                .order(quiz_questions::position.desc())
                .first(conn)
                .optional()?
        } else {
            siblings
                .filter(quiz_questions::position.gt(question.position))
                .order(quiz_questions::position.asc())
                .first(conn)
                .optional()?
        };
        let Some((other_id, other_position)) = neighbour else {
            return Ok(false);
        };
        let parked: i32 = quiz_questions::table
            .filter(quiz_questions::module_id.eq(question.module_id))
            .select(diesel::dsl::max(quiz_questions::position))
            .first::<Option<i32>>(conn)?
            .unwrap_or(0)
            + 1;
        let mut place = |id: i32, position: i32| {
            diesel::update(quiz_questions::table.find(id))
                .set((
                    quiz_questions::position.eq(position),
                    quiz_questions::version.eq(quiz_questions::version + 1),
                ))
                .execute(conn)
        };
        place(id, parked)?;
        place(other_id, question.position)?;
        place(id, other_position)?;
        Ok(true)
    })
}

/// Holds the module's row until the transaction ends (on PostgreSQL a row lock by an update
/// that changes nothing; SQLite's writers take turns anyway), so that changes to the order of
/// its questions or criteria wait for one another and each reads the positions as they are.
pub fn lock_module(conn: &mut AnyConnection, module_id: i32) -> QueryResult<()> {
    diesel::update(modules::table.find(module_id))
        .set(modules::version.eq(modules::version))
        .execute(conn)
        .map(|_| ())
}

/// Deletes the attempts at a quiz that are not submitted (their drawn questions go with them),
/// so that the next visit draws from the quiz as it is now. Returns how many.
pub fn abandon_open_attempts(conn: &mut AnyConnection, module_id: i32) -> QueryResult<usize> {
    diesel::delete(
        quiz_attempts::table
            .filter(quiz_attempts::module_id.eq(module_id))
            .filter(quiz_attempts::submitted_at.is_null()),
    )
    .execute(conn)
}

/// How many questions a quiz's pool has.
pub fn pool_size(conn: &mut AnyConnection, module_id: i32) -> QueryResult<i64> {
    quiz_questions::table
        .filter(quiz_questions::module_id.eq(module_id))
        .count()
        .get_result(conn)
}

/// What stops a course from being published, module by module: a translation key and the
/// module's title (a quiz without questions, a quiz drawing more than its pool, a task without
/// criteria). Archived modules are left out.
pub fn publish_problems(
    conn: &mut AnyConnection,
    course_id: i32,
) -> QueryResult<Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    for module in models::modules_of(conn, course_id, false)? {
        match module.kind() {
            ModuleKind::Quiz => {
                let pool = pool_size(conn, module.id)?;
                if pool == 0 {
                    problems.push(("admin-courses-error-publish-no-questions", module.title));
                } else if module.draw_count.is_some_and(|d| i64::from(d) > pool) {
                    problems.push(("admin-courses-error-publish-small-pool", module.title));
                }
            }
            ModuleKind::Task => {
                let criteria: i64 = task_criteria::table
                    .filter(task_criteria::module_id.eq(module.id))
                    .count()
                    .get_result(conn)?;
                if criteria == 0 {
                    problems.push(("admin-courses-error-publish-no-criteria", module.title));
                }
            }
            ModuleKind::Lesson => {}
        }
    }
    Ok(problems)
}

// ---- A practical task's rubric --------------------------------------------------------------

pub fn criterion_by_id(conn: &mut AnyConnection, id: i32) -> QueryResult<Criterion> {
    task_criteria::table
        .find(id)
        .select(Criterion::as_select())
        .first(conn)
}

/// A criterion's title, description and maximum score.
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = task_criteria)]
pub struct CriterionFields {
    pub title: String,
    pub description: String,
    pub max_score: i32,
}

impl From<&Criterion> for CriterionFields {
    fn from(criterion: &Criterion) -> Self {
        Self {
            title: criterion.title.clone(),
            description: criterion.description.clone(),
            max_score: criterion.max_score,
        }
    }
}

/// Writes the criterion if it is still at `version`, and moves it on; false (nothing written)
/// when another change came first.
pub fn update_criterion(
    conn: &mut AnyConnection,
    id: i32,
    version: Version,
    fields: &CriterionFields,
) -> QueryResult<bool> {
    let written = diesel::update(
        task_criteria::table
            .find(id)
            .filter(task_criteria::version.eq(version.get())),
    )
    .set((
        fields,
        task_criteria::version.eq(task_criteria::version + 1),
    ))
    .execute(conn)?;
    Ok(written == 1)
}

/// Whether a reviewer has scored a submission against this criterion (then it stays).
pub fn criterion_has_scores(conn: &mut AnyConnection, id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        task_scores::table.filter(task_scores::criterion_id.eq(id)),
    ))
    .get_result(conn)
}

pub fn delete_criterion(conn: &mut AnyConnection, id: i32) -> QueryResult<usize> {
    diesel::delete(task_criteria::table.find(id)).execute(conn)
}

/// Swaps a criterion with its neighbour above (`up`) or below in its rubric. Returns false at
/// either end.
pub fn move_criterion(conn: &mut AnyConnection, id: i32, up: bool) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let criterion = criterion_by_id(conn, id)?;
        let siblings = task_criteria::table
            .filter(task_criteria::module_id.eq(criterion.module_id))
            .select((task_criteria::id, task_criteria::position));
        let neighbour: Option<(i32, i32)> = if up {
            siblings
                .filter(task_criteria::position.lt(criterion.position))
                .order(task_criteria::position.desc())
                .first(conn)
                .optional()?
        } else {
            siblings
                .filter(task_criteria::position.gt(criterion.position))
                .order(task_criteria::position.asc())
                .first(conn)
                .optional()?
        };
        let Some((other_id, other_position)) = neighbour else {
            return Ok(false);
        };
        let parked: i32 = task_criteria::table
            .filter(task_criteria::module_id.eq(criterion.module_id))
            .select(diesel::dsl::max(task_criteria::position))
            .first::<Option<i32>>(conn)?
            .unwrap_or(0)
            + 1;
        let mut place = |id: i32, position: i32| {
            diesel::update(task_criteria::table.find(id))
                .set((
                    task_criteria::position.eq(position),
                    task_criteria::version.eq(task_criteria::version + 1),
                ))
                .execute(conn)
        };
        place(id, parked)?;
        place(other_id, criterion.position)?;
        place(id, other_position)?;
        Ok(true)
    })
}
