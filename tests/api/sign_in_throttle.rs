//! Sign-in throttling that cannot be bypassed or turned against users (issue 13): attempts are
//! counted atomically before the password is checked, a browser that signed in before keeps its
//! own budget (OWASP device cookies), counters decay with their window, and a completed reset
//! forgives the account's failures. On SQLite and PostgreSQL alike.

use diesel::prelude::*;
use futures_util::future::join_all;
use ustaz::schema::rate_limits as r;

use crate::helpers::{spawn_app_with_env, spawn_app_with_smtp, text_of, TestApp, GOOD_PASSWORD};

const OWNER: &str = "admin@ustaz.kz";
const ACCOUNT_KEY: &str = "sign-in-account:admin@ustaz.kz";

/// The app, with room for every hash of a burst in the queue (the suite shares the cores).
async fn app() -> TestApp {
    spawn_app_with_env(&[("USTAZ_PASSWORD_HASH_WAIT_MS", "60000")]).await
}

/// Attempts counted under `key` in its current window (0 when there is no row).
fn hits(app: &TestApp, key: &str) -> i32 {
    r::table
        .find(key)
        .select(r::hits)
        .first(&mut app.conn())
        .optional()
        .expect("rate_limits")
        .unwrap_or(0)
}

/// Pretends the window of `key` began `minutes` ago.
fn window_began_ago(app: &TestApp, key: &str, minutes: i64) {
    let start = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes);
    let moved = diesel::update(r::table.find(key))
        .set(r::window_start.eq(start))
        .execute(&mut app.conn())
        .expect("move the window");
    assert_eq!(moved, 1, "{key} has a row");
}

/// The device cookie a response sets, if any (`Set-Cookie` as sent).
fn device_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ustaz_device=") || c.starts_with("__Host-ustaz_device="))
        .map(str::to_owned)
}

