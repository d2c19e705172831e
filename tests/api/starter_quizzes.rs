//! The pattern test: every starter quiz, taken many times by someone who answers without
//! reading ("always the first option", "always the last option", "the first option, and the
//! first three on multiple-answer questions"), never passes. The score is read from the result
//! page, as a teacher reads it.

use diesel::prelude::*;
use ustaz::courses::models as courses;
use ustaz::schema::quiz_attempts;

use crate::helpers::quiz::{complete_lessons, score_on, take_quiz, Pick};
use crate::helpers::spawn_app;

const TRIES: usize = 10;

#[tokio::test]
async fn answering_by_a_pattern_fails_every_starter_quiz() {
    let app = spawn_app().await;
    ustaz::courses::seed::install(&mut app.conn(), chrono::Utc::now().naive_utc()).expect("seed");
    app.sign_in_english("teacher", "pattern@school.kz", Some("KZ-75"))
        .await;
    let quizzes: Vec<(String, String, i32)> = {
        let mut conn = app.conn();
        let mut found = Vec::new();
        for course in courses::published_courses(&mut conn).expect("courses") {
            for module in courses::modules_of(&mut conn, course.id, false).expect("modules") {
                if module.is_quiz() {
                    found.push((
                        course.slug.clone(),
                        module.slug,
                        module.pass_mark.unwrap_or(100),
                    ));
                }
            }
        }
        found
    };
    assert!(quizzes.len() >= 5, "{quizzes:?}");
    let mut passed = Vec::new();
    for (course, quiz, pass_mark) in &quizzes {
        assert_eq!(
            app.post(&format!("/courses/{course}/enrol"), &[])
                .await
                .status(),
            303
        );
        complete_lessons(&app, course).await;
        for pick in [Pick::First, Pick::Last, Pick::FirstThree] {
            for _ in 0..TRIES {
                // Whatever the attempt policy, this teacher may try again at once.
                diesel::delete(
                    quiz_attempts::table.filter(quiz_attempts::submitted_at.is_not_null()),
                )
                .execute(&mut app.conn())
                .expect("reset the attempts");
                let result = take_quiz(&app, course, quiz, pick).await;
                let score = score_on(&app, &result).await;
                if score >= *pass_mark {
                    passed.push(format!("{course}/{quiz} {pick:?}: {score}%"));
                }
            }
        }
    }
    assert!(
        passed.is_empty(),
        "pattern answers passed a starter quiz:\n{}",
        passed.join("\n")
    );
}
