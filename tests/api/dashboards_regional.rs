//! The regional dashboard: the headline against the region's quota (by the counting rule), its
//! schools, its teachers by status with search and pagination, downloads, reminders to the
//! stalled teachers, and who may see which region.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use ustaz::db::AnyConnection;
use ustaz::schema::{audit_events, certificates, enrolments, users};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{self, region_id, CertificateBuilder, CourseBuilder, EnrolmentBuilder};
use crate::fixtures::{SchoolBuilder, TargetBuilder, UserBuilder};
use crate::helpers::{location, spawn_app, visible_text, TestApp, ADMIN};

const COORDINATOR: &str = "coordinator@almaty.kz";
const ALMATY_PAGE: &str = "/dashboard/regions/KZ-75";

fn days_ago(days: i64) -> NaiveDateTime {
    Utc::now().naive_utc() - Duration::days(days)
}

fn set_name(conn: &mut AnyConnection, id: i32, name: &str) {
    diesel::update(users::table.find(id))
        .set(users::full_name.eq(name))
        .execute(conn)
        .expect("name");
}

/// Every enrolment of the teacher was last active `days` ago.
fn last_active(conn: &mut AnyConnection, user_id: i32, days: i64) {
    diesel::update(enrolments::table.filter(enrolments::user_id.eq(user_id)))
        .set(enrolments::last_activity_at.eq(days_ago(days)))
        .execute(conn)
        .expect("last activity");
}

/// A teacher named `name`, with an email made of the name: `Dana Recent` is
/// `dana.recent@school.kz`.
fn teacher(name: &str) -> UserBuilder {
    let email = format!(
        "{}@school.kz",
        name.to_lowercase()
            .replace(' ', ".")
            .replace(|c: char| !c.is_ascii(), "x")
    );
    UserBuilder::teacher(&email).name(name)
}

/// An active enrolment last active `days` ago.
fn learning(user_id: i32, course_id: i32, days: i64) -> EnrolmentBuilder {
    EnrolmentBuilder::new(user_id, course_id).last_active(days_ago(days))
}

fn email_of(conn: &mut AnyConnection, id: i32) -> String {
    users::table
        .find(id)
        .select(users::email)
        .first(conn)
        .expect("email")
}

/// The teachers of the small world, by their part in it.
struct World {
    aigul: i32,
    bolat: i32,
    erlan: i32,
    gulnar: i32,
    pavel: i32,
    rustem: i32,
    saule: i32,
    akmola_stalled: i32,
}

