//! Authoring a quiz: explanations, the order of its questions, its settings (the draw and the
//! attempt policy), the publishing rules for quizzes, and the open attempts a change abandons.

use diesel::prelude::*;
use ustaz::courses::models;
use ustaz::schema::quiz_questions;
use ustaz::schema::{audit_events, courses, quiz_attempt_questions, quiz_attempts};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{at, module_fields, CourseBuilder, EnrolmentBuilder, UserBuilder};
use crate::helpers::{location, spawn_admin_app, text_of, version_in, visible_text, TestApp};

const STALE: &str = "Someone else saved changes here after you opened this page, so your \
                     changes were not saved.";

/// A draft course with a required lesson and a quiz (pass mark 70); their ids.
pub(crate) fn course_with_quiz(app: &TestApp, slug: &str) -> (i32, i32) {
    let mut conn = app.conn();
    let course = CourseBuilder::new(slug).expect_build(&mut conn);
    models::add_module(
        &mut conn,
        course,
        "lesson",
        &module_fields("Lesson", "lesson", None),
    )
    .expect("lesson");
    let quiz = models::add_module(
        &mut conn,
        course,
        "quiz",
        &module_fields("Final quiz", "quiz", Some(70)),
    )
    .expect("quiz");
    (course, quiz)
}

fn add_question_row(app: &TestApp, quiz: i32, prompt: &str) -> i32 {
    models::add_question(
        &mut app.conn(),
        quiz,
        prompt,
        false,
        "",
        &[("Yes".to_owned(), true), ("No".to_owned(), false)],
    )
    .expect("question")
}

fn question_form<'a>(prompt: &'a str, explanation: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("prompt", prompt),
        ("answer_kind", "single"),
        ("option", "Right"),
        ("option", "Wrong"),
        ("correct", "1"),
        ("explanation", explanation),
    ]
}

/// The quiz module's form with its settings.
fn quiz_form(settings: [&str; 5]) -> Vec<(&str, &str)> {
    let [draw, attempts, period, wait, feedback] = settings;
    vec![
        ("title", "Final quiz"),
        ("slug", "quiz"),
        ("required", "yes"),
        ("body", ""),
        ("pass_mark", "70"),
        ("draw_count", draw),
        ("attempts_allowed", attempts),
        ("attempt_period_hours", period),
        ("retry_wait_minutes", wait),
        ("feedback", feedback),
    ]
}

fn prompts(app: &TestApp, quiz: i32) -> Vec<String> {
    quiz_questions::table
        .filter(quiz_questions::module_id.eq(quiz))
        .order(quiz_questions::position.asc())
        .select(quiz_questions::prompt)
        .load(&mut app.conn())
        .expect("prompts")
}

fn actions(app: &TestApp) -> Vec<String> {
    audit_events::table
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut app.conn())
        .expect("events")
}

fn last_details(app: &TestApp, action: &str) -> serde_json::Value {
    let details: String = audit_events::table
        .filter(audit_events::action.eq(action))
        .order(audit_events::id.desc())
        .select(audit_events::details)
        .first(&mut app.conn())
        .expect("event");
    serde_json::from_str(&details).expect("json")
}

