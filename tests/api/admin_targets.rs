//! Training targets, as an administrator sets them: the list with each target's live count,
//! adding and editing national and regional targets, the form's errors, deleting, and the audit.

use chrono::NaiveDate;
use diesel::prelude::*;
use ustaz::schema::{audit_events, targets};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{region_id, CertificateBuilder, CourseBuilder, UserBuilder};
use crate::helpers::{location, spawn_admin_app, text_of, visible_text, TestApp};

const SEEDED: &str = "National plan: teachers trained in inclusive education by the end of 2025";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

#[derive(Debug, PartialEq, Eq, Queryable)]
struct StoredTarget {
    id: i32,
    name: String,
    teachers: i32,
    starts_on: NaiveDate,
    deadline: NaiveDate,
    region_id: Option<i32>,
}

fn stored_targets(app: &TestApp) -> Vec<StoredTarget> {
    targets::table
        .order(targets::id.asc())
        .select((
            targets::id,
            targets::name,
            targets::teachers,
            targets::starts_on,
            targets::deadline,
            targets::region_id,
        ))
        .load(&mut app.conn())
        .expect("targets")
}

fn target(
    id: i32,
    name: &str,
    teachers: i32,
    period: (&str, &str),
    region_id: Option<i32>,
) -> StoredTarget {
    StoredTarget {
        id,
        name: name.to_owned(),
        teachers,
        starts_on: day(period.0),
        deadline: day(period.1),
        region_id,
    }
}

fn seeded() -> StoredTarget {
    target(1, SEEDED, 30_000, ("2021-01-01", "2025-12-31"), None)
}

/// The target audit events: action, subject id and details, oldest first.
fn target_events(app: &TestApp) -> Vec<(String, Option<i32>, serde_json::Value)> {
    audit_events::table
        .filter(audit_events::subject_type.eq("target"))
        .order(audit_events::id.asc())
        .select((
            audit_events::action,
            audit_events::subject_id,
            audit_events::details,
        ))
        .load::<(String, Option<i32>, String)>(&mut app.conn())
        .expect("audit")
        .into_iter()
        .map(|(action, id, details)| {
            (
                action,
                id,
                serde_json::from_str(&details).expect("details are JSON"),
            )
        })
        .collect()
}

fn count_events(app: &TestApp) -> i64 {
    audit_events::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

type Fields<'a> = [(&'static str, &'a str); 5];

fn form<'a>(
    name: &'a str,
    scope: &'a str,
    teachers: &'a str,
    starts_on: &'a str,
    deadline: &'a str,
) -> Fields<'a> {
    [
        ("name", name),
        ("scope", scope),
        ("teachers", teachers),
        ("starts_on", starts_on),
        ("deadline", deadline),
    ]
}

