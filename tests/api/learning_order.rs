//! The order of a course: a quiz opens once the required lessons before it are done, a lesson
//! is completed only after it was opened, and a sequential course opens its modules in order.
//! The administrator's preview draws an attempt and grades what it showed.

use diesel::prelude::*;
use ustaz::courses::models::{self as courses, QuizSettings};
use ustaz::schema::{
    courses as course_rows, module_progress, modules, quiz_attempts, quiz_questions,
};

use crate::helpers::quiz::{complete_lesson, module, open_quiz};
use crate::helpers::{field_in, spawn_admin_app, spawn_app, text_of, visible_text, TestApp};

const COURSE: &str = "foundations-of-inclusive-education-en";
const QUIZ: &str = "final-quiz";

fn lessons(app: &TestApp) -> Vec<courses::Module> {
    let mut conn = app.conn();
    let course = courses::course_by_slug(&mut conn, COURSE)
        .expect("query")
        .expect("course");
    courses::modules_of(&mut conn, course.id, false)
        .expect("modules")
        .into_iter()
        .filter(|m| !m.is_quiz())
        .collect()
}

async fn enrolled() -> TestApp {
    let app = spawn_app().await;
    ustaz::courses::seed::install(&mut app.conn(), chrono::Utc::now().naive_utc()).expect("seed");
    app.sign_in_english("teacher", "aigerim@school.kz", Some("KZ-75"))
        .await;
    app.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    app
}