#[tokio::test]
async fn a_question_has_an_explanation_and_the_pool_shows_it() {
    let (app, _) = spawn_admin_app().await;
    let (course, quiz) = course_with_quiz(&app, "explained");
    let page = format!("/admin/courses/{course}/modules/{quiz}/edit");
    let added = app
        .post(
            &format!("/admin/courses/{course}/modules/{quiz}/questions"),
            &question_form("Who adapts the lesson?", "The teacher, for every learner."),
        )
        .await;
    assert_eq!(added.status(), 303, "{}", text_of(added).await);
    let explanation: String = quiz_questions::table
        .filter(quiz_questions::module_id.eq(quiz))
        .select(quiz_questions::explanation)
        .first(&mut app.conn())
        .expect("question");
    assert_eq!(explanation, "The teacher, for every learner.");
    assert!(actions(&app).contains(&"question.added".to_owned()));

    let html = app.get(&page).await.text().await.expect("page");
    let text = visible_text(&html);
    assert!(
        text.contains("1 question in the pool, 1 drawn per attempt."),
        "{text}"
    );
    assert!(text.contains("Who adapts the lesson?"), "{text}");
    assert!(
        text.contains("One correct answer · with an explanation"),
        "{text}"
    );

    // Too long: the message next to the field, nothing written.
    let long = "x".repeat(2001);
    let refused = app
        .post(
            &format!("/admin/courses/{course}/modules/{quiz}/questions"),
            &question_form("Another?", &long),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("page");
    assert!(html.contains("id=\"explanation-error\""), "{html}");
    assert!(visible_text(&html).contains("This text is too long"));
    assert!(
        html.contains("href=\"#explanation\""),
        "the summary links to the field"
    );
    assert_eq!(prompts(&app, quiz), ["Who adapts the lesson?"]);

    // Edited: the explanation changes, the audit event says so.
    let question: i32 = quiz_questions::table
        .filter(quiz_questions::module_id.eq(quiz))
        .select(quiz_questions::id)
        .first(&mut app.conn())
        .expect("id");
    let edit = format!("/admin/courses/{course}/modules/{quiz}/questions/{question}/edit");
    let form = app.get(&edit).await.text().await.expect("form");
    assert!(
        form.contains("The teacher, for every learner.</textarea>"),
        "{form}"
    );
    let saved = app
        .save_form(
            &edit,
            &edit,
            &question_form("Who adapts the lesson?", "Every teacher."),
        )
        .await;
    assert_eq!(saved.status(), 303, "{}", text_of(saved).await);
    let details = last_details(&app, "question.updated");
    assert_eq!(
        details["before"]["explanation"],
        "The teacher, for every learner."
    );
    assert_eq!(details["after"]["explanation"], "Every teacher.");
}

#[tokio::test]
async fn questions_move_up_and_down_within_their_quiz() {
    let (app, _) = spawn_admin_app().await;
    let (course, quiz) = course_with_quiz(&app, "ordered");
    let ids: Vec<i32> = ["First", "Second", "Third"]
        .iter()
        .map(|p| add_question_row(&app, quiz, p))
        .collect();
    let at_ =
        |id: i32, dir: &str| format!("/admin/courses/{course}/modules/{quiz}/questions/{id}/{dir}");
    let moved = app.post(&at_(ids[2], "up"), &[]).await;
    assert_eq!(moved.status(), 303);
    assert!(location(&moved).contains("done=question-moved"));
    assert_eq!(prompts(&app, quiz), ["First", "Third", "Second"]);
    let moved = app.post(&at_(ids[0], "down"), &[]).await;
    assert_eq!(moved.status(), 303);
    assert_eq!(prompts(&app, quiz), ["Third", "First", "Second"]);
    // At either end nothing changes.
    assert_eq!(app.post(&at_(ids[2], "up"), &[]).await.status(), 303);
    assert_eq!(app.post(&at_(ids[1], "down"), &[]).await.status(), 303);
    assert_eq!(prompts(&app, quiz), ["Third", "First", "Second"]);
    let text = text_of(
        app.get(&format!(
            "/admin/courses/{course}/modules/{quiz}/edit?done=question-moved"
        ))
        .await,
    )
    .await;
    assert!(
        text.contains("The order of the questions has been changed."),
        "{text}"
    );
    assert!(actions(&app).contains(&"question.moved".to_owned()));

    // A question of another quiz is not found through this one.
    let (_, other_quiz) = course_with_quiz(&app, "other");
    let stranger = add_question_row(&app, other_quiz, "Elsewhere");
    assert_eq!(app.post(&at_(stranger, "up"), &[]).await.status(), 404);
}

#[tokio::test]
async fn quiz_settings_are_saved_with_the_module_in_one_change() {
    let (app, _) = spawn_admin_app().await;
    let (course, quiz) = course_with_quiz(&app, "settings");
    add_question_row(&app, quiz, "Only one");
    let page = format!("/admin/courses/{course}/modules/{quiz}/edit");
    let html = app.get(&page).await.text().await.expect("page");
    assert!(
        html.contains("name=\"feedback\" value=\"after_pass\" checked"),
        "{html}"
    );
    let version = version_in(&html);
    let saved = app
        .save_form(
            &page,
            &page,
            &quiz_form(["2", "3", "24", "30", "score_only"]),
        )
        .await;
    assert_eq!(saved.status(), 303, "{}", text_of(saved).await);
    let module = models::module_by_id(&mut app.conn(), quiz).expect("module");
    let settings = module.quiz_settings();
    assert_eq!(settings.draw_count, Some(2));
    assert_eq!(settings.attempts_allowed, Some(3));
    assert_eq!(settings.attempt_period_hours, Some(24));
    assert_eq!(settings.retry_wait_minutes, 30);
    assert_eq!(settings.feedback, "score_only");
    assert_eq!(
        module.version,
        version.parse::<i32>().expect("n") + 1,
        "one change"
    );
    let details = last_details(&app, "module.updated");
    assert_eq!(details["before"]["draw_count"], serde_json::Value::Null);
    assert_eq!(details["after"]["draw_count"], 2);
    assert_eq!(details["after"]["feedback"], "score_only");

    // The page says the pool is smaller than the draw.
    let text = text_of(app.get(&page).await).await;
    assert!(
        text.contains("1 question in the pool, 2 drawn per attempt."),
        "{text}"
    );
    assert!(
        text.contains("The pool has fewer questions (1) than an attempt draws (2)"),
        "{text}"
    );

    // Blank means all questions, unlimited attempts, any time.
    let saved = app
        .save_form(&page, &page, &quiz_form(["", "", "", "0", "always"]))
        .await;
    assert_eq!(saved.status(), 303);
    let settings = models::module_by_id(&mut app.conn(), quiz)
        .expect("m")
        .quiz_settings();
    assert_eq!(
        (
            settings.draw_count,
            settings.attempts_allowed,
            settings.attempt_period_hours
        ),
        (None, None, None)
    );
    assert_eq!(settings.feedback, "always");
}

#[tokio::test]
async fn bad_quiz_settings_get_a_message_next_to_each_field() {
    let (app, _) = spawn_admin_app().await;
    let (course, quiz) = course_with_quiz(&app, "bad-settings");
    let page = format!("/admin/courses/{course}/modules/{quiz}/edit");
    let before = models::module_by_id(&mut app.conn(), quiz).expect("module");
    let refused = app
        .save_form(
            &page,
            &page,
            &quiz_form(["0", "many", "-1", "-5", "sometimes"]),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("page");
    for field in [
        "draw_count",
        "attempts_allowed",
        "attempt_period_hours",
        "retry_wait_minutes",
        "feedback",
    ] {
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {html}"
        );
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "{field} in the summary"
        );
    }
    let text = visible_text(&html);
    assert!(text.contains("Enter the questions per attempt as a whole number of at least 1"));
    assert!(text.contains("Enter the wait as a whole number of minutes, 0 or more"));
    assert!(text.contains("Select what an attempt shows"));
    assert!(html.contains("<title>Error:"));
    let after = models::module_by_id(&mut app.conn(), quiz).expect("module");
    assert_eq!(after.version, before.version, "nothing written");
    assert_eq!(after.quiz_settings(), before.quiz_settings());
}

