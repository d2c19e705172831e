//! What opening or posting to a module finds and does before a page shows it: the course, the
//! module and the teacher's progress (`Loaded`), whether the module is open yet, and at a quiz
//! the teacher's attempt and whether they may try now.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::courses::models::{self as courses, Course, Module, QuizOption};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::learning::attempts::{self as a, Attempt, AttemptQuestion};
use crate::learning::models::{self as m, Enrolment, ModuleProgress};
use crate::learning::ops::{self, Graded, Opened};
use crate::learning::quiz::{self, QuestionKey, QuizInputError};
use crate::learning::rules::{self, Gate};
use crate::state::AppState;
use crate::tasks::section::{task_section, TaskSection};
use crate::web::run;

/// Everything a module page needs, loaded in one go.
pub struct Loaded {
    pub course: Course,
    pub modules: Vec<Module>,
    pub module: Module,
    pub enrolment: Option<Enrolment>,
    pub progress: Vec<ModuleProgress>,
    pub quiz: Vec<(courses::Question, Vec<QuizOption>)>,
    /// The course id when an administrator previews it.
    pub preview: Option<i32>,
    /// A practical task's rubric, submissions and form (`tasks::section`).
    pub task: Option<TaskSection>,
}

impl Loaded {
    /// The enrolment that lets this user study the course, if any (active or completed).
    pub fn studying(&self) -> Option<&Enrolment> {
        self.enrolment.as_ref().filter(|e| e.may_study())
    }

    /// The quiz's pool as the grader sees it.
    pub fn keys(&self) -> Vec<QuestionKey> {
        self.quiz
            .iter()
            .map(|(q, options)| QuestionKey {
                id: q.id,
                multiple: q.multiple,
                options: options.iter().map(|o| (o.id, o.is_correct)).collect(),
            })
            .collect()
    }

    /// The modules to finish before this one opens (none in a preview).
    pub fn blockers(&self) -> Vec<&Module> {
        if self.preview.is_some() {
            return vec![];
        }
        rules::blockers(
            self.course.sequential,
            &self.modules,
            &self.progress,
            &self.module,
        )
    }

    pub fn position(&self) -> usize {
        self.modules
            .iter()
            .position(|m| m.id == self.module.id)
            .unwrap_or(0)
    }
}

