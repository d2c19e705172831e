//! Who may and who may not: every route, for an anonymous visitor, a teacher, a coordinator and
//! an administrator. Each area adds its rows with `check_access`.

use crate::helpers::{location, spawn_app, TestApp};

/// What a visitor should get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The page (200).
    Page,
    /// A redirect to sign in (303 to /login?next=…).
    SignIn,
    /// Refused (403).
    Denied,
    /// Some other redirect (303), e.g. a signed-in user sent away from /register.
    Redirect,
    /// Allowed, but the empty form is refused with messages (422).
    Invalid,
}

/// One route: method, path, and what anonymous / teacher / coordinator / admin get.
pub struct Row {
    pub method: &'static str,
    pub path: String,
    pub expect: [Expect; 4],
}

/// Rows of the matrix, one a line: `METHOD path => [anonymous, teacher, coordinator, admin]`,
/// where the path is any expression giving a `String` or `&str`:
///
/// ```ignore
/// let rows = rows![
///     GET "/admin/users" => [SignIn, Denied, Denied, Page],
///     POST format!("/admin/users/{id}/role") => [SignIn, Denied, Denied, Invalid],
/// ];
/// ```
macro_rules! rows {
    ($($method:ident $path:expr => [$($expect:ident),+ $(,)?]),* $(,)?) => {
        [$($crate::access::Row {
            method: stringify!($method),
            path: ($path).into(),
            expect: [$($crate::access::Expect::$expect),+],
        }),*]
    };
}
pub(crate) use rows;

pub const WHO: [&str; 4] = ["anonymous", "teacher", "coordinator", "admin"];

/// Four browsers on one app: nobody, a teacher, a coordinator of Almaty (KZ-75), an admin, each
/// reading the site in their account's language (Kazakh).
pub async fn browsers() -> (TestApp, Vec<TestApp>) {
    let app = spawn_app().await;
    let mut browsers = vec![app.another_browser()];
    for (who, region) in [
        ("teacher", Some("KZ-75")),
        ("coordinator", Some("KZ-75")),
        ("admin", None),
    ] {
        let browser = app.another_browser();
        browser
            .sign_in(who, &format!("{who}@matrix.kz"), region)
            .await;
        browsers.push(browser);
    }
    (app, browsers)
}