#[tokio::test]
async fn two_admins_changing_the_settings_or_a_question_keep_the_first_save() {
    let (a, _) = spawn_admin_app().await;
    let b = a.another_browser();
    b.sign_in_english("admin", "second.admin@ustaz.kz", None)
        .await;
    let (course, quiz) = course_with_quiz(&a, "conflicts");
    let question = add_question_row(&a, quiz, "Shared?");

    let page = format!("/admin/courses/{course}/modules/{quiz}/edit");
    let b_version = b.form_version(&page).await;
    let saved = a
        .save_form(&page, &page, &quiz_form(["1", "", "", "0", "always"]))
        .await;
    assert_eq!(saved.status(), 303);
    let mut late = quiz_form(["", "5", "24", "10", "score_only"]);
    late.push(("version", &b_version));
    let stale = b.post(&page, &late).await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.expect("page");
    assert!(visible_text(&html).contains(STALE), "{html}");
    assert!(
        html.contains("name=\"draw_count\" type=\"text\" value=\"1\""),
        "A's settings shown: {html}"
    );
    let settings = models::module_by_id(&mut a.conn(), quiz)
        .expect("m")
        .quiz_settings();
    assert_eq!(
        (settings.draw_count, settings.attempts_allowed),
        (Some(1), None)
    );

    let edit = format!("/admin/courses/{course}/modules/{quiz}/questions/{question}/edit");
    let b_version = b.form_version(&edit).await;
    let saved = a
        .save_form(&edit, &edit, &question_form("As A wrote it", ""))
        .await;
    assert_eq!(saved.status(), 303);
    let mut late = question_form("As B wrote it", "");
    late.push(("version", &b_version));
    let stale = b.post(&edit, &late).await;
    assert_eq!(stale.status(), 409);
    assert!(text_of(stale).await.contains(STALE));
    assert_eq!(prompts(&a, quiz), ["As A wrote it"]);
}