#[tokio::test]
async fn the_list_shows_every_target_with_its_live_count() {
    let (app, _) = spawn_admin_app().await;
    {
        let conn = &mut app.conn();
        let counting = |slug| CourseBuilder::new(slug).counting().published();
        let counts = counting("inclusion-basics").expect_build(conn);
        let also_counts = counting("inclusion-sen").expect_build(conn);
        let elsewhere = CourseBuilder::new("digital-skills")
            .published()
            .expect_build(conn);
        let teacher = |email, region| UserBuilder::teacher(email).region(region);
        let aigerim = teacher("aigerim@school.kz", "KZ-75").expect_build(conn);
        let bolat = teacher("bolat@school.kz", "KZ-75").expect_build(conn);
        let dana = teacher("dana@school.kz", "KZ-71").expect_build(conn);
        let erlan = teacher("erlan@school.kz", "KZ-75").expect_build(conn);
        let gulnar = teacher("gulnar@school.kz", "KZ-75").expect_build(conn);
        let nurlan = teacher("nurlan@school.kz", "KZ-71").expect_build(conn);
        // Counted once although she holds two counting certificates.
        CertificateBuilder::new(aigerim, counts)
            .serial(1)
            .issued_on("2024-03-01 10:00:00")
            .expect_build(conn);
        CertificateBuilder::new(aigerim, also_counts)
            .serial(2)
            .issued_on("2024-05-01 10:00:00")
            .expect_build(conn);
        CertificateBuilder::new(bolat, counts)
            .serial(3)
            .issued_on("2025-12-31 23:59:59")
            .expect_build(conn);
        CertificateBuilder::new(dana, counts)
            .serial(4)
            .issued_on("2023-09-01 09:00:00")
            .expect_build(conn);
        // Not counted: a course that does not count, a revoked certificate, after the deadline.
        CertificateBuilder::new(erlan, elsewhere)
            .serial(5)
            .issued_on("2024-03-01 10:00:00")
            .expect_build(conn);
        CertificateBuilder::new(gulnar, counts)
            .serial(6)
            .issued_on("2024-03-01 10:00:00")
            .revoked_on("2024-04-01 10:00:00")
            .expect_build(conn);
        CertificateBuilder::new(nurlan, counts)
            .serial(7)
            .issued_on("2026-01-01 00:00:00")
            .expect_build(conn);
    }
    let almaty = app
        .post(
            "/admin/targets/new",
            &form("Almaty quota", "KZ-75", "4", "2024-01-01", "2025-12-31"),
        )
        .await;
    assert_eq!(almaty.status(), 303);
    let astana = app
        .post(
            "/admin/targets/new",
            &form("Astana 2026", "KZ-71", "10", "2026-01-01", "2026-12-31"),
        )
        .await;
    assert_eq!(astana.status(), 303);

    let response = app.get("/admin/targets").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    let text = visible_text(&html);
    // National first (with its live count by the rule), then the regions by name.
    let national = format!(
        "{SEEDED} Shown on the home page National 30,000 1 January 2021 – 31 December 2025 3 (0%) Edit"
    );
    let almaty_row = "Almaty quota Almaty 4 1 January 2024 – 31 December 2025 2 (50%) Edit";
    let astana_row = "Astana 2026 Astana 10 1 January 2026 – 31 December 2026 1 (10%) Edit";
    for row in [&national, almaty_row, astana_row] {
        assert!(text.contains(row), "{row}: {text}");
    }
    let at = |row: &str| text.find(row).expect("row");
    assert!(at(&national) < at(almaty_row) && at(almaty_row) < at(astana_row));
    assert!(html.contains("<time datetime=\"2021-01-01\">"), "{html}");
    assert!(html.contains("href=\"/admin/targets/1/edit\""), "{html}");
    // The rule, and where the courses that count are chosen.
    assert!(
        text.contains("A teacher counts toward a target once"),
        "{text}"
    );
    assert!(html.contains("href=\"/admin/courses\""), "{html}");
    // Every admin page links here.
    assert!(
        html.contains("<a href=\"/admin/targets\">Targets</a>"),
        "{html}"
    );

    // Numbers follow the reader's language.
    app.post("/language", &[("lang", "ru"), ("next", "/")])
        .await;
    let ru = text_of(app.get("/admin/targets").await).await;
    assert!(ru.contains("Национальный 30\u{a0}000"), "{ru}");
    assert!(ru.contains("1 января 2021 г. – 31 декабря 2025 г."), "{ru}");
}

