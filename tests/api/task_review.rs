//! Practical tasks, the reviewer's side: the queue, returning with feedback (the email in the
//! teacher's language), resubmitting and passing (the module and the course complete), two
//! reviewers at once, and who may review what.

use diesel::prelude::*;
use ustaz::courses::models as courses;
use ustaz::schema::{
    course_tutors, enrolments, module_progress, task_scores, task_submissions, users,
};

use crate::helpers::{location, spawn_app, visible_text, TestApp};
use crate::tasks::{
    docx, enrolled_teacher, file_ids, now, post_task, seed_task, submit_path, COURSE, PDF, TASK,
    TASK_PATH,
};

fn appoint_tutor(app: &TestApp, user_id: i32, course_id: i32) {
    diesel::insert_into(course_tutors::table)
        .values((
            course_tutors::course_id.eq(course_id),
            course_tutors::user_id.eq(user_id),
        ))
        .execute(&mut app.conn())
        .expect("tutor");
}

fn submissions(app: &TestApp) -> Vec<(i32, String, Option<String>)> {
    task_submissions::table
        .order(task_submissions::id)
        .select((
            task_submissions::id,
            task_submissions::status,
            task_submissions::feedback,
        ))
        .load(&mut app.conn())
        .expect("submissions")
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    (status, visible_text(&response.text().await.expect("body")))
}

/// Posts the review form as shown (its CSRF token and version) with these fields.
async fn decide(app: &TestApp, id: i32, fields: &[(&str, &str)]) -> reqwest::Response {
    let version = app.form_version(&format!("/review/{id}")).await;
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(fields);
    app.post(&format!("/review/{id}"), &all).await
}

/// Completes every module of the course but the task, as the teacher would have.
fn complete_other_modules(app: &TestApp, teacher_id: i32, course_id: i32) {
    let mut conn = app.conn();
    let enrolment: i32 = enrolments::table
        .filter(enrolments::user_id.eq(teacher_id))
        .select(enrolments::id)
        .first(&mut conn)
        .expect("enrolment");
    for module in courses::modules_of(&mut conn, course_id, false).expect("modules") {
        if module.slug != TASK {
            ustaz::learning::ops::complete_module(
                &mut conn,
                enrolment,
                course_id,
                module.id,
                module.is_quiz().then_some(100),
                true,
                now(),
                "http://localhost",
            )
            .expect("complete");
        }
    }
}

