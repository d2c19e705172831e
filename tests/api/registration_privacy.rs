//! Registering tells no one who has an account: a taken address (or an IIN a confirmed account
//! holds) gets the answer a new registration gets, and the account's owner a note; an
//! unconfirmed account's IIN blocks no one; unconfirmed accounts go after a set number of days.

use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use futures_util::future::join_all;
use ustaz::schema::{audit_events, enrolments, user_tokens, users};

use crate::cli::{stdout, ustaz};
use crate::fixtures::{CourseBuilder, EnrolmentBuilder, UserBuilder};
use crate::helpers::{
    csrf_in, spawn_app_with_env, spawn_app_with_smtp, start_with_env, visible_text, SentEmail,
    TestApp, TestDatabase, GOOD_PASSWORD,
};

const IIN: &str = "850101300124";

fn form<'a>(email: &'a str, iin: &'a str, password: &'a str) -> [(&'static str, &'a str); 8] {
    [
        ("region", "KZ-75"),
        ("full_name", "Айгерім Нұрланқызы"),
        ("email", email),
        ("password", password),
        ("school", "none"),
        ("category", "general"),
        ("language", "en"),
        ("iin", iin),
    ]
}

/// What a visitor can observe of an answer: status, where it leads, the cookies it sets, and
/// the page it leads to.
async fn observed(
    browser: &TestApp,
    response: reqwest::Response,
) -> (u16, String, Vec<String>, String) {
    let status = response.status().as_u16();
    let location = crate::helpers::location(&response);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|c| c.split('=').next().unwrap_or_default().to_owned())
        .collect();
    let page = visible_text(
        &browser
            .get_in(&location, "en")
            .await
            .text()
            .await
            .expect("body"),
    );
    (status, location, cookies, page)
}

/// A fresh visitor (no cookies) registering.
async fn register_as_stranger(
    app: &TestApp,
    email: &str,
    iin: &str,
) -> (u16, String, Vec<String>, String) {
    let browser = app.another_browser();
    let token = csrf_in(
        &browser
            .get("/register?region=KZ-75")
            .await
            .text()
            .await
            .expect("body"),
    );
    let mut fields = form(email, iin, GOOD_PASSWORD).to_vec();
    fields.push(("csrf_token", &token));
    let response = browser.post_form("/register", &fields).await;
    observed(&browser, response).await
}

/// A note to an account's owner links to signing in and to a new password, and sets up nothing.
fn assert_points_to_sign_in_and_reset(app: &TestApp, note: &SentEmail) {
    for link in ["/login", "/password/forgot"] {
        let link = format!("{}{link}", app.address);
        assert!(note.text.contains(&link), "{link} not in {}", note.text);
    }
    assert!(!note.text.contains("/account/confirm/"), "{}", note.text);
}

