//! Course authoring as an administrator does it: courses, modules, quizzes, the publishing rules
//! and the preview.

use diesel::prelude::*;
use ustaz::schema::{audit_events, courses, enrolments, module_progress, modules, quiz_questions};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{self, CourseBuilder, EnrolmentBuilder, UserBuilder};
use crate::helpers::{location, spawn_admin_app, text_of, visible_text, TestApp};

pub(crate) fn course_form<'a>(title: &'a str, slug: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("slug", slug),
        ("summary", "For every classroom teacher."),
        ("description", "## Why\n\nBecause every child learns."),
        ("audience", "general"),
        ("audience", "special"),
        ("language", "en"),
        ("hours", "36"),
        ("area", "inclusive"),
        ("counts", "yes"),
        ("certificate", "automatic"),
    ]
}

/// Creates a course through the form and returns its id.
async fn create_course(app: &TestApp, title: &str, slug: &str) -> i32 {
    let response = app
        .post("/admin/courses/new", &course_form(title, slug))
        .await;
    assert_eq!(response.status(), 303, "{}", text_of(response).await);
    let to = location(&response);
    to.trim_start_matches("/admin/courses/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("course id in {to}"))
}

async fn add_lesson(app: &TestApp, course_id: i32, title: &str, body: &str) -> reqwest::Response {
    app.post(
        &format!("/admin/courses/{course_id}/modules/new?kind=lesson"),
        &[
            ("title", title),
            ("slug", ""),
            ("required", "yes"),
            ("body", body),
        ],
    )
    .await
}

fn module_order(app: &TestApp, course_id: i32) -> Vec<String> {
    modules::table
        .filter(modules::course_id.eq(course_id))
        .order(modules::position.asc())
        .select(modules::slug)
        .load(&mut app.conn())
        .expect("modules")
}

fn module_id(app: &TestApp, course_id: i32, slug: &str) -> i32 {
    modules::table
        .filter(modules::course_id.eq(course_id))
        .filter(modules::slug.eq(slug))
        .select(modules::id)
        .first(&mut app.conn())
        .expect("module")
}

#[tokio::test]
async fn a_course_is_written_with_modules_reordered_and_edited() {
    let (app, _) = spawn_admin_app().await;
    let id = create_course(&app, "Foundations of inclusive education", "").await;
    let (slug, status, hours): (String, String, i32) = courses::table
        .find(id)
        .select((courses::slug, courses::status, courses::hours))
        .first(&mut app.conn())
        .expect("course");
    assert_eq!(slug, "foundations-of-inclusive-education");
    assert_eq!(status, "draft");
    assert_eq!(hours, 36);

    for (title, body) in [("Welcome", "Hello, teachers."), ("Second steps", "More.")] {
        let response = add_lesson(&app, id, title, body).await;
        assert_eq!(response.status(), 303, "{}", text_of(response).await);
    }
    assert_eq!(module_order(&app, id), ["welcome", "second-steps"]);

    let second = module_id(&app, id, "second-steps");
    let moved = app
        .post(&format!("/admin/courses/{id}/modules/{second}/up"), &[])
        .await;
    assert_eq!(moved.status(), 303);
    assert_eq!(module_order(&app, id), ["second-steps", "welcome"]);
    let page = text_of(app.get(&format!("/admin/courses/{id}?done=moved")).await).await;
    assert!(
        page.contains("The order of the modules has been changed"),
        "{page}"
    );
    assert!(page.find("Second steps") < page.find("Welcome"), "{page}");

    // Edit the course and a module.
    let mut form = course_form("Foundations of inclusive education, revised", "foundations");
    form.retain(|(k, _)| *k != "counts");
    form.push(("hours", "72"));
    form.retain(|(k, v)| !(*k == "hours" && *v == "36"));
    let edit = format!("/admin/courses/{id}/edit");
    let edited = app.save_form(&edit, &edit, &form).await;
    assert_eq!(edited.status(), 303, "{}", text_of(edited).await);
    let (slug, title, hours, counts): (String, String, i32, bool) = courses::table
        .find(id)
        .select((
            courses::slug,
            courses::title,
            courses::hours,
            courses::counts_toward_target,
        ))
        .first(&mut app.conn())
        .expect("course");
    assert_eq!(slug, "foundations");
    assert_eq!(title, "Foundations of inclusive education, revised");
    assert_eq!(hours, 72);
    assert!(!counts);

    let welcome = module_id(&app, id, "welcome");
    let edit = format!("/admin/courses/{id}/modules/{welcome}/edit");
    let edited = app
        .save_form(
            &edit,
            &edit,
            &[
                ("title", "Welcome and aims"),
                ("slug", "welcome"),
                ("body", "Aims of the course."),
                ("video_url", "https://video.example.org/welcome"),
                ("transcript", "Hello and welcome."),
            ],
        )
        .await;
    assert_eq!(edited.status(), 303, "{}", text_of(edited).await);
    let (title, required, video): (String, bool, Option<String>) = modules::table
        .find(welcome)
        .select((modules::title, modules::required, modules::video_url))
        .first(&mut app.conn())
        .expect("module");
    assert_eq!(title, "Welcome and aims");
    assert!(!required, "the unticked box makes the module optional");
    assert_eq!(video.as_deref(), Some("https://video.example.org/welcome"));

    let list = text_of(app.get("/admin/courses").await).await;
    assert!(
        list.contains("Foundations of inclusive education, revised"),
        "{list}"
    );
}

#[tokio::test]
async fn bad_input_gets_the_form_back_with_messages() {
    let (app, _) = spawn_admin_app().await;
    let first = create_course(&app, "Digital skills", "digital-skills").await;

    let clash = app
        .post(
            "/admin/courses/new",
            &course_form("Another", "digital-skills"),
        )
        .await;
    assert_eq!(clash.status(), 422);
    let page = text_of(clash).await;
    assert!(
        page.contains("Another course already uses this web address name"),
        "{page}"
    );
    let count: i64 = courses::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 1);

    let mut form = course_form("Bad", "Not A Slug!");
    form.retain(|(k, _)| *k != "audience");
    form.retain(|(k, _)| *k != "hours");
    form.push(("hours", "0"));
    let bad = app.post("/admin/courses/new", &form).await;
    assert_eq!(bad.status(), 422);
    let page = text_of(bad).await;
    assert!(page.contains("Error:"), "{page}");
    assert!(
        page.contains("lowercase latin letters, digits and single hyphens"),
        "{page}"
    );
    assert!(
        page.contains("Select at least one category of teachers"),
        "{page}"
    );
    assert!(page.contains("from 1 to 1000"), "{page}");

    // A module slug is unique within its course.
    assert_eq!(add_lesson(&app, first, "Intro", "x").await.status(), 303);
    let again = add_lesson(&app, first, "Intro", "y").await;
    assert_eq!(again.status(), 422);
    assert!(text_of(again)
        .await
        .contains("Another module of this course"));

    // A video needs a transcript and an http(s) link.
    let video = app
        .post(
            &format!("/admin/courses/{first}/modules/new?kind=lesson"),
            &[
                ("title", "Video"),
                ("body", "Watch."),
                ("video_url", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(video.status(), 422);
    assert!(text_of(video).await.contains("starts with https://"));
    let video = app
        .post(
            &format!("/admin/courses/{first}/modules/new?kind=lesson"),
            &[
                ("title", "Video"),
                ("body", "Watch."),
                ("video_url", "https://video.example.org/1"),
            ],
        )
        .await;
    assert_eq!(video.status(), 422);
    assert!(text_of(video)
        .await
        .contains("Enter a transcript of the video"));
}

#[tokio::test]
async fn images_need_a_text_alternative() {
    let (app, _) = spawn_admin_app().await;
    let id = create_course(&app, "Seeing", "seeing").await;
    let refused = add_lesson(&app, id, "Pictures", "Look: ![](/static/img/class.png)").await;
    assert_eq!(refused.status(), 422);
    let page = text_of(refused).await;
    assert!(
        page.contains("Describe the image /static/img/class.png"),
        "{page}"
    );
    assert!(module_order(&app, id).is_empty());
    let accepted = add_lesson(
        &app,
        id,
        "Pictures",
        "Look: ![A class of children in a circle](/static/img/class.png)",
    )
    .await;
    assert_eq!(accepted.status(), 303);
}

#[tokio::test]
async fn publishing_needs_a_required_module_and_is_audited() {
    let (app, _) = spawn_admin_app().await;
    let id = create_course(&app, "Empty course", "empty-course").await;
    let refused = app.post(&format!("/admin/courses/{id}/publish"), &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(text_of(refused)
        .await
        .contains("add at least one required module first"));
    let status: String = courses::table
        .find(id)
        .select(courses::status)
        .first(&mut app.conn())
        .expect("status");
    assert_eq!(status, "draft");

    assert_eq!(
        add_lesson(&app, id, "Only lesson", "Text").await.status(),
        303
    );
    let published = app.post(&format!("/admin/courses/{id}/publish"), &[]).await;
    assert_eq!(published.status(), 303);
    let (status, published_at): (String, Option<chrono::NaiveDateTime>) = courses::table
        .find(id)
        .select((courses::status, courses::published_at))
        .first(&mut app.conn())
        .expect("status");
    assert_eq!(status, "published");
    assert!(published_at.is_some());
    let actions: Vec<String> = audit_events::table
        .filter(audit_events::subject_type.eq("course"))
        .filter(audit_events::subject_id.eq(id))
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut app.conn())
        .expect("audit");
    assert_eq!(actions, ["course.created", "course.published"]);

    // With a teacher enrolled it cannot go back to draft; archiving is fine.
    let teacher = UserBuilder::teacher("t@school.kz").expect_build(&mut app.conn());
    EnrolmentBuilder::new(teacher, id).expect_build(&mut app.conn());
    let refused = app.post(&format!("/admin/courses/{id}/draft"), &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(text_of(refused)
        .await
        .contains("teachers have already enrolled"));
    let archived = app.post(&format!("/admin/courses/{id}/archive"), &[]).await;
    assert_eq!(archived.status(), 303);
    let last: String = audit_events::table
        .order(audit_events::id.desc())
        .select(audit_events::action)
        .first(&mut app.conn())
        .expect("audit");
    assert_eq!(last, "course.archived");
}

#[tokio::test]
async fn a_completed_module_is_archived_and_others_are_deleted() {
    let (app, _) = spawn_admin_app().await;
    let id = create_course(&app, "Keeping progress", "keeping-progress").await;
    for title in ["Done by someone", "Untouched"] {
        assert_eq!(add_lesson(&app, id, title, "Text").await.status(), 303);
    }
    let done = module_id(&app, id, "done-by-someone");
    let untouched = module_id(&app, id, "untouched");
    let teacher = UserBuilder::teacher("t@school.kz").expect_build(&mut app.conn());
    let enrolment = EnrolmentBuilder::new(teacher, id).expect_build(&mut app.conn());
    diesel::insert_into(module_progress::table)
        .values((
            module_progress::enrolment_id.eq(enrolment),
            module_progress::module_id.eq(done),
            module_progress::completed_at.eq(Some(fixtures::at("2025-03-01 10:00:00"))),
            module_progress::attempts.eq(1),
            module_progress::updated_at.eq(fixtures::at("2025-03-01 10:00:00")),
        ))
        .execute(&mut app.conn())
        .expect("progress");

    let removed = app
        .post(&format!("/admin/courses/{id}/modules/{done}/remove"), &[])
        .await;
    assert_eq!(removed.status(), 303);
    let page = text_of(app.get(&location(&removed)).await).await;
    assert!(page.contains("archived rather than deleted"), "{page}");
    assert!(page.contains("Done by someone Archived"), "{page}");
    let archived: Option<chrono::NaiveDateTime> = modules::table
        .find(done)
        .select(modules::archived_at)
        .first(&mut app.conn())
        .expect("still there");
    assert!(archived.is_some());

    let removed = app
        .post(
            &format!("/admin/courses/{id}/modules/{untouched}/remove"),
            &[],
        )
        .await;
    assert_eq!(removed.status(), 303);
    assert!(text_of(app.get(&location(&removed)).await)
        .await
        .contains("The module has been deleted"));
    let left: i64 = modules::table
        .filter(modules::id.eq(untouched))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(left, 0);
    let _ = enrolments::table;
}

#[tokio::test]
async fn quiz_questions_are_checked_before_they_are_added() {
    let (app, _) = spawn_admin_app().await;
    let id = create_course(&app, "Quizzes", "quizzes").await;
    let created = app
        .post(
            &format!("/admin/courses/{id}/modules/new?kind=quiz"),
            &[
                ("title", "Check yourself"),
                ("required", "yes"),
                ("pass_mark", "80"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303, "{}", text_of(created).await);
    let quiz = module_id(&app, id, "check-yourself");
    assert!(location(&created).starts_with(&format!("/admin/courses/{id}/modules/{quiz}/edit")));
    let questions = format!("/admin/courses/{id}/modules/{quiz}/questions");

    let two_correct = app
        .post(
            &questions,
            &[
                ("prompt", "Which is inclusive?"),
                ("answer_kind", "single"),
                ("option", "All learners together"),
                ("option", "Separate classes"),
                ("option", ""),
                ("correct", "1"),
                ("correct", "2"),
            ],
        )
        .await;
    assert_eq!(two_correct.status(), 422);
    let page = text_of(two_correct).await;
    assert!(page.contains("Tick exactly one correct option"), "{page}");

    let one_option = app
        .post(
            &questions,
            &[
                ("prompt", "Lonely?"),
                ("answer_kind", "multiple"),
                ("option", "Yes"),
                ("correct", "1"),
            ],
        )
        .await;
    assert_eq!(one_option.status(), 422);
    assert!(text_of(one_option).await.contains("at least 2 options"));
    let count: i64 = quiz_questions::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 0);

    let added = app
        .post(
            &questions,
            &[
                ("prompt", "Which is inclusive?"),
                ("answer_kind", "single"),
                ("option", "All learners together"),
                ("option", "Separate classes"),
                ("correct", "1"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let question: i32 = quiz_questions::table
        .select(quiz_questions::id)
        .first(&mut app.conn())
        .expect("question");
    let page = text_of(
        app.get(&format!("/admin/courses/{id}/modules/{quiz}/edit"))
            .await,
    )
    .await;
    assert!(page.contains("All learners together correct"), "{page}");

    let deleted = app
        .post(&format!("{questions}/{question}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), 303);
    let count: i64 = quiz_questions::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 0);
}

#[tokio::test]
async fn the_preview_shows_a_draft_as_a_teacher_sees_it() {
    let (app, _) = spawn_admin_app().await;
    let id = create_course(&app, "Preview me", "preview-me").await;
    let body =
        "## Plan\n\n**Bold** words.\n\n<script>alert('x')</script>\n\n[x](javascript:alert(1))";
    assert_eq!(
        add_lesson(&app, id, "First lesson", body).await.status(),
        303
    );
    let quiz = {
        use ustaz::courses::models;
        let mut conn = app.conn();
        let quiz = models::add_module(
            &mut conn,
            id,
            "quiz",
            &fixtures::module_fields("Check yourself", "check", Some(100)),
        )
        .expect("quiz");
        let question = models::add_question(
            &mut conn,
            quiz,
            "Who belongs in the classroom?",
            false,
            "",
            &[("Every child".to_owned(), true), ("Some".to_owned(), false)],
        )
        .expect("question");
        models::quiz(&mut conn, quiz).expect("quiz")[0]
            .1
            .iter()
            .map(|o| (question, o.id, o.is_correct))
            .collect::<Vec<_>>()
    };

    // The course page is the teacher's, with the banner and links that stay in the preview.
    let course = app.get(&format!("/admin/courses/{id}/preview")).await;
    assert_eq!(course.status(), 200);
    let html = course.text().await.expect("body");
    let text = visible_text(&html);
    assert!(
        text.contains("This is how teachers will see this page"),
        "{text}"
    );
    assert!(html.contains("<title>Preview: Preview me"), "{html}");
    assert!(html.contains("id=\"enrolment-heading\""), "{html}");
    assert!(html.contains("disabled>Enrol"), "{html}");
    assert!(
        !html.contains("action=\"/courses/preview-me/enrol\""),
        "{html}"
    );
    assert!(html.contains(&format!("/admin/courses/{id}/preview/first-lesson")));
    assert!(!html.contains("/learn/preview-me"), "{html}");

    let lesson = app
        .get(&format!("/admin/courses/{id}/preview/first-lesson"))
        .await;
    assert_eq!(lesson.status(), 200);
    let html = lesson.text().await.expect("body");
    assert!(html.contains("<h2>Plan</h2>"), "{html}");
    assert!(html.contains("<strong>Bold</strong>"), "{html}");
    assert!(!html.contains("alert("), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    assert!(html.contains("class=\"learn-sidebar\""), "{html}");
    assert!(html.contains(&format!(
        "href=\"/admin/courses/{id}/preview/check\" rel=\"next\""
    )));
    assert!(html.contains("disabled>Mark as complete"), "{html}");

    // The author can try the quiz: it is graded, the wrong answer marked, nothing recorded.
    let (question, wrong, _) = quiz.iter().find(|o| !o.2).copied().expect("wrong");
    let tried = app
        .post(
            &format!("/admin/courses/{id}/preview/check/quiz"),
            &[(&format!("q{question}"), &wrong.to_string())],
        )
        .await;
    assert_eq!(tried.status(), 200);
    let text = visible_text(&tried.text().await.expect("body"));
    assert!(text.contains("Your score: 0%"), "{text}");
    assert!(text.contains("This answer is not right"), "{text}");
    let unanswered = app
        .post(&format!("/admin/courses/{id}/preview/check/quiz"), &[])
        .await;
    assert_eq!(unanswered.status(), 422);
    let recorded: i64 = module_progress::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(recorded, 0);

    let missing = app
        .get(&format!("/admin/courses/{id}/preview/no-such"))
        .await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn only_administrators_author_courses() {
    let (app, browsers) = browsers().await;
    let (course, lesson, quiz, question, empty) = {
        use ustaz::courses::models;
        let mut conn = app.conn();
        let course = CourseBuilder::new("matrix-course")
            .counting()
            .published()
            .expect_build(&mut conn);
        let empty = CourseBuilder::new("matrix-empty")
            .counting()
            .published()
            .expect_build(&mut conn);
        let fields = fixtures::module_fields;
        let lesson = models::add_module(
            &mut conn,
            course,
            "lesson",
            &fields("Lesson", "lesson", None),
        )
        .expect("lesson");
        let quiz = models::add_module(&mut conn, course, "quiz", &fields("Quiz", "quiz", Some(50)))
            .expect("quiz");
        let question = models::add_question(
            &mut conn,
            quiz,
            "Question?",
            false,
            "",
            &[("Yes".to_owned(), true), ("No".to_owned(), false)],
        )
        .expect("question");
        // A second question, so that the quiz still has one after the first is deleted (a
        // course is published only with questions in every quiz).
        models::add_question(
            &mut conn,
            quiz,
            "Another question?",
            false,
            "",
            &[("Yes".to_owned(), true), ("No".to_owned(), false)],
        )
        .expect("second question");
        (course, lesson, quiz, question, empty)
    };
    let c = |suffix: &str| format!("/admin/courses/{course}{suffix}");
    let rows = rows![
        GET "/admin/courses" => [SignIn, Denied, Denied, Page],
        GET "/admin/courses/new" => [SignIn, Denied, Denied, Page],
        POST "/admin/courses/new" => [SignIn, Denied, Denied, Invalid],
        GET c("") => [SignIn, Denied, Denied, Page],
        GET c("/edit") => [SignIn, Denied, Denied, Page],
        POST c("/edit") => [SignIn, Denied, Denied, Invalid],
        GET c("/preview") => [SignIn, Denied, Denied, Page],
        GET c("/preview/lesson") => [SignIn, Denied, Denied, Page],
        GET c("/preview/quiz") => [SignIn, Denied, Denied, Page],
        POST c("/preview/quiz/quiz") => [SignIn, Denied, Denied, Invalid],
        GET c("/modules/new?kind=lesson") => [SignIn, Denied, Denied, Page],
        GET c("/modules/new?kind=quiz") => [SignIn, Denied, Denied, Page],
        POST c("/modules/new?kind=lesson") => [SignIn, Denied, Denied, Invalid],
        GET c(&format!("/modules/{lesson}/edit")) => [SignIn, Denied, Denied, Page],
        POST c(&format!("/modules/{lesson}/edit")) => [SignIn, Denied, Denied, Invalid],
        GET c(&format!("/modules/{quiz}/edit")) => [SignIn, Denied, Denied, Page],
        POST c(&format!("/modules/{quiz}/questions")) => [SignIn, Denied, Denied, Invalid],
        POST c(&format!("/modules/{quiz}/questions/{question}/delete")) => [SignIn, Denied, Denied, Redirect],
        POST c(&format!("/modules/{quiz}/up")) => [SignIn, Denied, Denied, Redirect],
        POST c(&format!("/modules/{quiz}/down")) => [SignIn, Denied, Denied, Redirect],
        POST format!("/admin/courses/{empty}/publish") => [SignIn, Denied, Denied, Invalid],
        POST c("/archive") => [SignIn, Denied, Denied, Redirect],
        POST c("/draft") => [SignIn, Denied, Denied, Redirect],
        POST c("/publish") => [SignIn, Denied, Denied, Redirect],
        POST c(&format!("/modules/{lesson}/remove")) => [SignIn, Denied, Denied, Redirect],
    ];
    check_access(&browsers, &rows).await;

    // A module is reached only through its own course.
    let admin = &browsers[3];
    let foreign = admin
        .get(&format!("/admin/courses/{empty}/modules/{quiz}/edit"))
        .await;
    assert_eq!(foreign.status(), 404);
}