#[tokio::test]
async fn returned_with_feedback_resubmitted_and_passed_completes_the_course() {
    let app = spawn_app().await;
    let (course_id, criteria) = seed_task(&app);
    let (teacher, teacher_id) = enrolled_teacher(&app, "aigerim@school.kz").await;
    complete_other_modules(&app, teacher_id, course_id);
    diesel::update(users::table.find(teacher_id))
        .set(users::language.eq("ru"))
        .execute(&mut app.conn())
        .expect("russian");
    let docx = docx();
    let response = post_task(
        &teacher,
        &submit_path(),
        "First try.",
        &[("plan.docx", &docx)],
    )
    .await;
    assert_eq!(response.status(), 303);

    let admin = app.another_browser();
    admin
        .sign_in_english("admin", "admin@matrix.kz", None)
        .await;
    let (status, queue) = page(&admin, "/review").await;
    assert_eq!(status, 200);
    assert!(
        queue.contains("Aigerim") || queue.contains("aigerim"),
        "{queue}"
    );
    assert!(queue.contains("Adapt a lesson plan"), "{queue}");
    let first = submissions(&app)[0].0;
    let (_, review) = page(&admin, &format!("/review/{first}")).await;
    assert!(review.contains("First try."), "{review}");
    assert!(review.contains("plan.docx"), "{review}");
    let file = file_ids(&app)[0];
    let response = admin.get(&format!("/review/files/{file}")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(&response.bytes().await.expect("bytes")[..], &docx[..]);

    // Returning needs feedback; a score out of range is refused too.
    let response = decide(&admin, first, &[("decision", "return"), ("feedback", " ")]).await;
    assert_eq!(response.status(), 422);
    let text = visible_text(&response.text().await.expect("body"));
    assert!(text.contains("Write feedback to the teacher"), "{text}");
    let score = format!("score-{}", criteria[0]);
    let response = decide(
        &admin,
        first,
        &[("decision", "return"), (&score, "9"), ("feedback", "x")],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(visible_text(&response.text().await.expect("body")).contains("from 0 to 5"));
    assert_eq!(submissions(&app)[0].1, "submitted");

    let response = decide(
        &admin,
        first,
        &[
            ("decision", "return"),
            ("feedback", "Add the visual supports."),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/review?done=returned");
    let email = app.last_email_to("aigerim@school.kz");
    assert!(
        email.subject.contains("нужно доработать"),
        "{}",
        email.subject
    );
    assert!(
        email.text.contains("Add the visual supports."),
        "{}",
        email.text
    );

    // The teacher sees the feedback and submits again; the history stays.
    let (_, task) = page(&teacher, TASK_PATH).await;
    assert!(task.contains("Add the visual supports."), "{task}");
    let response = post_task(
        &teacher,
        &submit_path(),
        "Second try.",
        &[("plan.pdf", PDF)],
    )
    .await;
    assert_eq!(response.status(), 303);
    let second = submissions(&app)[1].0;
    let (_, review) = page(&admin, &format!("/review/{second}")).await;
    assert!(
        review.contains("Earlier submissions") && review.contains("First try."),
        "{review}"
    );

    // A pass needs every criterion scored.
    let response = decide(&admin, second, &[("decision", "pass"), (&score, "4")]).await;
    assert_eq!(response.status(), 422);
    assert!(visible_text(&response.text().await.expect("body"))
        .contains("Enter a score for “Materials”"));
    let other = format!("score-{}", criteria[1]);
    let response = decide(
        &admin,
        second,
        &[
            ("decision", "pass"),
            (&score, "4"),
            (&other, "8"),
            ("feedback", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(submissions(&app)[1].1, "passed");
    let scores: i64 = task_scores::table
        .count()
        .get_result(&mut app.conn())
        .expect("scores");
    assert_eq!(scores, 2);
    let best: Option<i32> = module_progress::table
        .inner_join(ustaz::schema::modules::table)
        .filter(ustaz::schema::modules::slug.eq(TASK))
        .select(module_progress::best_score)
        .first(&mut app.conn())
        .expect("progress");
    assert_eq!(best, Some(80), "12 of 15 points");
    let status: String = enrolments::table
        .filter(enrolments::user_id.eq(teacher_id))
        .select(enrolments::status)
        .first(&mut app.conn())
        .expect("enrolment");
    assert_eq!(status, "completed");
    let email = app.last_email_to("aigerim@school.kz");
    assert!(email.subject.contains("принято"), "{}", email.subject);
    let (_, task) = page(&teacher, TASK_PATH).await;
    assert!(!task.contains("Submit for review"), "{task}");
    let (_, queue) = page(&admin, "/review").await;
    assert!(queue.contains("No submissions are waiting"), "{queue}");
}

#[tokio::test]
async fn two_reviewers_at_once_decide_once() {
    let app = spawn_app().await;
    let (course_id, criteria) = seed_task(&app);
    let (teacher, _) = enrolled_teacher(&app, "aigerim@school.kz").await;
    post_task(&teacher, &submit_path(), "Plan.", &[]).await;
    let id = submissions(&app)[0].0;
    let admin = app.another_browser();
    admin
        .sign_in_english("admin", "admin@matrix.kz", None)
        .await;
    let tutor = app.another_browser();
    let tutor_id = tutor
        .sign_in_english("tutor", "tutor@matrix.kz", None)
        .await;
    appoint_tutor(&app, tutor_id, course_id);
    let (a, b) = (
        format!("score-{}", criteria[0]),
        format!("score-{}", criteria[1]),
    );
    let fields = [("decision", "pass"), (a.as_str(), "5"), (b.as_str(), "10")];
    let version = admin.form_version(&format!("/review/{id}")).await;
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(&fields);
    let path = format!("/review/{id}");
    let (first, second) = tokio::join!(admin.post(&path, &all), tutor.post(&path, &all));
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 409]);
    let loser = if first.status() == 409 { first } else { second };
    let text = visible_text(&loser.text().await.expect("body"));
    assert!(text.contains("already been reviewed by"), "{text}");
    assert_eq!(app.emails_to("aigerim@school.kz").len(), 1);
    let scores: i64 = task_scores::table
        .count()
        .get_result(&mut app.conn())
        .expect("scores");
    assert_eq!(scores, 2);
}

#[tokio::test]
async fn reviewers_see_only_the_courses_they_review() {
    let app = spawn_app().await;
    let (course_id, _) = seed_task(&app);
    let (teacher, _) = enrolled_teacher(&app, "aigerim@school.kz").await;
    post_task(&teacher, &submit_path(), "Plan.", &[("plan.pdf", PDF)]).await;
    let id = submissions(&app)[0].0;
    let file = file_ids(&app)[0];

    let tutor = app.another_browser();
    let tutor_id = tutor
        .sign_in_english("tutor", "tutor@matrix.kz", None)
        .await;
    let (status, queue) = page(&tutor, "/review").await;
    assert_eq!(status, 200);
    assert!(
        queue.contains("not been appointed to review any course"),
        "{queue}"
    );
    assert_eq!(tutor.get(&format!("/review/{id}")).await.status(), 403);
    assert_eq!(
        tutor.get(&format!("/review/files/{file}")).await.status(),
        404
    );

    // Appointed to another course only: still nothing of this one.
    let other = courses::course_by_slug(&mut app.conn(), "foundations-of-inclusive-education-ru")
        .expect("query")
        .map(|c| c.id)
        .unwrap_or(course_id + 1000);
    if other != course_id + 1000 {
        appoint_tutor(&app, tutor_id, other);
        assert_eq!(tutor.get(&format!("/review/{id}")).await.status(), 403);
    }
    appoint_tutor(&app, tutor_id, course_id);
    let (_, queue) = page(&tutor, &format!("/review?course={course_id}")).await;
    assert!(queue.contains("Adapt a lesson plan"), "{queue}");
    assert_eq!(tutor.get(&format!("/review/{id}")).await.status(), 200);
    assert_eq!(
        tutor.get(&format!("/review/files/{file}")).await.status(),
        200
    );

    // The teacher and a coordinator are refused; nobody else gets the file.
    assert_eq!(teacher.get("/review").await.status(), 403);
    assert_eq!(teacher.get(&format!("/review/{id}")).await.status(), 403);
    assert_eq!(
        teacher.get(&format!("/review/files/{file}")).await.status(),
        404
    );
    let coordinator = app.another_browser();
    coordinator
        .sign_in("coordinator", "coord@matrix.kz", Some("KZ-75"))
        .await;
    assert_eq!(
        coordinator.get(&format!("/review/{id}")).await.status(),
        403
    );
    assert_eq!(
        coordinator
            .get(&format!("/review/files/{file}"))
            .await
            .status(),
        404
    );
    let _ = COURSE;
}

/// A passed task whose completion an administrator returns (choosing the task to redo) takes a
/// new submission: the form is back, and the new one waits for review.
#[tokio::test]
async fn a_returned_completion_reopens_its_task() {
    let app = spawn_app().await;
    let (course_id, criteria) = seed_task(&app);
    diesel::update(ustaz::schema::courses::table.find(course_id))
        .set(ustaz::schema::courses::certificate_mode.eq("reviewed"))
        .execute(&mut app.conn())
        .expect("reviewed");
    let (teacher, teacher_id) = enrolled_teacher(&app, "aigerim@school.kz").await;
    complete_other_modules(&app, teacher_id, course_id);
    let response = post_task(&teacher, &submit_path(), "My plan.", &[("plan.pdf", PDF)]).await;
    assert_eq!(response.status(), 303);
    let admin = app.another_browser();
    let admin_id = admin
        .sign_in_english("admin", "admin@matrix.kz", None)
        .await;
    let first = submissions(&app)[0].0;
    let scores: Vec<(String, &str)> = criteria
        .iter()
        .map(|id| (format!("score-{id}"), "5"))
        .collect();
    let mut fields: Vec<(&str, &str)> = vec![("decision", "pass"), ("feedback", "")];
    fields.extend(scores.iter().map(|(k, v)| (k.as_str(), *v)));
    assert_eq!(decide(&admin, first, &fields).await.status(), 303);
    let (_, task) = page(&teacher, TASK_PATH).await;
    assert!(!task.contains("Submit for review"), "{task}");

    let (enrolment, task_id): (i32, i32) = {
        let mut conn = app.conn();
        let enrolment = enrolments::table
            .filter(enrolments::user_id.eq(teacher_id))
            .select(enrolments::id)
            .first(&mut conn)
            .expect("enrolment");
        let task = courses::module_by_slug(&mut conn, course_id, TASK)
            .expect("query")
            .expect("task");
        (enrolment, task.id)
    };
    let returned = ustaz::certificates::ops::return_completion(
        &mut app.conn(),
        &ustaz::certificates::ops::ReturnCompletion {
            enrolment_id: enrolment,
            admin_id,
            reason: "Please adapt a plan of your own class.",
            module_ids: &[task_id],
            now: now(),
            base_url: "http://localhost",
        },
    )
    .expect("return");
    assert_eq!(returned, ustaz::certificates::ops::Returned::Done);
    let (_, task) = page(&teacher, TASK_PATH).await;
    assert!(task.contains("Submit for review"), "{task}");
    let response = post_task(
        &teacher,
        &submit_path(),
        "My own class.",
        &[("plan.pdf", PDF)],
    )
    .await;
    assert_eq!(response.status(), 303);
    let all = submissions(&app);
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].1, "submitted");
}
