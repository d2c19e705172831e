//! Many people at once: fifty teachers registering, signing in and enrolling at the same moment
//! are answered as one would be (no 5xx, nothing lost, nothing twice), on both databases.

use diesel::prelude::*;
use futures_util::future::join_all;
use ustaz::schema::{enrolments, users};

use crate::fixtures::{CourseBuilder, SchoolBuilder, UserBuilder};
use crate::helpers::{spawn_admin_app, spawn_app_with_env, TestApp, PASSWORD};

const PEOPLE: usize = 50;

/// The app, with room for fifty password hashes in the queue even while the rest of the test
/// suite shares the machine's cores (by default a request waits 5 s for its turn; the
/// `password_hashing` tests cover what happens past the wait); fifty registrations from the one
/// test address are let through (`request_limits` tests the limit).
async fn app() -> TestApp {
    spawn_app_with_env(&[
        ("USTAZ_PASSWORD_HASH_WAIT_MS", "60000"),
        ("USTAZ_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "1000"),
    ])
    .await
}
/// Teachers every one of the overlapping imports lists.
const SHARED: usize = 120;

/// The status of each answer, and a line for `bench/faults.sh` saying how many got which.
fn statuses(what: &str, responses: Vec<reqwest::Response>) -> Vec<u16> {
    let answered: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    let mut tally = std::collections::BTreeMap::<u16, usize>::new();
    for status in &answered {
        *tally.entry(*status).or_default() += 1;
    }
    let server_errors: usize = tally.range(500..).map(|(_, n)| n).sum();
    eprintln!("figure: {what}: {tally:?} answers, {server_errors} 5xx");
    answered
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_teachers_register_at_the_same_moment() {
    let app = app().await;
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
    let answered = statuses("50 concurrent registrations", join_all(registrations).await);
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
    let app = app().await;
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
    let signed_in = statuses("50 concurrent sign-ins", join_all(sign_ins).await);
    assert!(signed_in.iter().all(|s| *s == 303), "{signed_in:?}");

    // Signing in made a new session: each browser's forms carry a new token.
    let tokens = join_all(browsers.iter().map(|b| b.csrf())).await;
    let enrolling = browsers.iter().zip(&tokens).map(|(b, token)| async move {
        b.post_form("/courses/foundations/enrol", &[("csrf_token", token)])
            .await
    });
    let enrolled = statuses("50 concurrent enrolments", join_all(enrolling).await);
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
    let app = app().await;
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
    let answered = statuses("30 concurrent wrong passwords", join_all(guesses).await);
    // Refused (or, once the account locks, limited): never a server error.
    assert!(
        answered
            .iter()
            .all(|s| matches!(s, 200 | 400 | 401 | 422 | 429)),
        "{answered:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_overlapping_teacher_imports_at_once_store_each_teacher_once() {
    let (app, _) = spawn_admin_app().await;
    let token = app.csrf().await;
    // Every import lists the same teachers, each in its own order, and ten of its own.
    let shared: Vec<String> = (0..SHARED)
        .map(|i| format!("shared{i}@mektep.kz"))
        .collect();
    let csvs: Vec<String> = (0..8)
        .map(|n| {
            let mut emails = shared.clone();
            emails.rotate_left((n * 7) % SHARED);
            if n % 2 == 1 {
                emails.reverse();
            }
            emails.extend((0..10).map(|i| format!("own{n}-{i}@mektep.kz")));
            let lines: String = emails
                .iter()
                .map(|email| format!("Teacher {email},{email},KZ-75,,general,\n"))
                .collect();
            format!("full_name,email,region_code,school,category,iin\n{lines}")
        })
        .collect();
    let imports = csvs.iter().map(|csv| {
        let token = token.clone();
        let app = &app;
        async move {
            app.post_form(
                "/admin/users/import",
                &[
                    ("csv", csv.as_str()),
                    ("language", "en"),
                    ("csrf_token", &token),
                ],
            )
            .await
        }
    });
    let answered = statuses("8 overlapping teacher imports", join_all(imports).await);
    // Each import is done, or (when the database gave up on it after its retries) refused whole
    // with a 409 the admin can repeat: never a server error.
    assert!(
        answered.iter().all(|s| matches!(s, 200 | 409)),
        "{answered:?}"
    );
    let done = answered.iter().filter(|s| **s == 200).count() as i64;
    assert!(done > 0, "{answered:?}");

    let teachers: i64 = users::table
        .filter(users::role.eq("teacher"))
        .count()
        .get_result(&mut app.conn())
        .expect("teachers");
    let own: i64 = users::table
        .filter(users::email.like("own%"))
        .count()
        .get_result(&mut app.conn())
        .expect("own");
    assert_eq!(own, done * 10, "{answered:?}");
    assert_eq!(teachers, SHARED as i64 + own);
    for email in &shared {
        assert_eq!(app.emails_to(email).len(), 1, "one invitation for {email}");
    }
}