#[tokio::test]
async fn an_admin_adds_national_and_regional_targets_and_edits_them() {
    let (app, _) = spawn_admin_app().await;
    let almaty = region_id(&mut app.conn(), "KZ-75");
    let astana = region_id(&mut app.conn(), "KZ-71");
    let new = app.get("/admin/targets/new").await;
    assert_eq!(new.status(), 200);
    let html = new.text().await.expect("body");
    assert!(html.contains("<h1>Add a target</h1>"), "{html}");
    assert!(html.contains("type=\"date\""), "{html}");
    assert!(
        html.contains("<option value=\"KZ-79\">Shymkent</option>"),
        "{html}"
    );

    let national = app
        .post(
            "/admin/targets/new",
            &form(
                "  National plan   2026–2030 ",
                "national",
                "40 000",
                "2026-01-01",
                "2030-12-31",
            ),
        )
        .await;
    assert_eq!(national.status(), 303);
    assert_eq!(location(&national), "/admin/targets?added=2");
    let list = text_of(app.get(&location(&national)).await).await;
    assert!(
        list.contains("“National plan 2026–2030” has been added."),
        "{list}"
    );
    assert!(list.contains("National plan 2026–2030 "), "{list}");

    let regional = app
        .post(
            "/admin/targets/new",
            &form(
                "Almaty quota 2026",
                "KZ-75",
                "2,500",
                "2026-01-01",
                "2026-12-31",
            ),
        )
        .await;
    assert_eq!(regional.status(), 303);
    assert_eq!(location(&regional), "/admin/targets?added=3");

    let plan = target(
        2,
        "National plan 2026–2030",
        40_000,
        ("2026-01-01", "2030-12-31"),
        None,
    );
    let quota = target(
        3,
        "Almaty quota 2026",
        2_500,
        ("2026-01-01", "2026-12-31"),
        Some(almaty),
    );
    assert_eq!(stored_targets(&app), vec![seeded(), plan, quota]);

    // National targets come first, the newest deadline first.
    let list = text_of(app.get("/admin/targets").await).await;
    let at = |s: &str| list.find(s).unwrap_or_else(|| panic!("{s}: {list}"));
    assert!(at("National plan 2026–2030") < at(SEEDED));
    assert!(at(SEEDED) < at("Almaty quota 2026"));

    // The edit form holds the stored values.
    let edit = app.get("/admin/targets/3/edit").await;
    assert_eq!(edit.status(), 200);
    let html = edit.text().await.expect("body");
    assert!(html.contains("<h1>Edit a target</h1>"), "{html}");
    assert!(html.contains("value=\"Almaty quota 2026\""), "{html}");
    assert!(html.contains("value=\"2500\""), "{html}");
    assert!(html.contains("value=\"2026-12-31\""), "{html}");
    assert!(
        html.contains("<option value=\"KZ-75\" selected>Almaty</option>"),
        "{html}"
    );
    assert!(html.contains("href=\"/admin/targets/3/delete\""), "{html}");

    let saved = app
        .save_form(
            "/admin/targets/3/edit",
            "/admin/targets/3/edit",
            &form(
                "Almaty quota 2026–2027",
                "KZ-71",
                "3000",
                "2026-01-01",
                "2027-06-30",
            ),
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(location(&saved), "/admin/targets?updated=3");
    let list = text_of(app.get(&location(&saved)).await).await;
    assert!(
        list.contains("Your changes to “Almaty quota 2026–2027” have been saved."),
        "{list}"
    );
    assert_eq!(
        stored_targets(&app)[2],
        target(
            3,
            "Almaty quota 2026–2027",
            3_000,
            ("2026-01-01", "2027-06-30"),
            Some(astana),
        )
    );
    // A regional target may become national.
    let widened = app
        .save_form(
            "/admin/targets/3/edit",
            "/admin/targets/3/edit",
            &form(
                "Almaty quota 2026–2027",
                "national",
                "3000",
                "2026-01-01",
                "2027-06-30",
            ),
        )
        .await;
    assert_eq!(widened.status(), 303);
    assert_eq!(stored_targets(&app)[2].region_id, None);
    // Saving without a change records nothing.
    let unchanged = app
        .save_form(
            "/admin/targets/3/edit",
            "/admin/targets/3/edit",
            &form(
                "Almaty quota 2026–2027",
                "national",
                "3000",
                "2026-01-01",
                "2027-06-30",
            ),
        )
        .await;
    assert_eq!(unchanged.status(), 303);

    let events = target_events(&app);
    let actions: Vec<(&str, Option<i32>)> =
        events.iter().map(|(a, id, _)| (a.as_str(), *id)).collect();
    assert_eq!(
        actions,
        [
            ("target.created", Some(2)),
            ("target.created", Some(3)),
            ("target.updated", Some(3)),
            ("target.updated", Some(3)),
        ]
    );
    assert_eq!(
        events[0].2,
        serde_json::json!({"after": {
            "name": "National plan 2026–2030", "teachers": 40000,
            "starts_on": "2026-01-01", "deadline": "2030-12-31", "region": null
        }})
    );
    assert_eq!(
        events[2].2,
        serde_json::json!({
            "before": {"name": "Almaty quota 2026", "teachers": 2500,
                "starts_on": "2026-01-01", "deadline": "2026-12-31", "region": "KZ-75"},
            "after": {"name": "Almaty quota 2026–2027", "teachers": 3000,
                "starts_on": "2026-01-01", "deadline": "2027-06-30", "region": "KZ-71"}
        })
    );
    assert_eq!(events[3].2["after"]["region"], serde_json::Value::Null);
    let audit = text_of(app.get("/admin/audit").await).await;
    assert!(audit.contains("Target added"), "{audit}");
    assert!(audit.contains("Target changed"), "{audit}");
    assert!(audit.contains("Astana"), "regions are named: {audit}");
    // Fields are named as the form names them, never by their stored keys.
    for label in ["Number of teachers", "Deadline", "Start date"] {
        assert!(audit.contains(label), "{label}: {audit}");
    }
    assert!(!audit.contains("starts_on"), "{audit}");

    assert_eq!(app.get("/admin/targets/999999/edit").await.status(), 404);
    let missing = app
        .post(
            "/admin/targets/999999/edit",
            &form("X", "national", "1", "2026-01-01", "2026-12-31"),
        )
        .await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn every_form_error_is_shown_next_to_its_field_and_nothing_is_written() {
    let (app, _) = spawn_admin_app().await;
    let empty = app.post("/admin/targets/new", &[]).await;
    assert_eq!(empty.status(), 422);
    let html = empty.text().await.expect("body");
    assert!(html.contains("<title>Error:"), "{html}");
    for field in ["name", "scope", "teachers", "starts_on", "deadline"] {
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "{field}: {html}"
        );
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {html}"
        );
    }
    let text = visible_text(&html);
    for message in [
        "Enter the name of the target.",
        "Choose national or one of the regions.",
        "Enter the number of teachers.",
        "Enter the start date.",
        "Enter the deadline.",
    ] {
        assert!(text.contains(message), "{message}: {text}");
    }

    let long = "x".repeat(201);
    // The fields, the field that is wrong, and its message.
    let cases: [(Fields, &str, &str); 9] = [
        (
            form("  ", "national", "100", "2026-01-01", "2026-12-31"),
            "name",
            "Enter the name of the target.",
        ),
        (
            form(&long, "national", "100", "2026-01-01", "2026-12-31"),
            "name",
            "Enter a name of at most 200 characters.",
        ),
        (
            form("Plan", "national", "0", "2026-01-01", "2026-12-31"),
            "teachers",
            "Enter a number of teachers from 1 to 10,000,000.",
        ),
        (
            form("Plan", "national", "10000001", "2026-01-01", "2026-12-31"),
            "teachers",
            "Enter a number of teachers from 1 to 10,000,000.",
        ),
        (
            form("Plan", "national", "12.5", "2026-01-01", "2026-12-31"),
            "teachers",
            "Enter the number of teachers as a whole number, like 30000.",
        ),
        (
            form("Plan", "national", "100", "2026-12-31", "2026-01-01"),
            "deadline",
            "The deadline must be the same as or later than the start date.",
        ),
        (
            form("Plan", "KZ-00", "100", "2026-01-01", "2026-12-31"),
            "scope",
            "Choose national or one of the regions.",
        ),
        (
            form("Plan", "national", "100", "2026-02-30", "2026-12-31"),
            "starts_on",
            "Enter a real date as year-month-day, for example 2026-01-01.",
        ),
        (
            form("Plan", "national", "100", "2026-01-01", "2101-01-01"),
            "deadline",
            "Enter a date in the years 2000 to 2100.",
        ),
    ];
    for (fields, field, message) in &cases {
        for path in ["/admin/targets/new", "/admin/targets/1/edit"] {
            let response = app.post(path, fields).await;
            assert_eq!(response.status(), 422, "{path} {field}");
            let html = response.text().await.expect("body");
            // The message is next to its field, and the form keeps what was typed.
            let next_to_field = format!(
                "<p class=\"error-message\" id=\"{field}-error\"><span class=\"visually-hidden\">Error:</span> {message}</p>"
            );
            assert!(html.contains(&next_to_field), "{path} {field}: {html}");
            assert!(html.contains("aria-invalid=\"true\""), "{html}");
            assert_eq!(
                html.matches("class=\"error-message\"").count(),
                1,
                "only {field} is wrong: {html}"
            );
        }
    }
    let kept = app
        .post(
            "/admin/targets/new",
            &form("Plan", "KZ-75", "0", "2026-01-01", "2026-12-31"),
        )
        .await;
    let html = kept.text().await.expect("body");
    assert!(html.contains("value=\"Plan\""), "{html}");
    assert!(
        html.contains("<option value=\"KZ-75\" selected>Almaty</option>"),
        "{html}"
    );

    assert_eq!(stored_targets(&app), vec![seeded()]);
    assert_eq!(count_events(&app), 0);
}

