//! Authoring a practical task: the module (instructions, required), its rubric of criteria
//! (added, edited at a version, moved, removed unless scored against) and the publishing rule.

use diesel::prelude::*;
use ustaz::courses::models;
use ustaz::schema::{audit_events, modules, task_criteria, task_scores, task_submissions};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{at, module_fields, CourseBuilder, EnrolmentBuilder, UserBuilder};
use crate::helpers::{location, spawn_admin_app, text_of, visible_text, TestApp};

const STALE: &str = "Someone else saved changes here after you opened this page, so your \
                     changes were not saved.";

/// A draft course with a required lesson and a practical task; their ids.
fn course_with_task(app: &TestApp, slug: &str) -> (i32, i32) {
    let mut conn = app.conn();
    let course = CourseBuilder::new(slug).expect_build(&mut conn);
    models::add_module(
        &mut conn,
        course,
        "lesson",
        &module_fields("Lesson", "lesson", None),
    )
    .expect("lesson");
    let task = models::add_module(
        &mut conn,
        course,
        "task",
        &module_fields("Adapt a lesson plan", "task", None),
    )
    .expect("task");
    (course, task)
}

fn criterion_form<'a>(
    title: &'a str,
    description: &'a str,
    max: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("description", description),
        ("max_score", max),
    ]
}

fn rubric(app: &TestApp, task: i32) -> Vec<(String, i32)> {
    task_criteria::table
        .filter(task_criteria::module_id.eq(task))
        .order(task_criteria::position.asc())
        .select((task_criteria::title, task_criteria::max_score))
        .load(&mut app.conn())
        .expect("rubric")
}

fn criterion_ids(app: &TestApp, task: i32) -> Vec<i32> {
    task_criteria::table
        .filter(task_criteria::module_id.eq(task))
        .order(task_criteria::position.asc())
        .select(task_criteria::id)
        .load(&mut app.conn())
        .expect("ids")
}

fn actions(app: &TestApp) -> Vec<String> {
    audit_events::table
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut app.conn())
        .expect("events")
}

#[tokio::test]
async fn a_practical_task_is_added_with_its_instructions() {
    let (app, _) = spawn_admin_app().await;
    let course = CourseBuilder::new("tasks").expect_build(&mut app.conn());
    let detail = text_of(app.get(&format!("/admin/courses/{course}")).await).await;
    assert!(detail.contains("Add a practical task"), "{detail}");
    let new = format!("/admin/courses/{course}/modules/new?kind=task");
    let html = app.get(&new).await.text().await.expect("form");
    let text = visible_text(&html);
    assert!(text.contains("Add a practical task"), "{text}");
    assert!(text.contains("Instructions"), "{text}");
    assert!(!html.contains("name=\"video_url\""), "no video for a task");
    assert!(
        !html.contains("name=\"pass_mark\""),
        "no pass mark for a task"
    );
    let created = app
        .post(
            &new,
            &[
                ("title", "Adapt a lesson plan"),
                ("slug", ""),
                ("required", "yes"),
                (
                    "body",
                    "Adapt one of your lesson plans for a learner with a hearing impairment.",
                ),
            ],
        )
        .await;
    assert_eq!(created.status(), 303, "{}", text_of(created).await);
    let (id, kind, body): (i32, String, String) = modules::table
        .filter(modules::course_id.eq(course))
        .select((modules::id, modules::kind, modules::body_markdown))
        .first(&mut app.conn())
        .expect("task");
    assert_eq!(kind, "task");
    assert!(body.starts_with("Adapt one of your lesson plans"));
    assert_eq!(
        location(&created),
        format!("/admin/courses/{course}/modules/{id}/edit?done=module-added")
    );
    let page = text_of(app.get(&location(&created)).await).await;
    assert!(page.contains("Edit the practical task"), "{page}");
    assert!(
        page.contains("This task has no assessment criteria yet."),
        "{page}"
    );

    // Missing title: 422 with the message next to the field, nothing written.
    let refused = app.post(&new, &[("title", ""), ("body", "Text")]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .expect("page")
        .contains("id=\"title-error\""));
    let count: i64 = modules::table
        .filter(modules::course_id.eq(course))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 1);
}

