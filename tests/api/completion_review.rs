//! The review queue with evidence: what an administrator sees of a completion (quiz attempts,
//! time taken, practical tasks with their scores and files, earlier returns), and the two
//! decisions, issuing the certificate or returning the completion to the teacher.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ustaz::schema::{
    audit_events, certificates, completion_returns, enrolments, module_progress, modules,
    quiz_attempts, task_criteria, task_files, task_scores, task_submissions, users,
};

use crate::fixtures::{at, CourseBuilder, SchoolBuilder, UserBuilder};
use crate::helpers::{
    location, spawn_admin_app, spawn_app_with_smtp, text_of, visible_text, TestApp, ADMIN,
};

const BASE: &str = "http://localhost";

/// The course and its three modules: a lesson, a quiz and a practical task.
struct Course {
    id: i32,
    lesson: i32,
    quiz: i32,
    task: i32,
}

fn module(
    conn: &mut ustaz::db::AnyConnection,
    course: i32,
    position: i32,
    kind: &str,
    title: &str,
) -> i32 {
    diesel::insert_into(modules::table)
        .values((
            modules::course_id.eq(course),
            modules::position.eq(position),
            modules::kind.eq(kind),
            modules::title.eq(title),
            modules::slug.eq(title.to_lowercase().replace(' ', "-")),
            modules::pass_mark.eq((kind == "quiz").then_some(70)),
        ))
        .execute(conn)
        .expect("module");
    modules::table
        .filter(modules::course_id.eq(course))
        .filter(modules::position.eq(position))
        .select(modules::id)
        .first(conn)
        .expect("module id")
}

fn reviewed_course(app: &TestApp, slug: &str) -> Course {
    let mut conn = app.conn();
    let id = CourseBuilder::new(slug)
        .counting()
        .published()
        .reviewed()
        .expect_build(&mut conn);
    Course {
        id,
        lesson: module(&mut conn, id, 1, "lesson", "Reading"),
        quiz: module(&mut conn, id, 2, "quiz", "Final quiz"),
        task: module(&mut conn, id, 3, "task", "Lesson plan"),
    }
}

/// A completed enrolment (enrolled on 1 March 09:00, completed on 13 March 13:30) with every
/// module done.
fn completion(app: &TestApp, user_id: i32, course: &Course) -> i32 {
    let mut conn = app.conn();
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::user_id.eq(user_id),
            enrolments::course_id.eq(course.id),
            enrolments::status.eq("completed"),
            enrolments::enrolled_at.eq(at("2025-03-01 09:00:00")),
            enrolments::completed_at.eq(Some(at("2025-03-13 13:30:00"))),
            enrolments::last_activity_at.eq(at("2025-03-13 13:30:00")),
        ))
        .execute(&mut conn)
        .expect("enrolment");
    let enrolment: i32 = enrolments::table
        .filter(enrolments::user_id.eq(user_id))
        .filter(enrolments::course_id.eq(course.id))
        .select(enrolments::id)
        .first(&mut conn)
        .expect("id");
    for (module_id, score) in [
        (course.lesson, None),
        (course.quiz, Some(90)),
        (course.task, None),
    ] {
        diesel::insert_into(module_progress::table)
            .values((
                module_progress::enrolment_id.eq(enrolment),
                module_progress::module_id.eq(module_id),
                module_progress::completed_at.eq(Some(at("2025-03-12 10:00:00"))),
                module_progress::best_score.eq(score),
                module_progress::attempts.eq(1),
                module_progress::updated_at.eq(at("2025-03-12 10:00:00")),
            ))
            .execute(&mut conn)
            .expect("progress");
    }
    enrolment
}