/// Almaty (KZ-75), with a regional target of 4, three schools and eleven teachers:
/// - Айгүл Сапарова: two certificates of counting courses (enrolments still active): counted
///   once, completed;
/// - Bolat Revoked: a revoked certificate, active 60 days ago: not counted, stalled;
/// - Dana Recent: active 29 days ago: in progress;
/// - Erlan Karimov: active 31 days ago: stalled;
/// - Gulnar Karimova (reads Russian): a counting course 40 days ago, a course that does not
///   count yesterday: stalled;
/// - Marat Withdrawn: withdrew: not started;
/// - Nurlan Idle: never enrolled: not started;
/// - Olga Finished: a completed enrolment, no certificate yet: completed, not counted;
/// - Pavel Karimov: active 50 days ago, reminded 3 days ago: stalled;
/// - Rustem Sadykov: active 35 days ago, reminded 8 days ago: stalled;
/// - Saule Karimova: active 90 days ago, account disabled: stalled.
///
/// Akmola (KZ-11): one counted teacher and one stalled.
fn world(conn: &mut AnyConnection) -> World {
    let a = CourseBuilder::new("counting-a")
        .counting()
        .published()
        .expect_build(conn);
    let b = CourseBuilder::new("counting-b")
        .counting()
        .published()
        .expect_build(conn);
    let c = CourseBuilder::new("not-counting")
        .published()
        .expect_build(conn);
    let s1 = SchoolBuilder::new("School No. 1")
        .region("KZ-75")
        .district("Almaly")
        .inclusive()
        .expect_build(conn);
    let s2 = SchoolBuilder::new("School No. 2")
        .region("KZ-75")
        .district("Bostandyq")
        .expect_build(conn);
    let g3 = SchoolBuilder::new("Gymnasium No. 3")
        .region("KZ-75")
        .inclusive()
        .expect_build(conn);
    let akmola_school = SchoolBuilder::new("Akmola School")
        .region("KZ-11")
        .inclusive()
        .expect_build(conn);
    let almaty = |name| teacher(name).region("KZ-75");

    let aigul = almaty("Айгүл Сапарова").school(s1).expect_build(conn);
    CertificateBuilder::new(aigul, a)
        .serial(1)
        .issued_on("2024-03-01 10:00:00")
        .expect_build(conn);
    CertificateBuilder::new(aigul, b)
        .serial(2)
        .issued_on("2024-09-01 10:00:00")
        .expect_build(conn);
    last_active(conn, aigul, 100);

    let bolat = almaty("Bolat Revoked").school(s1).expect_build(conn);
    CertificateBuilder::new(bolat, a)
        .serial(3)
        .issued_on("2024-04-01 10:00:00")
        .revoked_on("2024-05-01 10:00:00")
        .expect_build(conn);
    last_active(conn, bolat, 60);

    let dana = almaty("Dana Recent").school(s2).expect_build(conn);
    learning(dana, a, 29).expect_build(conn);

    let erlan = almaty("Erlan Karimov").school(s2).expect_build(conn);
    learning(erlan, a, 31).expect_build(conn);

    let gulnar = almaty("Gulnar Karimova")
        .school(s1)
        .language("ru")
        .expect_build(conn);
    learning(gulnar, a, 40).expect_build(conn);
    learning(gulnar, c, 1).expect_build(conn);

    let marat = almaty("Marat Withdrawn").expect_build(conn);
    learning(marat, a, 5).withdrawn().expect_build(conn);

    almaty("Nurlan Idle").school(g3).expect_build(conn);

    let olga = almaty("Olga Finished").school(g3).expect_build(conn);
    EnrolmentBuilder::new(olga, b)
        .completed_on("2025-02-01 10:00:00")
        .last_active(days_ago(200))
        .expect_build(conn);

    let pavel = almaty("Pavel Karimov")
        .school(s2)
        .reminded_on(days_ago(3))
        .expect_build(conn);
    learning(pavel, a, 50).expect_build(conn);
    let rustem = almaty("Rustem Sadykov")
        .school(s2)
        .reminded_on(days_ago(8))
        .expect_build(conn);
    learning(rustem, b, 35).expect_build(conn);

    let saule = almaty("Saule Karimova")
        .school(g3)
        .disabled_on(days_ago(1))
        .expect_build(conn);
    learning(saule, a, 90).expect_build(conn);

    let akmola_trained = teacher("Akmola Trained")
        .region("KZ-11")
        .school(akmola_school)
        .expect_build(conn);
    CertificateBuilder::new(akmola_trained, a)
        .serial(4)
        .issued_on("2023-06-01 10:00:00")
        .expect_build(conn);
    let akmola_stalled = teacher("Akmola Karimov")
        .region("KZ-11")
        .school(akmola_school)
        .expect_build(conn);
    learning(akmola_stalled, a, 45).expect_build(conn);

    TargetBuilder::new("Almaty plan", 4)
        .region("KZ-75")
        .expect_build(conn);
    World {
        aigul,
        bolat,
        erlan,
        gulnar,
        pavel,
        rustem,
        saule,
        akmola_stalled,
    }
}

/// The app with the world, and a browser signed in as `who` reading English.
async fn signed_in(who: &str, region: Option<&str>) -> (TestApp, World) {
    let app = spawn_app().await;
    let world = world(&mut app.conn());
    app.sign_in_english(who, &format!("{who}@almaty.kz"), region)
        .await;
    (app, world)
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.expect("body")
}