#[tokio::test]
async fn a_course_is_published_only_with_quizzes_that_can_be_drawn() {
    let (app, _) = spawn_admin_app().await;
    let (course, quiz) = course_with_quiz(&app, "publishable");
    let publish = format!("/admin/courses/{course}/publish");
    let refused = app.post(&publish, &[]).await;
    assert_eq!(refused.status(), 422);
    let text = text_of(refused).await;
    assert!(
        text.contains(
            "The course cannot be published yet: the quiz “Final quiz” has no questions."
        ),
        "{text}"
    );
    add_question_row(&app, quiz, "One");
    let page = format!("/admin/courses/{course}/modules/{quiz}/edit");
    let saved = app
        .save_form(&page, &page, &quiz_form(["2", "", "", "0", "after_pass"]))
        .await;
    assert_eq!(saved.status(), 303);
    let refused = app.post(&publish, &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(text_of(refused)
        .await
        .contains("the quiz “Final quiz” draws more questions per attempt than its pool has."));
    let status: String = courses::table
        .find(course)
        .select(courses::status)
        .first(&mut app.conn())
        .expect("c");
    assert_eq!(status, "draft");
    add_question_row(&app, quiz, "Two");
    let published = app.post(&publish, &[]).await;
    assert_eq!(published.status(), 303);
}

/// An attempt of a teacher at the quiz: open (not submitted) or submitted with a score, with
/// its drawn questions.
fn attempt(app: &TestApp, enrolment: i32, quiz: i32, submitted: bool) -> i32 {
    let mut conn = app.conn();
    let (submitted_at, score, passed) = if submitted {
        (Some(at("2026-11-01 10:00:00")), Some(80), Some(true))
    } else {
        (None, None, None)
    };
    diesel::insert_into(quiz_attempts::table)
        .values((
            quiz_attempts::enrolment_id.eq(enrolment),
            quiz_attempts::module_id.eq(quiz),
            quiz_attempts::drawn_at.eq(at("2026-11-01 09:00:00")),
            quiz_attempts::submitted_at.eq(submitted_at),
            quiz_attempts::score.eq(score),
            quiz_attempts::passed.eq(passed),
        ))
        .execute(&mut conn)
        .expect("attempt");
    let id: i32 = quiz_attempts::table
        .order(quiz_attempts::id.desc())
        .select(quiz_attempts::id)
        .first(&mut conn)
        .expect("id");
    let questions: Vec<i32> = quiz_questions::table
        .filter(quiz_questions::module_id.eq(quiz))
        .order(quiz_questions::position.asc())
        .select(quiz_questions::id)
        .load(&mut conn)
        .expect("questions");
    for (i, q) in questions.iter().enumerate() {
        diesel::insert_into(quiz_attempt_questions::table)
            .values((
                quiz_attempt_questions::attempt_id.eq(id),
                quiz_attempt_questions::position.eq(i as i32 + 1),
                quiz_attempt_questions::question_id.eq(q),
                quiz_attempt_questions::option_order.eq("1,2"),
            ))
            .execute(&mut conn)
            .expect("drawn question");
    }
    id
}

fn attempt_exists(app: &TestApp, id: i32) -> bool {
    quiz_attempts::table
        .find(id)
        .count()
        .get_result::<i64>(&mut app.conn())
        .expect("count")
        == 1
}

#[tokio::test]
async fn changing_a_quiz_abandons_its_open_attempts_and_keeps_submitted_ones() {
    let (app, _) = spawn_admin_app().await;
    let (course, quiz) = course_with_quiz(&app, "abandoned");
    let first = add_question_row(&app, quiz, "First");
    let second = add_question_row(&app, quiz, "Second");
    let teacher = UserBuilder::teacher("learner@school.kz").expect_build(&mut app.conn());
    let enrolment = EnrolmentBuilder::new(teacher, course).expect_build(&mut app.conn());
    let submitted = attempt(&app, enrolment, quiz, true);
    let m = |suffix: &str| format!("/admin/courses/{course}/modules/{quiz}{suffix}");
    let edit_second = m(&format!("/questions/{second}/edit"));
    let page = m("/edit");

    /// What the admin does, where it is posted, and the form.
    type Change<'a> = (&'a str, String, Vec<(&'a str, &'a str)>);
    let changes: Vec<Change> = vec![
        ("add", m("/questions"), question_form("Third", "")),
        (
            "edit",
            edit_second.clone(),
            question_form("Second, rewritten", "Why"),
        ),
        ("move", m(&format!("/questions/{second}/up")), vec![]),
        (
            "settings",
            page.clone(),
            quiz_form(["2", "3", "24", "0", "after_pass"]),
        ),
        ("delete", m(&format!("/questions/{first}/delete")), vec![]),
    ];
    for (what, action, form) in changes {
        let open = attempt(&app, enrolment, quiz, false);
        let response = match what {
            "edit" => app.save_form(&edit_second, &action, &form).await,
            "settings" => app.save_form(&page, &action, &form).await,
            _ => app.post(&action, &form).await,
        };
        assert_eq!(
            response.status(),
            303,
            "{what}: {}",
            text_of(response).await
        );
        assert!(
            !attempt_exists(&app, open),
            "{what} abandons the open attempt"
        );
        assert!(
            attempt_exists(&app, submitted),
            "{what} keeps the submitted attempt"
        );
    }
    // The deleted question leaves the submitted attempt; its score stays.
    let drawn: Vec<i32> = quiz_attempt_questions::table
        .filter(quiz_attempt_questions::attempt_id.eq(submitted))
        .select(quiz_attempt_questions::question_id)
        .load(&mut app.conn())
        .expect("drawn");
    assert!(!drawn.contains(&first), "{drawn:?}");
    let score: Option<i32> = quiz_attempts::table
        .find(submitted)
        .select(quiz_attempts::score)
        .first(&mut app.conn())
        .expect("score");
    assert_eq!(score, Some(80));

    // Saving the module with the same settings leaves an open attempt alone.
    let open = attempt(&app, enrolment, quiz, false);
    let same = app
        .save_form(
            &page,
            &page,
            &quiz_form(["2", "3", "24", "0", "after_pass"]),
        )
        .await;
    assert_eq!(same.status(), 303);
    assert!(attempt_exists(&app, open));
}