fn attempt(app: &TestApp, enrolment: i32, quiz: i32, drawn: &str, submitted: &str, score: i32) {
    diesel::insert_into(quiz_attempts::table)
        .values((
            quiz_attempts::enrolment_id.eq(enrolment),
            quiz_attempts::module_id.eq(quiz),
            quiz_attempts::drawn_at.eq(at(drawn)),
            quiz_attempts::submitted_at.eq(Some(at(submitted))),
            quiz_attempts::score.eq(Some(score)),
            quiz_attempts::passed.eq(Some(score >= 70)),
        ))
        .execute(&mut app.conn())
        .expect("attempt");
}

/// Two criteria of ten points; a returned submission, then a passed one scoring 8 and 7 with a
/// file attached. Returns the file's id.
fn task_evidence(app: &TestApp, enrolment: i32, task: i32, reviewer: i32) -> i32 {
    let mut conn = app.conn();
    for (position, title) in [(1, "Adaptation"), (2, "Clarity")] {
        diesel::insert_into(task_criteria::table)
            .values((
                task_criteria::module_id.eq(task),
                task_criteria::position.eq(position),
                task_criteria::title.eq(title),
                task_criteria::max_score.eq(10),
            ))
            .execute(&mut conn)
            .expect("criterion");
    }
    let criteria: Vec<i32> = task_criteria::table
        .filter(task_criteria::module_id.eq(task))
        .order(task_criteria::position)
        .select(task_criteria::id)
        .load(&mut conn)
        .expect("criteria");
    let submit =
        |conn: &mut ustaz::db::AnyConnection, status: &str, when: &str, feedback: &str| -> i32 {
            diesel::insert_into(task_submissions::table)
                .values((
                    task_submissions::enrolment_id.eq(enrolment),
                    task_submissions::module_id.eq(task),
                    task_submissions::body.eq("My adapted lesson plan"),
                    task_submissions::status.eq(status),
                    task_submissions::submitted_at.eq(at(when)),
                    task_submissions::reviewed_at.eq(Some(at(when) + chrono::Duration::days(1))),
                    task_submissions::reviewer_id.eq(Some(reviewer)),
                    task_submissions::feedback.eq(Some(feedback)),
                ))
                .execute(conn)
                .expect("submission");
            task_submissions::table
                .order(task_submissions::id.desc())
                .select(task_submissions::id)
                .first(conn)
                .expect("submission id")
        };
    submit(
        &mut conn,
        "returned",
        "2025-03-05 10:00:00",
        "Add visual supports",
    );
    let passed = submit(&mut conn, "passed", "2025-03-08 10:00:00", "Well adapted");
    for (criterion, score) in criteria.iter().zip([8, 7]) {
        diesel::insert_into(task_scores::table)
            .values((
                task_scores::submission_id.eq(passed),
                task_scores::criterion_id.eq(criterion),
                task_scores::score.eq(score),
            ))
            .execute(&mut conn)
            .expect("score");
    }
    diesel::insert_into(task_files::table)
        .values((
            task_files::submission_id.eq(passed),
            task_files::position.eq(1),
            task_files::file_name.eq("plan.pdf"),
            task_files::content_type.eq("application/pdf"),
            task_files::size_bytes.eq(2048),
            task_files::sha256.eq("a".repeat(64)),
            task_files::content.eq(vec![1u8; 2048]),
        ))
        .execute(&mut conn)
        .expect("file");
    task_files::table
        .select(task_files::id)
        .first(&mut conn)
        .expect("file id")
}

fn audit_count(app: &TestApp, action: &str) -> i64 {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .expect("audit")
}

fn enrolment_state(app: &TestApp, id: i32) -> (String, Option<NaiveDateTime>) {
    enrolments::table
        .find(id)
        .select((enrolments::status, enrolments::completed_at))
        .first(&mut app.conn())
        .expect("enrolment")
}

fn returns_of(app: &TestApp, id: i32) -> Vec<String> {
    completion_returns::table
        .filter(completion_returns::enrolment_id.eq(id))
        .select(completion_returns::reason)
        .load(&mut app.conn())
        .expect("returns")
}