/// How many answers had each status.
fn tally(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

/// `passwords` posted to /login for `email` at the same moment, each from a browser of its own.
async fn burst(app: &TestApp, email: &str, passwords: &[String]) -> Vec<u16> {
    let browsers: Vec<TestApp> = passwords.iter().map(|_| app.another_browser()).collect();
    let tokens = join_all(browsers.iter().map(|b| b.csrf())).await;
    let guesses =
        browsers
            .iter()
            .zip(&tokens)
            .zip(passwords)
            .map(|((b, token), password)| async move {
                let form = [
                    ("email", email),
                    ("password", password),
                    ("csrf_token", token),
                ];
                b.post_form("/login", &form).await.status().as_u16()
            });
    let statuses = join_all(guesses).await;
    eprintln!(
        "figure: {} sign-ins at once: {} checked and refused (422), {} limited (429), {} signed in",
        passwords.len(),
        tally(&statuses, 422),
        tally(&statuses, 429),
        tally(&statuses, 303)
    );
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_sixty_wrong_passwords_gets_five_checks_and_all_sixty_are_counted() {
    let app = app().await;
    app.create_user("admin", OWNER, GOOD_PASSWORD, None);
    let guesses: Vec<String> = (0..60).map(|i| format!("not the password {i}")).collect();
    let statuses = burst(&app, OWNER, &guesses).await;
    // Before: all 60 checked (422), and PostgreSQL recorded 37 of them.
    assert_eq!(tally(&statuses, 422), 5, "{statuses:?}");
    assert_eq!(tally(&statuses, 429), 55, "{statuses:?}");
    assert_eq!(hits(&app, ACCOUNT_KEY), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_right_password_in_the_same_burst_is_refused_once_the_limit_is_spent() {
    let app = app().await;
    app.create_user("admin", OWNER, GOOD_PASSWORD, None);
    let guesses: Vec<String> = (0..59).map(|i| format!("not the password {i}")).collect();
    let stranger = app.another_browser();
    let token = stranger.csrf().await;
    // The attacker's last try is the right password, sent while the burst is still answered.
    let last = async {
        while hits(&app, ACCOUNT_KEY) < 5 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let form = [
            ("email", OWNER),
            ("password", GOOD_PASSWORD),
            ("csrf_token", &token),
        ];
        stranger.post_form("/login", &form).await
    };
    let (statuses, right) = tokio::join!(burst(&app, OWNER, &guesses), last);
    // Before: accepted (303) after 59 wrong guesses.
    assert_eq!(right.status(), 429);
    assert!(tally(&statuses, 422) <= 5, "{statuses:?}");
    assert_eq!(tally(&statuses, 303), 0, "{statuses:?}");
    assert_eq!(hits(&app, ACCOUNT_KEY), 60);
    assert!(text_of(right).await.contains("Сәтсіз әрекет тым көп"));
}

#[tokio::test]
async fn the_owners_browser_still_signs_in_while_strangers_are_locked_out() {
    let owner = app().await;
    owner.create_user("admin", OWNER, GOOD_PASSWORD, None);
    let signed_in = owner.login_password(OWNER, GOOD_PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    let cookie = device_cookie(&signed_in).expect("a device cookie");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/")
            && cookie.contains("Max-Age=31536000"),
        "{cookie}"
    );
    assert_eq!(owner.post("/logout", &[]).await.status(), 303);

    // An attacker who guessed the administrator's address locks out browsers it does not know…
    let stranger = owner.another_browser();
    for _ in 0..5 {
        assert_eq!(
            stranger
                .login_password(OWNER, "guess guess guess")
                .await
                .status(),
            422
        );
    }
    assert_eq!(
        stranger.login_password(OWNER, GOOD_PASSWORD).await.status(),
        429
    );

    // …but not the owner's browser. Before: 429 here too. Its typo counts against its own
    // cookie, not the account.
    assert_eq!(
        owner.login_password(OWNER, "a typo in it").await.status(),
        422
    );
    assert_eq!(hits(&owner, ACCOUNT_KEY), 6);
    let again = owner.login_password(OWNER, GOOD_PASSWORD).await;
    assert_eq!(again.status(), 303);
    assert!(device_cookie(&again).is_some(), "a fresh device cookie");
    // The strangers are still locked out.
    assert_eq!(
        stranger.login_password(OWNER, GOOD_PASSWORD).await.status(),
        429
    );
}

#[tokio::test]
async fn over_https_the_device_cookie_is_secure_and_host_only() {
    let app = spawn_app_with_env(&[("USTAZ_BASE_URL", "https://ustaz.example.kz")]).await;
    app.create_user("admin", OWNER, GOOD_PASSWORD, None);
    let response = app.login_password(OWNER, GOOD_PASSWORD).await;
    assert_eq!(response.status(), 303);
    let cookie = device_cookie(&response).expect("a device cookie");
    assert!(cookie.starts_with("__Host-ustaz_device="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain="), "host-only: {cookie}");
}

#[tokio::test]
async fn a_device_cookie_has_a_budget_of_its_own_and_is_locked_when_it_is_spent() {
    let owner = app().await;
    owner.create_user("admin", OWNER, GOOD_PASSWORD, None);
    assert_eq!(
        owner.login_password(OWNER, GOOD_PASSWORD).await.status(),
        303
    );
    for _ in 0..10 {
        assert_eq!(
            owner
                .login_password(OWNER, "guess guess guess")
                .await
                .status(),
            422
        );
    }
    // Ten failures lock this cookie, even with the right password…
    let locked = owner.login_password(OWNER, GOOD_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    let device_rows: Vec<(String, i32)> = r::table
        .filter(r::limit_key.like("sign-in-device:%"))
        .select((r::limit_key, r::hits))
        .load(&mut owner.conn())
        .expect("device rows");
    assert_eq!(device_rows.len(), 1, "{device_rows:?}");
    assert_eq!(device_rows[0].1, 11);
    // …and never counted against the account: another browser signs in.
    assert_eq!(hits(&owner, ACCOUNT_KEY), 0);
    let laptop = owner.another_browser();
    assert_eq!(
        laptop.login_password(OWNER, GOOD_PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn another_accounts_device_cookie_counts_as_a_stranger() {
    let app = app().await;
    app.create_user("admin", OWNER, GOOD_PASSWORD, None);
    app.create_user(
        "teacher",
        "attacker@mektep.kz",
        GOOD_PASSWORD,
        Some("KZ-75"),
    );
    // The attacker's own account gives the attacker's browser a device cookie: for that account.
    assert_eq!(
        app.login_password("attacker@mektep.kz", GOOD_PASSWORD)
            .await
            .status(),
        303
    );
    for _ in 0..5 {
        assert_eq!(
            app.login_password(OWNER, "guess guess guess")
                .await
                .status(),
            422
        );
    }
    assert_eq!(app.login_password(OWNER, GOOD_PASSWORD).await.status(), 429);
    assert_eq!(hits(&app, ACCOUNT_KEY), 6);
}

#[tokio::test]
async fn failures_decay_with_their_window_and_the_lock_says_the_minutes_left() {
    let app = app().await;
    app.create_user("admin", OWNER, GOOD_PASSWORD, None);
    for _ in 0..5 {
        assert_eq!(
            app.login_password(OWNER, "guess guess guess")
                .await
                .status(),
            422
        );
    }
    let locked = app.login_password(OWNER, GOOD_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    assert!(text_of(locked).await.contains("тым көп. 15 минут күтіп"));

    // Ten minutes into the window: five minutes left, and the page says so.
    window_began_ago(&app, ACCOUNT_KEY, 10);
    let later = app.login_password(OWNER, GOOD_PASSWORD).await;
    assert_eq!(later.status(), 429);
    let text = text_of(later).await;
    assert!(text.contains("тым көп. 5 минут күтіп"), "{text}");

    // Once the window has passed with no new failure, the count starts again from nothing.
    // Before: the failures kept growing and every new one locked the account again.
    window_began_ago(&app, ACCOUNT_KEY, 16);
    assert_eq!(
        app.login_password(OWNER, "one more typo").await.status(),
        422
    );
    assert_eq!(hits(&app, ACCOUNT_KEY), 1);
    let browser = app.another_browser();
    assert_eq!(
        browser.login_password(OWNER, GOOD_PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn a_completed_password_reset_clears_the_accounts_failures() {
    let app = spawn_app_with_smtp().await;
    app.create_user("teacher", "locked@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    for _ in 0..5 {
        app.login_password("locked@mektep.kz", "guess guess guess")
            .await;
    }
    let locked = app.login_password("locked@mektep.kz", GOOD_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    // The message says to reset the password: doing so unlocks the account.
    assert!(text_of(locked).await.contains("қалпына келтіріңіз"));
    app.post("/password/forgot", &[("email", "locked@mektep.kz")])
        .await;
    let link = app.mail_to("locked@mektep.kz", 1).await.link(&app.address);
    let path = link.trim_start_matches(&app.address).to_owned();
    let reset = app
        .post(&path, &[("password", "a brand new long passphrase")])
        .await;
    assert_eq!(reset.status(), 303);
    assert_eq!(hits(&app, "sign-in-account:locked@mektep.kz"), 0);
    // Before: 429 for the rest of the lock.
    assert_eq!(
        app.login_password("locked@mektep.kz", "a brand new long passphrase")
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn one_address_is_limited_across_accounts_but_known_browsers_are_not() {
    let app = app().await;
    app.create_user("admin", OWNER, GOOD_PASSWORD, None);
    let owner = app.another_browser();
    assert_eq!(
        owner.login_password(OWNER, GOOD_PASSWORD).await.status(),
        303
    );
    // Twenty failures spread over accounts (four each, under every account's limit).
    for i in 0..5 {
        let email = format!("teacher{i}@mektep.kz");
        for _ in 0..4 {
            assert_eq!(
                app.login_password(&email, "guess guess guess")
                    .await
                    .status(),
                422
            );
        }
    }
    app.create_user("teacher", "sixth@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    assert_eq!(
        app.login_password("sixth@mektep.kz", GOOD_PASSWORD)
            .await
            .status(),
        429
    );
    assert_eq!(hits(&app, "sign-in-address:127.0.0.1"), 20);
    // The owner's browser, behind the same address, has a budget of its own.
    assert_eq!(
        owner.login_password(OWNER, GOOD_PASSWORD).await.status(),
        303
    );
}