#[tokio::test]
async fn criteria_are_added_edited_moved_and_removed() {
    let (app, admin) = spawn_admin_app().await;
    let (course, task) = course_with_task(&app, "rubric");
    let m = |suffix: &str| format!("/admin/courses/{course}/modules/{task}{suffix}");
    for (title, max) in [("Goals", "10"), ("Adaptations", "20"), ("Reflection", "5")] {
        let added = app
            .post(
                &m("/criteria"),
                &criterion_form(title, "What to look for", max),
            )
            .await;
        assert_eq!(added.status(), 303, "{}", text_of(added).await);
    }
    assert_eq!(
        rubric(&app, task),
        [
            ("Goals".to_owned(), 10),
            ("Adaptations".to_owned(), 20),
            ("Reflection".to_owned(), 5)
        ]
    );
    let text = text_of(app.get(&m("/edit?done=criterion-added")).await).await;
    assert!(text.contains("The criterion has been added."), "{text}");
    assert!(text.contains("Adaptations (out of 20)"), "{text}");

    let ids = criterion_ids(&app, task);
    // Edited at its version.
    let edit = m(&format!("/criteria/{}/edit", ids[1]));
    let saved = app
        .save_form(&edit, &edit, &criterion_form("Adaptations made", "", "25"))
        .await;
    assert_eq!(saved.status(), 303, "{}", text_of(saved).await);
    assert_eq!(rubric(&app, task)[1], ("Adaptations made".to_owned(), 25));
    let version: i32 = task_criteria::table
        .find(ids[1])
        .select(task_criteria::version)
        .first(&mut app.conn())
        .expect("v");
    assert_eq!(version, 2);

    // Moved.
    assert_eq!(
        app.post(&m(&format!("/criteria/{}/up", ids[2])), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        rubric(&app, task)
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>(),
        ["Goals", "Reflection", "Adaptations made"]
    );
    assert_eq!(
        app.post(&m(&format!("/criteria/{}/up", ids[0])), &[])
            .await
            .status(),
        303
    );

    // Removed.
    let removed = app
        .post(&m(&format!("/criteria/{}/delete", ids[0])), &[])
        .await;
    assert_eq!(removed.status(), 303);
    assert_eq!(rubric(&app, task).len(), 2);

    // One that a reviewer scored against stays, and the page says why.
    let teacher = UserBuilder::teacher("maker@school.kz").expect_build(&mut app.conn());
    let enrolment = EnrolmentBuilder::new(teacher, course).expect_build(&mut app.conn());
    let mut conn = app.conn();
    diesel::insert_into(task_submissions::table)
        .values((
            task_submissions::enrolment_id.eq(enrolment),
            task_submissions::module_id.eq(task),
            task_submissions::body.eq("My plan"),
            task_submissions::status.eq("passed"),
            task_submissions::submitted_at.eq(at("2026-11-01 09:00:00")),
            task_submissions::reviewed_at.eq(Some(at("2026-11-02 09:00:00"))),
            task_submissions::reviewer_id.eq(Some(admin)),
        ))
        .execute(&mut conn)
        .expect("submission");
    let submission: i32 = task_submissions::table
        .select(task_submissions::id)
        .first(&mut conn)
        .expect("id");
    diesel::insert_into(task_scores::table)
        .values((
            task_scores::submission_id.eq(submission),
            task_scores::criterion_id.eq(ids[1]),
            task_scores::score.eq(20),
        ))
        .execute(&mut conn)
        .expect("score");
    let kept = app
        .post(&m(&format!("/criteria/{}/delete", ids[1])), &[])
        .await;
    assert_eq!(kept.status(), 409);
    let text = text_of(kept).await;
    assert!(
        text.contains(
            "This criterion cannot be removed: submissions have already been scored against it."
        ),
        "{text}"
    );
    assert_eq!(rubric(&app, task).len(), 2);

    let events = actions(&app);
    for action in ["criterion.added", "criterion.updated", "criterion.deleted"] {
        assert!(events.contains(&action.to_owned()), "{action}: {events:?}");
    }
}

#[tokio::test]
async fn bad_criteria_get_a_message_next_to_each_field_and_nothing_is_written() {
    let (app, _) = spawn_admin_app().await;
    let (course, task) = course_with_task(&app, "bad-rubric");
    let add = format!("/admin/courses/{course}/modules/{task}/criteria");
    let long = "x".repeat(2001);
    for (form, field, message) in [
        (
            criterion_form("", "", "10"),
            "criterion-title",
            "Enter the criterion",
        ),
        (
            criterion_form("Goals", "", "0"),
            "criterion-max_score",
            "Enter the maximum score as a whole number from 1 to 100",
        ),
        (
            criterion_form("Goals", "", "101"),
            "criterion-max_score",
            "Enter the maximum score",
        ),
        (
            criterion_form("Goals", "", "ten"),
            "criterion-max_score",
            "Enter the maximum score",
        ),
        (
            criterion_form("Goals", &long, "10"),
            "criterion-description",
            "This text is too long",
        ),
    ] {
        let refused = app.post(&add, &form).await;
        assert_eq!(refused.status(), 422, "{field}");
        let html = refused.text().await.expect("page");
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {html}"
        );
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "{field} in the summary"
        );
        assert!(visible_text(&html).contains(message), "{field}");
    }
    assert!(rubric(&app, task).is_empty());

    // A quiz or a lesson has no rubric.
    let lesson: i32 = modules::table
        .filter(modules::course_id.eq(course))
        .filter(modules::slug.eq("lesson"))
        .select(modules::id)
        .first(&mut app.conn())
        .expect("lesson");
    let response = app
        .post(
            &format!("/admin/courses/{course}/modules/{lesson}/criteria"),
            &criterion_form("Goals", "", "10"),
        )
        .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn two_admins_editing_a_criterion_keep_the_first_save() {
    let (a, _) = spawn_admin_app().await;
    let b = a.another_browser();
    b.sign_in_english("admin", "second.admin@ustaz.kz", None)
        .await;
    let (course, task) = course_with_task(&a, "criterion-conflict");
    let id = models::add_criterion(&mut a.conn(), task, "Goals", "", 10).expect("criterion");
    let edit = format!("/admin/courses/{course}/modules/{task}/criteria/{id}/edit");
    let b_version = b.form_version(&edit).await;
    let saved = a
        .save_form(
            &edit,
            &edit,
            &criterion_form("Goals, as A wrote them", "", "10"),
        )
        .await;
    assert_eq!(saved.status(), 303);
    let mut late = criterion_form("Goals, as B wrote them", "", "50");
    late.push(("version", &b_version));
    let stale = b.post(&edit, &late).await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.expect("page");
    assert!(visible_text(&html).contains(STALE));
    assert!(html.contains("value=\"Goals, as A wrote them\""), "{html}");
    assert_eq!(
        rubric(&a, task),
        [("Goals, as A wrote them".to_owned(), 10)]
    );
}

