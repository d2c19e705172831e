//! The inactivity timeout: a session not used for longer than its role's limit no longer signs
//! anyone in, wherever it is presented; use keeps it going, asking how long is left does not;
//! the 12-hour absolute limit holds however active the user is. Tokens with an old last use are
//! signed here as the app signs them (the test settings share its key).

use chrono::{Duration, Utc};
use serde_json::Value;
use ustaz::accounts::session::issue_session_token_at;
use ustaz::domain::Role;
use ustaz::startup::Application;

use crate::helpers::{
    csrf_in, location, settings_with, spawn_app, spawn_app_with_env, visible_text, TestApp,
    PASSWORD,
};

const COOKIE: &str = "ustaz_session";

/// A session token for `user_id`, signed in `signed_in_ago` and last used `seen_ago`.
fn token(
    app: &TestApp,
    user_id: i32,
    role: Role,
    signed_in_ago: Duration,
    seen_ago: Duration,
) -> String {
    let version = {
        let mut conn = app.conn();
        ustaz::accounts::models::session_version(&mut conn, user_id).expect("session version")
    };
    let settings = settings_with(&app.server.db.url, app.server.db.data_dir(), &[]);
    let now = Utc::now();
    issue_session_token_at(
        &settings,
        user_id,
        role,
        version,
        now - signed_in_ago,
        now - seen_ago,
    )
    .expect("token")
}

/// A user of `role` whose session was last used `seen_ago` (signed in a little before).
fn idle_for(app: &TestApp, role: Role, email: &str, seen_ago: Duration) -> String {
    let region = (role != Role::Admin).then_some("KZ-75");
    let id = app.create_user(role.as_str(), email, PASSWORD, region);
    token(app, id, role, seen_ago + Duration::minutes(5), seen_ago)
}

/// Requests written by hand: no cookie jar, no redirects followed, in English.
struct Hand {
    client: reqwest::Client,
    address: String,
}

impl Hand {
    fn on(app: &TestApp) -> Self {
        Self::at(&app.address)
    }

    fn at(address: &str) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            address: address.to_owned(),
        }
    }

    async fn get(&self, path: &str, cookies: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .header("Cookie", cookies)
            .header("Accept-Language", "en")
            .send()
            .await
            .expect("request")
    }

    async fn post(&self, path: &str, cookies: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("Cookie", cookies)
            .header("Accept-Language", "en")
            .header("Referer", format!("{}/account", self.address))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// The seconds `/session/status` says are left (`None` when it answers 401), and whether it
    /// set a session cookie.
    async fn seconds_left(&self, token: &str) -> (Option<i64>, bool) {
        let response = self.get("/session/status", &session(token)).await;
        let sets_cookie = set_cookie(&response, COOKIE).is_some();
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("JSON");
        match status {
            200 => (body["seconds_left"].as_i64(), sets_cookie),
            401 => {
                assert_eq!(body["signed_in"], false);
                (None, sets_cookie)
            }
            other => panic!("/session/status answered {other}"),
        }
    }
}

fn session(token: &str) -> String {
    format!("{COOKIE}={token}")
}

/// The `Set-Cookie` line of a response for cookie `name`.
fn set_cookie_line(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// The value a response sets cookie `name` to (empty when it removes it).
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    let line = set_cookie_line(response, name)?;
    Some(
        line[name.len() + 1..]
            .split(';')
            .next()
            .unwrap_or("")
            .to_owned(),
    )
}