/// The course (published) and module (not archived) of the path, or 404.
pub async fn load(
    state: &AppState,
    user_id: i32,
    course_slug: String,
    module_slug: String,
) -> AppResult<Loaded> {
    run(&state.pool, move |conn| {
        let Some(course) = courses::published_course_by_slug(conn, &course_slug)? else {
            return Ok(None);
        };
        let enrolment = m::enrolment(conn, user_id, course.id)?;
        load_module(conn, course, &module_slug, enrolment)
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// A course's module in any status, with no enrolment: what an administrator previews.
pub async fn load_preview(
    state: &AppState,
    course_id: i32,
    module_slug: String,
) -> AppResult<Loaded> {
    run(&state.pool, move |conn| {
        let course = courses::course_by_id(conn, course_id)?;
        load_module(conn, course, &module_slug, None)
    })
    .await?
    .map(|loaded| Loaded {
        preview: Some(course_id),
        ..loaded
    })
    .ok_or(AppError::NotFound)
}

fn load_module(
    conn: &mut AnyConnection,
    course: Course,
    module_slug: &str,
    enrolment: Option<Enrolment>,
) -> QueryResult<Option<Loaded>> {
    let modules = courses::modules_of(conn, course.id, false)?;
    let Some(module) = modules.iter().find(|m| m.slug == module_slug).cloned() else {
        return Ok(None);
    };
    let progress = match &enrolment {
        Some(e) => m::progress_of(conn, e.id)?,
        None => vec![],
    };
    let studying = enrolment.as_ref().filter(|e| e.may_study()).map(|e| e.id);
    let task = task_section(conn, &course.slug, &module, studying)?;
    let quiz = if module.is_quiz() {
        courses::quiz(conn, module.id)?
    } else {
        vec![]
    };
    Ok(Some(Loaded {
        course,
        modules,
        module,
        enrolment,
        progress,
        quiz,
        preview: None,
        task,
    }))
}

/// What a teacher finds at a quiz: whether they may try now, the attempt to take (when they
/// may), and their submitted attempts, newest first.
pub struct QuizVisit {
    pub gate: Gate,
    pub opened: Option<Opened>,
    pub history: Vec<Attempt>,
}

/// The teacher opens a quiz that is open to them: their open attempt, or a new one drawn and
/// stored, when the attempt policy lets them try now.
pub fn visit_quiz(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module: &Module,
    pool: &[QuestionKey],
    now: NaiveDateTime,
) -> QueryResult<QuizVisit> {
    let history = a::submitted(conn, enrolment_id, module.id)?;
    let gate = rules::gate(&module.quiz_settings(), &a::tried(&history), now);
    let opened = if gate == Gate::Open && !pool.is_empty() {
        let draw = module.quiz_settings().draw_count;
        Some(ops::open_attempt(
            conn,
            enrolment_id,
            module.id,
            pool,
            draw,
            now,
        )?)
    } else {
        None
    };
    Ok(QuizVisit {
        gate,
        opened,
        history,
    })
}

/// The stored questions of an attempt as the grader sees them, in the order shown.
fn keys_of(questions: &[AttemptQuestion], pool: &[QuestionKey]) -> Vec<QuestionKey> {
    questions
        .iter()
        .filter_map(|q| pool.iter().find(|k| k.id == q.question_id).cloned())
        .collect()
}

/// What came of posting answers to a quiz.
pub enum Submission {
    /// Graded now, or earlier (a repeated or racing post): the attempt's result.
    Graded(i32),
    /// The teacher may not try now: nothing graded.
    Wait(Gate),
    /// The post names no open attempt of this teacher's at this quiz: the quiz page again.
    Unknown(QuizVisit),
    /// The author changed the quiz under the attempt (or abandoned it): a new one is drawn.
    Changed(QuizVisit),
    /// Unanswered questions or options that are not the question's: the attempt again.
    Invalid(QuizVisit, QuizInputError),
}

/// The answers posted to a quiz: which attempt, and the form's fields.
pub struct Posted<'a> {
    pub enrolment_id: i32,
    pub course_id: i32,
    pub attempt_id: Option<i32>,
    pub fields: &'a [(String, String)],
}

/// Grades the posted attempt against its stored questions and records it, if the teacher may
/// try now and it is still open.
pub fn submit(
    conn: &mut AnyConnection,
    posted: &Posted,
    module: &Module,
    pool: &[QuestionKey],
    now: NaiveDateTime,
    base_url: &str,
) -> QueryResult<Submission> {
    crate::db::transaction(conn, |conn| {
        if let Some(id) = posted.attempt_id {
            a::lock(conn, id)?;
        }
        submit_locked(conn, posted, module, pool, now, base_url)
    })
}

fn submit_locked(
    conn: &mut AnyConnection,
    posted: &Posted,
    module: &Module,
    pool: &[QuestionKey],
    now: NaiveDateTime,
    base_url: &str,
) -> QueryResult<Submission> {
    let attempt = match posted.attempt_id {
        Some(id) => a::attempt_of(conn, id, posted.enrolment_id, module.id)?,
        None => None,
    };
    if let Some(done) = attempt.as_ref().filter(|a| a.submitted_at.is_some()) {
        return Ok(Submission::Graded(done.id));
    }
    let visit = visit_quiz(conn, posted.enrolment_id, module, pool, now)?;
    let (Gate::Open, Some(attempt)) = (visit.gate, attempt) else {
        // An attempt named but gone: the author's change abandoned it.
        return Ok(match (visit.gate, posted.attempt_id) {
            (Gate::Open, Some(_)) => Submission::Changed(visit),
            (Gate::Open, None) => Submission::Unknown(visit),
            (gate, _) => Submission::Wait(gate),
        });
    };
    let Some(opened) = visit.opened.as_ref().filter(|o| o.attempt.id == attempt.id) else {
        return Ok(Submission::Changed(visit));
    };
    let keys = keys_of(&opened.questions, pool);
    let answers = match quiz::parse_answers(posted.fields, &keys) {
        Ok(answers) => answers,
        Err(error) => return Ok(Submission::Invalid(visit, error)),
    };
    let grade = quiz::grade(&keys, &answers, module.pass_mark.unwrap_or(100));
    let graded = Graded {
        attempt_id: attempt.id,
        enrolment_id: posted.enrolment_id,
        course_id: posted.course_id,
        module_id: module.id,
        answers: keys
            .iter()
            .map(|k| {
                let chosen: Vec<i32> = answers
                    .get(&k.id)
                    .map(|c| c.iter().copied().collect())
                    .unwrap_or_default();
                (k.id, chosen, !grade.wrong.contains(&k.id))
            })
            .collect(),
        score: grade.score,
        passed: grade.passed,
    };
    ops::submit_attempt(conn, &graded, now, base_url)?;
    Ok(Submission::Graded(attempt.id))
}

/// One attempt's result: the attempt, its questions, and every submitted attempt of the teacher
/// at the quiz (for the feedback policy). None when it is not theirs or not submitted.
pub struct Outcome {
    pub attempt: Attempt,
    pub questions: Vec<AttemptQuestion>,
    pub history: Vec<Attempt>,
}

pub fn outcome(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
    attempt_id: i32,
) -> QueryResult<Option<Outcome>> {
    let Some(attempt) = a::attempt_of(conn, attempt_id, enrolment_id, module_id)?
        .filter(|a| a.submitted_at.is_some())
    else {
        return Ok(None);
    };
    Ok(Some(Outcome {
        questions: a::questions_of(conn, attempt.id)?,
        history: a::submitted(conn, enrolment_id, module_id)?,
        attempt,
    }))
}