/// The part of the page after `start` and before the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    let rest = &html[from + start.len()..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The teachers listed (name → status class), in page order.
fn listed(html: &str) -> Vec<(String, String)> {
    if !html.contains("id=\"teachers-caption\"") {
        return Vec::new();
    }
    let table = between(html, "id=\"teachers-caption\"", "</table>");
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let name = between(row, "<th scope=\"row\">", "</th>").to_owned();
            let status = between(row, "regional-status-", "\"").to_owned();
            (name, status)
        })
        .collect()
}

fn names(html: &str) -> Vec<String> {
    listed(html).into_iter().map(|(name, _)| name).collect()
}

#[tokio::test]
async fn the_regional_dashboard_shows_the_regions_count_schools_and_teachers() {
    let (app, w) = signed_in("coordinator", Some("KZ-75")).await;
    let html = page(&app, ALMATY_PAGE).await;
    let text = visible_text(&html);
    assert!(
        text.contains("Almaty: progress toward the target"),
        "{text}"
    );
    // The counting rule: two certificates count once, a revoked one not at all, a completed
    // enrolment without a certificate not yet; the quota is Almaty's own target.
    assert!(text.contains("1 of 4 (25%)"), "{text}");
    assert!(
        text.contains("The quota is the regional target set for this region."),
        "{text}"
    );

    let schools = visible_text(between(&html, "id=\"schools-heading\">", "</table>"));
    assert!(
        schools.contains("Schools with conditions for inclusive education: 2 of 3 (66.7%)."),
        "{schools}"
    );
    assert!(
        schools.contains(
            "Gymnasium No. 3 3 0 Yes School No. 1 Almaly 3 1 Yes School No. 2 Bostandyq 4 0 No"
        ),
        "{schools}"
    );
    assert!(!schools.contains("Akmola"), "{schools}");

    // Every teacher of Almaty, by name, each with their status; none of Akmola.
    let teachers = listed(&html);
    let expected = [
        ("Bolat Revoked", "stalled"),
        ("Dana Recent", "in-progress"),
        ("Erlan Karimov", "stalled"),
        ("Gulnar Karimova", "stalled"),
        ("Marat Withdrawn", "not-started"),
        ("Nurlan Idle", "not-started"),
        ("Olga Finished", "completed"),
        ("Pavel Karimov", "stalled"),
        ("Rustem Sadykov", "stalled"),
        ("Saule Karimova", "stalled"),
        ("Айгүл Сапарова", "completed"),
    ];
    let mut got: Vec<(String, String)> = teachers.clone();
    got.sort();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want);
    assert!(text.contains("11 teachers"), "{text}");
    let statuses = visible_text(between(&html, "class=\"regional-statuses\">", "</ul>"));
    assert_eq!(
        statuses,
        "Not started: 2 In progress: 1 Stalled: 6 Completed: 2"
    );
    // A row in full: email (staff see it), school, category, status, last activity.
    let row = visible_text(between(&html, "<th scope=\"row\">Dana Recent", "</tr>"));
    let day = days_ago(29).date();
    let month = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][chrono::Datelike::month0(&day) as usize];
    assert_eq!(
        row,
        format!(
            "dana.recent@school.kz School No. 2 General secondary education In progress {} {month} {}",
            chrono::Datelike::day(&day),
            chrono::Datelike::year(&day)
        )
    );
    assert!(
        text.contains("Stalled teachers matching this search: 6."),
        "{text}"
    );

    // The figures follow the data at once: with her certificates revoked, Айгүл no longer
    // counts, and her old enrolments make her stalled.
    let mut conn = app.conn();
    let hers: Vec<i32> = certificates::table
        .filter(certificates::user_id.eq(w.aigul))
        .select(certificates::id)
        .load(&mut conn)
        .expect("certificates");
    for id in hers {
        fixtures::revoke(&mut conn, id, "2025-06-01 10:00:00");
    }
    let html = page(&app, ALMATY_PAGE).await;
    assert!(visible_text(&html).contains("0 of 4 (0%)"));
    assert!(listed(&html).contains(&("Айгүл Сапарова".to_owned(), "stalled".to_owned())));
    let schools = visible_text(between(&html, "id=\"schools-heading\">", "</table>"));
    assert!(schools.contains("School No. 1 Almaly 3 0 Yes"), "{schools}");
}