/// Checks every row for every kind of visitor. POSTs carry a valid CSRF token (so that only
/// the role decides) and an empty form.
pub async fn check_access(browsers: &[TestApp], rows: &[Row]) {
    let mut failures = Vec::new();
    for row in rows {
        for (i, browser) in browsers.iter().enumerate() {
            let response = match row.method {
                "GET" => browser.get(&row.path).await,
                _ => browser.post(&row.path, &[]).await,
            };
            let status = response.status().as_u16();
            let location = location(&response);
            let ok = match row.expect[i] {
                Expect::Page => status == 200,
                Expect::SignIn => status == 303 && location.starts_with("/login") || status == 401,
                Expect::Denied => status == 403,
                Expect::Redirect => status == 303,
                Expect::Invalid => status == 422,
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {}: expected {:?}, got {status} {location}",
                    row.method, row.path, WHO[i], row.expect[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn public_and_account_routes() {
    let (_app, browsers) = browsers().await;
    let rows = rows![
        GET "/" => [Page, Page, Page, Page],
        GET "/healthz" => [Page, Page, Page, Page],
        GET "/login" => [Page, Page, Page, Page],
        GET "/register" => [Page, Redirect, Redirect, Redirect],
        GET "/register/check-email" => [Page, Page, Page, Page],
        GET "/password/forgot" => [Page, Page, Page, Page],
        GET "/account" => [SignIn, Page, Page, Page],
        POST "/account" => [SignIn, Invalid, Invalid, Invalid],
        POST "/account/password" => [SignIn, Invalid, Invalid, Invalid],
        POST "/account/confirm/resend" => [SignIn, Redirect, Redirect, Redirect],
        GET "/session/status" => [SignIn, Page, Page, Page],
        POST "/session/extend" => [SignIn, Page, Page, Page],
    ];
    check_access(&browsers, &rows).await;
}

#[tokio::test]
async fn two_step_routes() {
    let (app, browsers) = browsers().await;
    let teacher: i32 = {
        use diesel::prelude::*;
        use ustaz::schema::users;
        users::table
            .filter(users::email.eq("teacher@matrix.kz"))
            .select(users::id)
            .first(&mut app.conn())
            .expect("teacher")
    };
    // Without a pending sign-in, the second step's pages send everyone to sign in.
    let rows = rows![
        GET "/login/code" => [SignIn, SignIn, SignIn, SignIn],
        POST "/login/code" => [SignIn, SignIn, SignIn, SignIn],
        GET "/login/recovery" => [SignIn, SignIn, SignIn, SignIn],
        POST "/login/recovery" => [SignIn, SignIn, SignIn, SignIn],
        GET "/account/two-step/setup" => [SignIn, Denied, Redirect, Redirect],
        POST "/account/two-step/setup" => [SignIn, Denied, Invalid, Invalid],
        GET "/account/two-step/recovery-codes" => [SignIn, Denied, Page, Page],
        POST "/account/two-step/recovery-codes" => [SignIn, Denied, Invalid, Invalid],
        GET "/account/two-step/off" => [SignIn, Denied, Denied, Denied],
        POST "/account/two-step/off" => [SignIn, Denied, Denied, Denied],
        POST format!("/admin/users/{teacher}/two-step/reset") => [SignIn, Denied, Denied, Invalid],
    ];
    check_access(&browsers, &rows).await;
}

/// Practical tasks: the review pages for administrators (and tutors of the course, see
/// task_review.rs); the task's files are 404 for anyone but their teacher and reviewers.
#[tokio::test]
async fn task_review_routes() {
    use crate::tasks::{post_task, seed_task, submit_path, COURSE, PDF};
    let (app, browsers) = browsers().await;
    seed_task(&app);
    let teacher = &browsers[1];
    teacher.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    let response = post_task(teacher, &submit_path(), "Plan.", &[("plan.pdf", PDF)]).await;
    assert_eq!(response.status(), 303);
    let rows = rows![
        GET "/review" => [SignIn, Denied, Denied, Page],
        GET "/review/1" => [SignIn, Denied, Denied, Page],
        POST "/review/1" => [SignIn, Denied, Denied, Invalid],
    ];
    check_access(&browsers, &rows).await;
    for (i, browser) in browsers.iter().enumerate() {
        let status = browser.get("/review/files/1").await.status();
        assert_eq!(
            status,
            [303, 404, 404, 200][i],
            "/review/files/1 as {}",
            WHO[i]
        );
        let own = browser
            .get(&format!("{}/files/1", crate::tasks::TASK_PATH))
            .await;
        assert_eq!(
            own.status(),
            [303, 200, 404, 404][i],
            "own file as {}",
            WHO[i]
        );
    }
}

#[tokio::test]
async fn completion_review_and_tutoring_routes() {
    use diesel::prelude::*;
    use ustaz::schema::{enrolments, users};

    use crate::fixtures::{CourseBuilder, EnrolmentBuilder};
    let (app, browsers) = browsers().await;
    let (teacher, enrolment) = {
        let mut conn = app.conn();
        let teacher: i32 = users::table
            .filter(users::email.eq("teacher@matrix.kz"))
            .select(users::id)
            .first(&mut conn)
            .expect("teacher");
        let course = CourseBuilder::new("matrix-review")
            .published()
            .reviewed()
            .expect_build(&mut conn);
        let enrolment = EnrolmentBuilder::new(teacher, course)
            .completed_on("2025-05-01 10:00:00")
            .expect_build(&mut conn);
        (teacher, enrolment)
    };
    let queue = format!("/admin/certificates/queue/{enrolment}");
    // An empty form: refused with messages (a reason and a module are required); empty
    // tutoring for a teacher: refused (not a tutor).
    let rows = rows![
        GET queue.clone() => [SignIn, Denied, Denied, Page],
        POST format!("{queue}/return") => [SignIn, Denied, Denied, Invalid],
        POST format!("/admin/users/{teacher}/tutoring") => [SignIn, Denied, Denied, Invalid],
        // Last: the administrator issues the certificate and goes to it.
        POST format!("{queue}/issue") => [SignIn, Denied, Denied, Redirect],
    ];
    check_access(&browsers, &rows).await;
    let status: String = enrolments::table
        .find(enrolment)
        .select(enrolments::status)
        .first(&mut app.conn())
        .expect("status");
    assert_eq!(status, "completed");
}
