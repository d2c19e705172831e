//! Two administrators editing the same record: a save made on a form opened before someone
//! else's save (or an import, a status change, a reorder) changes nothing and gets the form back
//! (409) with what is stored now and a message; the form it gets back saves normally.

use diesel::prelude::*;
use ustaz::courses::models as courses_models;
use ustaz::schema::{audit_events, courses, modules, quiz_options, quiz_questions, schools};
use ustaz::schema::{targets, users};

use crate::admin_courses::course_form;
use crate::fixtures::UserBuilder;
use crate::fixtures::{module_fields, region_id, CourseBuilder, SchoolBuilder, TargetBuilder};
use crate::helpers::{spawn_admin_app, text_of, version_in, visible_text, TestApp};

const STALE: &str = "Someone else saved changes here after you opened this page, so your \
                     changes were not saved.";

/// Admin A (`ADMIN`) and admin B, each in a browser of their own, reading English; their ids.
async fn two_admins() -> (TestApp, i32, TestApp, i32) {
    let (a, a_id) = spawn_admin_app().await;
    let b = a.another_browser();
    let b_id = b
        .sign_in_english("admin", "second.admin@ustaz.kz", None)
        .await;
    (a, a_id, b, b_id)
}

fn with_version<'a>(form: &[(&'a str, &'a str)], version: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = form.to_vec();
    form.push(("version", version));
    form
}

/// A and B both open the form on `page`; A saves `a_form` to `action` (303), then B saves
/// `b_form`: 409, the message, a version newer than B's. Returns B's page.
async fn a_then_b(
    (a, b): (&TestApp, &TestApp),
    (page, action): (&str, &str),
    a_form: &[(&str, &str)],
    b_form: &[(&str, &str)],
) -> String {
    let a_version = a.form_version(page).await;
    let b_version = b.form_version(page).await;
    assert_eq!(a_version, b_version, "both open the same version");
    let saved = a.post(action, &with_version(a_form, &a_version)).await;
    assert_eq!(saved.status(), 303, "{}", text_of(saved).await);
    let stale = b.post(action, &with_version(b_form, &b_version)).await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.expect("body");
    assert!(html.contains("<title>Error:"), "{html}");
    assert!(visible_text(&html).contains(STALE), "{html}");
    let now = version_in(&html);
    assert!(
        !now.is_empty() && now != b_version,
        "{now} after {b_version}"
    );
    html
}

/// The audit events about `subject` `id`: who and what, oldest first.
fn events(app: &TestApp, subject: &str, id: i32) -> Vec<(Option<i32>, String)> {
    audit_events::table
        .filter(audit_events::subject_type.eq(subject))
        .filter(audit_events::subject_id.eq(id))
        .order(audit_events::id.asc())
        .select((audit_events::actor_id, audit_events::action))
        .load(&mut app.conn())
        .expect("audit events")
}