fn has_certificate(app: &TestApp, id: i32) -> bool {
    certificates::table
        .filter(certificates::enrolment_id.eq(id))
        .count()
        .get_result::<i64>(&mut app.conn())
        .expect("count")
        == 1
}

/// A confirmed teacher of Almaty, at a school, reading Russian.
fn teacher(app: &TestApp, email: &str) -> i32 {
    let mut conn = app.conn();
    let school = SchoolBuilder::new(&format!("School No. 5 of {email}"))
        .region("KZ-75")
        .expect_build(&mut conn);
    UserBuilder::teacher(email)
        .name("Dana Serikova")
        .region("KZ-75")
        .school(school)
        .language("ru")
        .confirmed()
        .expect_build(&mut conn)
}

#[tokio::test]
async fn the_queue_and_the_completion_page_show_the_evidence() {
    let (app, admin) = spawn_admin_app().await;
    let course = reviewed_course(&app, "evidence-course");
    let teacher_id = teacher(&app, "dana@school.kz");
    let enrolment = completion(&app, teacher_id, &course);
    attempt(
        &app,
        enrolment,
        course.quiz,
        "2025-03-10 10:00:00",
        "2025-03-10 10:14:00",
        60,
    );
    attempt(
        &app,
        enrolment,
        course.quiz,
        "2025-03-11 09:00:00",
        "2025-03-11 10:05:00",
        90,
    );
    let file = task_evidence(&app, enrolment, course.task, admin);

    let queue = text_of(app.get("/admin/certificates/queue").await).await;
    assert!(queue.contains("2 quiz attempts, best score 90%"), "{queue}");
    assert!(
        queue.contains("12 days 4 hours from enrolment to completion"),
        "{queue}"
    );
    assert!(
        queue.contains("Practical tasks: 2 submitted, 1 passed, 15 of 20 points"),
        "{queue}"
    );
    let html = app
        .get("/admin/certificates/queue")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains(&format!("href=\"/admin/certificates/queue/{enrolment}\"")));

    let page = app
        .get(&format!("/admin/certificates/queue/{enrolment}"))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    let text = visible_text(&html);
    for expected in [
        "Dana Serikova",
        "dana@school.kz",
        "School No. 5",
        "Course evidence-course",
        "1 March 2025, 09:00 UTC",
        "13 March 2025, 13:30 UTC",
        "12 days 4 hours",
        // Both attempts, with their scores, results and how long each took.
        "10 March 2025, 10:00 UTC",
        "14 minutes",
        "60%",
        "Not passed",
        "1 hour 5 minutes",
        "90%",
        // Both submissions, the reviewer's feedback, the scores per criterion and the file.
        "Lesson plan: Returned",
        "Add visual supports",
        "Lesson plan: Passed",
        "Adaptation",
        "8 of 10 points",
        "7 of 10 points",
        "15 of 20 points",
        "plan.pdf",
        "2 KB",
        "This completion has not been returned before.",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(html.contains(&format!("href=\"/review/files/{file}\"")));
    // The quiz and the task are ticked for redoing, the lesson is not.
    for (id, ticked) in [
        (course.lesson, false),
        (course.quiz, true),
        (course.task, true),
    ] {
        let input = html
            .split("<input")
            .find(|i| i.contains(&format!("name=\"module\" value=\"{id}\"")))
            .expect("module box");
        assert_eq!(input.contains(" checked"), ticked, "{input}");
    }
    assert_eq!(
        app.get("/admin/certificates/queue/999999").await.status(),
        404
    );
}