fn attempts(app: &TestApp) -> i64 {
    quiz_attempts::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

fn completed(app: &TestApp, module_id: i32) -> bool {
    module_progress::table
        .filter(module_progress::module_id.eq(module_id))
        .filter(module_progress::completed_at.is_not_null())
        .count()
        .get_result::<i64>(&mut app.conn())
        .expect("count")
        == 1
}

#[tokio::test]
async fn the_quiz_opens_once_the_required_lessons_before_it_are_done() {
    let app = enrolled().await;
    let lessons = lessons(&app);
    let quiz_path = format!("/learn/{COURSE}/{QUIZ}");
    let response = app.get_in(&quiz_path, "en").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    let text = visible_text(&html);
    assert!(text.contains("This module is not open yet"), "{text}");
    assert!(text.contains("Finish these modules first"), "{text}");
    for lesson in &lessons {
        assert!(html.contains(&format!("href=\"/learn/{COURSE}/{}\"", lesson.slug)));
    }
    assert!(!html.contains("id=\"quiz-form\""), "{html}");
    assert_eq!(attempts(&app), 0);
    let refused = app.post(&format!("{quiz_path}/quiz"), &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(text_of(refused)
        .await
        .contains("This module is not open yet"));
    // The course page and the sidebar say so in words.
    let course = text_of(app.get_in(&format!("/courses/{COURSE}"), "en").await).await;
    assert!(
        course.contains("Final quiz") || course.contains("Not open yet"),
        "{course}"
    );
    assert_eq!(course.matches("Not open yet").count(), 1, "{course}");

    // An optional lesson and an archived one do not hold the quiz back.
    diesel::update(modules::table.find(lessons[0].id))
        .set(modules::required.eq(false))
        .execute(&mut app.conn())
        .expect("optional");
    diesel::update(modules::table.find(lessons[1].id))
        .set(modules::archived_at.eq(chrono::Utc::now().naive_utc()))
        .execute(&mut app.conn())
        .expect("archive");
    for lesson in &lessons[2..lessons.len() - 1] {
        assert_eq!(
            complete_lesson(&app, COURSE, &lesson.slug).await.status(),
            303
        );
    }
    let text = text_of(app.get_in(&quiz_path, "en").await).await;
    assert!(text.contains("This module is not open yet"), "{text}");
    let last = lessons.last().expect("a lesson");
    assert!(text.contains(&last.title), "{text}");
    assert!(!text.contains(&lessons[2].title) || text.contains("Course modules"));
    complete_lesson(&app, COURSE, &last.slug).await;
    let attempt = open_quiz(&app, COURSE, QUIZ).await;
    assert!(attempt.html.contains("id=\"quiz-form\""));
}

#[tokio::test]
async fn a_lesson_is_completed_only_after_it_was_opened() {
    let app = enrolled().await;
    let lesson = &lessons(&app)[1];
    let path = format!("/learn/{COURSE}/{}", lesson.slug);
    let refused = app.post(&format!("{path}/complete"), &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(text_of(refused)
        .await
        .contains("Open the lesson and read it before you mark it as complete"));
    assert!(!completed(&app, lesson.id));

    assert_eq!(app.get(&path).await.status(), 200);
    let opened = |app: &TestApp| -> Option<chrono::NaiveDateTime> {
        module_progress::table
            .filter(module_progress::module_id.eq(lesson.id))
            .select(module_progress::opened_at)
            .first(&mut app.conn())
            .expect("progress")
    };
    let first = opened(&app).expect("opened");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    app.get(&path).await;
    assert_eq!(opened(&app), Some(first), "recorded once");
    assert_eq!(
        app.post(&format!("{path}/complete"), &[]).await.status(),
        303
    );
    assert!(completed(&app, lesson.id));
}

#[tokio::test]
async fn a_sequential_course_opens_its_modules_in_order() {
    let app = enrolled().await;
    diesel::update(course_rows::table.filter(course_rows::slug.eq(COURSE)))
        .set(course_rows::sequential.eq(true))
        .execute(&mut app.conn())
        .expect("sequential");
    let lessons = lessons(&app);
    let second = format!("/learn/{COURSE}/{}", lessons[1].slug);
    let response = app.get_in(&second, "en").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(visible_text(&html).contains("This module is not open yet"));
    assert!(html.contains(&format!(
        "<li><a href=\"/learn/{COURSE}/{}\">",
        lessons[0].slug
    )));
    assert!(!html.contains("/complete\""), "no completion form: {html}");
    // Not opened while locked, so not completable.
    assert_eq!(
        app.post(&format!("{second}/complete"), &[]).await.status(),
        422
    );
    assert!(!completed(&app, lessons[1].id));
    let sidebar = visible_text(&html);
    assert!(sidebar.contains("Not open yet"), "{sidebar}");

    assert_eq!(
        complete_lesson(&app, COURSE, &lessons[0].slug)
            .await
            .status(),
        303
    );
    assert_eq!(
        complete_lesson(&app, COURSE, &lessons[1].slug)
            .await
            .status(),
        303
    );
    assert!(completed(&app, lessons[1].id));
}

#[tokio::test]
async fn the_preview_draws_an_attempt_and_grades_the_questions_it_showed() {
    let (app, _) = spawn_admin_app().await;
    ustaz::courses::seed::install(&mut app.conn(), chrono::Utc::now().naive_utc()).expect("seed");
    let quiz = module(&app, COURSE, QUIZ);
    courses::set_quiz_settings(
        &mut app.conn(),
        quiz.id,
        &QuizSettings {
            draw_count: Some(3),
            ..QuizSettings::default()
        },
    )
    .expect("settings");
    diesel::update(quiz_questions::table.filter(quiz_questions::module_id.eq(quiz.id)))
        .set(quiz_questions::explanation.eq("Because of the law."))
        .execute(&mut app.conn())
        .expect("explanations");
    let path = format!("/admin/courses/{}/preview/{QUIZ}", quiz.course_id);
    let html = app.get(&path).await.text().await.expect("body");
    let shown = field_in(&html, "drawn");
    let ids: Vec<i32> = shown.split(',').map(|id| id.parse().expect("id")).collect();
    assert_eq!(ids.len(), 3, "{html}");
    assert_eq!(html.matches("class=\"quiz-question\"").count(), 3);
    assert_eq!(attempts(&app), 0, "a preview stores no attempt");

    let pool = courses::quiz(&mut app.conn(), quiz.id).expect("quiz");
    let mut form = vec![("drawn".to_owned(), shown.clone())];
    for (question, options) in pool.iter().filter(|(q, _)| ids.contains(&q.id)) {
        for option in options.iter().filter(|o| o.is_correct) {
            form.push((format!("q{}", question.id), option.id.to_string()));
        }
    }
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let graded = app.post(&format!("{path}/quiz"), &fields).await;
    assert_eq!(graded.status(), 200);
    let text = text_of(graded).await;
    assert!(text.contains("Your score: 100%"), "{text}");
    assert!(text.contains("(right answer)"), "{text}");
    assert_eq!(
        text.matches("Why: Because of the law.").count(),
        3,
        "{text}"
    );
    assert_eq!(attempts(&app), 0);
    let recorded: i64 = module_progress::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(recorded, 0);
}
