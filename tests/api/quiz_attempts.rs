//! Quiz attempts: drawn from the pool and stored (a reload shows the same attempt), graded once
//! with a redirect to the result, limited by the attempt policy, and shown as the feedback
//! policy allows.

use chrono::Duration;
use diesel::prelude::*;
use ustaz::courses::models::{self as courses, QuizSettings};
use ustaz::domain::QuizFeedback;
use ustaz::schema::{module_progress, quiz_attempts, quiz_questions};

use crate::access::{browsers, check_access, rows};
use crate::helpers::quiz::{
    answers, complete_lessons, module, open_quiz, pass_quiz, submit, take_quiz, without_limits,
    Drawn, Pick,
};
use crate::helpers::{field_in, location, spawn_app, text_of, TestApp};

const COURSE: &str = "foundations-of-inclusive-education-en";
const QUIZ: &str = "final-quiz";

/// The starter courses, and a teacher (reading English) enrolled with the lessons done.
async fn ready(app: &TestApp, email: &str) {
    if courses::course_by_slug(&mut app.conn(), COURSE)
        .expect("query")
        .is_none()
    {
        ustaz::courses::seed::install(&mut app.conn(), chrono::Utc::now().naive_utc())
            .expect("seed");
    }
    app.sign_in_english("teacher", email, Some("KZ-75")).await;
    assert_eq!(
        app.post(&format!("/courses/{COURSE}/enrol"), &[])
            .await
            .status(),
        303
    );
    complete_lessons(app, COURSE).await;
}

async fn teacher() -> TestApp {
    let app = spawn_app().await;
    ready(&app, "aigerim@school.kz").await;
    without_limits(&app, COURSE, QUIZ);
    app
}

fn set_policy(app: &TestApp, settings: QuizSettings) {
    let quiz = module(app, COURSE, QUIZ);
    courses::set_quiz_settings(&mut app.conn(), quiz.id, &settings).expect("settings");
}

