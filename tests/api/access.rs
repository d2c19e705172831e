//! Who may and who may not: every route, for an anonymous visitor, a teacher, a coordinator and
//! an administrator. Each area adds its rows with `check_access`.

use crate::helpers::{spawn_app, TestApp};

pub const PASSWORD: &str = "a matrix of passphrases";

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
    pub path: &'static str,
    pub expect: [Expect; 4],
}

pub const WHO: [&str; 4] = ["anonymous", "teacher", "coordinator", "admin"];

/// Four browsers on one app: nobody, a teacher, a coordinator of Almaty (KZ-75), an admin.
pub async fn browsers() -> (TestApp, Vec<TestApp>) {
    let app = spawn_app().await;
    app.create_user("teacher", "teacher@matrix.kz", PASSWORD, Some("KZ-75"));
    app.create_user(
        "coordinator",
        "coordinator@matrix.kz",
        PASSWORD,
        Some("KZ-75"),
    );
    app.create_user("admin", "admin@matrix.kz", PASSWORD, None);
    let mut browsers = vec![app.another_browser()];
    for who in ["teacher", "coordinator", "admin"] {
        let browser = app.another_browser();
        let response = browser.login(&format!("{who}@matrix.kz"), PASSWORD).await;
        assert_eq!(response.status(), 303, "{who} signs in");
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
                "GET" => browser.get(row.path).await,
                _ => browser.post(row.path, &[]).await,
            };
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
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
    use Expect::*;
    let (_app, browsers) = browsers().await;
    let rows = [
        Row {
            method: "GET",
            path: "/",
            expect: [Page, Page, Page, Page],
        },
        Row {
            method: "GET",
            path: "/healthz",
            expect: [Page, Page, Page, Page],
        },
        Row {
            method: "GET",
            path: "/login",
            expect: [Page, Page, Page, Page],
        },
        Row {
            method: "GET",
            path: "/register",
            expect: [Page, Redirect, Redirect, Redirect],
        },
        Row {
            method: "GET",
            path: "/password/forgot",
            expect: [Page, Page, Page, Page],
        },
        Row {
            method: "GET",
            path: "/account",
            expect: [SignIn, Page, Page, Page],
        },
        Row {
            method: "POST",
            path: "/account",
            expect: [SignIn, Invalid, Invalid, Invalid],
        },
        Row {
            method: "POST",
            path: "/account/password",
            expect: [SignIn, Invalid, Invalid, Invalid],
        },
        Row {
            method: "POST",
            path: "/account/confirm/resend",
            expect: [SignIn, Redirect, Redirect, Redirect],
        },
    ];
    check_access(&browsers, &rows).await;
}
