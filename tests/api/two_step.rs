//! Two-step sign-in for coordinators and administrators: the password alone gives no session,
//! a code works once, wrong codes are throttled, recovery codes stand in once each, staff
//! without a factor can use nothing but the set-up, and an administrator's reset is audited.

use diesel::prelude::*;
use ustaz::accounts::two_step as factor;
use ustaz::schema::{audit_events, two_step_factors, two_step_recovery_codes, users};

use crate::helpers::two_step::{fresh_code, next_of, secret_of};
use crate::helpers::{
    field_in, location, spawn_app, spawn_app_with_env, visible_text, TestApp, PASSWORD,
};

/// A staff member (with an authenticator when `app` is true) reading English; their id.
async fn staff(app: &TestApp, role: &str, email: &str, with_app: bool) -> i32 {
    let region = (role == "coordinator").then_some("KZ-75");
    let id = if with_app {
        app.create_user(role, email, PASSWORD, region)
    } else {
        // As the command line or a staff import makes them.
        app.server
            .create_user_without_two_step(role, email, PASSWORD, region)
    };
    diesel::update(users::table.find(id))
        .set(users::language.eq("en"))
        .execute(&mut app.conn())
        .expect("language");
    assert_eq!(app.switch_language("en").await.status(), 303);
    id
}

async fn text(response: reqwest::Response) -> String {
    visible_text(&response.text().await.expect("body"))
}

/// Whether this browser is signed in as staff (the users page answers it).
async fn reaches_staff_pages(app: &TestApp) -> bool {
    app.get("/dashboard").await.status() == 200
}

fn audit_actions(app: &TestApp, subject: i32) -> Vec<(Option<i32>, String)> {
    audit_events::table
        .filter(audit_events::subject_type.eq("user"))
        .filter(audit_events::subject_id.eq(subject))
        .filter(audit_events::action.like("two_step.%"))
        .order(audit_events::id.asc())
        .select((audit_events::actor_id, audit_events::action))
        .load(&mut app.conn())
        .expect("audit")
}

/// The password step: a redirect to the code page, and the pending cookie only.
async fn password_step(app: &TestApp, email: &str) -> String {
    let response = app.login_password(email, PASSWORD).await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    let cookies: Vec<String> = response.cookies().map(|c| c.name().to_owned()).collect();
    assert!(
        !cookies.iter().any(|c| c.contains("session")),
        "no session cookie after the password alone: {cookies:?}"
    );
    to
}