#[tokio::test]
async fn each_status_filter_lists_exactly_its_teachers_and_search_narrows_it() {
    let (app, _) = signed_in("coordinator", Some("KZ-75")).await;
    let cases: [(&str, &[&str]); 4] = [
        ("completed", &["Olga Finished", "Айгүл Сапарова"]),
        ("in-progress", &["Dana Recent"]),
        (
            "stalled",
            &[
                "Bolat Revoked",
                "Erlan Karimov",
                "Gulnar Karimova",
                "Pavel Karimov",
                "Rustem Sadykov",
                "Saule Karimova",
            ],
        ),
        ("not-started", &["Marat Withdrawn", "Nurlan Idle"]),
    ];
    for (status, want) in cases {
        let html = page(&app, &format!("{ALMATY_PAGE}?status={status}")).await;
        let rows = listed(&html);
        let mut got: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
        got.sort();
        assert_eq!(got, want, "status {status}");
        assert!(rows.iter().all(|(_, s)| s == status), "{status}: {rows:?}");
        assert!(html.contains(&format!("<option value=\"{status}\" selected>")));
    }

    // Search: by name or email, any letter case, Cyrillic too, with the status filter.
    let html = page(&app, &format!("{ALMATY_PAGE}?q=KARIM&status=stalled")).await;
    assert_eq!(
        names(&html),
        [
            "Erlan Karimov",
            "Gulnar Karimova",
            "Pavel Karimov",
            "Saule Karimova"
        ]
    );
    assert!(visible_text(&html).contains("4 teachers"));
    // The counts by status follow the search.
    assert_eq!(
        visible_text(between(&html, "class=\"regional-statuses\">", "</ul>")),
        "Not started: 0 In progress: 0 Stalled: 4 Completed: 0"
    );
    let html = page(
        &app,
        &format!("{ALMATY_PAGE}?q=%D0%A1%D0%90%D0%9F%D0%90%D0%A0"),
    )
    .await; // САПАР
    assert_eq!(names(&html), ["Айгүл Сапарова"]);
    let html = page(&app, &format!("{ALMATY_PAGE}?q=dana.recent%40school")).await;
    assert_eq!(names(&html), ["Dana Recent"]);
    let html = page(&app, &format!("{ALMATY_PAGE}?q=nobody")).await;
    assert!(names(&html).is_empty());
    assert!(visible_text(&html).contains("No teachers match."));
    // A wildcard in the search is a character, not a wildcard.
    let html = page(&app, &format!("{ALMATY_PAGE}?q=%25")).await;
    assert!(names(&html).is_empty());
    // An unknown status is ignored: everyone.
    let html = page(&app, &format!("{ALMATY_PAGE}?status=bogus")).await;
    assert_eq!(names(&html).len(), 11);
}

