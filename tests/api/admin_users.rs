//! Administrators manage users: find them, change roles, appoint coordinators, disable accounts,
//! end sessions; every change lands in the audit log.

use diesel::prelude::*;
use ustaz::schema::{audit_events, users};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{region_id, SchoolBuilder, UserBuilder};
use crate::helpers::{spawn_signed_in, visible_text, TestApp, PASSWORD};

/// The administrator of these tests.
const BOSS: &str = "boss@ustaz.kz";

/// A user written straight to the database: confirmed, enabled, no password, no category,
/// reading English.
fn account(name: &str, email: &str) -> UserBuilder {
    UserBuilder::teacher(email)
        .name(name)
        .category(None)
        .language("en")
        .confirmed()
}

/// A user who can sign in (with `PASSWORD`), reading the site in English.
fn add_member(app: &TestApp, role: &str, email: &str, region: Option<&str>) -> i32 {
    let id = app.create_user(role, email, PASSWORD, region);
    diesel::update(users::table.find(id))
        .set(users::language.eq("en"))
        .execute(&mut app.conn())
        .expect("language");
    id
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.expect("body")
}

async fn text_of(app: &TestApp, path: &str) -> String {
    visible_text(&page(app, path).await)
}

/// How many rows the results table has.
fn rows(html: &str) -> usize {
    html.matches("<th scope=\"row\">").count()
}

fn audit_rows(app: &TestApp, subject: i32) -> Vec<(Option<i32>, String, String)> {
    audit_events::table
        .filter(audit_events::subject_type.eq("user"))
        .filter(audit_events::subject_id.eq(subject))
        .order(audit_events::id.asc())
        .select((
            audit_events::actor_id,
            audit_events::action,
            audit_events::details,
        ))
        .load(&mut app.conn())
        .expect("audit events")
}

fn role_and_region(app: &TestApp, id: i32) -> (String, Option<i32>) {
    users::table
        .find(id)
        .select((users::role, users::region_id))
        .first(&mut app.conn())
        .expect("user")
}

/// The page with `&` in attributes written plainly.
fn links(html: &str) -> String {
    html.replace("&#38;", "&").replace("&amp;", "&")
}

#[tokio::test]
async fn admin_users_access() {
    let (app, browsers) = browsers().await;
    // Changes land on a user of their own, so that the four browsers keep their sessions.
    let target = account("Target User", "target@matrix.kz")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    let user = |suffix: &str| format!("/admin/users/{target}{suffix}");
    let rows = rows![
        GET "/admin/users" => [SignIn, Denied, Denied, Page],
        GET "/admin/users?q=target&role=teacher&region=KZ-75&category=general&status=active&page=2" => [SignIn, Denied, Denied, Page],
        GET user("") => [SignIn, Denied, Denied, Page],
        POST user("/role") => [SignIn, Denied, Denied, Invalid],
        POST user("/coordinator") => [SignIn, Denied, Denied, Invalid],
        POST user("/end-sessions") => [SignIn, Denied, Denied, Redirect],
        POST user("/disable") => [SignIn, Denied, Denied, Redirect],
        POST user("/enable") => [SignIn, Denied, Denied, Redirect],
        GET "/admin/audit" => [SignIn, Denied, Denied, Page],
        GET "/admin/audit?action=user.disabled&page=3" => [SignIn, Denied, Denied, Page],
    ];
    check_access(&browsers, &rows).await;
}

