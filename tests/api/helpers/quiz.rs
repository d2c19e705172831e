//! Taking quizzes and lessons as a teacher does: open a lesson and complete it, open a quiz
//! (which draws the attempt) and answer the attempt's questions as drawn, rightly or by a
//! pattern. The right options are read from the database for the questions of the attempt.

use diesel::prelude::*;
use ustaz::courses::models as courses;
use ustaz::schema::{quiz_attempt_questions, quiz_options, quiz_questions};

use super::{field_in, location, TestApp};

/// A question of an attempt as shown: its options in the order shown, with which are right.
#[derive(Debug, Clone)]
pub struct Shown {
    pub question_id: i32,
    pub multiple: bool,
    /// (option id, right?) in the order shown.
    pub options: Vec<(i32, bool)>,
}

/// The attempt a quiz page shows.
#[derive(Debug, Clone)]
pub struct Drawn {
    pub id: i32,
    pub questions: Vec<Shown>,
    pub html: String,
}

/// How to answer an attempt.
#[derive(Debug, Clone, Copy)]
pub enum Pick {
    /// Exactly the right options.
    Right,
    /// The first `n` questions answered wrongly, the rest rightly.
    Wrong(usize),
    /// The first option shown, everywhere.
    First,
    /// The last option shown, everywhere.
    Last,
    /// The first option; the first three on multiple-answer questions.
    FirstThree,
}

pub fn module(app: &TestApp, course: &str, slug: &str) -> courses::Module {
    let mut conn = app.conn();
    let course = courses::course_by_slug(&mut conn, course)
        .expect("query")
        .expect("course");
    courses::modules_of(&mut conn, course.id, false)
        .expect("modules")
        .into_iter()
        .find(|m| m.slug == slug)
        .expect("module")
}

/// The stored questions of attempt `id`, in the order shown.
pub fn attempt_questions(app: &TestApp, id: i32) -> Vec<Shown> {
    let mut conn = app.conn();
    let rows: Vec<(i32, String, bool)> = quiz_attempt_questions::table
        .inner_join(quiz_questions::table)
        .filter(quiz_attempt_questions::attempt_id.eq(id))
        .order(quiz_attempt_questions::position.asc())
        .select((
            quiz_attempt_questions::question_id,
            quiz_attempt_questions::option_order,
            quiz_questions::multiple,
        ))
        .load(&mut conn)
        .expect("attempt questions");
    rows.into_iter()
        .map(|(question_id, order, multiple)| {
            let options = order
                .split(',')
                .map(|o| {
                    let option: i32 = o.parse().expect("option id");
                    let right: bool = quiz_options::table
                        .find(option)
                        .select(quiz_options::is_correct)
                        .first(&mut conn)
                        .expect("option");
                    (option, right)
                })
                .collect();
            Shown {
                question_id,
                multiple,
                options,
            }
        })
        .collect()
}

/// Opens the quiz page (which draws the teacher's attempt, or shows their open one).
pub async fn open_quiz(app: &TestApp, course: &str, quiz: &str) -> Drawn {
    let response = app.get_in(&format!("/learn/{course}/{quiz}"), "en").await;
    assert_eq!(response.status(), 200, "GET the quiz {quiz}");
    let html = response.text().await.expect("body");
    let id: i32 = field_in(&html, "attempt")
        .parse()
        .unwrap_or_else(|_| panic!("no attempt on the quiz page: {html}"));
    Drawn {
        id,
        questions: attempt_questions(app, id),
        html,
    }
}

