use diesel::prelude::*;
use ustaz::schema::users;

use crate::fixtures::SchoolBuilder;
use crate::helpers::{spawn_app, spawn_app_with_smtp, visible_text, TestApp, GOOD_PASSWORD};

fn user_count(app: &TestApp) -> i64 {
    users::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

async fn register(app: &TestApp, email: &str, school: &str, iin: &str) -> reqwest::Response {
    app.post(
        "/register",
        &[
            ("region", "KZ-75"),
            ("full_name", "Айгерім Нұрланқызы"),
            ("email", email),
            ("password", GOOD_PASSWORD),
            ("school", school),
            ("category", "general"),
            ("language", "kk"),
            ("iin", iin),
        ],
    )
    .await
}

#[tokio::test]
async fn a_teacher_registers_confirms_the_email_and_signs_in() {
    let app = spawn_app_with_smtp().await;
    let school = SchoolBuilder::new("School-lyceum No. 165")
        .region("KZ-75")
        .inclusive()
        .expect_build(&mut app.conn());
    SchoolBuilder::new("Semey school No. 1")
        .region("KZ-10")
        .inclusive()
        .expect_build(&mut app.conn());

    // Step 1: the region; step 2 offers that region's schools only.
    let step1 = visible_text(
        &app.get_in("/register", "en")
            .await
            .text()
            .await
            .expect("body"),
    );
    assert!(
        step1.contains("Where do you work?") && step1.contains("Almaty Region"),
        "{step1}"
    );
    let step2 = app
        .get_in("/register?region=KZ-75", "en")
        .await
        .text()
        .await
        .expect("body");
    assert!(step2.contains("School-lyceum No. 165"));
    assert!(!step2.contains("Semey school No. 1"));

    let response = register(&app, " Aigerim@Mektep.kz ", &school.to_string(), "").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/register/check-email");
    // Not signed in yet: what a new registration answers is what any registration answers.
    assert!(
        !app.cookie_header().contains("session"),
        "{}",
        app.cookie_header()
    );
    let sent = visible_text(
        &app.get_in("/register/check-email", "en")
            .await
            .text()
            .await
            .expect("body"),
    );
    assert!(
        sent.contains("Check your email") && sent.contains("confirm your address"),
        "{sent}"
    );

    let stored: (
        String,
        String,
        Option<i32>,
        Option<String>,
        String,
        Option<String>,
        bool,
    ) = users::table
        .select((
            users::email,
            users::role,
            users::school_id,
            users::category,
            users::language,
            users::password_hash,
            users::email_verified_at.is_null(),
        ))
        .first(&mut app.conn())
        .expect("user");
    assert_eq!(stored.0, "aigerim@mektep.kz");
    assert_eq!(stored.1, "teacher");
    assert_eq!(stored.2, Some(school));
    assert_eq!(stored.3.as_deref(), Some("general"));
    assert_eq!(stored.4, "kk");
    assert!(stored.5.expect("hash").starts_with("$argon2id$"));
    assert!(stored.6, "not confirmed yet");

    // Signing in before confirming works, in the language chosen, with a banner until the
    // address is confirmed.
    assert_eq!(
        app.login("aigerim@mektep.kz", GOOD_PASSWORD).await.status(),
        303
    );
    let account = app.get("/account").await;
    assert_eq!(account.status(), 200);
    let html = account.text().await.expect("body");
    assert!(html.contains("<html lang=\"kk\">"));
    let text = visible_text(&html);
    assert!(
        text.contains("электрондық пошта мекенжайын растаңыз"),
        "{text}"
    );
    assert!(text.contains("aigerim@mektep.kz"));

    let email = app.mail_to("aigerim@mektep.kz", 1).await;
    assert_eq!(
        email.subject,
        "Ustaz үшін электрондық пошта мекенжайыңызды растаңыз"
    );
    let link = email.link(&app.address);
    assert!(link.contains("/account/confirm/"), "{link}");
    let path = link.trim_start_matches(&app.address).to_owned();

    // Opening the link shows a button; pressing it confirms, once.
    assert_eq!(app.get(&path).await.status(), 200);
    let confirmed = app.post(&path, &[]).await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(
        confirmed.headers()["location"],
        "/account?notice=email-confirmed"
    );
    let text = visible_text(&app.get("/account").await.text().await.expect("body"));
    assert!(
        !text.contains("электрондық пошта мекенжайын растаңыз"),
        "{text}"
    );
    assert_eq!(app.get(&path).await.status(), 410);
    assert_eq!(app.post(&path, &[]).await.status(), 410);

    // Signing out ends the session; signing in again works.
    assert_eq!(app.post("/logout", &[]).await.status(), 303);
    let account = app.get("/account").await;
    assert_eq!(account.status(), 303);
    assert_eq!(account.headers()["location"], "/login?next=/account");
    let signed_in = app.login("AIGERIM@mektep.kz", GOOD_PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(app.get("/account").await.status(), 200);
}

#[tokio::test]
async fn registration_refuses_bad_input_next_to_each_field_and_writes_nothing() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/register",
            &[
                ("region", "KZ-75"),
                ("full_name", "  "),
                ("email", "not-an-email"),
                ("password", "password"),
                ("school", ""),
                ("category", ""),
                ("language", "en"),
                ("iin", "123456789012"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(
        html.contains("<title>Қате: "),
        "the title says there is an error"
    );
    assert!(html.contains("class=\"error-summary\""));
    for field in [
        "full_name",
        "email",
        "password",
        "school",
        "category",
        "iin",
    ] {
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "summary links to {field}"
        );
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "message next to {field}"
        );
    }
    // What was typed is kept, except the password.
    assert!(html.contains("value=\"not-an-email\""));
    assert!(!html.contains("value=\"password\""));
    assert_eq!(user_count(&app), 0);

    let common = app
        .post(
            "/register",
            &[
                ("region", "KZ-75"),
                ("full_name", "A B"),
                ("email", "a@b.kz"),
                ("password", "qwertyuiop"),
                ("school", "none"),
                ("category", "other"),
                ("language", "en"),
                ("iin", ""),
            ],
        )
        .await;
    assert_eq!(common.status(), 422);
    let html = common.text().await.expect("body");
    assert!(
        html.contains("id=\"password-error\""),
        "a common password is refused"
    );
    assert!(!html.contains("id=\"email-error\""));
    assert_eq!(user_count(&app), 0);

    // An unknown region goes back to step 1.
    let response = app.post("/register", &[("region", "KZ-00")]).await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn an_email_can_only_be_registered_once() {
    let app = spawn_app().await;
    assert_eq!(
        register(&app, "first@mektep.kz", "none", "").await.status(),
        303
    );
    // The second time is answered as the first (registration_privacy.rs: the owner is told).
    let again = register(&app, "FIRST@mektep.kz", "none", "").await;
    assert_eq!(again.status(), 303);
    assert_eq!(again.headers()["location"], "/register/check-email");
    assert_eq!(user_count(&app), 1);
}

#[tokio::test]
async fn sign_in_fails_the_same_way_for_unknown_accounts_and_wrong_passwords() {
    let app = spawn_app().await;
    app.create_user("teacher", "known@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let wrong = app.login("known@mektep.kz", "not the password").await;
    let unknown = app.login("nobody@mektep.kz", "not the password").await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(unknown.status(), 422);
    let strip = |html: String| {
        let text = visible_text(&html);
        text.replace("known@mektep.kz", "X")
            .replace("nobody@mektep.kz", "X")
    };
    assert_eq!(
        strip(wrong.text().await.expect("body")),
        strip(unknown.text().await.expect("body"))
    );

    let ok = app.login("known@mektep.kz", GOOD_PASSWORD).await;
    assert_eq!(ok.status(), 303);
    let cookie = ok
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_owned())
        .find(|c| c.starts_with("ustaz_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_short_time_only() {
    let app = spawn_app().await;
    app.create_user("teacher", "target@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    app.create_user("teacher", "other@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    for _ in 0..5 {
        assert_eq!(
            app.login("target@mektep.kz", "guess guess guess")
                .await
                .status(),
            422
        );
    }
    // Now even the right password waits; the message does not say whether the account exists.
    let locked = app.login("target@mektep.kz", GOOD_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    let text = visible_text(&locked.text().await.expect("body"));
    assert!(text.contains("Сәтсіз әрекет тым көп"), "{text}");
    // Another account from the same address still signs in.
    assert_eq!(
        app.login("other@mektep.kz", GOOD_PASSWORD).await.status(),
        303
    );

    // The lock is short: it ends with the window of the first failure, at most 15 minutes on.
    use ustaz::schema::rate_limits as r;
    let started: chrono::NaiveDateTime = r::table
        .filter(r::limit_key.eq("sign-in-account:target@mektep.kz"))
        .select(r::window_start)
        .first(&mut app.conn())
        .expect("throttle row");
    let left = started + chrono::Duration::minutes(15) - chrono::Utc::now().naive_utc();
    assert!(
        left <= chrono::Duration::minutes(15) && left > chrono::Duration::zero(),
        "{left}"
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_single_use_link() {
    let app = spawn_app_with_smtp().await;
    app.create_user("teacher", "reset@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    // A session on another device, which the reset must end.
    let laptop = app.another_browser();
    assert_eq!(
        laptop
            .login("reset@mektep.kz", GOOD_PASSWORD)
            .await
            .status(),
        303
    );

    let unknown = app
        .post("/password/forgot", &[("email", "ghost@mektep.kz")])
        .await;
    let known = app
        .post("/password/forgot", &[("email", "reset@mektep.kz")])
        .await;
    assert_eq!(unknown.status(), 200);
    assert_eq!(known.status(), 200);
    let same = |html: String| {
        visible_text(&html)
            .replace("ghost@mektep.kz", "X")
            .replace("reset@mektep.kz", "X")
    };
    assert_eq!(
        same(unknown.text().await.expect("body")),
        same(known.text().await.expect("body"))
    );

    let link = app.mail_to("reset@mektep.kz", 1).await.link(&app.address);
    assert_eq!(
        app.mail_count("ghost@mektep.kz"),
        0,
        "nothing is sent to unknown addresses"
    );
    assert!(
        link.starts_with(&format!("{}/password/reset/", app.address)),
        "{link}"
    );
    let path = link.trim_start_matches(&app.address).to_owned();
    assert_eq!(app.get(&path).await.status(), 200);
    let short = app.post(&path, &[("password", "short")]).await;
    assert_eq!(short.status(), 422);
    let done = app
        .post(&path, &[("password", "a brand new long passphrase")])
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/login?notice=password-reset");

    // Single use; the old password and the other session are gone; a notice was emailed.
    assert_eq!(
        app.post(&path, &[("password", "yet another passphrase")])
            .await
            .status(),
        410
    );
    assert_eq!(laptop.get("/account").await.status(), 303);
    assert_eq!(
        app.login("reset@mektep.kz", GOOD_PASSWORD).await.status(),
        422
    );
    assert_eq!(
        app.login("reset@mektep.kz", "a brand new long passphrase")
            .await
            .status(),
        303
    );
    let notice = app.mail_to("reset@mektep.kz", 2).await;
    assert!(notice.subject.contains("өзгертілді"), "{}", notice.subject);
    assert!(
        !notice.text.contains("/password/reset/"),
        "the notice carries no link"
    );
}

#[tokio::test]
async fn the_account_page_edits_details_and_changes_the_password() {
    let app = spawn_app().await;
    let almaty_school = SchoolBuilder::new("Gymnasium No. 12")
        .region("KZ-75")
        .inclusive()
        .expect_build(&mut app.conn());
    let semey_school = SchoolBuilder::new("Semey school No. 3")
        .region("KZ-10")
        .inclusive()
        .expect_build(&mut app.conn());
    app.create_user("teacher", "edit@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    app.login("edit@mektep.kz", GOOD_PASSWORD).await;

    let saved = app
        .post(
            "/account",
            &[
                ("full_name", "Dana Sadykova"),
                ("region", "KZ-75"),
                ("school", &almaty_school.to_string()),
                ("category", "special"),
                ("language", "ru"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()["location"], "/account?notice=account-saved");
    let html = app
        .get("/account?notice=account-saved")
        .await
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("<html lang=\"ru\">"),
        "the page follows the saved language"
    );
    assert!(visible_text(&html).contains("Изменения сохранены"));

    // A school of another region is refused next to the field.
    let refused = app
        .post(
            "/account",
            &[
                ("full_name", "Dana Sadykova"),
                ("region", "KZ-75"),
                ("school", &semey_school.to_string()),
                ("category", "special"),
                ("language", "ru"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .expect("body")
        .contains("id=\"school-error\""));

    let phone = app.another_browser();
    phone.login("edit@mektep.kz", GOOD_PASSWORD).await;
    let wrong = app
        .post(
            "/account/password",
            &[
                ("current_password", "wrong"),
                ("new_password", "another fine passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let changed = app
        .post(
            "/account/password",
            &[
                ("current_password", GOOD_PASSWORD),
                ("new_password", "another fine passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    // This browser stays signed in; the other one is signed out.
    assert_eq!(app.get("/account").await.status(), 200);
    assert_eq!(phone.get("/account").await.status(), 303);
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    app.create_user("teacher", "csrf@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    app.login("csrf@mektep.kz", GOOD_PASSWORD).await;
    for path in [
        "/account",
        "/account/password",
        "/logout",
        "/account/confirm/resend",
        "/language",
    ] {
        let missing = app.post_form(path, &[("full_name", "X")]).await;
        assert_eq!(missing.status(), 403, "{path}");
        let wrong = app
            .post_form(path, &[("full_name", "X"), ("csrf_token", &"0".repeat(64))])
            .await;
        assert_eq!(wrong.status(), 403, "{path}");
    }
    // A token from another browser does not pass either.
    let other = app.another_browser();
    let foreign = other.csrf().await;
    assert_eq!(
        app.post_form("/logout", &[("csrf_token", &foreign)])
            .await
            .status(),
        403
    );
    assert_eq!(app.get("/account").await.status(), 200, "still signed in");
    let login = app
        .post_form(
            "/login",
            &[("email", "csrf@mektep.kz"), ("password", GOOD_PASSWORD)],
        )
        .await;
    assert_eq!(login.status(), 403);
}

#[tokio::test]
async fn forged_or_tampered_session_tokens_are_ignored() {
    let app = spawn_app().await;
    let id = app.create_user("admin", "boss@ustaz.kz", GOOD_PASSWORD, None);
    let now = chrono::Utc::now().timestamp();
    let claims = serde_json::json!({"sub": id.to_string(), "role": "admin", "sv": 1, "typ": "session", "aud": "ustaz", "iat": now, "exp": now + 3600});
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"guessed key"),
    )
    .expect("jwt");
    for token in [forged, "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.".to_owned()] {
        let response = app
            .client
            .get(app.url("/account"))
            .header("Cookie", format!("ustaz_session={token}"))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 303, "{token}");
    }
}

#[tokio::test]
async fn over_https_the_session_cookie_is_secure_host_only_and_hsts_is_sent() {
    let app =
        crate::helpers::spawn_app_with_env(&[("USTAZ_BASE_URL", "https://ustaz.example.kz")]).await;
    app.create_user("teacher", "secure@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let response = app.login("secure@mektep.kz", GOOD_PASSWORD).await;
    assert_eq!(response.status(), 303);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("__Host-ustaz_session="))
        .unwrap_or_else(|| panic!("a __Host- session cookie in {cookies:?}"));
    assert!(
        session.contains("Secure") && session.contains("HttpOnly") && session.contains("Path=/")
    );
    assert!(!session.contains("Domain="), "host-only");
    assert!(response.headers()["strict-transport-security"]
        .to_str()
        .expect("hsts")
        .contains("max-age="));
}

#[tokio::test]
async fn reset_links_use_the_configured_address_never_the_host_header() {
    let app = spawn_app_with_smtp().await;
    app.create_user("teacher", "host@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let token = app.csrf().await;
    let response = app
        .client
        .post(app.url("/password/forgot"))
        .header("Host", "evil.example")
        .form(&[("email", "host@mektep.kz"), ("csrf_token", &token)])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let mail = app.mail_to("host@mektep.kz", 1).await;
    assert!(!mail.text.contains("evil.example"), "{}", mail.text);
    assert!(
        mail.text
            .contains(&format!("{}/password/reset/", app.address)),
        "{}",
        mail.text
    );
}

#[tokio::test]
async fn the_confirmation_link_can_be_sent_again_but_not_in_a_flood() {
    let app = spawn_app_with_smtp().await;
    assert_eq!(
        register(&app, "again@mektep.kz", "none", "").await.status(),
        303
    );
    assert_eq!(
        app.login("again@mektep.kz", GOOD_PASSWORD).await.status(),
        303
    );
    let first = app.mail_to("again@mektep.kz", 1).await.link(&app.address);
    // Straight away: the request is accepted but no second email goes out (throttled).
    let resent = app.post("/account/confirm/resend", &[]).await;
    assert_eq!(resent.status(), 303);
    assert_eq!(resent.headers()["location"], "/account?notice=link-sent");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(app.mail_count("again@mektep.kz"), 1);

    // Two minutes later (moved back in the database), a new link replaces the old one.
    {
        use ustaz::schema::user_tokens as t;
        let earlier = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(3);
        diesel::update(t::table)
            .set(t::created_at.eq(earlier))
            .execute(&mut app.conn())
            .expect("age tokens");
    }
    assert_eq!(app.post("/account/confirm/resend", &[]).await.status(), 303);
    let second = app.mail_to("again@mektep.kz", 2).await.link(&app.address);
    assert_ne!(first, second);
    let old_path = first.trim_start_matches(&app.address).to_owned();
    assert_eq!(
        app.get(&old_path).await.status(),
        410,
        "the older link stops working"
    );
    let new_path = second.trim_start_matches(&app.address).to_owned();
    assert_eq!(app.post(&new_path, &[]).await.status(), 303);
}

#[tokio::test]
async fn a_reset_link_expires_after_an_hour() {
    let app = spawn_app_with_smtp().await;
    app.create_user("teacher", "late@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    app.post("/password/forgot", &[("email", "late@mektep.kz")])
        .await;
    let link = app.mail_to("late@mektep.kz", 1).await.link(&app.address);
    let path = link.trim_start_matches(&app.address).to_owned();
    {
        use ustaz::schema::user_tokens as t;
        let stored: (chrono::NaiveDateTime, chrono::NaiveDateTime, String) = t::table
            .select((t::created_at, t::expires_at, t::token_hash))
            .first(&mut app.conn())
            .expect("token row");
        assert_eq!(stored.1 - stored.0, chrono::Duration::hours(1));
        assert!(
            !link.contains(&stored.2),
            "only a hash of the token is stored"
        );
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
        diesel::update(t::table)
            .set(t::expires_at.eq(past))
            .execute(&mut app.conn())
            .expect("expire");
    }
    assert_eq!(app.get(&path).await.status(), 410);
    assert_eq!(
        app.post(&path, &[("password", "a brand new long passphrase")])
            .await
            .status(),
        410
    );
    assert_eq!(
        app.login("late@mektep.kz", GOOD_PASSWORD).await.status(),
        303,
        "the password did not change"
    );
}