fn count_users(app: &TestApp) -> i64 {
    users::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

fn iins_of(app: &TestApp, email: &str) -> (Option<String>, Option<String>, bool) {
    users::table
        .filter(users::email.eq(email))
        .select((
            users::iin,
            users::pending_iin,
            users::email_verified_at.is_not_null(),
        ))
        .first(&mut app.conn())
        .expect("user")
}

#[tokio::test]
async fn a_taken_address_is_answered_as_a_new_one_and_its_owner_is_told() {
    let app = spawn_app_with_smtp().await;
    let owner = UserBuilder::teacher("owner@mektep.kz")
        .name("Ivan Petrov")
        .region("KZ-75")
        .language("ru")
        .confirmed()
        .expect_build(&mut app.conn());
    let before: (String, Option<String>) = users::table
        .find(owner)
        .select((users::full_name, users::password_hash))
        .first(&mut app.conn())
        .expect("owner");

    let new = register_as_stranger(&app, "new@mektep.kz", "").await;
    let taken = register_as_stranger(&app, " OWNER@mektep.kz ", "").await;
    assert_eq!(new.0, 303);
    assert_eq!(new.1, "/register/check-email");
    assert!(new.3.contains("Check your email"), "{}", new.3);
    // The same status, place, cookies and page: nothing tells the two apart.
    assert_eq!(taken, new);

    // Nothing was created or changed for the taken address.
    assert_eq!(count_users(&app), 2);
    let after: (String, Option<String>) = users::table
        .find(owner)
        .select((users::full_name, users::password_hash))
        .first(&mut app.conn())
        .expect("owner");
    assert_eq!(after, before);
    let owner_tokens: i64 = user_tokens::table
        .filter(user_tokens::user_id.eq(owner))
        .count()
        .get_result(&mut app.conn())
        .expect("tokens");
    assert_eq!(owner_tokens, 0);

    // The newcomer gets the confirmation link; the owner a note in their language, with links.
    let confirmation = app.mail_to("new@mektep.kz", 1).await;
    assert!(
        confirmation.text.contains("/account/confirm/"),
        "{}",
        confirmation.text
    );
    let note = app.mail_to("owner@mektep.kz", 1).await;
    assert_eq!(
        note.subject,
        "Кто-то пытался зарегистрироваться на Ustaz с вашим адресом"
    );
    assert!(note.text.contains("Ivan Petrov"), "{}", note.text);
    assert_points_to_sign_in_and_reset(&app, &note);
    assert_eq!(app.mail_count("owner@mektep.kz"), 1);
}

/// How long the POST of a registration takes, new or not (the password is hashed either way): a
/// figure for `bench/faults.sh`, not a timed assertion.
#[tokio::test]
async fn a_taken_address_takes_as_long_as_a_new_one() {
    let app = spawn_app_with_env(&[
        ("USTAZ_PASSWORD_HASH_WAIT_MS", "60000"),
        ("USTAZ_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "1000"),
    ])
    .await;
    app.create_user("teacher", "owner@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let token = app.csrf().await;
    let time = |email: String| {
        let token = token.clone();
        let app = &app;
        async move {
            let mut fields = form(&email, "", GOOD_PASSWORD).to_vec();
            fields.push(("csrf_token", &token));
            let started = Instant::now();
            let response = app.post_form("/register", &fields).await;
            let took = started.elapsed();
            assert_eq!(response.status(), 303);
            took
        }
    };
    let (mut new, mut taken) = (Vec::new(), Vec::new());
    for i in 0..10 {
        new.push(time(format!("new{i}@mektep.kz")).await);
        taken.push(time("owner@mektep.kz".to_owned()).await);
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    eprintln!(
        "figure: registration POST, median of 10: new {:?}, taken address {:?}",
        median(new),
        median(taken)
    );
}

#[tokio::test]
async fn an_iin_on_a_confirmed_account_is_answered_as_new_and_its_owner_is_told() {
    let app = spawn_app_with_smtp().await;
    UserBuilder::teacher("holder@mektep.kz")
        .name("Aliya Holder")
        .region("KZ-75")
        .language("en")
        .iin(IIN)
        .confirmed()
        .expect_build(&mut app.conn());

    let fresh = register_as_stranger(&app, "fresh@mektep.kz", "").await;
    let same_iin = register_as_stranger(&app, "other@mektep.kz", IIN).await;
    assert_eq!(same_iin, fresh);
    assert!(!same_iin.3.contains("IIN"), "{}", same_iin.3);
    assert_eq!(count_users(&app), 2, "no account for other@mektep.kz");

    let note = app.mail_to("holder@mektep.kz", 1).await;
    assert_eq!(
        note.subject,
        "Someone tried to register with your IIN on Ustaz"
    );
    assert!(note.text.contains("holder@mektep.kz"), "{}", note.text);
    assert_points_to_sign_in_and_reset(&app, &note);
    assert!(!note.text.contains("other@mektep.kz"), "{}", note.text);
    assert!(app.emails_to("other@mektep.kz").is_empty());
}

/// Confirms the address with the link of its `n`th email.
async fn confirm(app: &TestApp, email: &str, n: usize) -> u16 {
    let link = app.mail_to(email, n).await.link(&app.address);
    let path = link.trim_start_matches(&app.address).to_owned();
    let browser = app.another_browser();
    let token = csrf_in(&browser.get(&path).await.text().await.expect("body"));
    browser
        .post_form(&path, &[("csrf_token", &token)])
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_unconfirmed_account_holding_an_iin_does_not_block_its_real_owner() {
    let app = spawn_app_with_smtp().await;
    // Someone registers with the teacher's IIN and never confirms.
    let (status, ..) = register_as_stranger(&app, "squatter@mektep.kz", IIN).await;
    assert_eq!(status, 303);
    assert_eq!(
        iins_of(&app, "squatter@mektep.kz"),
        (None, Some(IIN.into()), false)
    );

    // The real teacher registers with it: an account is created, and confirming gives it the IIN.
    let (status, location, ..) = register_as_stranger(&app, "real@mektep.kz", IIN).await;
    assert_eq!((status, location.as_str()), (303, "/register/check-email"));
    assert_eq!(count_users(&app), 2);
    assert_eq!(confirm(&app, "real@mektep.kz", 1).await, 303);
    assert_eq!(
        iins_of(&app, "real@mektep.kz"),
        (Some(IIN.into()), None, true)
    );

    // Confirming the other account later confirms the address, without the IIN.
    assert_eq!(confirm(&app, "squatter@mektep.kz", 1).await, 303);
    assert_eq!(iins_of(&app, "squatter@mektep.kz"), (None, None, true));

    // From now on the IIN is the real teacher's: a newcomer with it is answered neutrally.
    let (status, location, ..) = register_as_stranger(&app, "third@mektep.kz", IIN).await;
    assert_eq!((status, location.as_str()), (303, "/register/check-email"));
    assert_eq!(count_users(&app), 2);
    assert!(app
        .mail_to("real@mektep.kz", 2)
        .await
        .subject
        .contains("IIN"));
}

const PEOPLE: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_registrations_and_confirmations_of_one_iin_leave_it_to_exactly_one() {
    let smtp = crate::smtp::SmtpServer::start().await;
    let db = TestDatabase::migrated();
    let mut server = crate::helpers::TestServer::start(
        db,
        &[
            ("USTAZ_SMTP_URL", &smtp.url()),
            ("USTAZ_PASSWORD_HASH_WAIT_MS", "60000"),
            ("USTAZ_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "1000"),
        ],
    );
    server.smtp = Some(std::sync::Arc::new(smtp));
    let app = TestApp::on(std::sync::Arc::new(server));

    let emails: Vec<String> = (0..PEOPLE).map(|i| format!("t{i}@mektep.kz")).collect();
    let registered = join_all(emails.iter().map(|e| register_as_stranger(&app, e, IIN))).await;
    let statuses: Vec<u16> = registered.iter().map(|r| r.0).collect();
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(count_users(&app), PEOPLE as i64);

    let confirmed = join_all(emails.iter().map(|e| confirm(&app, e, 1))).await;
    assert!(confirmed.iter().all(|s| *s == 303), "{confirmed:?}");
    let holders: Vec<String> = users::table
        .filter(users::iin.eq(IIN))
        .select(users::email)
        .load(&mut app.conn())
        .expect("holders");
    assert_eq!(holders.len(), 1, "{holders:?}");
    let unconfirmed: i64 = users::table
        .filter(
            users::email_verified_at
                .is_null()
                .or(users::pending_iin.is_not_null()),
        )
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(unconfirmed, 0);
}

// ---- Removing unconfirmed accounts ---------------------------------------------------------

/// The accounts of `purge_scenario`, and which of them must survive a removal.
struct Scenario {
    stale: i32,
    kept: Vec<(&'static str, i32)>,
}

fn days_ago(days: i64) -> chrono::NaiveDateTime {
    Utc::now().naive_utc() - chrono::Duration::days(days)
}

/// Unconfirmed teachers registered `days` days ago: one never used (to go), and ones the
/// removal must leave (enrolled, staff, invited, confirmed, recent).
fn purge_scenario(conn: &mut ustaz::db::AnyConnection, days: i64) -> Scenario {
    let old = |email: &str, conn: &mut ustaz::db::AnyConnection| {
        let id = UserBuilder::teacher(email)
            .region("KZ-75")
            .unconfirmed()
            .expect_build(conn);
        diesel::update(users::table.find(id))
            .set(users::created_at.eq(days_ago(days)))
            .execute(conn)
            .expect("age");
        id
    };
    let token = |conn: &mut ustaz::db::AnyConnection, user: i32, purpose: &str| {
        diesel::insert_into(user_tokens::table)
            .values((
                user_tokens::user_id.eq(user),
                user_tokens::purpose.eq(purpose),
                user_tokens::token_hash.eq(format!("{purpose}-{user}")),
                user_tokens::expires_at.eq(days_ago(days - 3)),
                user_tokens::created_at.eq(days_ago(days)),
            ))
            .execute(conn)
            .expect("token");
    };
    let stale = old("stale@mektep.kz", conn);
    token(conn, stale, "confirm_email");
    let enrolled = old("enrolled@mektep.kz", conn);
    let course = CourseBuilder::new("foundations")
        .published()
        .expect_build(conn);
    EnrolmentBuilder::new(enrolled, course).expect_build(conn);
    let coordinator = old("coordinator@mektep.kz", conn);
    diesel::update(users::table.find(coordinator))
        .set(users::role.eq("coordinator"))
        .execute(conn)
        .expect("role");
    let invited = old("invited@mektep.kz", conn);
    token(conn, invited, "invitation");
    let confirmed = old("confirmed@mektep.kz", conn);
    diesel::update(users::table.find(confirmed))
        .set(users::email_verified_at.eq(days_ago(1)))
        .execute(conn)
        .expect("confirm");
    let recent = UserBuilder::teacher("recent@mektep.kz")
        .region("KZ-75")
        .unconfirmed()
        .expect_build(conn);
    Scenario {
        stale,
        kept: vec![
            ("enrolled", enrolled),
            ("coordinator", coordinator),
            ("invited", invited),
            ("confirmed", confirmed),
            ("recent", recent),
        ],
    }
}

fn assert_removed_only_the_stale(conn: &mut ustaz::db::AnyConnection, scenario: &Scenario) {
    let exists = |conn: &mut ustaz::db::AnyConnection, id: i32| -> bool {
        diesel::select(diesel::dsl::exists(users::table.find(id)))
            .get_result(conn)
            .expect("exists")
    };
    assert!(!exists(conn, scenario.stale), "the stale account is gone");
    let tokens: i64 = user_tokens::table
        .filter(user_tokens::user_id.eq(scenario.stale))
        .count()
        .get_result(conn)
        .expect("tokens");
    assert_eq!(tokens, 0, "with its links");
    for (what, id) in &scenario.kept {
        assert!(exists(conn, *id), "the {what} account is kept");
    }
    let enrolled: i64 = enrolments::table
        .count()
        .get_result(conn)
        .expect("enrolments");
    assert_eq!(enrolled, 1);
    let audited: Vec<String> = audit_events::table
        .filter(audit_events::action.eq("users.unconfirmed_removed"))
        .select(audit_events::details)
        .load(conn)
        .expect("audit");
    assert_eq!(audited.len(), 1, "{audited:?}");
    let details: serde_json::Value = serde_json::from_str(&audited[0]).expect("details");
    assert_eq!(details["after"]["removed"], 1, "{details}");
}

#[test]
fn the_command_removes_unconfirmed_accounts_older_than_the_set_days() {
    let db = TestDatabase::migrated();
    let mut conn = ustaz::db::establish(&db.url).expect("connect");
    let scenario = purge_scenario(&mut conn, 8);

    let output = ustaz(&db, &["purge-unconfirmed"], "");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        stdout(&output),
        "removed 1 account(s) unconfirmed for more than 7 days"
    );
    assert_removed_only_the_stale(&mut conn, &scenario);

    // Again: nothing left to remove, and nothing more in the audit log.
    let output = ustaz(&db, &["purge-unconfirmed"], "");
    assert_eq!(
        stdout(&output),
        "removed 0 account(s) unconfirmed for more than 7 days"
    );
    assert_removed_only_the_stale(&mut conn, &scenario);
}

#[tokio::test]
async fn the_server_removes_them_periodically_after_the_days_set() {
    let db = TestDatabase::migrated();
    let scenario = {
        let mut conn = ustaz::db::establish(&db.url).expect("connect");
        let scenario = purge_scenario(&mut conn, 11);
        // Ten days old: unconfirmed for less than the 10 days set, so kept.
        let young = UserBuilder::teacher("young@mektep.kz")
            .region("KZ-75")
            .unconfirmed()
            .expect_build(&mut conn);
        diesel::update(users::table.find(young))
            .set(users::created_at.eq(days_ago(9)))
            .execute(&mut conn)
            .expect("age");
        let mut scenario = scenario;
        scenario.kept.push(("young", young));
        scenario
    };
    let app = start_with_env(
        db,
        &[
            ("USTAZ_UNCONFIRMED_DAYS", "10"),
            ("USTAZ_PURGE_INTERVAL_SECS", "1"),
        ],
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let gone: bool = diesel::select(diesel::dsl::not(diesel::dsl::exists(
            users::table.find(scenario.stale),
        )))
        .get_result(&mut app.conn())
        .expect("exists");
        if gone {
            break;
        }
        assert!(Instant::now() < deadline, "not removed within 20 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A few more rounds remove nothing else.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_removed_only_the_stale(&mut app.conn(), &scenario);

    // The administrators read it in the audit log.
    app.sign_in_english("admin", "admin@ustaz.kz", None).await;
    let log = visible_text(&app.get("/admin/audit").await.text().await.expect("body"));
    assert!(log.contains("Unconfirmed accounts removed"), "{log}");
    assert!(log.contains("Accounts removed"), "{log}");
}