#[tokio::test]
async fn a_course_with_a_task_is_published_only_with_its_rubric() {
    let (app, _) = spawn_admin_app().await;
    let (course, task) = course_with_task(&app, "task-publish");
    let publish = format!("/admin/courses/{course}/publish");
    let refused = app.post(&publish, &[]).await;
    assert_eq!(refused.status(), 422);
    let text = text_of(refused).await;
    assert!(
        text.contains("The course cannot be published yet: the practical task “Adapt a lesson plan” has no assessment criteria."),
        "{text}"
    );
    models::add_criterion(&mut app.conn(), task, "Goals", "", 10).expect("criterion");
    assert_eq!(app.post(&publish, &[]).await.status(), 303);
}

#[tokio::test]
async fn only_administrators_author_tasks() {
    let (app, browsers) = browsers().await;
    let (course, task) = course_with_task(&app, "matrix-task");
    let first = models::add_criterion(&mut app.conn(), task, "First", "", 10).expect("first");
    models::add_criterion(&mut app.conn(), task, "Second", "", 10).expect("second");
    let m = |suffix: &str| format!("/admin/courses/{course}/modules/{task}{suffix}");
    let rows = rows![
        GET format!("/admin/courses/{course}/modules/new?kind=task") => [SignIn, Denied, Denied, Page],
        POST format!("/admin/courses/{course}/modules/new?kind=task") => [SignIn, Denied, Denied, Invalid],
        GET m("/edit") => [SignIn, Denied, Denied, Page],
        POST m("/edit") => [SignIn, Denied, Denied, Invalid],
        POST m("/criteria") => [SignIn, Denied, Denied, Invalid],
        GET m(&format!("/criteria/{first}/edit")) => [SignIn, Denied, Denied, Page],
        POST m(&format!("/criteria/{first}/edit")) => [SignIn, Denied, Denied, Invalid],
        POST m(&format!("/criteria/{first}/down")) => [SignIn, Denied, Denied, Redirect],
        POST m(&format!("/criteria/{first}/up")) => [SignIn, Denied, Denied, Redirect],
        POST m(&format!("/criteria/{first}/delete")) => [SignIn, Denied, Denied, Redirect],
    ];
    check_access(&browsers, &rows).await;

    let tutor = app.another_browser();
    tutor.sign_in("tutor", "tutor@matrix.kz", None).await;
    let second = criterion_ids(&app, task)[0];
    assert_eq!(tutor.get(&m("/edit")).await.status(), 403);
    assert_eq!(
        tutor
            .get(&m(&format!("/criteria/{second}/edit")))
            .await
            .status(),
        403
    );
    for path in [
        m("/criteria"),
        m(&format!("/criteria/{second}/delete")),
        m(&format!("/criteria/{second}/edit")),
    ] {
        assert_eq!(tutor.post(&path, &[]).await.status(), 403, "{path}");
    }
    assert_eq!(rubric(&app, task), [("Second".to_owned(), 10)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_criteria_added_and_moved_at_once_keep_their_order() {
    use futures_util::future::join_all;
    let (app, _) = spawn_admin_app().await;
    let (course, task) = course_with_task(&app, "busy-rubric");
    let add = format!("/admin/courses/{course}/modules/{task}/criteria");
    let titles: Vec<String> = (1..=50).map(|n| format!("Criterion {n}")).collect();
    let forms: Vec<Vec<(&str, &str)>> = titles.iter().map(|t| criterion_form(t, "", "5")).collect();
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
    assert!(
        added.iter().all(|r| r.status() == 303),
        "{:?}",
        added.iter().map(|r| r.status()).collect::<Vec<_>>()
    );
    assert_eq!(rubric(&app, task).len(), 50);
    let positions: Vec<i32> = task_criteria::table
        .filter(task_criteria::module_id.eq(task))
        .order(task_criteria::position.asc())
        .select(task_criteria::position)
        .load(&mut app.conn())
        .expect("positions");
    assert_eq!(positions, (1..=50).collect::<Vec<_>>());

    // Fifty "move up" on the last one at once: each answered, the order a permutation.
    let last = *criterion_ids(&app, task).last().expect("last");
    let up = format!("/admin/courses/{course}/modules/{task}/criteria/{last}/up");
    let form = [("csrf_token", token.as_str())];
    let moved = join_all((0..50).map(|_| app.post_form(&up, &form))).await;
    assert!(moved.iter().all(|r| r.status() == 303));
    assert_eq!(
        criterion_ids(&app, task)[0],
        last,
        "moved to the top, one step at a time"
    );
    assert_eq!(rubric(&app, task).len(), 50);
}