#[tokio::test]
async fn the_teacher_list_is_paged_fifty_at_a_time_with_its_filters() {
    let app = spawn_app().await;
    {
        let mut conn = app.conn();
        let course = CourseBuilder::new("counting")
            .counting()
            .published()
            .expect_build(&mut conn);
        for n in 1..=120 {
            let id = teacher(&format!("Teacher {n:03}"))
                .region("KZ-75")
                .expect_build(&mut conn);
            // Odd numbers stalled, even numbers in progress.
            learning(id, course, if n % 2 == 1 { 40 } else { 3 }).expect_build(&mut conn);
        }
    }
    app.sign_in_english("admin", ADMIN, None).await;

    let first = page(&app, ALMATY_PAGE).await;
    let got = names(&first);
    assert_eq!(got.len(), 50);
    assert_eq!(got[0], "Teacher 001");
    assert_eq!(got[49], "Teacher 050");
    assert!(visible_text(&first).contains("Teachers, page 1 of 3"));
    assert!(first.contains("href=\"/dashboard/regions/KZ-75?page=2#teachers\" rel=\"next\""));

    let third = page(&app, &format!("{ALMATY_PAGE}?page=3")).await;
    let got = names(&third);
    assert_eq!(got.len(), 20);
    assert_eq!(got[0], "Teacher 101");
    assert_eq!(got[19], "Teacher 120");
    // Past the end: the last page.
    assert_eq!(
        names(&page(&app, &format!("{ALMATY_PAGE}?page=99")).await).len(),
        20
    );

    // The status filter is applied before paging, and the links keep it.
    let stalled = page(&app, &format!("{ALMATY_PAGE}?status=stalled&page=2")).await;
    let got = names(&stalled);
    assert_eq!(got.len(), 10);
    assert_eq!(got[0], "Teacher 101");
    assert_eq!(got[9], "Teacher 119");
    assert!(visible_text(&stalled).contains("60 teachers"));
    let nav = between(
        &stalled,
        "aria-label=\"Pages of the list of teachers\"",
        "</nav>",
    );
    assert!(
        nav.contains("href=\"/dashboard/regions/KZ-75?status=stalled&#38;page=1#teachers\""),
        "{nav}"
    );
}

/// The region's teachers are cached with its figures; the list and its search still follow a
/// renamed teacher, a new email and a teacher who resumed a course (activity does not bump the
/// figures' version) at once.
#[tokio::test]
async fn the_list_follows_renames_and_resumed_courses_at_once() {
    let (app, w) = signed_in("coordinator", Some("KZ-75")).await;
    let stalled = |html: &str| names(html).into_iter().collect::<Vec<_>>();
    let before = page(&app, &format!("{ALMATY_PAGE}?status=stalled")).await;
    assert_eq!(stalled(&before)[0], "Bolat Revoked");
    assert!(
        visible_text(between(&before, "class=\"regional-statuses\">", "</ul>"))
            .contains("In progress: 1 Stalled: 6")
    );

    {
        let mut conn = app.conn();
        set_name(&mut conn, w.rustem, "Abylai Sadykov");
        diesel::update(users::table.find(w.gulnar))
            .set(users::email.eq("g.karimova@mektep.kz"))
            .execute(&mut conn)
            .expect("email");
        // Erlan opens a lesson today.
        last_active(&mut conn, w.erlan, 0);
    }
    let after = page(&app, &format!("{ALMATY_PAGE}?status=stalled")).await;
    assert_eq!(
        stalled(&after),
        [
            "Abylai Sadykov",
            "Bolat Revoked",
            "Gulnar Karimova",
            "Pavel Karimov",
            "Saule Karimova"
        ]
    );
    assert!(
        visible_text(between(&after, "class=\"regional-statuses\">", "</ul>"))
            .contains("In progress: 2 Stalled: 5")
    );
    let moving = page(&app, &format!("{ALMATY_PAGE}?status=in-progress")).await;
    assert_eq!(names(&moving), ["Dana Recent", "Erlan Karimov"]);
    let found = page(&app, &format!("{ALMATY_PAGE}?q=MEKTEP")).await;
    assert_eq!(names(&found), ["Gulnar Karimova"]);
}

fn reminded_at(conn: &mut AnyConnection, id: i32) -> Option<NaiveDateTime> {
    users::table
        .find(id)
        .select(users::last_reminded_at)
        .first(conn)
        .expect("reminded at")
}