#[tokio::test]
async fn the_last_national_target_is_neither_deleted_nor_made_regional() {
    let (app, _) = spawn_admin_app().await;
    let confirm = app.get("/admin/targets/1/delete").await;
    assert_eq!(confirm.status(), 200);
    let html = confirm.text().await.expect("body");
    assert!(
        html.contains("This is the only national target, and the home page needs one."),
        "{html}"
    );
    assert!(
        !html.contains("action=\"/admin/targets/1/delete\""),
        "{html}"
    );

    let refused = app.post("/admin/targets/1/delete", &[]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("body");
    assert!(html.contains("<title>Error:"), "{html}");
    assert!(
        visible_text(&html).contains("This is the only national target"),
        "{html}"
    );

    let regional = app
        .save_form(
            "/admin/targets/1/edit",
            "/admin/targets/1/edit",
            &form(SEEDED, "KZ-75", "30000", "2021-01-01", "2025-12-31"),
        )
        .await;
    assert_eq!(regional.status(), 422);
    let html = regional.text().await.expect("body");
    assert!(
        html.contains("id=\"scope-error\"><span class=\"visually-hidden\">Error:</span> This is the only national target"),
        "{html}"
    );
    assert_eq!(stored_targets(&app), vec![seeded()]);
    assert_eq!(count_events(&app), 0);

    // With a second national target, the first may go.
    let added = app
        .post(
            "/admin/targets/new",
            &form(
                "Plan 2026–2030",
                "national",
                "40000",
                "2026-01-01",
                "2030-12-31",
            ),
        )
        .await;
    assert_eq!(added.status(), 303);
    let confirm = text_of(app.get("/admin/targets/1/delete").await).await;
    assert!(
        confirm.contains(&format!("Delete the target “{SEEDED}”?")),
        "{confirm}"
    );
    assert!(confirm.contains("This cannot be undone."), "{confirm}");
    let deleted = app.post("/admin/targets/1/delete", &[]).await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(location(&deleted), "/admin/targets?deleted=1");
    let list = text_of(app.get(&location(&deleted)).await).await;
    assert!(list.contains("The target has been deleted."), "{list}");
    assert!(!list.contains(SEEDED), "{list}");

    // Now the new one is the last national target.
    assert_eq!(app.post("/admin/targets/2/delete", &[]).await.status(), 422);
    // Regional targets go whenever.
    let quota = app
        .post(
            "/admin/targets/new",
            &form("Quota", "KZ-79", "100", "2026-01-01", "2026-12-31"),
        )
        .await;
    assert_eq!(location(&quota), "/admin/targets?added=3");
    assert_eq!(app.post("/admin/targets/3/delete", &[]).await.status(), 303);
    assert_eq!(app.post("/admin/targets/3/delete", &[]).await.status(), 404);
    assert_eq!(app.get("/admin/targets/3/delete").await.status(), 404);

    assert_eq!(
        stored_targets(&app),
        vec![target(
            2,
            "Plan 2026–2030",
            40_000,
            ("2026-01-01", "2030-12-31"),
            None
        )]
    );
    let events = target_events(&app);
    let actions: Vec<&str> = events.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "target.created",
            "target.deleted",
            "target.created",
            "target.deleted"
        ]
    );
    assert_eq!(events[1].1, Some(1));
    assert_eq!(
        events[1].2,
        serde_json::json!({"before": {
            "name": SEEDED, "teachers": 30000,
            "starts_on": "2021-01-01", "deadline": "2025-12-31", "region": null
        }})
    );
    assert_eq!(events[3].2["before"]["region"], "KZ-79");
    let audit = text_of(app.get("/admin/audit").await).await;
    assert!(audit.contains("Target deleted"), "{audit}");
}