#[tokio::test]
async fn a_staff_session_idle_longer_than_its_limit_no_longer_signs_in() {
    let app = spawn_app().await;
    let hand = Hand::on(&app);
    let idle = idle_for(
        &app,
        Role::Coordinator,
        "idle@mektep.kz",
        Duration::minutes(31),
    );

    let response = hand.get("/account", &session(&idle)).await;
    assert_eq!(
        response.status(),
        303,
        "an idle session must not open /account"
    );
    assert_eq!(location(&response), "/login?timeout=staff&next=/account");
    assert_eq!(
        set_cookie(&response, COOKIE).as_deref(),
        Some(""),
        "cookie removed"
    );
    assert!(set_cookie_line(&response, COOKIE)
        .expect("removal")
        .contains("Max-Age=0"));
    // Nothing else takes it either: not the status, not a form.
    assert_eq!(hand.seconds_left(&idle).await.0, None);
    let dashboard = hand.get("/dashboard", &session(&idle)).await;
    assert_eq!(location(&dashboard), "/login?timeout=staff&next=/dashboard");

    // The sign-in page says why, and signing in again goes back to the page.
    let page = hand.get(&location(&response), "").await;
    assert_eq!(page.status(), 200);
    let text = visible_text(&page.text().await.expect("body"));
    assert!(
        text.contains("You were signed out after 30 minutes without activity."),
        "{text}"
    );
    let browser = app.another_browser();
    let html = browser
        .get("/login?timeout=staff&next=/account")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains(r#"name="next" value="/account""#), "{html}");
    let signed_in = browser
        .post(
            "/login",
            &[
                ("email", "idle@mektep.kz"),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(signed_in.status(), 303);
    // The second step keeps where the user was going.
    assert_eq!(location(&signed_in), "/login/code?next=/account");
    let signed_in = browser.enter_code("idle@mektep.kz", "/account").await;
    assert_eq!(location(&signed_in), "/account");
    assert_eq!(browser.get("/account").await.status(), 200);
}

#[tokio::test]
async fn a_form_sent_after_the_timeout_leads_to_sign_in_and_back_to_its_page() {
    let app = spawn_app().await;
    let hand = Hand::on(&app);
    let idle = idle_for(
        &app,
        Role::Teacher,
        "form@mektep.kz",
        Duration::minutes(121),
    );
    let response = hand
        .post(
            "/account",
            &session(&idle),
            &[("full_name", "Changed"), ("csrf_token", "x")],
        )
        .await;
    assert_eq!(response.status(), 303, "not a bare 403");
    assert_eq!(location(&response), "/login?timeout=teacher&next=/account");
    assert_eq!(set_cookie(&response, COOKIE).as_deref(), Some(""));
    let page = hand.get(&location(&response), "").await;
    let text = visible_text(&page.text().await.expect("body"));
    assert!(
        text.contains("You were signed out after 120 minutes without activity."),
        "{text}"
    );
}

/// Each `(role, minutes idle, status of /account)`, for a new user of that role.
async fn expect_limits(app: &TestApp, cases: &[(Role, i64, u16)]) {
    let hand = Hand::on(app);
    for (role, minutes, expected) in cases {
        let email = format!("{role}-{minutes}@mektep.kz");
        let token = idle_for(app, *role, &email, Duration::minutes(*minutes));
        let status = hand.get("/account", &session(&token)).await.status();
        assert_eq!(status, *expected, "{role} idle for {minutes} minutes");
    }
}

#[tokio::test]
async fn staff_and_teachers_have_limits_of_their_own() {
    let app = spawn_app().await;
    let defaults = [
        (Role::Admin, 29, 200),
        (Role::Admin, 31, 303),
        (Role::Coordinator, 29, 200),
        (Role::Coordinator, 31, 303),
        (Role::Teacher, 31, 200),
        (Role::Teacher, 119, 200),
        (Role::Teacher, 121, 303),
    ];
    expect_limits(&app, &defaults).await;

    let app = spawn_app_with_env(&[
        ("USTAZ_STAFF_IDLE_MINUTES", "60"),
        ("USTAZ_TEACHER_IDLE_MINUTES", "10"),
    ])
    .await;
    let set = [
        (Role::Admin, 31, 200),
        (Role::Coordinator, 61, 303),
        (Role::Teacher, 9, 200),
        (Role::Teacher, 11, 303),
    ];
    expect_limits(&app, &set).await;
    let page = Hand::on(&app).get("/login?timeout=teacher", "").await;
    let text = visible_text(&page.text().await.expect("body"));
    assert!(text.contains("after 10 minutes without activity"), "{text}");
}

#[tokio::test]
async fn using_the_session_keeps_it_going() {
    let app = spawn_app().await;
    let hand = Hand::on(&app);
    let old = idle_for(
        &app,
        Role::Teacher,
        "busy@mektep.kz",
        Duration::minutes(119),
    );
    let (left, _) = hand.seconds_left(&old).await;
    assert!(left.expect("signed in") <= 60, "{left:?}");

    let response = hand.get("/account", &session(&old)).await;
    assert_eq!(response.status(), 200);
    let fresh = set_cookie(&response, COOKIE).expect("the page re-issues the session");
    assert!(!fresh.is_empty() && fresh != old);
    let (left, _) = hand.seconds_left(&fresh).await;
    assert!(left.expect("signed in") > 7_190, "{left:?}");

    // A session used under a minute ago is not re-issued on every request.
    let again = hand.get("/account", &session(&fresh)).await;
    assert_eq!(again.status(), 200);
    assert_eq!(set_cookie(&again, COOKIE), None);
}

#[tokio::test]
async fn asking_how_long_is_left_static_files_and_the_health_check_extend_nothing() {
    let app = spawn_app().await;
    let hand = Hand::on(&app);
    let old = idle_for(
        &app,
        Role::Teacher,
        "quiet@mektep.kz",
        Duration::seconds(119 * 60 + 30),
    );
    for _ in 0..3 {
        let (left, sets_cookie) = hand.seconds_left(&old).await;
        assert!(left.expect("signed in") <= 30, "{left:?}");
        assert!(!sets_cookie, "/session/status must not refresh the session");
    }
    for path in [
        "/static/css/site.css",
        "/static/js/session-timeout.js",
        "/healthz",
    ] {
        let response = hand.get(path, &session(&old)).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{path} sets a cookie"
        );
    }
    assert!(hand.seconds_left(&old).await.0.expect("still signed in") <= 30);

    // A session that has timed out is not needed there either: no redirect, no removal.
    let gone = idle_for(&app, Role::Admin, "gone@mektep.kz", Duration::minutes(45));
    let response = hand.get("/static/css/site.css", &session(&gone)).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn staying_signed_in_extends_the_session() {
    let app = spawn_app().await;
    let hand = Hand::on(&app);
    let old = idle_for(
        &app,
        Role::Coordinator,
        "stay@mektep.kz",
        Duration::minutes(29),
    );
    // The page's CSRF token and seed, as the dialog's script has them.
    let page = hand.get("/account", &session(&old)).await;
    let seed = set_cookie(&page, "ustaz_csrf").expect("CSRF seed");
    let csrf = csrf_in(&page.text().await.expect("body"));
    let cookies = format!("{}; ustaz_csrf={seed}", session(&old));
    assert!(hand.seconds_left(&old).await.0.expect("signed in") <= 60);

    let refused = hand
        .post("/session/extend", &cookies, &[("csrf_token", "forged")])
        .await;
    assert_eq!(refused.status(), 403);

    let response = hand
        .post("/session/extend", &cookies, &[("csrf_token", &csrf)])
        .await;
    assert_eq!(response.status(), 200);
    let fresh = set_cookie(&response, COOKIE).expect("a fresh cookie");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["signed_in"], true);
    assert_eq!(body["seconds_left"], 30 * 60);
    assert!(hand.seconds_left(&fresh).await.0.expect("signed in") > 30 * 60 - 10);

    // Nobody signed in: 401 in JSON, never a sign-in page.
    let anonymous = Hand::on(&app);
    let browser = app.another_browser();
    let token = browser.csrf().await;
    let response = browser
        .post_form("/session/extend", &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["signed_in"], false);
    assert_eq!(anonymous.seconds_left("").await.0, None);
}

#[tokio::test]
async fn the_absolute_limit_holds_however_active_the_user_is() {
    let app = spawn_app().await;
    let hand = Hand::on(&app);
    let id = app.create_user("teacher", "long@mektep.kz", PASSWORD, Some("KZ-75"));
    let signed_in_ago = Duration::hours(12) - Duration::seconds(3);
    let old = token(&app, id, Role::Teacher, signed_in_ago, Duration::minutes(2));
    let response = hand.get("/account", &session(&old)).await;
    assert_eq!(response.status(), 200);
    let line = set_cookie_line(&response, COOKIE).expect("re-issued");
    let max_age: i64 = line
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age="))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no Max-Age in {line}"));
    assert!(
        max_age <= 3,
        "the refreshed cookie outlives the sign-in: {line}"
    );
    let fresh = set_cookie(&response, COOKIE).expect("re-issued");
    assert!(hand.seconds_left(&fresh).await.0.expect("signed in") <= 3);

    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let response = hand.get("/account", &session(&fresh)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login?next=/account");
    assert_eq!(hand.seconds_left(&fresh).await.0, None);
}

#[tokio::test]
async fn another_instance_accepts_the_refreshed_cookie() {
    let app = spawn_app().await;
    let settings = settings_with(&app.server.db.url, app.server.db.data_dir(), &[]);
    let other = Application::build_with_pool(settings, app.server.pool.clone()).expect("build");
    let other_address = format!("http://127.0.0.1:{}", other.port());
    tokio::spawn(other.run_until_stopped());

    let hand = Hand::on(&app);
    let old = idle_for(&app, Role::Admin, "two@mektep.kz", Duration::minutes(25));
    let response = hand.get("/account", &session(&old)).await;
    assert_eq!(response.status(), 200);
    let fresh = set_cookie(&response, COOKIE).expect("re-issued");

    let there = Hand::at(&other_address);
    assert_eq!(there.get("/account", &session(&fresh)).await.status(), 200);
    assert!(there.seconds_left(&fresh).await.0.expect("signed in there") > 30 * 60 - 10);
    // And the other way round: what one instance times out, the other does too.
    let idle = idle_for(&app, Role::Admin, "three@mektep.kz", Duration::minutes(31));
    assert_eq!(there.get("/account", &session(&idle)).await.status(), 303);
}

#[tokio::test]
async fn signed_in_pages_carry_the_warning_and_anonymous_ones_do_not() {
    let app = spawn_app().await;
    let anonymous = app.get("/").await.text().await.expect("body");
    assert!(
        !anonymous.contains("session-timeout"),
        "no warning for visitors"
    );

    let browser = app.another_browser();
    browser
        .sign_in("teacher", "page@mektep.kz", Some("KZ-75"))
        .await;
    assert_eq!(browser.switch_language("ru").await.status(), 303);
    let html = browser.get("/learn").await.text().await.expect("body");
    assert!(html.contains(r#"<dialog id="session-timeout""#), "{html}");
    assert!(
        html.contains(r#"data-seconds-left="7200""#)
            || html.contains(r#"data-seconds-left="7199""#)
    );
    assert!(html.contains(r#"data-warn-seconds="120""#));
    assert!(
        html.contains(r#"data-sign-in-url="/login?timeout=teacher&#38;next=/learn""#),
        "{html}"
    );
    assert!(html.contains(r#"<script src="/static/js/session-timeout.js" defer></script>"#));
    // The countdown in the reader's language, with its plural forms.
    assert!(html.contains("через 2 минуты."), "{html}");
    assert!(html.contains("через 1 минуту."));
    assert!(html.contains("через 20 секунд."));
    assert!(html.contains("Остаться в системе"));

    let staff = app.another_browser();
    staff
        .sign_in("coordinator", "staff@mektep.kz", Some("KZ-75"))
        .await;
    let html = staff.get("/account").await.text().await.expect("body");
    assert!(
        html.contains(r#"data-seconds-left="1800""#)
            || html.contains(r#"data-seconds-left="1799""#)
    );

    // A made-up timeout says nothing; a signed-in user is not told they were signed out.
    let bogus = app
        .get("/login?timeout=forever")
        .await
        .text()
        .await
        .expect("body");
    assert!(!bogus.contains("notice-important"));
    let signed_in = staff
        .get("/login?timeout=staff")
        .await
        .text()
        .await
        .expect("body");
    assert!(!signed_in.contains("notice-important"));
}