#[tokio::test]
async fn two_step_the_password_alone_gives_staff_no_session() {
    let app = spawn_app().await;
    staff(&app, "admin", "boss@two.kz", true).await;
    let to = password_step(&app, "boss@two.kz").await;
    assert!(to.starts_with("/login/code"), "{to}");
    assert!(
        !reaches_staff_pages(&app).await,
        "signed in by the password alone"
    );
    let page = app.get(&to).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains(r#"inputmode="numeric""#));
    assert!(html.contains(r#"autocomplete="one-time-code""#));
    assert!(
        html.contains(r#"<label for="code">Code from the app</label>"#),
        "{html}"
    );
    assert!(!html.contains("maxlength"), "paste of \"123 456\" must fit");

    // A code typed with a space, as apps show it.
    let code = fresh_code(&app.address, "boss@two.kz").await;
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let response = app
        .post(
            "/login/code",
            &[("code", &spaced), ("next", "/admin/users")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/admin/users");
    assert!(reaches_staff_pages(&app).await);
}

#[tokio::test]
async fn two_step_teachers_sign_in_with_the_password_as_before() {
    let app = spawn_app().await;
    app.create_user("teacher", "t@two.kz", PASSWORD, Some("KZ-75"));
    let response = app.login_password("t@two.kz", PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account");
    assert_eq!(app.get("/account").await.status(), 200);
    assert_eq!(app.get("/account/two-step/setup").await.status(), 403);
}

#[tokio::test]
async fn two_step_the_pending_token_is_never_a_session() {
    let app = spawn_app().await;
    staff(&app, "admin", "boss@two.kz", true).await;
    let response = app.login_password("boss@two.kz", PASSWORD).await;
    let pending = response
        .cookies()
        .find(|c| c.name() == "ustaz_two_step")
        .map(|c| c.value().to_owned())
        .expect("a pending cookie");
    // Presented as the session cookie, by a browser of its own.
    let forger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let answer = forger
        .get(app.url("/dashboard"))
        .header("Cookie", format!("ustaz_session={pending}"))
        .send()
        .await
        .expect("request");
    assert_ne!(
        answer.status(),
        200,
        "the pending token passed as a session"
    );
    // A session is no pending sign-in either.
    let signed_in = app.another_browser();
    signed_in.login("boss@two.kz", PASSWORD).await;
    let session = signed_in
        .cookie_header()
        .split("; ")
        .find_map(|c| c.strip_prefix("ustaz_session=").map(str::to_owned))
        .expect("session cookie");
    let answer = forger
        .get(app.url("/login/code"))
        .header("Cookie", format!("ustaz_two_step={session}"))
        .send()
        .await
        .expect("request");
    assert_eq!(answer.status(), 303);
    assert_eq!(location(&answer), "/login");
}

#[tokio::test]
async fn two_step_a_code_is_accepted_once() {
    let app = spawn_app().await;
    staff(&app, "admin", "boss@two.kz", true).await;
    password_step(&app, "boss@two.kz").await;
    let code = fresh_code(&app.address, "boss@two.kz").await;
    let first = app.post("/login/code", &[("code", &code)]).await;
    assert_eq!(first.status(), 303);
    // Someone who saw the code (over the shoulder, a phishing page) replays it.
    let thief = app.another_browser();
    thief.switch_language("en").await;
    password_step(&thief, "boss@two.kz").await;
    let replay = thief.post("/login/code", &[("code", &code)]).await;
    assert_eq!(replay.status(), 422);
    assert!(text(replay)
        .await
        .contains("That code has already been used"));
    assert!(!reaches_staff_pages(&thief).await);
}

#[tokio::test]
async fn two_step_wrong_codes_are_throttled_even_in_a_burst() {
    let app = spawn_app().await;
    staff(&app, "admin", "boss@two.kz", true).await;
    password_step(&app, "boss@two.kz").await;
    let token = app.csrf().await;
    let guesses: Vec<String> = (0..30)
        .map(|i| format!("{:06}", 100_000 + i * 7919))
        .collect();
    let secret = secret_of(&app.address, "boss@two.kz").expect("secret");
    let right = factor::code_at(&secret, factor::unix_now());
    let answers =
        futures_util::future::join_all(guesses.iter().filter(|g| **g != right).map(|g| {
            let fields = [("code", g.as_str()), ("csrf_token", token.as_str())];
            let request = app.client.post(app.url("/login/code")).form(&fields).send();
            async move { request.await.expect("request").status().as_u16() }
        }))
        .await;
    let checked = answers.iter().filter(|s| **s == 422).count();
    let refused = answers.iter().filter(|s| **s == 429).count();
    assert!(checked <= 5, "{checked} guesses were checked: {answers:?}");
    assert_eq!(checked + refused, answers.len(), "{answers:?}");
    // The right code now waits too, and a new password step does not start the count again.
    password_step(&app, "boss@two.kz").await;
    let code = fresh_code(&app.address, "boss@two.kz").await;
    let response = app.post("/login/code", &[("code", &code)]).await;
    assert_eq!(response.status(), 429);
    assert!(text(response)
        .await
        .contains("Too many wrong codes. Wait 15 minutes"));
    assert!(!reaches_staff_pages(&app).await);
}

/// Sets up an authenticator through the set-up page (as a first sign-in does); the recovery
/// codes it shows.
async fn set_up(app: &TestApp, email: &str) -> Vec<String> {
    let to = password_step(app, email).await;
    assert!(to.starts_with("/account/two-step/setup"), "{to}");
    let page = app.set_up_two_step(email, &to).await;
    let html = page.text().await.expect("body");
    let codes: Vec<String> = html
        .split("<li><code>")
        .skip(1)
        .filter_map(|s| s.split("</code>").next().map(str::to_owned))
        .collect();
    assert_eq!(codes.len(), 10, "{html}");
    codes
}

#[tokio::test]
async fn two_step_staff_without_a_factor_set_it_up_before_anything_else() {
    let app = spawn_app().await;
    let id = staff(&app, "coordinator", "coord@two.kz", false).await;
    let to = password_step(&app, "coord@two.kz").await;
    assert_eq!(to, "/account/two-step/setup?next=/account");
    assert!(
        !reaches_staff_pages(&app).await,
        "signed in before the set-up"
    );

    let page = app.get(&to).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains(r#"<svg class="two-step-qr" role="img" aria-labelledby="qr-title""#));
    assert!(html.contains("otpauth://totp/Ustaz:coord%40two.kz?secret="));
    let secret = field_in(&html, "secret");
    let shown = factor::grouped(&secret);
    assert!(
        visible_text(&html).contains(&shown),
        "the key in groups of four"
    );
    let key = factor::parse_secret(&secret).expect("key");

    let wrong = app
        .post(
            "/account/two-step/setup",
            &[("secret", &secret), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let wrong_text = text(wrong).await;
    assert!(wrong_text.starts_with("Error: "), "{wrong_text}");
    assert!(wrong_text.contains("The code does not match"));

    let code = factor::code_at(&key, factor::unix_now());
    let done = app
        .post(
            "/account/two-step/setup",
            &[("secret", &secret), ("code", &code), ("next", "/dashboard")],
        )
        .await;
    assert_eq!(done.status(), 200);
    let done_text = text(done).await;
    assert!(done_text.contains("Two-step sign-in is on"));
    assert!(done_text.contains("This is the only time the codes are shown"));
    assert!(reaches_staff_pages(&app).await, "signed in once set up");
    assert_eq!(
        audit_actions(&app, id),
        vec![(Some(id), "two_step.enabled".to_owned())]
    );
    let stored: String = two_step_factors::table
        .find(id)
        .select(two_step_factors::secret)
        .first(&mut app.conn())
        .expect("factor");
    assert!(!stored.contains(&secret) && !stored.contains(&hex::encode(&key)));
    assert!(app
        .last_email_to("coord@two.kz")
        .subject
        .contains("Two-step sign-in is on"));
}

#[tokio::test]
async fn two_step_a_signed_in_teacher_made_coordinator_is_held_at_the_set_up() {
    let app = spawn_app().await;
    let id = app.create_user("teacher", "t@two.kz", PASSWORD, Some("KZ-75"));
    app.switch_language("en").await;
    app.login("t@two.kz", PASSWORD).await;
    diesel::update(users::table.find(id))
        .set(users::role.eq("coordinator"))
        .execute(&mut app.conn())
        .expect("promoted");
    let dashboard = app.get("/dashboard").await;
    assert_eq!(dashboard.status(), 303, "staff pages without a factor");
    assert_eq!(location(&dashboard), "/account/two-step/setup");
    let post = app.post("/account", &[("full_name", "x")]).await;
    assert_eq!(location(&post), "/account/two-step/setup");
    // The set-up from the session, then everything.
    app.set_up_two_step("t@two.kz", "/account/two-step/setup")
        .await;
    assert!(reaches_staff_pages(&app).await);
}

#[tokio::test]
async fn two_step_a_recovery_code_works_once_and_says_how_many_are_left() {
    let app = spawn_app_with_env(&[]).await;
    let id = staff(&app, "admin", "boss@two.kz", false).await;
    let codes = set_up(&app, "boss@two.kz").await;
    app.post("/logout", &[]).await;

    let to = password_step(&app, "boss@two.kz").await;
    let next = next_of(&to);
    let form = app.get(&format!("/login/recovery?next={next}")).await;
    assert_eq!(form.status(), 200);
    let typed = codes[0].to_uppercase().replace('-', " ");
    let used = app
        .post(
            "/login/recovery",
            &[("recovery_code", &typed), ("next", &next)],
        )
        .await;
    assert_eq!(used.status(), 200);
    assert!(text(used).await.contains("You have 9 recovery codes left."));
    assert!(reaches_staff_pages(&app).await);
    assert!(app
        .last_email_to("boss@two.kz")
        .subject
        .contains("A recovery code was used"));

    app.post("/logout", &[]).await;
    password_step(&app, "boss@two.kz").await;
    let again = app
        .post("/login/recovery", &[("recovery_code", &codes[0])])
        .await;
    assert_eq!(again.status(), 422);
    assert!(text(again).await.contains("already been used"));
    // With few left, the page warns.
    for code in &codes[1..8] {
        let r = app
            .post("/login/recovery", &[("recovery_code", code)])
            .await;
        assert_eq!(r.status(), 200);
        app.post("/logout", &[]).await;
        password_step(&app, "boss@two.kz").await;
    }
    let low = app
        .post("/login/recovery", &[("recovery_code", &codes[8])])
        .await;
    let low_text = text(low).await;
    assert!(
        low_text.contains("You have 1 recovery code left."),
        "{low_text}"
    );
    assert!(low_text.contains("You are running out of recovery codes"));
    let used_events = audit_actions(&app, id)
        .into_iter()
        .filter(|(_, a)| a == "two_step.recovery_used")
        .count();
    assert_eq!(used_events, 9);
}

#[tokio::test]
async fn two_step_new_recovery_codes_need_a_current_code() {
    let app = spawn_app().await;
    let id = staff(&app, "admin", "boss@two.kz", false).await;
    let old = set_up(&app, "boss@two.kz").await;
    let page = app.get("/account/two-step/recovery-codes").await;
    assert_eq!(page.status(), 200);
    assert!(text(page)
        .await
        .contains("You have 10 recovery codes left."));
    let empty = app.post("/account/two-step/recovery-codes", &[]).await;
    assert_eq!(empty.status(), 422);
    let wrong = app
        .post("/account/two-step/recovery-codes", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status(), 422);
    let code = fresh_code(&app.address, "boss@two.kz").await;
    let renewed = app
        .post("/account/two-step/recovery-codes", &[("code", &code)])
        .await;
    assert_eq!(renewed.status(), 200);
    assert!(text(renewed)
        .await
        .contains("Older recovery codes no longer work"));
    let left: i64 = two_step_recovery_codes::table
        .filter(two_step_recovery_codes::user_id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .expect("codes");
    assert_eq!(left, 10);
    app.post("/logout", &[]).await;
    password_step(&app, "boss@two.kz").await;
    let stale = app
        .post("/login/recovery", &[("recovery_code", &old[0])])
        .await;
    assert_eq!(stale.status(), 422);
}

#[tokio::test]
async fn two_step_an_administrator_resets_another_users_factor() {
    let app = spawn_app().await;
    let admin = staff(&app, "admin", "boss@two.kz", true).await;
    let coordinator_browser = app.another_browser();
    let coordinator = staff(&coordinator_browser, "coordinator", "coord@two.kz", true).await;
    coordinator_browser.login("coord@two.kz", PASSWORD).await;
    assert!(reaches_staff_pages(&coordinator_browser).await);
    app.login("boss@two.kz", PASSWORD).await;

    let page = app.get(&format!("/admin/users/{coordinator}")).await;
    let page_text = text(page).await;
    assert!(page_text.contains("Reset two-step sign-in"));
    let path = format!("/admin/users/{coordinator}/two-step/reset");
    let unconfirmed = app.post(&path, &[]).await;
    assert_eq!(unconfirmed.status(), 422);
    assert!(text(unconfirmed)
        .await
        .contains("Confirm that you have checked"));
    let own = app
        .post(
            &format!("/admin/users/{admin}/two-step/reset"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(own.status(), 422);

    let reset = app.post(&path, &[("confirm", "yes")]).await;
    assert_eq!(reset.status(), 303);
    assert_eq!(
        location(&reset),
        format!("/admin/users/{coordinator}?done=two-step-reset")
    );
    assert_eq!(
        audit_actions(&app, coordinator),
        vec![(Some(admin), "two_step.reset".to_owned())]
    );
    assert!(
        !reaches_staff_pages(&coordinator_browser).await,
        "their sessions end"
    );
    assert!(app
        .last_email_to("coord@two.kz")
        .subject
        .contains("two-step sign-in has been reset"));
    let to = password_step(&coordinator_browser, "coord@two.kz").await;
    assert!(to.starts_with("/account/two-step/setup"), "{to}");
}

#[tokio::test]
async fn two_step_a_new_password_or_sign_out_everywhere_ends_a_pending_sign_in() {
    let app = spawn_app().await;
    let id = staff(&app, "admin", "boss@two.kz", true).await;
    password_step(&app, "boss@two.kz").await;
    diesel::update(users::table.find(id))
        .set(users::session_version.eq(users::session_version + 1))
        .execute(&mut app.conn())
        .expect("sessions ended");
    let code = fresh_code(&app.address, "boss@two.kz").await;
    let response = app.post("/login/code", &[("code", &code)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login");
    assert!(!reaches_staff_pages(&app).await);
}

#[tokio::test]
async fn two_step_is_optional_for_a_pilot() {
    let app = spawn_app_with_env(&[("USTAZ_STAFF_TWO_STEP", "optional")]).await;
    let id = staff(&app, "coordinator", "coord@two.kz", false).await;
    let response = app.login_password("coord@two.kz", PASSWORD).await;
    assert_eq!(location(&response), "/account");
    assert!(reaches_staff_pages(&app).await);
    let account = text(app.get("/account").await).await;
    assert!(account.contains("Set up two-step sign-in"));
    app.set_up_two_step("coord@two.kz", "/account/two-step/setup")
        .await;
    let account = text(app.get("/account").await).await;
    assert!(account.contains("Turn off two-step sign-in"));
    // With a factor, the pilot's sign-in has two steps too.
    app.post("/logout", &[]).await;
    let to = password_step(&app, "coord@two.kz").await;
    assert!(to.starts_with("/login/code"));
    app.enter_code("coord@two.kz", "").await;
    let wrong = app
        .post("/account/two-step/off", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status(), 422);
    let code = fresh_code(&app.address, "coord@two.kz").await;
    let off = app.post("/account/two-step/off", &[("code", &code)]).await;
    assert_eq!(location(&off), "/account?done=two-step-off");
    assert!(text(app.get("/account?done=two-step-off").await)
        .await
        .contains("Two-step sign-in is off."));
    let actions: Vec<String> = audit_actions(&app, id)
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    assert_eq!(actions, ["two_step.enabled", "two_step.disabled"]);
}

#[tokio::test]
async fn two_step_cannot_be_turned_off_where_it_is_required() {
    let app = spawn_app().await;
    staff(&app, "admin", "boss@two.kz", true).await;
    app.login("boss@two.kz", PASSWORD).await;
    assert_eq!(app.get("/account/two-step/off").await.status(), 403);
    let code = fresh_code(&app.address, "boss@two.kz").await;
    let off = app.post("/account/two-step/off", &[("code", &code)]).await;
    assert_eq!(off.status(), 403);
    let account = text(app.get("/account").await).await;
    assert!(!account.contains("Turn off two-step sign-in"));
}
