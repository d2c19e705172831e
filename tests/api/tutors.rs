//! Tutors: an administrator makes a user a tutor and chooses the courses they review; a tutor
//! signs in with a second factor like other staff, sees no dashboards, and loses their courses
//! when they stop being a tutor.

use diesel::prelude::*;
use ustaz::schema::{audit_events, course_tutors};

use crate::fixtures::{CourseBuilder, UserBuilder};
use crate::helpers::{location, spawn_admin_app, text_of, visible_text, TestApp, PASSWORD};

fn appointments(app: &TestApp, user_id: i32) -> Vec<i32> {
    course_tutors::table
        .filter(course_tutors::user_id.eq(user_id))
        .order(course_tutors::course_id)
        .select(course_tutors::course_id)
        .load(&mut app.conn())
        .expect("appointments")
}

/// The details of the audit events with this action, oldest first.
fn audited(app: &TestApp, action: &str) -> Vec<String> {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .order(audit_events::id)
        .select(audit_events::details)
        .load(&mut app.conn())
        .expect("audit")
}

fn courses(app: &TestApp) -> (i32, i32) {
    let mut conn = app.conn();
    (
        CourseBuilder::new("inclusion")
            .published()
            .expect_build(&mut conn),
        CourseBuilder::new("sen-basics")
            .published()
            .expect_build(&mut conn),
    )
}

