//! The teacher's journey: catalogue, enrolment, lessons, quizzes, progress and completion.

use diesel::prelude::*;
use ustaz::courses::models as courses;
use ustaz::schema::{enrolments, module_progress, users};

use crate::access::{browsers, check_access, rows};
use crate::helpers::quiz::{
    answers, complete_lesson, complete_lessons, open_quiz, pass_quiz, submit, take_quiz,
    without_limits, Pick,
};
use crate::helpers::{csrf_in, location, spawn_app, visible_text, TestApp, PASSWORD};

const COURSE: &str = "foundations-of-inclusive-education-en";
const QUIZ: &str = "final-quiz";

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

fn seed(app: &TestApp) {
    let mut conn = app.conn();
    ustaz::courses::seed::install(&mut conn, now()).expect("seed courses");
}

/// An app with the starter courses and a signed-in, confirmed teacher reading English.
async fn teacher_app() -> TestApp {
    let app = spawn_app().await;
    seed(&app);
    app.sign_in_english("teacher", "aigerim@school.kz", Some("KZ-75"))
        .await;
    without_limits(&app, COURSE, QUIZ);
    app
}

fn in_english(app: &TestApp, user_id: i32) {
    diesel::update(users::table.find(user_id))
        .set(users::language.eq("en"))
        .execute(&mut app.conn())
        .expect("language");
}

async fn text(app: &TestApp, path: &str) -> String {
    let response = app.get_in(path, "en").await;
    assert_eq!(response.status(), 200, "GET {path}");
    visible_text(&response.text().await.expect("body"))
}

fn enrolment_row(app: &TestApp) -> Option<(i32, String)> {
    enrolments::table
        .select((enrolments::id, enrolments::status))
        .first(&mut app.conn())
        .optional()
        .expect("query")
}

fn progress_rows(app: &TestApp) -> Vec<(i32, Option<i32>, i32, bool)> {
    module_progress::table
        .order(module_progress::module_id)
        .select((
            module_progress::module_id,
            module_progress::best_score,
            module_progress::attempts,
            module_progress::completed_at.is_not_null(),
        ))
        .load(&mut app.conn())
        .expect("query")
}

fn course_modules(app: &TestApp) -> Vec<courses::Module> {
    let mut conn = app.conn();
    let course = courses::course_by_slug(&mut conn, COURSE)
        .expect("query")
        .expect("course");
    courses::modules_of(&mut conn, course.id, false).expect("modules")
}

#[tokio::test]
async fn the_catalogue_lists_published_courses_with_filters_and_search() {
    let app = spawn_app().await;
    seed(&app);
    {
        let mut conn = app.conn();
        let fields = courses::CourseFields {
            slug: "secret-draft".into(),
            title: "Secret draft course".into(),
            summary: "Not ready".into(),
            description: "Draft".into(),
            language: "en".into(),
            hours: 36,
            competency_area: "digital".into(),
            counts_toward_target: false,
            certificate_mode: "automatic".into(),
            sequential: false,
            updated_at: now(),
        };
        courses::create_course(&mut conn, &fields, &["general"]).expect("draft");
    }
    let all = text(&app, "/courses").await;
    assert!(all.contains("Foundations of inclusive education"), "{all}");
    assert!(all.contains("Counts toward the national target"));
    assert!(all.contains("5 courses"), "{all}");
    assert!(!all.contains("Secret draft"));
    assert_eq!(app.get("/courses/secret-draft").await.status(), 404);

    let russian = text(&app, "/courses?language=ru").await;
    assert!(russian.contains("2 courses"), "{russian}");
    assert!(!russian.contains("Foundations of inclusive education"));

    let kazakh = text(&app, "/courses?language=kk&area=inclusive&category=special").await;
    assert!(kazakh.contains("1 course"), "{kazakh}");

    let search = text(&app, "/courses?q=FOUNDATIONS&language=en").await;
    assert!(search.contains("1 course"), "{search}");
    assert!(search.contains("Foundations of inclusive education"));

    let nothing = text(&app, "/courses?area=digital").await;
    assert!(nothing.contains("No courses match"), "{nothing}");

    let page = text(&app, &format!("/courses/{COURSE}")).await;
    assert!(page.contains("Sign in to enrol"), "{page}");
    assert!(
        page.contains("What is inclusion") || page.contains("Quiz"),
        "{page}"
    );
}

#[tokio::test]
async fn an_unconfirmed_teacher_cannot_enrol() {
    let app = spawn_app().await;
    seed(&app);
    let id = app.create_user("teacher", "new@school.kz", PASSWORD, Some("KZ-75"));
    diesel::update(users::table.find(id))
        .set(users::email_verified_at.eq(None::<chrono::NaiveDateTime>))
        .execute(&mut app.conn())
        .expect("unconfirm");
    in_english(&app, id);
    assert_eq!(app.login("new@school.kz", PASSWORD).await.status(), 303);
    let page = text(&app, &format!("/courses/{COURSE}")).await;
    assert!(
        page.contains("Confirm your email address to enrol"),
        "{page}"
    );
    assert!(!page.contains("Enrol on this course"));
    let response = app.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    assert_eq!(response.status(), 403);
    assert!(enrolment_row(&app).is_none());
}