#[tokio::test]
async fn a_course_may_ask_for_its_required_modules_in_order() {
    let (app, _) = spawn_admin_app().await;
    let id = CourseBuilder::new("in-order").expect_build(&mut app.conn());
    let edit = format!("/admin/courses/{id}/edit");
    let form = app.get(&edit).await.text().await.expect("form");
    assert!(
        form.contains("id=\"sequential\" name=\"sequential\" value=\"yes\">"),
        "unticked: {form}"
    );
    assert!(visible_text(&form).contains("Required modules are taken in order"));
    let mut fields = crate::admin_courses::course_form("In order", "in-order");
    fields.push(("sequential", "yes"));
    let saved = app.save_form(&edit, &edit, &fields).await;
    assert_eq!(saved.status(), 303, "{}", text_of(saved).await);
    let sequential: bool = courses::table
        .find(id)
        .select(courses::sequential)
        .first(&mut app.conn())
        .expect("course");
    assert!(sequential);
    let text = text_of(app.get(&format!("/admin/courses/{id}")).await).await;
    assert!(text.contains("Order of modules Yes"), "{text}");
    let details = last_details(&app, "course.updated");
    assert_eq!(details["after"]["sequential"], true);
    let form = app.get(&edit).await.text().await.expect("form");
    assert!(form.contains("id=\"sequential\" name=\"sequential\" value=\"yes\" checked"));
}