#[tokio::test]
async fn admin_searches_users_by_name_email_and_iin() {
    let (app, _) = spawn_signed_in("admin", BOSS, None).await;
    account("Айгерім Нұрланқызы", "aigerim@mektep.kz")
        .region("KZ-75")
        .category("general")
        .iin("850101300124")
        .expect_build(&mut app.conn());
    account("Болат Серікұлы", "bolat@school.kz")
        .region("KZ-19")
        .category("special")
        .expect_build(&mut app.conn());
    account("Underscore One", "a_b@school.kz")
        .region("KZ-19")
        .expect_build(&mut app.conn());
    account("Underscore Two", "axb@school.kz")
        .region("KZ-19")
        .expect_build(&mut app.conn());

    // Names, in any letter case, Cyrillic included.
    for q in ["айгерім", "АЙГЕРІМ", "%D0%90%D0%B9%D0%B3%D0%B5%D1%80"] {
        let found = text_of(&app, &format!("/admin/users?q={q}")).await;
        assert!(found.contains("Айгерім Нұрланқызы"), "{q}: {found}");
        assert!(!found.contains("Болат"), "{q}: {found}");
        assert!(found.contains("1 user found"), "{q}: {found}");
    }
    // Email, IIN.
    let found = text_of(&app, "/admin/users?q=MEKTEP.KZ").await;
    assert!(found.contains("aigerim@mektep.kz") && !found.contains("bolat@school.kz"));
    let found = text_of(&app, "/admin/users?q=8501013").await;
    assert!(found.contains("Айгерім Нұрланқызы") && found.contains("1 user found"));
    // The row shows what an administrator needs, in their language.
    assert!(found.contains("Teacher") && found.contains("General secondary education"));
    assert!(found.contains("Active"), "{found}");

    // Wildcards typed by the administrator are plain characters.
    let found = text_of(&app, "/admin/users?q=a_b").await;
    assert!(
        found.contains("a_b@school.kz") && !found.contains("axb@school.kz"),
        "{found}"
    );
    let found = text_of(&app, "/admin/users?q=%25").await;
    assert!(
        found.contains("0 users found") && found.contains("No users match"),
        "{found}"
    );

    // The search box keeps what was typed.
    let html = page(&app, "/admin/users?q=bolat").await;
    assert!(html.contains("value=\"bolat\""));
    assert!(visible_text(&html).contains("Болат Серікұлы"));
}

#[tokio::test]
async fn admin_filters_users_and_pages_through_them_keeping_the_filters() {
    let (app, _) = spawn_signed_in("admin", BOSS, None).await;
    for i in 1..=30 {
        account(&format!("Teacher {i:02}"), &format!("t{i:02}@almaty.kz"))
            .region("KZ-75")
            .category("general")
            .expect_build(&mut app.conn());
    }
    account("Special One", "s1@region.kz")
        .region("KZ-19")
        .category("special")
        .expect_build(&mut app.conn());
    account("Preschool One", "p1@region.kz")
        .region("KZ-19")
        .category("preschool")
        .expect_build(&mut app.conn());
    account("Coordinator One", "c1@region.kz")
        .role("coordinator")
        .region("KZ-19")
        .expect_build(&mut app.conn());
    account("Disabled One", "off@region.kz")
        .region("KZ-10")
        .category("other")
        .disabled_on(chrono::Utc::now().naive_utc())
        .expect_build(&mut app.conn());
    account("Unconfirmed One", "new@region.kz")
        .region("KZ-10")
        .category("other")
        .unconfirmed()
        .expect_build(&mut app.conn());

    let coordinators = text_of(&app, "/admin/users?role=coordinator").await;
    assert!(coordinators.contains("1 user found") && coordinators.contains("Coordinator One"));
    assert!(coordinators.contains("Almaty Region"), "{coordinators}");

    let region = text_of(&app, "/admin/users?region=KZ-19").await;
    assert!(region.contains("3 users found"), "{region}");
    assert!(!region.contains("Teacher 01"));

    let special = text_of(&app, "/admin/users?category=special").await;
    assert!(special.contains("1 user found") && special.contains("Special One"));

    let disabled = text_of(&app, "/admin/users?status=disabled").await;
    assert!(disabled.contains("1 user found") && disabled.contains("Disabled One"));
    let unconfirmed = text_of(&app, "/admin/users?status=unconfirmed").await;
    assert!(unconfirmed.contains("1 user found") && unconfirmed.contains("Email not confirmed"));

    // Combined filters, 25 a page; the page links keep the filters.
    let first = page(
        &app,
        "/admin/users?role=teacher&region=KZ-75&category=general",
    )
    .await;
    assert!(visible_text(&first).contains("30 users found"));
    assert_eq!(rows(&first), 25);
    assert!(
        links(&first)
            .contains("href=\"/admin/users?role=teacher&region=KZ-75&category=general&page=2\""),
        "{first}"
    );
    assert!(first.contains("aria-current=\"page\""));
    assert!(visible_text(&first).contains("Users, page 1 of 2"));
    let second = page(
        &app,
        "/admin/users?role=teacher&region=KZ-75&category=general&page=2",
    )
    .await;
    assert_eq!(rows(&second), 5);
    let text = visible_text(&second);
    assert!(
        text.contains("Teacher 26") && text.contains("Teacher 30") && !text.contains("Teacher 25")
    );
    assert!(second.contains("rel=\"prev\""));
    // Nonsense in the URL is ignored, not an error.
    let odd = page(&app, "/admin/users?role=root&page=abc").await;
    assert!(
        visible_text(&odd).contains("36 users found"),
        "{}",
        visible_text(&odd)
    );
    // Past the end: the last page.
    assert_eq!(rows(&page(&app, "/admin/users?page=99").await), 11);
}