/// The form answering `attempt` by `pick` (with the attempt's id).
pub fn answers(attempt: &Drawn, pick: Pick) -> Vec<(String, String)> {
    let mut fields = vec![("attempt".to_owned(), attempt.id.to_string())];
    for (i, question) in attempt.questions.iter().enumerate() {
        let name = format!("q{}", question.question_id);
        let ids: Vec<i32> = question.options.iter().map(|o| o.0).collect();
        let chosen: Vec<i32> = match pick {
            Pick::Wrong(n) if i < n => question
                .options
                .iter()
                .filter(|o| !o.1)
                .map(|o| o.0)
                .take(1)
                .collect(),
            Pick::Right | Pick::Wrong(_) => question
                .options
                .iter()
                .filter(|o| o.1)
                .map(|o| o.0)
                .collect(),
            Pick::First => ids[..1].to_vec(),
            Pick::Last => ids[ids.len() - 1..].to_vec(),
            Pick::FirstThree if question.multiple => ids.iter().take(3).copied().collect(),
            Pick::FirstThree => ids[..1].to_vec(),
        };
        fields.extend(chosen.into_iter().map(|o| (name.clone(), o.to_string())));
    }
    fields
}

/// Posts answers to the quiz.
pub async fn submit(
    app: &TestApp,
    course: &str,
    quiz: &str,
    fields: &[(String, String)],
) -> reqwest::Response {
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(&format!("/learn/{course}/{quiz}/quiz"), &form)
        .await
}

/// Opens the quiz and answers its attempt by `pick`; returns the result page's path.
pub async fn take_quiz(app: &TestApp, course: &str, quiz: &str, pick: Pick) -> String {
    let attempt = open_quiz(app, course, quiz).await;
    let response = submit(app, course, quiz, &answers(&attempt, pick)).await;
    assert_eq!(response.status(), 303, "the quiz {quiz} answered");
    let result = location(&response);
    assert_eq!(
        result,
        format!("/learn/{course}/{quiz}/attempts/{}", attempt.id)
    );
    result
}

/// Passes the quiz properly (every answer right); returns the result page's path.
pub async fn pass_quiz(app: &TestApp, course: &str, quiz: &str) -> String {
    take_quiz(app, course, quiz, Pick::Right).await
}

/// Takes the limits off a quiz for tests that are not about them: ten questions an attempt,
/// any number of attempts, no wait (the starter quizzes allow 3 a day and wait 30 minutes).
pub fn without_limits(app: &TestApp, course: &str, quiz: &str) {
    let mut conn = app.conn();
    let course = courses::course_by_slug(&mut conn, course)
        .expect("query")
        .expect("course");
    let quiz = courses::module_by_slug(&mut conn, course.id, quiz)
        .expect("query")
        .expect("quiz");
    let settings = courses::QuizSettings {
        draw_count: Some(10),
        ..courses::QuizSettings::default()
    };
    courses::set_quiz_settings(&mut conn, quiz.id, &settings).expect("settings");
}

/// Opens a lesson and marks it complete, as a teacher does.
pub async fn complete_lesson(app: &TestApp, course: &str, lesson: &str) -> reqwest::Response {
    let page = app.get(&format!("/learn/{course}/{lesson}")).await;
    assert_eq!(page.status(), 200, "GET the lesson {lesson}");
    app.post(&format!("/learn/{course}/{lesson}/complete"), &[])
        .await
}

/// Opens and completes every lesson of the course, in order.
pub async fn complete_lessons(app: &TestApp, course: &str) {
    let lessons: Vec<String> = {
        let mut conn = app.conn();
        let course = courses::course_by_slug(&mut conn, course)
            .expect("query")
            .expect("course");
        courses::modules_of(&mut conn, course.id, false)
            .expect("modules")
            .into_iter()
            .filter(|m| !m.is_quiz() && !m.is_task())
            .map(|m| m.slug)
            .collect()
    };
    for lesson in lessons {
        let response = complete_lesson(app, course, &lesson).await;
        assert_eq!(response.status(), 303, "complete {lesson}");
    }
}

/// The score a result page shows ("Your score: 60%").
pub async fn score_on(app: &TestApp, result: &str) -> i32 {
    let page = super::text_of(app.get_in(result, "en").await).await;
    let at = page
        .find("Your score: ")
        .expect("a score on the result page")
        + "Your score: ".len();
    page[at..]
        .split('%')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("score in {page}"))
}