#[tokio::test]
async fn only_administrators_author_quizzes() {
    let (app, browsers) = browsers().await;
    let (course, quiz) = course_with_quiz(&app, "matrix-quiz");
    let question = add_question_row(&app, quiz, "Matrix?");
    add_question_row(&app, quiz, "Second?");
    let q = |suffix: &str| {
        format!("/admin/courses/{course}/modules/{quiz}/questions/{question}{suffix}")
    };
    let rows = rows![
        GET q("/edit") => [SignIn, Denied, Denied, Page],
        POST q("/edit") => [SignIn, Denied, Denied, Invalid],
        POST q("/down") => [SignIn, Denied, Denied, Redirect],
        POST q("/up") => [SignIn, Denied, Denied, Redirect],
        POST format!("/admin/courses/{course}/modules/{quiz}/edit") => [SignIn, Denied, Denied, Invalid],
    ];
    check_access(&browsers, &rows).await;

    // A tutor reviews tasks; authoring is not theirs.
    let tutor = app.another_browser();
    tutor.sign_in("tutor", "tutor@matrix.kz", None).await;
    for path in [
        q("/edit"),
        format!("/admin/courses/{course}/modules/{quiz}/edit"),
    ] {
        assert_eq!(tutor.get(&path).await.status(), 403, "{path}");
    }
    for path in [
        q("/up"),
        q("/edit"),
        format!("/admin/courses/{course}/modules/{quiz}/questions"),
    ] {
        assert_eq!(tutor.post(&path, &[]).await.status(), 403, "{path}");
    }
    assert_eq!(prompts(&app, quiz), ["Matrix?", "Second?"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_questions_added_and_moved_at_once_keep_their_order() {
    use futures_util::future::join_all;
    let (app, _) = spawn_admin_app().await;
    let (course, quiz) = course_with_quiz(&app, "busy-quiz");
    let add = format!("/admin/courses/{course}/modules/{quiz}/questions");
    let prompts_sent: Vec<String> = (1..=50).map(|n| format!("Question {n}?")).collect();
    let forms: Vec<Vec<(&str, &str)>> = prompts_sent.iter().map(|p| question_form(p, "")).collect();
    // One page's CSRF token for all of them, as fifty tabs of one browser would send it.
    let token = app.csrf().await;
    let forms: Vec<Vec<(&str, &str)>> = forms
        .into_iter()
        .map(|mut f| {
            f.push(("csrf_token", &token));
            f
        })
        .collect();
    let added = join_all(forms.iter().map(|f| app.post_form(&add, f))).await;
    assert!(added.iter().all(|r| r.status() == 303));
    assert_eq!(prompts(&app, quiz).len(), 50);
    let last: i32 = quiz_questions::table
        .filter(quiz_questions::module_id.eq(quiz))
        .order(quiz_questions::position.desc())
        .select(quiz_questions::id)
        .first(&mut app.conn())
        .expect("last");
    let up = format!("/admin/courses/{course}/modules/{quiz}/questions/{last}/up");
    let form = [("csrf_token", token.as_str())];
    let moved = join_all((0..50).map(|_| app.post_form(&up, &form))).await;
    assert!(moved.iter().all(|r| r.status() == 303));
    let positions: Vec<(i32, i32)> = quiz_questions::table
        .filter(quiz_questions::module_id.eq(quiz))
        .order(quiz_questions::position.asc())
        .select((quiz_questions::id, quiz_questions::position))
        .load(&mut app.conn())
        .expect("positions");
    assert_eq!(positions[0].0, last);
    assert_eq!(
        positions.iter().map(|p| p.1).collect::<Vec<_>>(),
        (1..=50).collect::<Vec<_>>()
    );
}