/// Moves every stored attempt `minutes` into the past, as if that time had passed.
fn time_passes(app: &TestApp, minutes: i64) {
    let attempts: Vec<(i32, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> =
        quiz_attempts::table
            .select((
                quiz_attempts::id,
                quiz_attempts::drawn_at,
                quiz_attempts::submitted_at,
            ))
            .load(&mut app.conn())
            .expect("attempts");
    for (id, drawn, submitted) in attempts {
        diesel::update(quiz_attempts::table.find(id))
            .set((
                quiz_attempts::drawn_at.eq(drawn - Duration::minutes(minutes)),
                quiz_attempts::submitted_at.eq(submitted.map(|s| s - Duration::minutes(minutes))),
            ))
            .execute(&mut app.conn())
            .expect("back-date");
    }
}

fn counts(app: &TestApp) -> (i64, i64, i32) {
    let all: i64 = quiz_attempts::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    let submitted: i64 = quiz_attempts::table
        .filter(quiz_attempts::submitted_at.is_not_null())
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    let quiz = module(app, COURSE, QUIZ);
    let progress: i32 = module_progress::table
        .filter(module_progress::module_id.eq(quiz.id))
        .select(module_progress::attempts)
        .first(&mut app.conn())
        .optional()
        .expect("progress")
        .unwrap_or(0);
    (all, submitted, progress)
}

/// The question ids in the order the page shows them.
fn shown_order(html: &str) -> Vec<i32> {
    html.split("<fieldset class=\"quiz-question\" id=\"q")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

fn order_of(attempt: &Drawn) -> Vec<(i32, Vec<i32>)> {
    attempt
        .questions
        .iter()
        .map(|q| (q.question_id, q.options.iter().map(|o| o.0).collect()))
        .collect()
}

#[tokio::test]
async fn an_attempt_is_drawn_from_the_pool_and_a_reload_shows_it_again() {
    let app = teacher().await;
    set_policy(
        &app,
        QuizSettings {
            draw_count: Some(5),
            ..QuizSettings::default()
        },
    );
    let first = open_quiz(&app, COURSE, QUIZ).await;
    assert_eq!(first.questions.len(), 5);
    let ids: Vec<i32> = first.questions.iter().map(|q| q.question_id).collect();
    assert_eq!(shown_order(&first.html), ids, "shown in the stored order");
    // The options are shown in the stored order.
    for question in &first.questions {
        let positions: Vec<usize> = question
            .options
            .iter()
            .map(|o| {
                first
                    .html
                    .find(&format!("id=\"o{}\"", o.0))
                    .expect("option")
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    }
    let again = open_quiz(&app, COURSE, QUIZ).await;
    assert_eq!(again.id, first.id);
    assert_eq!(order_of(&again), order_of(&first));
    assert_eq!(counts(&app).0, 1);

    // Another teacher gets their own draws, which differ.
    let other = app.another_browser();
    ready(&other, "dana@school.kz").await;
    let mut differ = false;
    for _ in 0..5 {
        let theirs = open_quiz(&other, COURSE, QUIZ).await;
        assert_ne!(theirs.id, first.id);
        if order_of(&theirs) != order_of(&first) {
            differ = true;
            break;
        }
        take_quiz(&other, COURSE, QUIZ, Pick::Wrong(5)).await;
    }
    assert!(differ, "two teachers' draws differ");
    // A question answered that is not in the attempt is refused.
    let outside = courses::quiz(&mut app.conn(), module(&app, COURSE, QUIZ).id)
        .expect("quiz")
        .into_iter()
        .find(|(q, _)| !ids.contains(&q.id))
        .expect("a question not drawn");
    let mut fields = answers(&first, Pick::Right);
    fields.push((format!("q{}", outside.0.id), outside.1[0].id.to_string()));
    assert_eq!(submit(&app, COURSE, QUIZ, &fields).await.status(), 422);
    assert_eq!(counts(&app).1, 0);
}

#[tokio::test]
async fn fifty_concurrent_opens_store_one_attempt() {
    let app = teacher().await;
    let path = app.url(&format!("/learn/{COURSE}/{QUIZ}"));
    let requests = (0..50).map(|_| app.client.get(&path).send());
    let mut shown = std::collections::BTreeSet::new();
    for response in futures_util::future::join_all(requests).await {
        let response = response.expect("response");
        assert_eq!(response.status(), 200);
        shown.insert(field_in(&response.text().await.expect("body"), "attempt"));
    }
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(counts(&app).0, 1);
}

#[tokio::test]
async fn fifty_concurrent_submits_grade_once_and_redirect_to_the_result() {
    let app = teacher().await;
    let attempt = open_quiz(&app, COURSE, QUIZ).await;
    let mut fields = answers(&attempt, Pick::Wrong(5));
    fields.push(("csrf_token".to_owned(), app.csrf().await));
    let path = app.url(&format!("/learn/{COURSE}/{QUIZ}/quiz"));
    let requests = (0..50).map(|_| app.client.post(&path).form(&fields).send());
    let result = format!("/learn/{COURSE}/{QUIZ}/attempts/{}", attempt.id);
    for response in futures_util::future::join_all(requests).await {
        let response = response.expect("response");
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), result);
    }
    assert_eq!(counts(&app), (1, 1, 1));
    // The result page, reloaded, submits nothing.
    for _ in 0..2 {
        let page = text_of(app.get_in(&result, "en").await).await;
        assert!(page.contains("Your score: 50%"), "{page}");
    }
    assert_eq!(counts(&app), (1, 1, 1));
    // Posting the submitted attempt again leads to its result, recording nothing.
    let again = submit(&app, COURSE, QUIZ, &answers(&attempt, Pick::Right)).await;
    assert_eq!(again.status(), 303);
    assert_eq!(location(&again), result);
    assert_eq!(counts(&app), (1, 1, 1));
}

#[tokio::test]
async fn the_attempt_limit_and_the_wait_are_told_and_kept() {
    let app = teacher().await;
    set_policy(
        &app,
        QuizSettings {
            attempts_allowed: Some(2),
            attempt_period_hours: Some(24),
            retry_wait_minutes: 30,
            ..QuizSettings::default()
        },
    );
    let first = open_quiz(&app, COURSE, QUIZ).await;
    take_quiz_answered(&app, &first, Pick::Wrong(10)).await;
    // A wait after an attempt that did not pass: no form, the time to come back.
    let page = app.get_in(&format!("/learn/{COURSE}/{QUIZ}"), "en").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(field_in(&html, "attempt").is_empty(), "no attempt drawn");
    let text = crate::helpers::visible_text(&html);
    assert!(text.contains("You can try this quiz again from"), "{text}");
    assert!(text.contains("(Astana time)"), "{text}");
    assert_eq!(counts(&app).0, 1);
    // Posting anyway is refused with the same message, and nothing is graded.
    let refused = submit(&app, COURSE, QUIZ, &[("attempt".into(), "0".into())]).await;
    assert_eq!(refused.status(), 429);
    assert!(text_of(refused)
        .await
        .contains("You can try this quiz again from"));
    assert_eq!(counts(&app), (1, 1, 1));

    time_passes(&app, 31);
    let second = open_quiz(&app, COURSE, QUIZ).await;
    take_quiz_answered(&app, &second, Pick::Wrong(10)).await;
    // Two attempts in 24 hours: the next once the first leaves the period.
    time_passes(&app, 31);
    let text = text_of(app.get_in(&format!("/learn/{COURSE}/{QUIZ}"), "en").await).await;
    assert!(text.contains("You can try this quiz again from"), "{text}");
    let result = format!("/learn/{COURSE}/{QUIZ}/attempts/{}", second.id);
    let text = text_of(app.get_in(&result, "en").await).await;
    assert!(text.contains("You can try this quiz again from"), "{text}");
    assert!(text.contains("Back to the quiz"), "{text}");
    time_passes(&app, 24 * 60);
    pass_quiz(&app, COURSE, QUIZ).await;
    assert_eq!(counts(&app), (3, 3, 3));

    // Attempts allowed in all, with no period.
    set_policy(
        &app,
        QuizSettings {
            attempts_allowed: Some(3),
            ..QuizSettings::default()
        },
    );
    let text = text_of(app.get_in(&format!("/learn/{COURSE}/{QUIZ}"), "en").await).await;
    assert!(
        text.contains("You have used all 3 attempts this quiz allows"),
        "{text}"
    );
}

async fn take_quiz_answered(app: &TestApp, attempt: &Drawn, pick: Pick) {
    let response = submit(app, COURSE, QUIZ, &answers(attempt, pick)).await;
    assert_eq!(response.status(), 303);
}

fn explain_every_question(app: &TestApp) {
    let quiz = module(app, COURSE, QUIZ);
    diesel::update(quiz_questions::table.filter(quiz_questions::module_id.eq(quiz.id)))
        .set(quiz_questions::explanation.eq("Because the law says so."))
        .execute(&mut app.conn())
        .expect("explanations");
}

fn feedback(app: &TestApp, feedback: QuizFeedback, allowed: Option<i32>) {
    set_policy(
        app,
        QuizSettings {
            attempts_allowed: allowed,
            attempt_period_hours: allowed.map(|_| 24),
            feedback: feedback.as_str().to_owned(),
            draw_count: Some(10),
            ..QuizSettings::default()
        },
    );
}

#[tokio::test]
async fn the_result_shows_what_the_feedback_policy_allows() {
    let app = teacher().await;
    explain_every_question(&app);
    // After a pass (the default): a failed attempt shows the score only…
    let failed = take_quiz(&app, COURSE, QUIZ, Pick::Wrong(10)).await;
    let text = text_of(app.get_in(&failed, "en").await).await;
    assert!(text.contains("Your score: 0%"), "{text}");
    assert!(!text.contains("right answer"), "{text}");
    assert!(!text.contains("Because the law says so"), "{text}");
    assert!(text.contains("shows once you pass"), "{text}");
    // …until the quiz is passed: then every attempt shows its details.
    pass_quiz(&app, COURSE, QUIZ).await;
    let text = text_of(app.get_in(&failed, "en").await).await;
    assert!(text.contains("This answer is not right"), "{text}");
    assert!(text.contains("Why: Because the law says so."), "{text}");

    // Always: the details after every attempt.
    feedback(&app, QuizFeedback::Always, None);
    let other = app.another_browser();
    ready(&other, "dana@school.kz").await;
    let failed = take_quiz(&other, COURSE, QUIZ, Pick::Wrong(10)).await;
    let text = text_of(other.get_in(&failed, "en").await).await;
    assert!(text.contains("This answer is not right"), "{text}");
    assert!(text.contains("your choice"), "{text}");

    // Score only: never more than the score, even once passed.
    feedback(&app, QuizFeedback::ScoreOnly, None);
    let passed = pass_quiz(&other, COURSE, QUIZ).await;
    let text = text_of(other.get_in(&passed, "en").await).await;
    assert!(text.contains("You passed the quiz"), "{text}");
    assert!(!text.contains("This answer is right"), "{text}");
    assert!(!text.contains("Because the law says so"), "{text}");
    assert!(text.contains("This quiz shows your score only"), "{text}");

    // After a pass, with one attempt a day: the last allowed attempt shows its details.
    feedback(&app, QuizFeedback::AfterPass, Some(1));
    let third = app.another_browser();
    ready(&third, "erlan@school.kz").await;
    let failed = take_quiz(&third, COURSE, QUIZ, Pick::Wrong(10)).await;
    let text = text_of(third.get_in(&failed, "en").await).await;
    assert!(text.contains("This answer is not right"), "{text}");
    assert!(text.contains("Because the law says so"), "{text}");
}

#[tokio::test]
async fn a_changed_quiz_draws_a_new_attempt_and_says_so() {
    let app = teacher().await;
    let attempt = open_quiz(&app, COURSE, QUIZ).await;
    ustaz::courses::admin::models::delete_question(
        &mut app.conn(),
        attempt.questions[0].question_id,
    )
    .expect("delete");
    let response = submit(&app, COURSE, QUIZ, &answers(&attempt, Pick::Right)).await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.expect("body");
    assert!(
        html.contains("The quiz changed after your attempt was drawn"),
        "{html}"
    );
    let new_id = field_in(&html, "attempt");
    assert_ne!(new_id, attempt.id.to_string());
    assert_eq!(counts(&app), (1, 0, 0));
    let again = open_quiz(&app, COURSE, QUIZ).await;
    assert_eq!(again.id.to_string(), new_id);
    // Drawn afresh from the 19 questions left: ten, and not the deleted one.
    assert_eq!(again.questions.len(), 10);
    assert!(again
        .questions
        .iter()
        .all(|q| q.question_id != attempt.questions[0].question_id));
    // An author's change abandons the open attempts: posting one says so too.
    let quiz = module(&app, COURSE, QUIZ);
    ustaz::courses::admin::models::abandon_open_attempts(&mut app.conn(), quiz.id)
        .expect("abandon");
    let response = submit(&app, COURSE, QUIZ, &answers(&again, Pick::Right)).await;
    assert_eq!(response.status(), 409);
    assert!(text_of(response).await.contains("The quiz changed"));
    assert_eq!(counts(&app), (1, 0, 0));
}

#[tokio::test]
async fn only_the_attempts_teacher_sees_its_result() {
    let (app, browsers) = browsers().await;
    ustaz::courses::seed::install(&mut app.conn(), chrono::Utc::now().naive_utc()).expect("seed");
    let teacher = &browsers[1];
    teacher.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    complete_lessons(teacher, COURSE).await;
    let result = take_quiz(teacher, COURSE, QUIZ, Pick::Right).await;
    // Staff are not teachers: 403; a teacher sees their own attempts only (404 otherwise).
    check_access(
        &browsers,
        &rows![GET result.clone() => [SignIn, Page, Denied, Denied]],
    )
    .await;
    let missing = format!("/learn/{COURSE}/{QUIZ}/attempts/999999");
    assert_eq!(teacher.get(&missing).await.status(), 404);
    let other = app.another_browser();
    ready(&other, "dana@school.kz").await;
    assert_eq!(other.get(&result).await.status(), 404);
}