#[tokio::test]
async fn enrol_learn_withdraw_and_return_keeps_progress() {
    let app = teacher_app().await;
    let modules = course_modules(&app);
    let first = &modules[0];
    let response = app.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("/learn/{COURSE}/{}", first.slug)
    );

    let lesson = text(&app, &format!("/learn/{COURSE}/{}", first.slug)).await;
    assert!(lesson.contains("Mark as complete"), "{lesson}");
    let response = app
        .post(&format!("/learn/{COURSE}/{}/complete", first.slug), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("/learn/{COURSE}/{}", modules[1].slug)
    );
    // Twice is still once.
    app.post(&format!("/learn/{COURSE}/{}/complete", first.slug), &[])
        .await;
    assert_eq!(progress_rows(&app).len(), 1);
    let mine = text(&app, "/learn").await;
    assert!(mine.contains("1 of 7 required modules done"), "{mine}");
    assert!(mine.contains(&modules[1].title), "{mine}");

    let response = app.post(&format!("/courses/{COURSE}/withdraw"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(enrolment_row(&app).expect("row").1, "withdrawn");
    // A withdrawn teacher is sent back to the course page.
    let response = app.get(&format!("/learn/{COURSE}/{}", first.slug)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/courses/{COURSE}"));
    assert!(text(&app, "/learn").await.contains("Withdrawn"));

    let response = app.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(enrolment_row(&app).expect("row").1, "active");
    assert_eq!(progress_rows(&app).len(), 1);
    let page = text(&app, &format!("/courses/{COURSE}")).await;
    assert!(page.contains("1 of 7 required modules done"), "{page}");
    assert!(page.contains("Continue"));
}

#[tokio::test]
async fn quizzes_are_graded_retried_and_complete_the_course() {
    let app = teacher_app().await;
    app.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    let modules = course_modules(&app);
    let quiz_id = modules.iter().find(|m| m.slug == QUIZ).expect("quiz").id;
    // The quiz opens once the lessons before it are done.
    complete_lessons(&app, COURSE).await;
    assert_eq!(enrolment_row(&app).expect("row").1, "active");

    let attempt = open_quiz(&app, COURSE, QUIZ).await;
    assert!(attempt.html.contains("type=\"radio\"") && attempt.html.contains("type=\"checkbox\""));

    // 6 of 10 right: below the 70 % pass mark. The result page, after a redirect.
    let result = take_quiz(&app, COURSE, QUIZ, Pick::Wrong(4)).await;
    let page = text(&app, &result).await;
    assert!(page.contains("You did not pass this time"), "{page}");
    assert!(page.contains("60%"), "{page}");
    assert!(page.contains("6 of 10 answers right"), "{page}");
    // Which answers were wrong shows only once passed (the default feedback policy).
    assert!(!page.contains("This answer is not right"), "{page}");

    let result = take_quiz(&app, COURSE, QUIZ, Pick::Right).await;
    let page = text(&app, &result).await;
    assert!(page.contains("You passed the quiz"), "{page}");
    assert!(page.contains("100%"));
    assert_eq!(page.matches("This answer is right").count(), 10, "{page}");
    // The last required module: the course is complete.
    assert_eq!(enrolment_row(&app).expect("row").1, "completed");
    // A worse later attempt (practice) keeps the best score and the completion.
    take_quiz(&app, COURSE, QUIZ, Pick::Wrong(5)).await;
    let quiz_row = progress_rows(&app)
        .into_iter()
        .find(|r| r.0 == quiz_id)
        .expect("quiz progress");
    assert_eq!(quiz_row, (quiz_id, Some(100), 3, true));

    // Bad input: a 4xx, never a 500, and nothing recorded.
    let attempt = open_quiz(&app, COURSE, QUIZ).await;
    let right = answers(&attempt, Pick::Right);
    let id = right[0].clone();
    let first = right[1].0.clone();
    let foreign: Vec<(String, String)> = right
        .iter()
        .map(|(k, v)| {
            if *k == first {
                (k.clone(), right.last().expect("last").1.clone())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    for bad in [
        vec![id.clone(), ("q1".to_owned(), "999999".to_owned())],
        vec![id.clone(), (first.clone(), "not-a-number".to_owned())],
        foreign,
        vec![id.clone()],
        vec![],
    ] {
        let response = submit(&app, COURSE, QUIZ, &bad).await;
        assert_eq!(response.status(), 422, "{bad:?}");
    }
    assert_eq!(
        progress_rows(&app)
            .into_iter()
            .find(|r| r.0 == quiz_id)
            .expect("quiz progress")
            .2,
        3
    );
    let lesson = &modules[0].slug;
    assert_eq!(
        app.post(&format!("/learn/{COURSE}/{lesson}/quiz"), &[])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.post(&format!("/learn/{COURSE}/no-such-module/complete"), &[])
            .await
            .status(),
        404
    );
    // A module of another course under this course's address.
    assert_eq!(
        app.get(&format!("/learn/supporting-learners-with-sen-en/{lesson}"))
            .await
            .status(),
        404
    );
    let mine = text(&app, "/learn").await;
    assert!(mine.contains("Course completed"), "{mine}");
    assert!(mine.contains("7 of 7 required modules done"), "{mine}");
    assert!(text(&app, &format!("/courses/{COURSE}"))
        .await
        .contains("Course completed"));
}

#[tokio::test]
async fn concurrent_completions_count_once() {
    let app = teacher_app().await;
    app.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    let modules = course_modules(&app);
    let token = app.csrf().await;
    // Every lesson but the first one done, in any order; the first one opened.
    for module in modules.iter().skip(1).filter(|m| !m.is_quiz()) {
        complete_lesson(&app, COURSE, &module.slug).await;
    }
    assert_eq!(
        app.get(&format!("/learn/{COURSE}/{}", modules[0].slug))
            .await
            .status(),
        200
    );
    let path = app.url(&format!("/learn/{COURSE}/{}/complete", modules[0].slug));
    let requests = (0..50).map(|_| {
        app.client
            .post(&path)
            .form(&[("csrf_token", token.as_str())])
            .send()
    });
    for response in futures_util::future::join_all(requests).await {
        assert_eq!(response.expect("response").status(), 303);
    }
    // The quiz completes the course.
    pass_quiz(&app, COURSE, QUIZ).await;
    let rows = progress_rows(&app);
    assert_eq!(rows.len(), modules.len());
    assert_eq!(
        rows.iter().filter(|r| r.0 == modules[0].id).count(),
        1,
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| r.3));
    assert_eq!(enrolment_row(&app).expect("row").1, "completed");
    // The course issues certificates automatically: one, however many requests completed it.
    let issued: Vec<String> = ustaz::schema::certificates::table
        .select(ustaz::schema::certificates::serial)
        .load(&mut app.conn())
        .expect("certificates");
    assert_eq!(issued.len(), 1, "{issued:?}");
    assert_eq!(
        app.emails_to("aigerim@school.kz")
            .iter()
            .filter(|e| e.text.contains(&issued[0]))
            .count(),
        1
    );
    let completed_at: Option<chrono::NaiveDateTime> = enrolments::table
        .select(enrolments::completed_at)
        .first(&mut app.conn())
        .expect("query");
    assert!(completed_at.is_some());
}

#[tokio::test]
async fn a_lesson_page_has_navigation_and_an_outline() {
    let app = teacher_app().await;
    app.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    let modules = course_modules(&app);
    let html = app
        .get(&format!("/learn/{COURSE}/{}", modules[1].slug))
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains(&format!(
        "href=\"/learn/{COURSE}/{}\" rel=\"prev\"",
        modules[0].slug
    )));
    assert!(html.contains(&format!(
        "href=\"/learn/{COURSE}/{}\" rel=\"next\"",
        modules[2].slug
    )));
    assert!(html.contains("aria-current=\"page\""));
    assert!(!csrf_in(&html).is_empty());
}

#[tokio::test]
async fn learning_routes_access_matrix() {
    let (app, browsers) = browsers().await;
    seed(&app);
    let rows = rows![
        GET "/courses" => [Page, Page, Page, Page],
        GET "/courses/foundations-of-inclusive-education-en" => [Page, Page, Page, Page],
        POST "/courses/foundations-of-inclusive-education-en/enrol" => [SignIn, Redirect, Denied, Denied],
        GET "/learn/foundations-of-inclusive-education-en/what-is-inclusion" => [SignIn, Page, Redirect, Redirect],
        POST "/learn/foundations-of-inclusive-education-en/final-quiz/quiz" => [SignIn, Invalid, Denied, Denied],
        POST "/learn/foundations-of-inclusive-education-en/what-is-inclusion/complete" => [SignIn, Redirect, Denied, Denied],
        GET "/learn" => [SignIn, Page, Page, Page],
        POST "/courses/foundations-of-inclusive-education-en/withdraw" => [SignIn, Redirect, Denied, Denied],
        GET "/learn/foundations-of-inclusive-education-en/what-is-inclusion" => [SignIn, Redirect, Redirect, Redirect],
    ];
    check_access(&browsers, &rows).await;
}
