//! Password hashing under load: at most a few argon2 hashes run at once, the others wait a
//! moment for their turn, and past the wait they get the translated "busy" page (503 with
//! `Retry-After`), never a server error.

use crate::helpers::{spawn_app_with_env, text_of, visible_text, Browser, PASSWORD};

const SIGN_INS: usize = 200;
/// Four sign-ins at once per account: an account's budget for unknown browsers (five) checks no
/// more than five at once (`sign_in_throttle` tests that).
const ACCOUNTS: usize = 50;

/// The busy page's title in each language.
const BUSY: [(&str, &str); 3] = [
    ("kk", "Қазір сайт бос емес"),
    ("ru", "Сайт сейчас перегружен"),
    ("en", "The site is busy right now"),
];

#[tokio::test]
async fn two_hundred_sign_ins_at_once_are_signed_in_or_told_busy_never_a_server_error() {
    // One hash at a time and a short wait: most find no turn within it and are told to come back.
    let app = spawn_app_with_env(&[
        ("USTAZ_PASSWORD_HASHES_AT_ONCE", "1"),
        ("USTAZ_PASSWORD_HASH_WAIT_MS", "100"),
    ])
    .await;
    let email = |i: usize| format!("teacher{}@school.kz", i % ACCOUNTS);
    for i in 0..ACCOUNTS {
        app.create_user("teacher", &email(i), PASSWORD, Some("KZ-75"));
    }
    // Each sign-in in a browser of its own, its form opened first, then all sent at once.
    let mut browsers = Vec::new();
    for _ in 0..SIGN_INS {
        let browser = Browser::new(&app.address);
        let token = browser.csrf().await;
        browsers.push((browser, token));
    }
    let sign_ins = browsers.iter().enumerate().map(|(i, (browser, token))| {
        let (lang, _) = BUSY[i % BUSY.len()];
        let email = email(i);
        async move {
            let response = browser
                .client
                .post(browser.url("/login"))
                .header("Accept-Language", lang)
                .form(&[
                    ("email", email.as_str()),
                    ("password", PASSWORD),
                    ("csrf_token", token),
                ])
                .send()
                .await
                .expect("response");
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u32>().ok());
            (
                i,
                status,
                retry_after,
                visible_text(&text_of(response).await),
            )
        }
    });
    let answers = futures_util::future::join_all(sign_ins).await;

    let mut busy = 0;
    for (i, status, retry_after, text) in &answers {
        let (lang, title) = BUSY[i % BUSY.len()];
        match status {
            303 => {}
            503 => {
                busy += 1;
                assert!(retry_after.is_some_and(|s| s > 0), "Retry-After on {i}");
                assert!(text.contains(title), "{lang}: {text}");
            }
            other => panic!("sign-in {i} answered {other}: {text}"),
        }
    }
    // The first to come finds the turn free; with one at a time, many find it taken.
    assert!(busy < SIGN_INS, "nobody signed in");
    assert!(busy > 0, "nobody was told the site is busy");
    // Every turn was given back: signing in works as before.
    let response = app.login(&email(0), PASSWORD).await;
    assert_eq!(response.status(), 303);
}