#[tokio::test]
async fn a_returned_completion_reopens_and_comes_back_for_its_certificate() {
    let app = spawn_app_with_smtp().await;
    app.sign_in_english("admin", ADMIN, None).await;
    let course = reviewed_course(&app, "evidence-course");
    let teacher_browser = app.another_browser();
    let teacher_id = teacher_browser
        .sign_in("teacher", "dana@school.kz", Some("KZ-75"))
        .await;
    diesel::update(users::table.find(teacher_id))
        .set(users::language.eq("ru"))
        .execute(&mut app.conn())
        .expect("language");
    let enrolment = completion(&app, teacher_id, &course);
    let page = format!("/admin/certificates/queue/{enrolment}");

    // Without a reason: refused, nothing changed.
    let module_ids = [course.quiz.to_string(), course.lesson.to_string()];
    let refused = app
        .post(
            &format!("{page}/return"),
            &[("reason", "  "), ("module", &module_ids[0])],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let text = text_of(refused).await;
    assert!(text.contains("Enter the reason."), "{text}");
    assert_eq!(enrolment_state(&app, enrolment).0, "completed");
    assert!(returns_of(&app, enrolment).is_empty());
    assert_eq!(audit_count(&app, "completion.returned"), 0);

    let reason = "The quiz answers match another teacher's word for word. Take it again.";
    let response = app
        .post(
            &format!("{page}/return"),
            &[
                ("reason", reason),
                ("module", &module_ids[0]),
                ("module", &module_ids[1]),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{page}?done=returned"));
    let shown = text_of(app.get(&location(&response)).await).await;
    assert!(
        shown.contains("The completion has been returned."),
        "{shown}"
    );
    assert!(shown.contains(reason), "{shown}");
    assert!(
        shown.contains("The teacher is taking this course again"),
        "{shown}"
    );

    assert_eq!(
        enrolment_state(&app, enrolment),
        ("active".to_owned(), None)
    );
    assert_eq!(returns_of(&app, enrolment), vec![reason.to_owned()]);
    let progress: Vec<(i32, bool, Option<i32>)> = module_progress::table
        .filter(module_progress::enrolment_id.eq(enrolment))
        .order(module_progress::module_id)
        .select((
            module_progress::module_id,
            module_progress::completed_at.is_not_null(),
            module_progress::best_score,
        ))
        .load(&mut app.conn())
        .expect("progress");
    assert_eq!(
        progress,
        vec![
            (course.lesson, false, None),
            (course.quiz, false, None),
            (course.task, true, None)
        ]
    );
    assert_eq!(audit_count(&app, "completion.returned"), 1);
    let queue = text_of(app.get("/admin/certificates/queue").await).await;
    assert!(
        queue.contains("No completions are awaiting a certificate."),
        "{queue}"
    );

    // The teacher is told in Russian, by email and on the course page.
    let mail = app.mail_to("dana@school.kz", 1).await;
    assert!(mail.subject.contains("возвращено"), "{}", mail.subject);
    assert!(mail.text.contains(reason), "{}", mail.text);
    assert!(mail.text.contains("Причина:"), "{}", mail.text);
    assert!(mail.text.contains("Reading, Final quiz") || mail.text.contains("Final quiz, Reading"));
    let course_page = text_of(teacher_browser.get("/courses/evidence-course").await).await;
    assert!(course_page.contains(reason), "{course_page}");

    // The teacher does the modules again: the completion is back in the queue, then issued.
    for module_id in [course.lesson, course.quiz] {
        ustaz::learning::ops::complete_module(
            &mut app.conn(),
            enrolment,
            course.id,
            module_id,
            (module_id == course.quiz).then_some(95),
            true,
            at("2025-04-01 10:00:00"),
            BASE,
        )
        .expect("complete");
    }
    assert_eq!(enrolment_state(&app, enrolment).0, "completed");
    let queue = text_of(app.get("/admin/certificates/queue").await).await;
    assert!(queue.contains("dana@school.kz"), "{queue}");
    let again = text_of(app.get(&page).await).await;
    assert!(
        again.contains(reason),
        "the earlier return is shown: {again}"
    );
    let issued = app.post(&format!("{page}/issue"), &[]).await;
    assert_eq!(issued.status(), 303);
    assert!(location(&issued).starts_with("/admin/certificates/UST-"));
    assert!(has_certificate(&app, enrolment));
    let issuer: Option<i32> = certificates::table
        .select(certificates::issued_by)
        .first(&mut app.conn())
        .expect("issuer");
    assert!(issuer.is_some(), "issued as reviewed by the administrator");
    assert_eq!(audit_count(&app, "certificate.issued"), 1);
    // Now certified: a return is refused without a change.
    let late = app
        .post(
            &format!("{page}/return"),
            &[("reason", "Late"), ("module", &module_ids[0])],
        )
        .await;
    assert_eq!(location(&late), format!("{page}?done=not-waiting"));
    assert_eq!(returns_of(&app, enrolment).len(), 1);
}

#[tokio::test]
async fn a_return_racing_an_issue_has_one_winner() {
    let (app, _) = spawn_admin_app().await;
    let course = reviewed_course(&app, "evidence-course");
    for round in 0..6 {
        let teacher_id = teacher(&app, &format!("racer{round}@school.kz"));
        let enrolment = completion(&app, teacher_id, &course);
        let page = format!("/admin/certificates/queue/{enrolment}");
        let quiz = course.quiz.to_string();
        let (issue_path, return_path) = (format!("{page}/issue"), format!("{page}/return"));
        let form = [("reason", "Redo"), ("module", quiz.as_str())];
        let (issued, returned) =
            tokio::join!(app.post(&issue_path, &[]), app.post(&return_path, &form));
        assert_eq!(issued.status(), 303);
        assert_eq!(returned.status(), 303);
        let certified = has_certificate(&app, enrolment);
        let returns = returns_of(&app, enrolment).len();
        let (status, _) = enrolment_state(&app, enrolment);
        if certified {
            assert_eq!(
                (returns, status.as_str()),
                (0, "completed"),
                "round {round}"
            );
            assert!(
                location(&returned).ends_with("?done=certified")
                    || location(&returned).ends_with("?done=not-waiting")
            );
        } else {
            assert_eq!((returns, status.as_str()), (1, "active"), "round {round}");
            assert_eq!(location(&issued), format!("{page}?done=not-waiting"));
        }
    }
}

#[tokio::test]
async fn fifty_identical_returns_return_once() {
    let (app, _) = spawn_admin_app().await;
    let course = reviewed_course(&app, "evidence-course");
    let teacher_id = teacher(&app, "dana@school.kz");
    let enrolment = completion(&app, teacher_id, &course);
    let path = format!("/admin/certificates/queue/{enrolment}/return");
    let quiz = course.quiz.to_string();
    let form = [("reason", "Redo the quiz"), ("module", quiz.as_str())];
    let responses = futures_util::future::join_all((0..50).map(|_| app.post(&path, &form))).await;
    for response in responses {
        assert_eq!(response.status(), 303);
    }
    assert_eq!(returns_of(&app, enrolment).len(), 1);
    assert_eq!(audit_count(&app, "completion.returned"), 1);
    assert_eq!(app.emails_to("dana@school.kz").len(), 1);
}

#[tokio::test]
async fn tutors_may_not_review_completions() {
    let (app, _) = spawn_admin_app().await;
    let course = reviewed_course(&app, "evidence-course");
    let teacher_id = teacher(&app, "dana@school.kz");
    let enrolment = completion(&app, teacher_id, &course);
    let tutor = app.another_browser();
    tutor.sign_in("tutor", "tutor@ustaz.kz", None).await;
    let page = format!("/admin/certificates/queue/{enrolment}");
    assert_eq!(tutor.get("/admin/certificates/queue").await.status(), 403);
    assert_eq!(tutor.get(&page).await.status(), 403);
    let quiz = course.quiz.to_string();
    let response = tutor
        .post(
            &format!("{page}/return"),
            &[("reason", "No"), ("module", &quiz)],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        tutor.post(&format!("{page}/issue"), &[]).await.status(),
        403
    );
    assert_eq!(enrolment_state(&app, enrolment).0, "completed");
    assert!(!has_certificate(&app, enrolment));
}