#[tokio::test]
async fn admin_changes_a_role_and_the_audit_log_shows_before_and_after() {
    let (app, admin) = spawn_signed_in("admin", BOSS, None).await;
    let teacher = account("Дәулет Ахметов", "daulet@mektep.kz")
        .region("KZ-75")
        .category("general")
        .expect_build(&mut app.conn());

    let response = app
        .save_form(
            &format!("/admin/users/{teacher}"),
            &format!("/admin/users/{teacher}/role"),
            &[("role", "coordinator"), ("region", "KZ-75")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/admin/users/{teacher}?done=role-changed").as_str()
    );
    let details = text_of(&app, &format!("/admin/users/{teacher}?done=role-changed")).await;
    assert!(details.contains("The role has been changed."), "{details}");
    assert!(details.contains("Regional coordinator"));
    assert_eq!(
        role_and_region(&app, teacher),
        (
            "coordinator".to_owned(),
            Some(region_id(&mut app.conn(), "KZ-75"))
        )
    );

    let events = audit_rows(&app, teacher);
    assert_eq!(events.len(), 1);
    let (actor, action, details) = &events[0];
    assert_eq!(
        (*actor, action.as_str()),
        (Some(admin), "user.role_changed")
    );
    let details: serde_json::Value = serde_json::from_str(details).expect("json");
    assert_eq!(details["before"]["role"], "teacher");
    assert_eq!(details["after"]["role"], "coordinator");
    assert_eq!(details["after"]["region"], "KZ-75");

    // The same role again changes nothing and records nothing.
    let again = app
        .save_form(
            &format!("/admin/users/{teacher}"),
            &format!("/admin/users/{teacher}/role"),
            &[("role", "coordinator"), ("region", "KZ-75")],
        )
        .await;
    assert_eq!(
        again.headers()["location"],
        format!("/admin/users/{teacher}?done=unchanged").as_str()
    );
    assert_eq!(audit_rows(&app, teacher).len(), 1);

    app.post(&format!("/admin/users/{teacher}/end-sessions"), &[])
        .await;
    let log = text_of(&app, "/admin/audit").await;
    assert!(
        log.contains("Audit log") && log.contains("2 events"),
        "{log}"
    );
    assert!(log.contains("Role changed") && log.contains("Sessions ended"));
    assert!(
        log.contains("Role: Teacher → Regional coordinator"),
        "{log}"
    );
    assert!(log.contains("admin boss@ustaz.kz") && log.contains("Дәулет Ахметов daulet@mektep.kz"));
    assert!(log.contains("UTC"));
    // Newest first (in the table, after the filter's list of actions).
    let table = &log[log.find("Before → after").expect("table header")..];
    assert!(table.find("Sessions ended") < table.find("Role changed"));

    let filtered = text_of(&app, "/admin/audit?action=user.role_changed").await;
    let table = &filtered[filtered.find("Before → after").expect("table header")..];
    assert!(
        filtered.contains("1 event") && !table.contains("Sessions ended"),
        "{filtered}"
    );
    let about = text_of(&app, &format!("/admin/audit?user={teacher}")).await;
    assert!(
        about.contains("Changes to the account of Дәулет Ахметов"),
        "{about}"
    );
    assert!(about.contains("2 events"));
    let other = text_of(&app, &format!("/admin/audit?user={admin}")).await;
    assert!(other.contains("0 events"), "{other}");
}

#[tokio::test]
async fn appointing_a_coordinator_needs_a_region() {
    let (app, _) = spawn_signed_in("admin", BOSS, None).await;
    let almaty = region_id(&mut app.conn(), "KZ-75");
    let school = SchoolBuilder::new("School No. 12")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    let teacher = account("Асель Қасымова", "asel@mektep.kz")
        .region("KZ-75")
        .category("general")
        .school(school)
        .expect_build(&mut app.conn());

    let response = app
        .save_form(
            &format!("/admin/users/{teacher}"),
            &format!("/admin/users/{teacher}/role"),
            &[("role", "coordinator"), ("region", "")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    let text = visible_text(&html);
    assert!(text.starts_with("Error:"), "{text}");
    assert!(text.contains("Choose the region the coordinator will be responsible for."));
    assert!(html.contains("href=\"#role-region\"") && html.contains("id=\"role-region-error\""));

    let response = app
        .save_form(
            &format!("/admin/users/{teacher}"),
            &format!("/admin/users/{teacher}/coordinator"),
            &[("region", "")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(html.contains("id=\"coordinator-region-error\""));
    let response = app
        .save_form(
            &format!("/admin/users/{teacher}"),
            &format!("/admin/users/{teacher}/role"),
            &[("role", "root"), ("region", "KZ-75")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(visible_text(&response.text().await.expect("body")).contains("Choose a role"));
    assert_eq!(
        role_and_region(&app, teacher),
        ("teacher".to_owned(), Some(almaty))
    );
    assert!(audit_rows(&app, teacher).is_empty());

    // With a region: appointed there; the school of another region is let go.
    let response = app
        .save_form(
            &format!("/admin/users/{teacher}"),
            &format!("/admin/users/{teacher}/coordinator"),
            &[("region", "KZ-19")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/admin/users/{teacher}?done=coordinator-appointed").as_str()
    );
    assert_eq!(
        role_and_region(&app, teacher),
        (
            "coordinator".to_owned(),
            Some(region_id(&mut app.conn(), "KZ-19"))
        )
    );
    let school_now: Option<i32> = users::table
        .find(teacher)
        .select(users::school_id)
        .first(&mut app.conn())
        .expect("school");
    assert_eq!(school_now, None);
    let events = audit_rows(&app, teacher);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1, "user.coordinator_appointed");
    let log = text_of(&app, "/admin/audit").await;
    assert!(log.contains("Coordinator appointed"), "{log}");
    assert!(log.contains("Region: Almaty → Almaty Region"), "{log}");
    assert!(log.contains("School: School No. 12 → none"), "{log}");
}

#[tokio::test]
async fn disabling_ends_the_sessions_and_sign_in_until_enabled_again() {
    let (app, _) = spawn_signed_in("admin", BOSS, None).await;
    let teacher = add_member(&app, "teacher", "ainur@mektep.kz", Some("KZ-75"));
    let phone = app.another_browser();
    assert_eq!(phone.login("ainur@mektep.kz", PASSWORD).await.status(), 303);
    assert_eq!(phone.get("/account").await.status(), 200);

    let response = app
        .post(&format!("/admin/users/{teacher}/disable"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/admin/users/{teacher}?done=disabled").as_str()
    );
    let details = text_of(&app, &format!("/admin/users/{teacher}?done=disabled")).await;
    assert!(
        details.contains("The account has been disabled"),
        "{details}"
    );
    assert!(details.contains("Enable the account"));

    let stale = phone.get("/account").await;
    assert_eq!(stale.status(), 303);
    assert!(stale.headers()["location"]
        .to_str()
        .expect("location")
        .starts_with("/login"));
    let refused = phone.login("ainur@mektep.kz", PASSWORD).await;
    assert_eq!(refused.status(), 403);
    // The phone reads the site in Kazakh, the default.
    assert!(visible_text(&refused.text().await.expect("body")).contains("Бұл тіркелгі өшірілген."));
    assert!(text_of(&app, "/admin/users?status=disabled")
        .await
        .contains("ainur@mektep.kz"));

    let response = app
        .post(&format!("/admin/users/{teacher}/enable"), &[])
        .await;
    assert_eq!(
        response.headers()["location"],
        format!("/admin/users/{teacher}?done=enabled").as_str()
    );
    assert_eq!(phone.login("ainur@mektep.kz", PASSWORD).await.status(), 303);
    assert_eq!(phone.get("/account").await.status(), 200);

    let actions: Vec<String> = audit_rows(&app, teacher).into_iter().map(|e| e.1).collect();
    assert_eq!(actions, ["user.disabled", "user.enabled"]);
    let log = text_of(&app, "/admin/audit").await;
    assert!(log.contains("Status: Active → Disabled"), "{log}");
    assert!(log.contains("Status: Disabled → Active"), "{log}");
}

#[tokio::test]
async fn ending_sessions_signs_the_user_out_everywhere() {
    let (app, _) = spawn_signed_in("admin", BOSS, None).await;
    let teacher = add_member(&app, "teacher", "erlan@mektep.kz", Some("KZ-75"));
    let laptop = app.another_browser();
    let phone = app.another_browser();
    for browser in [&laptop, &phone] {
        assert_eq!(
            browser.login("erlan@mektep.kz", PASSWORD).await.status(),
            303
        );
    }

    let response = app
        .post(&format!("/admin/users/{teacher}/end-sessions"), &[])
        .await;
    assert_eq!(
        response.headers()["location"],
        format!("/admin/users/{teacher}?done=sessions-ended").as_str()
    );
    for browser in [&laptop, &phone] {
        assert_eq!(browser.get("/account").await.status(), 303);
    }
    // The account itself still works.
    assert_eq!(
        laptop.login("erlan@mektep.kz", PASSWORD).await.status(),
        303
    );
    assert_eq!(laptop.get("/account").await.status(), 200);
    assert_eq!(audit_rows(&app, teacher)[0].1, "user.sessions_ended");
    let done = text_of(&app, &format!("/admin/users/{teacher}?done=sessions-ended")).await;
    assert!(
        done.contains("All the user's sessions have ended."),
        "{done}"
    );
}

#[tokio::test]
async fn an_admin_cannot_disable_themselves_or_drop_their_own_admin_role() {
    let (app, admin) = spawn_signed_in("admin", BOSS, None).await;

    let response = app
        .post(&format!("/admin/users/{admin}/disable"), &[])
        .await;
    assert_eq!(response.status(), 422);
    let text = visible_text(&response.text().await.expect("body"));
    assert!(
        text.contains("You cannot disable your own account."),
        "{text}"
    );

    let response = app
        .save_form(
            &format!("/admin/users/{admin}"),
            &format!("/admin/users/{admin}/role"),
            &[("role", "teacher"), ("region", "KZ-75")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let text = visible_text(&response.text().await.expect("body"));
    assert!(
        text.contains("You cannot take away your own administrator role."),
        "{text}"
    );

    let response = app
        .save_form(
            &format!("/admin/users/{admin}"),
            &format!("/admin/users/{admin}/coordinator"),
            &[("region", "KZ-75")],
        )
        .await;
    assert_eq!(response.status(), 422);

    assert_eq!(role_and_region(&app, admin), ("admin".to_owned(), None));
    let disabled: Option<chrono::NaiveDateTime> = users::table
        .find(admin)
        .select(users::disabled_at)
        .first(&mut app.conn())
        .expect("admin");
    assert!(disabled.is_none());
    assert!(audit_rows(&app, admin).is_empty());
    // Still signed in, still an administrator.
    assert_eq!(app.get("/admin/users").await.status(), 200);

    // Another administrator may be changed.
    let other = account("Second Admin", "second@ustaz.kz")
        .role("admin")
        .expect_build(&mut app.conn());
    let response = app
        .save_form(
            &format!("/admin/users/{other}"),
            &format!("/admin/users/{other}/role"),
            &[("role", "teacher"), ("region", "KZ-75")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(role_and_region(&app, other).0, "teacher");
}

#[tokio::test]
async fn changing_a_user_who_does_not_exist_is_not_found() {
    let (app, _) = spawn_signed_in("admin", BOSS, None).await;
    assert_eq!(app.get("/admin/users/99999").await.status(), 404);
    for (path, form) in [
        (
            "/admin/users/99999/role",
            vec![("role", "teacher"), ("region", "KZ-75")],
        ),
        ("/admin/users/99999/coordinator", vec![("region", "KZ-75")]),
        ("/admin/users/99999/disable", vec![]),
        ("/admin/users/99999/enable", vec![]),
        ("/admin/users/99999/end-sessions", vec![]),
    ] {
        assert_eq!(app.post(path, &form).await.status(), 404, "{path}");
    }
    assert_eq!(app.get("/admin/users/99999999999999").await.status(), 404);
}

#[tokio::test]
async fn the_audit_log_pages_newest_first() {
    let (app, _) = spawn_signed_in("admin", BOSS, None).await;
    {
        let mut conn = app.conn();
        for i in 1..=120 {
            ustaz::audit::models::record(
                &mut conn,
                None,
                ustaz::audit::models::AuditAction::CoursePublished,
                ustaz::audit::models::AuditSubject::Course,
                Some(i),
                serde_json::json!({ "before": { "status": "draft" }, "after": { "status": "published" } }),
            )
            .expect("record");
        }
    }
    let first = page(&app, "/admin/audit").await;
    assert_eq!(rows(&first), 50);
    let text = visible_text(&first);
    assert!(
        text.contains("120 events") && text.contains("page 1 of 3"),
        "{text}"
    );
    assert!(
        text.contains("course #120")
            && text.contains("course #71")
            && !text.contains("course #70 ")
    );
    // Every action is named in the visitor's language; a change without an actor was made by the system.
    assert!(text.contains("Course published") && text.contains("The system"));
    assert!(
        first.contains("href=\"/admin/audit?page=2\"")
            && first.contains("href=\"/admin/audit?page=3\"")
    );

    let last = page(&app, "/admin/audit?page=3").await;
    assert_eq!(rows(&last), 20);
    let text = visible_text(&last);
    assert!(
        text.contains("course #20 ")
            && text.contains("course #1 ")
            && !text.contains("course #21 "),
        "{text}"
    );

    let filtered = page(&app, "/admin/audit?action=course.published&page=2").await;
    assert!(
        links(&filtered).contains("href=\"/admin/audit?action=course.published&page=3\""),
        "{filtered}"
    );
    assert!(filtered.contains("<option value=\"course.published\" selected>"));
}

#[tokio::test]
async fn the_pages_speak_the_administrators_language() {
    let (app, admin) = spawn_signed_in("admin", BOSS, None).await;
    diesel::update(users::table.find(admin))
        .set(users::language.eq("ru"))
        .execute(&mut app.conn())
        .expect("language");
    let teacher = account("Ерлан Сейітов", "erlan@mektep.kz")
        .region("KZ-75")
        .category("general")
        .expect_build(&mut app.conn());
    let list = page(&app, "/admin/users").await;
    assert!(list.contains("<html lang=\"ru\">"));
    let text = visible_text(&list);
    assert!(
        text.contains("Пользователи") && text.contains("Найдено 2 пользователя"),
        "{text}"
    );
    app.post(&format!("/admin/users/{teacher}/disable"), &[])
        .await;
    let log = text_of(&app, "/admin/audit").await;
    assert!(
        log.contains("Учётная запись отключена") && log.contains("Статус: Активен → Отключён"),
        "{log}"
    );

    diesel::update(users::table.find(admin))
        .set(users::language.eq("kk"))
        .execute(&mut app.conn())
        .expect("language");
    let text = text_of(&app, &format!("/admin/users/{teacher}")).await;
    assert!(
        text.contains("Рөлді өзгерту") && text.contains("Тіркелгіні қосу"),
        "{text}"
    );
}
