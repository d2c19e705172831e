//! Many people at once: fifty teachers registering, signing in and enrolling at the same moment
//! are answered as one would be (no 5xx, nothing lost, nothing twice), on both databases.

use diesel::prelude::*;
use futures_util::future::join_all;
use ustaz::schema::{enrolments, users};

use crate::fixtures::{CourseBuilder, SchoolBuilder, UserBuilder};
use crate::helpers::{spawn_app, TestApp, PASSWORD};

const PEOPLE: usize = 50;

fn statuses(responses: Vec<reqwest::Response>) -> Vec<u16> {
    responses.iter().map(|r| r.status().as_u16()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_teachers_register_at_the_same_moment() {
    let app = spawn_app().await;
    let school = SchoolBuilder::new("School-lyceum No. 165")
        .region("KZ-75")
        .inclusive()
        .expect_build(&mut app.conn())
        .to_string();
    let browsers: Vec<TestApp> = (0..PEOPLE).map(|_| app.another_browser()).collect();
    let tokens = join_all(browsers.iter().map(|b| b.csrf())).await;

    let registrations = browsers
        .iter()
        .zip(&tokens)
        .enumerate()
        .map(|(i, (b, token))| {
            let email = format!("teacher{i}@mektep.kz");
            let school = school.clone();
            async move {
                b.post_form(
                    "/register",
                    &[
                        ("region", "KZ-75"),
                        ("full_name", "Айгерім Нұрланқызы"),
                        ("email", &email),
                        ("password", "steppe wind over the aral"),
                        ("school", &school),
                        ("category", "general"),
                        ("language", "kk"),
                        ("iin", ""),
                        ("csrf_token", token),
                    ],
                )
                .await
            }
        });
    let answered = statuses(join_all(registrations).await);
    assert!(answered.iter().all(|s| *s == 303), "{answered:?}");

    let stored: i64 = users::table
        .filter(users::email.like("teacher%@mektep.kz"))
        .count()
        .get_result(&mut app.conn())
        .expect("users");
    assert_eq!(stored, PEOPLE as i64);
    for i in [0, PEOPLE / 2, PEOPLE - 1] {
        let emails = app.emails_to(&format!("teacher{i}@mektep.kz"));
        assert_eq!(
            emails.len(),
            1,
            "one confirmation for teacher{i}: {emails:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_teachers_sign_in_and_enrol_at_the_same_moment() {
    let app = spawn_app().await;
    let course = CourseBuilder::new("foundations")
        .counting()
        .published()
        .expect_build(&mut app.conn());
    // One hash for all (hashing fifty times here would only slow the test down).
    app.create_user("teacher", "teacher0@mektep.kz", PASSWORD, Some("KZ-75"));
    let hash: Option<String> = users::table
        .filter(users::email.eq("teacher0@mektep.kz"))
        .select(users::password_hash)
        .first(&mut app.conn())
        .expect("hash");
    for i in 1..PEOPLE {
        let id = UserBuilder::teacher(&format!("teacher{i}@mektep.kz"))
            .region("KZ-75")
            .confirmed()
            .expect_build(&mut app.conn());
        diesel::update(users::table.find(id))
            .set(users::password_hash.eq(&hash))
            .execute(&mut app.conn())
            .expect("password");
    }
    let browsers: Vec<TestApp> = (0..PEOPLE).map(|_| app.another_browser()).collect();
    let tokens = join_all(browsers.iter().map(|b| b.csrf())).await;

    let sign_ins = browsers
        .iter()
        .zip(&tokens)
        .enumerate()
        .map(|(i, (b, token))| {
            let email = format!("teacher{i}@mektep.kz");
            async move {
                b.post_form(
                    "/login",
                    &[
                        ("email", &email),
                        ("password", PASSWORD),
                        ("csrf_token", token),
                    ],
                )
                .await
            }
        });
    let signed_in = statuses(join_all(sign_ins).await);
    assert!(signed_in.iter().all(|s| *s == 303), "{signed_in:?}");

    // Signing in made a new session: each browser's forms carry a new token.
    let tokens = join_all(browsers.iter().map(|b| b.csrf())).await;
    let enrolling = browsers.iter().zip(&tokens).map(|(b, token)| async move {
        b.post_form("/courses/foundations/enrol", &[("csrf_token", token)])
            .await
    });
    let enrolled = statuses(join_all(enrolling).await);
    assert!(enrolled.iter().all(|s| *s == 303), "{enrolled:?}");

    let stored: i64 = enrolments::table
        .filter(enrolments::course_id.eq(course))
        .count()
        .get_result(&mut app.conn())
        .expect("enrolments");
    assert_eq!(stored, PEOPLE as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_wrong_passwords_at_once_are_each_refused_not_failed() {
    let app = spawn_app().await;
    app.create_user("teacher", "aigerim@mektep.kz", PASSWORD, Some("KZ-75"));
    let browsers: Vec<TestApp> = (0..30).map(|_| app.another_browser()).collect();
    let tokens = join_all(browsers.iter().map(|b| b.csrf())).await;
    let guesses = browsers
        .iter()
        .zip(&tokens)
        .enumerate()
        .map(|(i, (b, token))| {
            let guess = format!("not the password {i}");
            async move {
                b.post_form(
                    "/login",
                    &[
                        ("email", "aigerim@mektep.kz"),
                        ("password", &guess),
                        ("csrf_token", token),
                    ],
                )
                .await
            }
        });
    let answered = statuses(join_all(guesses).await);
    // Refused (or, once the account locks, limited): never a server error.
    assert!(
        answered
            .iter()
            .all(|s| matches!(s, 200 | 400 | 401 | 422 | 429)),
        "{answered:?}"
    );
}