async fn make_tutor(app: &TestApp, user_id: i32) {
    let page = format!("/admin/users/{user_id}");
    let response = app
        .save_form(
            &page,
            &format!("{page}/role"),
            &[("role", "tutor"), ("region", "")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{page}?done=role-changed"));
}

#[tokio::test]
async fn an_administrator_appoints_a_tutor_to_courses() {
    let (app, _) = spawn_admin_app().await;
    let (inclusion, sen) = courses(&app);
    let user = UserBuilder::teacher("aliya@school.kz")
        .region("KZ-75")
        .confirmed()
        .expect_build(&mut app.conn());
    let page = format!("/admin/users/{user}");
    // A teacher's page has no tutoring form, and a teacher cannot be given courses.
    let text = text_of(app.get(&page).await).await;
    assert!(!text.contains("Courses this tutor reviews"), "{text}");
    let refused = app
        .post(
            &format!("{page}/tutoring"),
            &[("course", &inclusion.to_string())],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(text_of(refused).await.contains("This user is not a tutor"));
    assert!(appointments(&app, user).is_empty());

    make_tutor(&app, user).await;
    let html = app.get(&page).await.text().await.expect("body");
    let text = visible_text(&html);
    assert!(text.contains("Courses this tutor reviews"), "{text}");
    assert!(text.contains("Course inclusion") && text.contains("Course sen-basics"));
    let boxes: Vec<&str> = html
        .split("<input")
        .filter(|i| i.contains("name=\"course\""))
        .collect();
    assert_eq!(boxes.len(), 2);
    assert!(
        boxes.iter().all(|b| !b.contains(" checked")),
        "no course ticked yet"
    );

    let (a, b) = (inclusion.to_string(), sen.to_string());
    let saved = app
        .post(
            &format!("{page}/tutoring"),
            &[("course", a.as_str()), ("course", b.as_str())],
        )
        .await;
    assert_eq!(location(&saved), format!("{page}?done=tutoring-saved"));
    let mut both = vec![inclusion, sen];
    both.sort_unstable();
    assert_eq!(appointments(&app, user), both);
    let shown = text_of(app.get(&location(&saved)).await).await;
    assert!(shown.contains("The courses this tutor reviews have been saved."));
    let events = audited(&app, "user.tutoring_changed");
    assert_eq!(events.len(), 1);
    assert!(
        events[0].contains(r#""before":{"tutoring":[]}"#),
        "{}",
        events[0]
    );
    assert!(events[0].contains("Course sen-basics"), "{}", events[0]);

    // The same again changes nothing and is not an event; unticking one ends it.
    let again = app
        .post(
            &format!("{page}/tutoring"),
            &[("course", b.as_str()), ("course", a.as_str())],
        )
        .await;
    assert_eq!(location(&again), format!("{page}?done=unchanged"));
    let fewer = app
        .post(&format!("{page}/tutoring"), &[("course", b.as_str())])
        .await;
    assert_eq!(fewer.status(), 303);
    assert_eq!(appointments(&app, user), vec![sen]);
    assert_eq!(audited(&app, "user.tutoring_changed").len(), 2);

    // A course that does not exist: refused with a message, nothing changed.
    let bad = app
        .post(&format!("{page}/tutoring"), &[("course", "999999")])
        .await;
    assert_eq!(bad.status(), 422);
    assert!(text_of(bad)
        .await
        .contains("The courses could not be read."));
    assert_eq!(appointments(&app, user), vec![sen]);

    // The users list offers tutors in its filter, and finds this one.
    let list = app
        .get("/admin/users?role=tutor")
        .await
        .text()
        .await
        .expect("body");
    assert!(list.contains(r#"value="tutor""#));
    assert!(visible_text(&list).contains("aliya@school.kz"));
}

#[tokio::test]
async fn a_tutor_who_becomes_a_teacher_loses_their_courses() {
    let (app, _) = spawn_admin_app().await;
    let (inclusion, _) = courses(&app);
    let user = UserBuilder::teacher("aliya@school.kz")
        .region("KZ-75")
        .confirmed()
        .expect_build(&mut app.conn());
    make_tutor(&app, user).await;
    let page = format!("/admin/users/{user}");
    let id = inclusion.to_string();
    app.post(&format!("{page}/tutoring"), &[("course", id.as_str())])
        .await;
    assert_eq!(appointments(&app, user), vec![inclusion]);

    let response = app
        .save_form(
            &page,
            &format!("{page}/role"),
            &[("role", "teacher"), ("region", "KZ-75")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(appointments(&app, user).is_empty());
    let role_changes = audited(&app, "user.role_changed");
    let last = role_changes.last().expect("role change");
    assert!(
        last.contains(r#""tutoring":["Course inclusion"]"#),
        "{last}"
    );
    assert!(!text_of(app.get(&page).await)
        .await
        .contains("Courses this tutor reviews"));
}

#[tokio::test]
async fn fifty_identical_saves_appoint_once() {
    let (app, _) = spawn_admin_app().await;
    let (inclusion, _) = courses(&app);
    let user = UserBuilder::teacher("aliya@school.kz")
        .region("KZ-75")
        .confirmed()
        .expect_build(&mut app.conn());
    make_tutor(&app, user).await;
    let path = format!("/admin/users/{user}/tutoring");
    let id = inclusion.to_string();
    let form = [("course", id.as_str())];
    let responses = futures_util::future::join_all((0..50).map(|_| app.post(&path, &form))).await;
    for response in responses {
        assert_eq!(response.status(), 303);
    }
    assert_eq!(appointments(&app, user), vec![inclusion]);
    assert_eq!(audited(&app, "user.tutoring_changed").len(), 1);
}

#[tokio::test]
async fn a_tutor_signs_in_with_a_second_factor_and_sees_no_dashboards() {
    let (app, _) = spawn_admin_app().await;
    // Made a tutor by an administrator: the next sign-in asks to set up an authenticator.
    let teacher = app.another_browser();
    let user = teacher
        .sign_in("teacher", "aliya@school.kz", Some("KZ-75"))
        .await;
    make_tutor(&app, user).await;
    let fresh = app.another_browser();
    let response = fresh.login_password("aliya@school.kz", PASSWORD).await;
    assert!(
        location(&response).starts_with("/account/two-step/setup"),
        "{}",
        location(&response)
    );
    // A tutor with an authenticator types its code after the password.
    let tutor = app.another_browser();
    tutor.create_user("tutor", "tutor@ustaz.kz", PASSWORD, None);
    let response = tutor.login_password("tutor@ustaz.kz", PASSWORD).await;
    assert!(
        location(&response).starts_with("/login/code"),
        "{}",
        location(&response)
    );
    let response = tutor.login("tutor@ustaz.kz", PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(tutor.get("/dashboard").await.status(), 403);
    let home = tutor.get("/account").await.text().await.expect("body");
    assert!(!home.contains("href=\"/dashboard\""), "no dashboard link");
    assert_eq!(tutor.get("/admin/users").await.status(), 403);
    let own = tutor
        .post(&format!("/admin/users/{user}/tutoring"), &[])
        .await;
    assert_eq!(own.status(), 403);
}
