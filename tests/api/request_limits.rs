//! Registration and "forgot password" limits (issue 13), kept in the database so that every app
//! instance shares them: per client address and per target address. Over a limit, the forgotten
//! password page looks as it always does (it must not tell) but sends nothing; registrations from
//! one address beyond the limit get a 429 page that says why. On SQLite and PostgreSQL alike.

use std::sync::Arc;

use diesel::prelude::*;
use futures_util::future::join_all;
use ustaz::schema::rate_limits as r;

use crate::helpers::{
    spawn_app, spawn_app_with_env, text_of, TestApp, TestDatabase, TestServer, GOOD_PASSWORD,
};

/// The registration form as a browser sends it (no school, Kazakh), with this token.
fn registration<'a>(email: &'a str, iin: &'a str, token: &'a str) -> [(&'a str, &'a str); 9] {
    [
        ("region", "KZ-75"),
        ("full_name", "Айгерім Нұрланқызы"),
        ("email", email),
        ("password", GOOD_PASSWORD),
        ("school", "none"),
        ("category", "general"),
        ("language", "kk"),
        ("iin", iin),
        ("csrf_token", token),
    ]
}

/// Outbox messages to `to` whose subject is a reset link's.
fn reset_mails(app: &TestApp, to: &str) -> usize {
    app.emails_to(to)
        .iter()
        .filter(|m| m.subject.contains("қалпына"))
        .count()
}

/// Pretends every window of `kind` (and the reset links, for the older one-a-minute rule) began
/// `minutes` ago.
fn windows_began_ago(app: &TestApp, kind: &str, minutes: i64) {
    use ustaz::schema::user_tokens as t;
    let earlier = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes);
    diesel::update(r::table.filter(r::limit_key.like(format!("{kind}:%"))))
        .set(r::window_start.eq(earlier))
        .execute(&mut app.conn())
        .expect("move the windows");
    diesel::update(t::table)
        .set(t::created_at.eq(earlier))
        .execute(&mut app.conn())
        .expect("age the links");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_registrations_from_one_address_at_once_send_ten_mails_not_thirty() {
    let app = spawn_app_with_env(&[("USTAZ_PASSWORD_HASH_WAIT_MS", "60000")]).await;
    let browsers: Vec<TestApp> = (0..30).map(|_| app.another_browser()).collect();
    let tokens = join_all(browsers.iter().map(|b| b.csrf())).await;
    let emails: Vec<String> = (0..30).map(|i| format!("victim{i}@example.org")).collect();
    let sent = browsers
        .iter()
        .zip(&tokens)
        .zip(&emails)
        .map(|((b, token), email)| async move {
            b.post_form("/register", &registration(email, "", token))
                .await
        });
    let responses = join_all(sent).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    let registered = statuses.iter().filter(|s| **s == 303).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    let mails: usize = emails.iter().map(|e| app.emails_to(e).len()).sum();
    eprintln!("figure: 30 registrations from one address at once: {registered} registered, {limited} limited (429), {mails} mails");
    // Before: 30 registered, 30 mails to addresses of the sender's choosing.
    assert_eq!(registered, 10, "{statuses:?}");
    assert_eq!(limited, 20, "{statuses:?}");
    assert_eq!(mails, 10);

    let refused = responses
        .into_iter()
        .find(|r| r.status() == 429)
        .expect("a limited answer");
    let text = text_of(refused).await;
    assert!(text.contains("Қате:"), "an error page: {text}");
    assert!(
        text.contains("Сіздің желіңізден тым көп тіркелгі ашылды. 60 минут күтіп"),
        "{text}"
    );
}

#[tokio::test]
async fn the_registration_limit_counts_each_client_address_apart() {
    let app = spawn_app_with_env(&[("USTAZ_TRUSTED_PROXIES", "127.0.0.1")]).await;
    for i in 0..12 {
        let token = app.csrf().await;
        let email = format!("school{i}@mektep.kz");
        let response = app
            .client
            .post(app.url("/register"))
            .header("X-Forwarded-For", format!("203.0.113.{i}"))
            .form(&registration(&email, "", &token))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 303, "{email}");
        app.post("/logout", &[]).await;
    }
}

#[tokio::test]
async fn one_reset_mail_per_address_per_quarter_hour_and_five_a_day() {
    let app = spawn_app().await;
    app.create_user("teacher", "reset@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let forgot = || app.post("/password/forgot", &[("email", "reset@mektep.kz")]);
    let first = forgot().await;
    assert_eq!(first.status(), 200);
    let neutral = text_of(first).await;
    assert_eq!(reset_mails(&app, "reset@mektep.kz"), 1);

    // Two minutes later (past the old one-a-minute rule): the same page, no second mail.
    // Before: a second mail, and one more every minute.
    windows_began_ago(&app, "reset-from", 2);
    windows_began_ago(&app, "reset-to", 2);
    let second = forgot().await;
    assert_eq!(second.status(), 200);
    assert_eq!(text_of(second).await, neutral);
    assert_eq!(reset_mails(&app, "reset@mektep.kz"), 1);

    // A new mail each quarter of an hour, up to five a day.
    for sent in 2..=7 {
        windows_began_ago(&app, "reset-from", 61);
        windows_began_ago(&app, "reset-to", 16);
        assert_eq!(forgot().await.status(), 200);
        assert_eq!(
            reset_mails(&app, "reset@mektep.kz"),
            sent.min(5),
            "try {sent}"
        );
    }
}

#[tokio::test]
async fn forgot_password_requests_from_one_address_are_limited_without_saying_so() {
    let app = spawn_app().await;
    let emails: Vec<String> = (0..11).map(|i| format!("teacher{i}@mektep.kz")).collect();
    for email in &emails {
        app.create_user("teacher", email, GOOD_PASSWORD, Some("KZ-75"));
    }
    let mut pages = Vec::new();
    for email in &emails {
        let response = app.post("/password/forgot", &[("email", email)]).await;
        assert_eq!(response.status(), 200);
        pages.push(text_of(response).await.replace(email.as_str(), "X"));
    }
    assert!(
        pages.iter().all(|p| *p == pages[0]),
        "the same page each time"
    );
    let mails: Vec<usize> = emails.iter().map(|e| reset_mails(&app, e)).collect();
    assert_eq!(mails[..10], [1; 10]);
    assert_eq!(
        mails[10], 0,
        "the eleventh request from the address sends nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_database_send_one_reset_mail_not_two() {
    let db = TestDatabase::migrated();
    let url = db.url.clone();
    let first = TestApp::on(Arc::new(TestServer::start(db, &[])));
    // The second instance shares the first one's database (its own is left empty).
    let second = TestApp::on(Arc::new(TestServer::start_at(
        TestDatabase::new(),
        &url,
        &[],
    )));
    first.create_user("teacher", "twice@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let browsers: Vec<TestApp> = (0..10)
        .map(|i| [&first, &second][i % 2].another_browser())
        .collect();
    let tokens = join_all(browsers.iter().map(|b| b.csrf())).await;
    let requests = browsers.iter().zip(&tokens).map(|(b, token)| async move {
        b.post_form(
            "/password/forgot",
            &[("email", "twice@mektep.kz"), ("csrf_token", token)],
        )
        .await
        .status()
        .as_u16()
    });
    let statuses = join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let mails = reset_mails(&first, "twice@mektep.kz");
    eprintln!("figure: 10 reset requests at once on two instances: {mails} mails");
    assert_eq!(mails, 1);
}