#[tokio::test]
async fn reminders_go_to_the_stalled_teachers_of_the_filter_once_a_week() {
    let (app, w) = signed_in("coordinator", Some("KZ-75")).await;
    let mut conn = app.conn();
    let coordinator: i32 = users::table
        .filter(users::email.eq(COORDINATOR))
        .select(users::id)
        .first(&mut conn)
        .expect("coordinator");
    let before_pavel = reminded_at(&mut conn, w.pavel);

    // The stalled Karimovs: Erlan and Gulnar get one; Pavel was reminded 3 days ago; Saule's
    // account is disabled.
    let response = app
        .post(
            &format!("{ALMATY_PAGE}/reminders"),
            &[("q", "karim"), ("status", "stalled")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        "/dashboard/regions/KZ-75?q=karim&status=stalled&sent=2&skipped=1#reminders"
    );
    let html = page(&app, &location(&response)).await;
    assert!(
        visible_text(&html).contains("2 reminders sent (1 skipped: reminded in the last 7 days)."),
        "{}",
        visible_text(&html)
    );

    let erlan = email_of(&mut conn, w.erlan);
    let mail = app.last_email_to(&erlan);
    assert_eq!(
        mail.subject, "Ustaz: курсты тоқтаған жерден жалғастырыңыз",
        "in the teacher's language (Kazakh by default)"
    );
    assert!(mail.text.contains("Erlan Karimov"), "{}", mail.text);
    assert!(mail.link("http").ends_with("/learn"), "{}", mail.text);
    let gulnar = app.last_email_to(&email_of(&mut conn, w.gulnar));
    assert_eq!(
        gulnar.subject,
        "Ustaz: продолжите обучение с того места, где остановились"
    );
    for id in [
        w.pavel,
        w.saule,
        w.bolat,
        w.rustem,
        w.aigul,
        w.akmola_stalled,
    ] {
        let email = email_of(&mut conn, id);
        assert!(app.emails_to(&email).is_empty(), "{email} got a reminder");
    }
    assert!(reminded_at(&mut conn, w.erlan).is_some_and(|at| at > days_ago(1)));
    assert!(reminded_at(&mut conn, w.gulnar).is_some_and(|at| at > days_ago(1)));
    assert_eq!(reminded_at(&mut conn, w.pavel), before_pavel);
    assert_eq!(reminded_at(&mut conn, w.saule), None);

    let events: Vec<(Option<i32>, String, Option<i32>, String)> = audit_events::table
        .filter(audit_events::action.eq("reminders.sent"))
        .select((
            audit_events::actor_id,
            audit_events::subject_type,
            audit_events::subject_id,
            audit_events::details,
        ))
        .load(&mut conn)
        .expect("audit");
    assert_eq!(events.len(), 1);
    let (actor, subject_type, subject_id, details) = &events[0];
    assert_eq!(*actor, Some(coordinator));
    assert_eq!(subject_type, "region");
    assert_eq!(*subject_id, Some(region_id(&mut conn, "KZ-75")));
    let details: serde_json::Value = serde_json::from_str(details).expect("json");
    assert_eq!(
        details,
        serde_json::json!({"after": {"sent": 2, "skipped": 1, "search": "karim"}})
    );

    // Again at once: nobody twice within 7 days.
    let again = app
        .post(
            &format!("{ALMATY_PAGE}/reminders"),
            &[("q", "karim"), ("status", "stalled")],
        )
        .await;
    assert!(
        location(&again).contains("sent=0&skipped=3"),
        "{}",
        location(&again)
    );
    assert_eq!(app.emails_to(&erlan).len(), 1);

    // The whole region: Bolat (never reminded) and Rustem (8 days ago) now.
    let all = app.post(&format!("{ALMATY_PAGE}/reminders"), &[]).await;
    assert_eq!(
        location(&all),
        "/dashboard/regions/KZ-75?sent=2&skipped=3#reminders"
    );
    for id in [w.bolat, w.rustem] {
        let mail = app.last_email_to(&email_of(&mut conn, id));
        assert!(mail.link("http").ends_with("/learn"));
    }
    assert!(app
        .emails_to(&email_of(&mut conn, w.akmola_stalled))
        .is_empty());
    // A filter with no stalled teachers in it sends nothing.
    let none = app
        .post(
            &format!("{ALMATY_PAGE}/reminders"),
            &[("status", "completed")],
        )
        .await;
    assert!(location(&none).contains("sent=0&skipped=0"));
    let count: i64 = audit_events::table
        .filter(audit_events::action.eq("reminders.sent"))
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(count, 3);

    // The audit log names the action.
    let admin_app = app.another_browser();
    admin_app.sign_in_english("admin", ADMIN, None).await;
    let log = visible_text(&page(&admin_app, "/admin/audit").await);
    assert!(log.contains("Reminders sent"), "{log}");
}

fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_schools_and_teachers_download_as_csv_and_xlsx_with_the_filters() {
    let (app, _) = signed_in("coordinator", Some("KZ-75")).await;

    let response = app
        .get(&format!("{ALMATY_PAGE}/schools/export?format=csv"))
        .await;
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("Almaty") && v.contains(".csv")));
    let rows = parse_csv(&response.bytes().await.expect("body"));
    assert_eq!(
        rows,
        [
            vec![
                "School",
                "District",
                "Teachers registered",
                "Teachers trained",
                "Inclusive conditions"
            ],
            vec!["Gymnasium No. 3", "", "3", "0", "Yes"],
            vec!["School No. 1", "Almaly", "3", "1", "Yes"],
            vec!["School No. 2", "Bostandyq", "4", "0", "No"],
        ]
    );

    let response = app
        .get(&format!(
            "{ALMATY_PAGE}/teachers/export?format=csv&status=stalled&q=karim"
        ))
        .await;
    assert_eq!(response.status(), 200);
    let rows = parse_csv(&response.bytes().await.expect("body"));
    assert_eq!(
        rows[0],
        [
            "Name",
            "Email",
            "School",
            "Category",
            "Status",
            "Last activity"
        ]
    );
    let listed: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("Erlan Karimov", "School No. 2", "Stalled"),
            ("Gulnar Karimova", "School No. 1", "Stalled"),
            ("Pavel Karimov", "School No. 2", "Stalled"),
            ("Saule Karimova", "Gymnasium No. 3", "Stalled"),
        ]
    );
    assert_eq!(rows[1][1], "erlan.karimov@school.kz");
    assert_eq!(
        rows[1][5],
        days_ago(31).date().format("%Y-%m-%d").to_string()
    );

    // XLSX: the whole region, read back.
    use calamine::{Data, Reader, Xlsx};
    let response = app
        .get(&format!("{ALMATY_PAGE}/teachers/export?format=xlsx"))
        .await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("Teachers").expect("sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows.len(), 12, "header and eleven teachers");
    assert_eq!(rows[0][0], Data::String("Name".into()));
    let statuses: BTreeMap<String, String> = rows[1..]
        .iter()
        .map(|r| (r[0].to_string(), r[4].to_string()))
        .collect();
    assert_eq!(statuses["Olga Finished"], "Completed");
    assert_eq!(statuses["Dana Recent"], "In progress");
    assert_eq!(statuses["Nurlan Idle"], "Not started");
    assert!(!statuses.contains_key("Akmola Karimov"));

    let response = app
        .get(&format!("{ALMATY_PAGE}/schools/export?format=xlsx"))
        .await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("Schools").expect("sheet");
    assert_eq!(sheet.rows().count(), 4);
    assert_eq!(
        sheet.get_value((2, 3)),
        Some(&Data::Float(1.0)),
        "School No. 1 has one trained teacher, as a number"
    );

    // No format, or an unknown one: not found.
    for path in ["teachers/export", "schools/export?format=pdf"] {
        let response = app.get(&format!("{ALMATY_PAGE}/{path}")).await;
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn an_administrator_sees_any_region_with_its_share_of_the_national_target() {
    let (app, _) = signed_in("admin", None).await;
    let text = visible_text(&page(&app, "/dashboard/regions/KZ-11").await);
    assert!(
        text.contains("Akmola Region: progress toward the target"),
        "{text}"
    );
    // No regional target: 30,000 × 2 of the 13 registered teachers.
    assert!(text.contains("1 of 4,615"), "{text}");
    assert!(text.contains("No regional target is set"), "{text}");
    assert!(text.contains("Akmola Karimov") && !text.contains("Erlan Karimov"));
    // Lower-case codes find the region too; unknown codes are not found.
    assert_eq!(app.get("/dashboard/regions/kz-75").await.status(), 200);
    assert_eq!(app.get("/dashboard/regions/KZ-99").await.status(), 404);
}

#[tokio::test]
async fn a_coordinator_sees_only_their_own_region() {
    let (app, browsers) = browsers().await;
    let rows = rows![
        GET "/dashboard/regions/KZ-75" => [SignIn, Denied, Page, Page],
        GET "/dashboard/regions/KZ-11" => [SignIn, Denied, Denied, Page],
        GET "/dashboard/regions/KZ-11?status=stalled&q=a" => [SignIn, Denied, Denied, Page],
        GET "/dashboard/regions/KZ-75/schools/export?format=csv" => [SignIn, Denied, Page, Page],
        GET "/dashboard/regions/KZ-11/schools/export?format=csv" => [SignIn, Denied, Denied, Page],
        GET "/dashboard/regions/KZ-11/teachers/export?format=xlsx" => [SignIn, Denied, Denied, Page],
        GET "/dashboard/regions/KZ-11/teachers/export?format=csv&status=stalled" => [SignIn, Denied, Denied, Page],
        POST "/dashboard/regions/KZ-75/reminders" => [SignIn, Denied, Redirect, Redirect],
        POST "/dashboard/regions/KZ-11/reminders" => [SignIn, Denied, Denied, Redirect],
    ];
    check_access(&browsers, &rows).await;

    // A refused reminder leaves no trace; the administrator's is in the log.
    let akmola = region_id(&mut app.conn(), "KZ-11");
    let actors: Vec<Option<i32>> = audit_events::table
        .filter(audit_events::action.eq("reminders.sent"))
        .filter(audit_events::subject_id.eq(akmola))
        .select(audit_events::actor_id)
        .load(&mut app.conn())
        .expect("events");
    let admin: i32 = users::table
        .filter(users::email.eq("admin@matrix.kz"))
        .select(users::id)
        .first(&mut app.conn())
        .expect("admin");
    assert_eq!(actors, [Some(admin)]);

    // An unknown region is not found (a coordinator always has a region: the schema says so).
    assert_eq!(
        browsers[2].get("/dashboard/regions/KZ-99").await.status(),
        404
    );

    // The national page links a coordinator to their own region only; an administrator to all.
    let links = |html: &str| -> Vec<String> {
        html.match_indices("href=\"/dashboard/regions/")
            .map(|(at, _)| {
                html[at + 6..]
                    .split('"')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    let coordinator = page(&browsers[2], "/dashboard").await;
    assert_eq!(
        links(&coordinator),
        ["/dashboard/regions/KZ-75", "/dashboard/regions/KZ-75"]
    );
    let text = visible_text(&coordinator);
    // (In the coordinator's saved language, Kazakh by default.)
    assert!(text.contains("Өңіріңіздің панелі: Алматы"), "{text}");
    let admin = page(&browsers[3], "/dashboard").await;
    assert_eq!(links(&admin).len(), 20);
    assert!(!admin.contains("class=\"button\" href=\"/dashboard/regions/"));
    assert!(coordinator.contains("class=\"button\" href=\"/dashboard/regions/KZ-75\""));
}