#[tokio::test]
async fn a_course_saved_by_two_admins_keeps_the_first_save() {
    let (a, a_id, b, b_id) = two_admins().await;
    let id = CourseBuilder::new("inclusion").expect_build(&mut a.conn());
    let edit = format!("/admin/courses/{id}/edit");
    let html = a_then_b(
        (&a, &b),
        (&edit, &edit),
        &course_form("Inclusion, as A wrote it", "inclusion"),
        &course_form("Inclusion, as B wrote it", "inclusion"),
    )
    .await;
    assert!(
        html.contains("value=\"Inclusion, as A wrote it\""),
        "{html}"
    );
    let title: String = courses::table
        .find(id)
        .select(courses::title)
        .first(&mut a.conn())
        .expect("course");
    assert_eq!(title, "Inclusion, as A wrote it");
    assert_eq!(
        events(&a, "course", id),
        [(Some(a_id), "course.updated".to_owned())]
    );

    // The form B got back is current: saving it works.
    let version = version_in(&html);
    let form = course_form("Inclusion, as B wrote it", "inclusion");
    let resaved = b.post(&edit, &with_version(&form, &version)).await;
    assert_eq!(resaved.status(), 303);
    assert_eq!(
        events(&a, "course", id),
        [
            (Some(a_id), "course.updated".to_owned()),
            (Some(b_id), "course.updated".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_module_saved_by_two_admins_keeps_the_first_save() {
    let (a, a_id, b, _) = two_admins().await;
    let course = CourseBuilder::new("inclusion").expect_build(&mut a.conn());
    let lesson = courses_models::add_module(
        &mut a.conn(),
        course,
        "lesson",
        &module_fields("Welcome", "welcome", None),
    )
    .expect("lesson");
    let edit = format!("/admin/courses/{course}/modules/{lesson}/edit");
    let lesson_form = |title| {
        vec![
            ("title", title),
            ("slug", "welcome"),
            ("required", "yes"),
            ("body", "Hello, teachers."),
        ]
    };
    let html = a_then_b(
        (&a, &b),
        (&edit, &edit),
        &lesson_form("Welcome, by A"),
        &lesson_form("Welcome, by B"),
    )
    .await;
    assert!(html.contains("value=\"Welcome, by A\""), "{html}");
    let title: String = modules::table
        .find(lesson)
        .select(modules::title)
        .first(&mut a.conn())
        .expect("module");
    assert_eq!(title, "Welcome, by A");
    assert_eq!(
        events(&a, "module", lesson),
        [(Some(a_id), "module.updated".to_owned())]
    );
}

#[tokio::test]
async fn a_quiz_question_saved_by_two_admins_keeps_the_first_save() {
    let (a, a_id, b, _) = two_admins().await;
    let course = CourseBuilder::new("inclusion").expect_build(&mut a.conn());
    let quiz = courses_models::add_module(
        &mut a.conn(),
        course,
        "quiz",
        &module_fields("Check yourself", "check", Some(50)),
    )
    .expect("quiz");
    let question = courses_models::add_question(
        &mut a.conn(),
        quiz,
        "Who belongs in the classroom?",
        false,
        "",
        &[("Every child".to_owned(), true), ("Some".to_owned(), false)],
    )
    .expect("question");

    // The quiz's page links to each question's form.
    let edit = format!("/admin/courses/{course}/modules/{quiz}/questions/{question}/edit");
    let quiz_page = a
        .get(&format!("/admin/courses/{course}/modules/{quiz}/edit"))
        .await;
    assert!(quiz_page
        .text()
        .await
        .expect("body")
        .contains(&format!("href=\"{edit}\"")));

    let question_form = |prompt| {
        vec![
            ("prompt", prompt),
            ("answer_kind", "single"),
            ("option", "Every child"),
            ("option", "Some children"),
            ("option", "Nobody"),
            ("correct", "1"),
        ]
    };
    let html = a_then_b(
        (&a, &b),
        (&edit, &edit),
        &question_form("Who belongs in a classroom, A asks?"),
        &question_form("Who belongs in a classroom, B asks?"),
    )
    .await;
    assert!(
        html.contains("Who belongs in a classroom, A asks?"),
        "{html}"
    );
    assert!(html.contains("value=\"Nobody\""), "{html}");
    let prompt: String = quiz_questions::table
        .find(question)
        .select(quiz_questions::prompt)
        .first(&mut a.conn())
        .expect("question");
    assert_eq!(prompt, "Who belongs in a classroom, A asks?");
    let options: Vec<(String, bool)> = quiz_options::table
        .filter(quiz_options::question_id.eq(question))
        .order(quiz_options::position.asc())
        .select((quiz_options::label, quiz_options::is_correct))
        .load(&mut a.conn())
        .expect("options");
    assert_eq!(
        options,
        [
            ("Every child".to_owned(), true),
            ("Some children".to_owned(), false),
            ("Nobody".to_owned(), false)
        ]
    );
    assert_eq!(
        events(&a, "question", question),
        [(Some(a_id), "question.updated".to_owned())]
    );
}

#[tokio::test]
async fn a_school_saved_by_two_admins_keeps_the_first_save() {
    let (a, a_id, b, _) = two_admins().await;
    let school = SchoolBuilder::new("Gymnasium No. 1")
        .region("KZ-75")
        .expect_build(&mut a.conn());
    let edit = format!("/admin/schools/{school}/edit");
    let school_form = |name| {
        vec![
            ("region", "KZ-75"),
            ("name", name),
            ("kind", "school"),
            ("district", "Bostandyk"),
        ]
    };
    let html = a_then_b(
        (&a, &b),
        (&edit, &edit),
        &school_form("Gymnasium No. 1 named after Abai"),
        &school_form("Gymnasium No. 1 (renamed by B)"),
    )
    .await;
    assert!(
        html.contains("value=\"Gymnasium No. 1 named after Abai\""),
        "{html}"
    );
    let name: String = schools::table
        .find(school)
        .select(schools::name)
        .first(&mut a.conn())
        .expect("school");
    assert_eq!(name, "Gymnasium No. 1 named after Abai");
    assert_eq!(
        events(&a, "school", school),
        [(Some(a_id), "school.updated".to_owned())]
    );
}

#[tokio::test]
async fn a_target_saved_by_two_admins_keeps_the_first_save() {
    let (a, a_id, b, _) = two_admins().await;
    let target = TargetBuilder::new("Almaty quota", 2_000)
        .region("KZ-75")
        .expect_build(&mut a.conn());
    let edit = format!("/admin/targets/{target}/edit");
    let target_form = |teachers| {
        vec![
            ("name", "Almaty quota"),
            ("scope", "KZ-75"),
            ("teachers", teachers),
            ("starts_on", "2026-01-01"),
            ("deadline", "2026-12-31"),
        ]
    };
    let html = a_then_b(
        (&a, &b),
        (&edit, &edit),
        &target_form("2500"),
        &target_form("9000"),
    )
    .await;
    assert!(html.contains("value=\"2500\""), "{html}");
    let teachers: i32 = targets::table
        .find(target)
        .select(targets::teachers)
        .first(&mut a.conn())
        .expect("target");
    assert_eq!(teachers, 2_500);
    assert_eq!(
        events(&a, "target", target),
        [(Some(a_id), "target.updated".to_owned())]
    );
}

#[tokio::test]
async fn a_user_placed_by_two_admins_keeps_the_first_placement() {
    let (a, a_id, b, _) = two_admins().await;
    let teacher = UserBuilder::teacher("daulet@mektep.kz")
        .region("KZ-75")
        .expect_build(&mut a.conn());
    let page = format!("/admin/users/{teacher}");
    // A third admin opens the page too, for its coordinator form.
    let c = a.another_browser();
    c.sign_in_english("admin", "third.admin@ustaz.kz", None)
        .await;
    let c_version = c.form_version(&page).await;
    let html = a_then_b(
        (&a, &b),
        (&page, &format!("{page}/role")),
        &[("role", "coordinator"), ("region", "KZ-75")],
        &[("role", "teacher"), ("region", "KZ-71")],
    )
    .await;
    assert!(
        html.contains("name=\"role\" value=\"coordinator\" checked"),
        "{html}"
    );
    let coordinator = [("region", "KZ-71")];
    let moved = c
        .post(
            &format!("{page}/coordinator"),
            &with_version(&coordinator, &c_version),
        )
        .await;
    assert_eq!(moved.status(), 409);
    let placed: (String, Option<i32>) = users::table
        .find(teacher)
        .select((users::role, users::region_id))
        .first(&mut a.conn())
        .expect("user");
    assert_eq!(
        placed,
        (
            "coordinator".to_owned(),
            Some(region_id(&mut a.conn(), "KZ-75"))
        )
    );
    assert_eq!(
        events(&a, "user", teacher),
        [(Some(a_id), "user.role_changed".to_owned())]
    );
}

#[tokio::test]
async fn status_changes_reorders_imports_and_access_make_open_forms_stale() {
    let (app, _) = spawn_admin_app().await;
    let course = CourseBuilder::new("inclusion").expect_build(&mut app.conn());
    let add = |title, slug| {
        courses_models::add_module(
            &mut app.conn(),
            course,
            "lesson",
            &module_fields(title, slug, None),
        )
        .expect("lesson")
    };
    let (first, second) = (add("First", "first"), add("Second", "second"));
    let school = SchoolBuilder::new("School No. 5")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    let teacher = UserBuilder::teacher("asel@mektep.kz")
        .region("KZ-75")
        .expect_build(&mut app.conn());

    let course_edit = format!("/admin/courses/{course}/edit");
    let module_edit = format!("/admin/courses/{course}/modules/{second}/edit");
    let school_edit = format!("/admin/schools/{school}/edit");
    let user_page = format!("/admin/users/{teacher}");
    let course_version = app.form_version(&course_edit).await;
    let module_version = app.form_version(&module_edit).await;
    let school_version = app.form_version(&school_edit).await;
    let user_version = app.form_version(&user_page).await;

    // Meanwhile: the course is archived, the second module moved up, the school imported with
    // another kind, the teacher's account disabled.
    let archive = format!("/admin/courses/{course}/archive");
    assert_eq!(app.post(&archive, &[]).await.status(), 303);
    let up = format!("/admin/courses/{course}/modules/{second}/up");
    assert_eq!(app.post(&up, &[]).await.status(), 303);
    let csv = "region_code,name,kind,inclusive\nKZ-75,School No. 5,special,yes\n";
    let import = app.post("/admin/schools/import", &[("csv", csv)]).await;
    assert_eq!(import.status(), 200);
    let disable = format!("/admin/users/{teacher}/disable");
    assert_eq!(app.post(&disable, &[]).await.status(), 303);

    let lesson = [
        ("title", "Second, renamed"),
        ("slug", "second"),
        ("body", "x"),
    ];
    let school_form = [
        ("region", "KZ-75"),
        ("name", "School No. 5"),
        ("kind", "school"),
    ];
    let role = [("role", "coordinator"), ("region", "KZ-75")];
    let saves = [
        (
            course_edit,
            course_form("Renamed", "inclusion"),
            course_version,
        ),
        (module_edit, lesson.to_vec(), module_version),
        (school_edit, school_form.to_vec(), school_version),
        (format!("{user_page}/role"), role.to_vec(), user_version),
    ];
    for (action, form, version) in &saves {
        let response = app.post(action, &with_version(form, version)).await;
        assert_eq!(response.status(), 409, "{action}");
        assert!(text_of(response).await.contains(STALE), "{action}");
    }
    let course_title: String = courses::table
        .find(course)
        .select(courses::title)
        .first(&mut app.conn())
        .expect("course");
    assert_eq!(course_title, "Course inclusion");
    let titles: Vec<String> = modules::table
        .filter(modules::id.eq_any([first, second]))
        .order(modules::position.asc())
        .select(modules::title)
        .load(&mut app.conn())
        .expect("modules");
    assert_eq!(titles, ["Second", "First"]);
    let kind: String = schools::table
        .find(school)
        .select(schools::kind)
        .first(&mut app.conn())
        .expect("school");
    assert_eq!(kind, "special");
    let role: String = users::table
        .find(teacher)
        .select(users::role)
        .first(&mut app.conn())
        .expect("user");
    assert_eq!(role, "teacher");
}

#[tokio::test]
async fn a_form_without_its_version_overwrites_nothing() {
    let (app, _) = spawn_admin_app().await;
    let school = SchoolBuilder::new("School No. 5")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    let edit = format!("/admin/schools/{school}/edit");
    let form = [
        ("region", "KZ-75"),
        ("name", "School No. 6"),
        ("kind", "school"),
    ];
    for version in [None, Some(""), Some("0"), Some("not a number")] {
        let mut fields = form.to_vec();
        fields.extend(version.map(|v| ("version", v)));
        let response = app.post(&edit, &fields).await;
        assert_eq!(response.status(), 409, "{version:?}");
        let html = response.text().await.expect("body");
        assert!(html.contains("value=\"School No. 5\""), "{html}");
    }
    let name: String = schools::table
        .find(school)
        .select(schools::name)
        .first(&mut app.conn())
        .expect("school");
    assert_eq!(name, "School No. 5");
    assert!(events(&app, "school", school).is_empty());
}

#[tokio::test]
async fn the_stale_message_is_in_every_language() {
    let (a, _, b, _) = two_admins().await;
    let school = SchoolBuilder::new("School No. 5")
        .region("KZ-75")
        .expect_build(&mut a.conn());
    let edit = format!("/admin/schools/{school}/edit");
    let old = b.form_version(&edit).await;
    let form = [
        ("region", "KZ-75"),
        ("name", "School No. 7"),
        ("kind", "school"),
    ];
    assert_eq!(a.save_form(&edit, &edit, &form).await.status(), 303);
    for (lang, message) in [
        ("kk", "басқа біреу өзгерістерді сақтап қойды"),
        ("ru", "Кто-то другой сохранил изменения"),
        ("en", "Someone else saved changes here"),
    ] {
        assert_eq!(b.switch_language(lang).await.status(), 303);
        let response = b.post(&edit, &with_version(&form, &old)).await;
        assert_eq!(response.status(), 409);
        let text = text_of(response).await;
        assert!(text.contains(message), "{lang}: {text}");
    }
}

#[tokio::test]
async fn simultaneous_saves_from_one_version_let_exactly_one_through() {
    let (app, _) = spawn_admin_app().await;
    let id = CourseBuilder::new("inclusion").expect_build(&mut app.conn());
    let edit = format!("/admin/courses/{id}/edit");
    let mut admins = Vec::new();
    for n in 0..6 {
        let admin = app.another_browser();
        admin
            .sign_in_english("admin", &format!("admin{n}@ustaz.kz"), None)
            .await;
        admins.push(admin);
    }
    let version = app.form_version(&edit).await;
    let titles: Vec<String> = (0..admins.len()).map(|n| format!("Title {n}")).collect();
    let saves = admins.iter().zip(&titles).map(|(admin, title)| {
        let form = with_version(&course_form(title, "inclusion"), &version);
        let edit = &edit;
        async move { admin.post(edit, &form).await.status().as_u16() }
    });
    let statuses = futures_util::future::join_all(saves).await;
    let winners: Vec<usize> = (0..statuses.len())
        .filter(|&i| statuses[i] == 303)
        .collect();
    assert_eq!(winners.len(), 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|&s| s == 303 || s == 409),
        "{statuses:?}"
    );
    let title: String = courses::table
        .find(id)
        .select(courses::title)
        .first(&mut app.conn())
        .expect("course");
    assert_eq!(title, titles[winners[0]]);
    assert_eq!(events(&app, "course", id).len(), 1);
}