#[tokio::test]
async fn a_post_without_the_form_token_is_refused() {
    let (app, _) = spawn_admin_app().await;
    let forged = app
        .post_form(
            "/admin/targets/new",
            &form("Plan", "national", "100", "2026-01-01", "2026-12-31"),
        )
        .await;
    assert_eq!(forged.status(), 403);
    let forged = app.post_form("/admin/targets/1/delete", &[]).await;
    assert_eq!(forged.status(), 403);
    assert_eq!(stored_targets(&app), vec![seeded()]);
}

#[tokio::test]
async fn only_administrators_reach_the_targets() {
    let (app, browsers) = browsers().await;
    let rows = rows![
        GET "/admin/targets" => [SignIn, Denied, Denied, Page],
        GET "/admin/targets/new" => [SignIn, Denied, Denied, Page],
        POST "/admin/targets/new" => [SignIn, Denied, Denied, Invalid],
        GET "/admin/targets/1/edit" => [SignIn, Denied, Denied, Page],
        POST "/admin/targets/1/edit" => [SignIn, Denied, Denied, Invalid],
        GET "/admin/targets/1/delete" => [SignIn, Denied, Denied, Page],
        // The only national target: refused even to an administrator.
        POST "/admin/targets/1/delete" => [SignIn, Denied, Denied, Invalid],
    ];
    check_access(&browsers, &rows).await;
    // Nothing was written by the refused attempts.
    assert_eq!(stored_targets(&app), vec![seeded()]);
    assert_eq!(count_events(&app), 0);
    // A regional target is deleted by an administrator only (a redirect back to the list).
    let quota = browsers[3]
        .post(
            "/admin/targets/new",
            &form("Quota", "KZ-75", "100", "2026-01-01", "2026-12-31"),
        )
        .await;
    assert_eq!(quota.status(), 303);
    let rows = rows![POST "/admin/targets/2/delete" => [SignIn, Denied, Denied, Redirect]];
    check_access(&browsers, &rows).await;
    assert_eq!(stored_targets(&app), vec![seeded()]);
}
