//! The counting rule at work on the dashboards: small worlds where the naive counts differ from
//! the right one, and the national dashboard's page.

use diesel::prelude::*;
use ustaz::dashboards::models::{by_region, counted, current_national_target, Scope, Target};
use ustaz::schema::{certificates, targets, users};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{at, region_id, CertificateBuilder, CourseBuilder, EnrolmentBuilder};
use crate::fixtures::{TargetBuilder, UserBuilder};
use crate::helpers::{visible_text, TestApp};

/// Six teachers and seven certificates, of whom three count nationally:
/// - t1 (Abai): two certificates of counting courses: counted once;
/// - t2 (Abai): one revoked certificate: not counted;
/// - t3 (Almaty): issued in 2020, before the period: not counted;
/// - t4 (Almaty): a course that does not count: not counted;
/// - t5: certified in 2022 while in Abai, now moved to Almaty: counted, in Almaty;
/// - t6 (Almaty): a revoked certificate and a valid one: counted once.
fn world(conn: &mut ustaz::db::AnyConnection) -> Vec<i32> {
    let counting = |slug| CourseBuilder::new(slug).counting().published();
    let a = counting("counting-a").expect_build(conn);
    let b = counting("counting-b").expect_build(conn);
    let c = CourseBuilder::new("not-counting")
        .published()
        .expect_build(conn);
    let t: Vec<i32> = [
        ("t1@w.kz", "KZ-10"),
        ("t2@w.kz", "KZ-10"),
        ("t3@w.kz", "KZ-75"),
        ("t4@w.kz", "KZ-75"),
        ("t5@w.kz", "KZ-10"),
        ("t6@w.kz", "KZ-75"),
    ]
    .iter()
    .map(|(email, region)| {
        UserBuilder::teacher(email)
            .region(region)
            .expect_build(conn)
    })
    .collect();
    CertificateBuilder::new(t[0], a)
        .serial(1)
        .issued_on("2023-03-01 10:00:00")
        .expect_build(conn);
    CertificateBuilder::new(t[0], b)
        .serial(2)
        .issued_on("2024-05-01 10:00:00")
        .expect_build(conn);
    CertificateBuilder::new(t[1], a)
        .serial(3)
        .issued_on("2023-04-01 10:00:00")
        .revoked_on("2023-05-01 10:00:00")
        .expect_build(conn);
    CertificateBuilder::new(t[2], a)
        .serial(4)
        .issued_on("2020-06-01 10:00:00")
        .expect_build(conn);
    CertificateBuilder::new(t[3], c)
        .serial(5)
        .issued_on("2024-01-01 10:00:00")
        .expect_build(conn);
    CertificateBuilder::new(t[4], a)
        .serial(6)
        .issued_on("2022-09-01 10:00:00")
        .expect_build(conn);
    let almaty = region_id(conn, "KZ-75");
    diesel::update(users::table.find(t[4]))
        .set(users::region_id.eq(almaty))
        .execute(conn)
        .expect("move");
    CertificateBuilder::new(t[5], a)
        .serial(7)
        .issued_on("2022-02-01 10:00:00")
        .revoked_on("2022-03-01 10:00:00")
        .expect_build(conn);
    CertificateBuilder::new(t[5], b)
        .serial(8)
        .issued_on("2025-12-31 23:59:59")
        .expect_build(conn);
    t
}

/// Almaty's or Abai's target for 2021–2025, named after the region's id.
fn regional_target(conn: &mut ustaz::db::AnyConnection, code: &str, teachers: i32) -> Target {
    let region = region_id(conn, code);
    let id = TargetBuilder::new(&format!("Region {region}"), teachers)
        .region(code)
        .expect_build(conn);
    targets::table
        .find(id)
        .select(Target::as_select())
        .first(conn)
        .expect("target")
}

#[tokio::test]
async fn teachers_are_counted_once_by_the_rule_not_by_certificates() {
    let app = crate::helpers::spawn_app().await;
    let mut conn = app.conn();
    let t = world(&mut conn);
    let all: i64 = certificates::table
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(all, 8, "the naive count");

    let national = current_national_target(&mut conn, at("2025-06-01 00:00:00").date())
        .expect("query")
        .expect("national target");
    let scope = Scope::of(national.clone());
    let mut who: Vec<i32> = counted(&mut conn, &scope)
        .expect("counted")
        .iter()
        .map(|c| c.user_id)
        .collect();
    who.sort();
    assert_eq!(who, vec![t[0], t[4], t[5]]);
    // t6 counts from the day of their valid certificate, the last day of the period.
    let t6 = counted(&mut conn, &scope)
        .expect("counted")
        .into_iter()
        .find(|c| c.user_id == t[5])
        .expect("t6");
    assert_eq!(t6.counted_from, at("2025-12-31 23:59:59"));

    // Regional targets count the teachers of the region now: t5 moved to Almaty.
    let almaty = regional_target(&mut conn, "KZ-75", 10);
    let abai = regional_target(&mut conn, "KZ-10", 4);
    assert_eq!(
        counted(&mut conn, &Scope::of(almaty))
            .expect("almaty")
            .len(),
        2
    );
    assert_eq!(counted(&mut conn, &Scope::of(abai)).expect("abai").len(), 1);

    // One course, one category, a narrower period.
    let only_b = Scope {
        course_id: Some(
            ustaz::courses::models::course_by_slug(&mut conn, "counting-b")
                .expect("query")
                .expect("course")
                .id,
        ),
        ..Scope::of(national.clone())
    };
    assert_eq!(counted(&mut conn, &only_b).expect("b").len(), 2);
    let in_2022 = Scope {
        period: Some((
            at("2022-01-01 00:00:00").date(),
            at("2022-12-31 00:00:00").date(),
        )),
        ..Scope::of(national.clone())
    };
    assert_eq!(counted(&mut conn, &in_2022).expect("2022").len(), 1);
    let special = Scope {
        category: Some("special".to_owned()),
        ..Scope::of(national.clone())
    };
    assert_eq!(counted(&mut conn, &special).expect("special").len(), 0);

    // By region: the regional targets are the quotas; trained per region as above.
    let everyone = counted(&mut conn, &scope).expect("counted");
    let rows = by_region(&mut conn, &scope, &everyone).expect("by region");
    assert_eq!(rows.len(), 20);
    let (almaty, abai) = (region_id(&mut conn, "KZ-75"), region_id(&mut conn, "KZ-10"));
    let row = |id: i32| rows.iter().find(|r| r.region.id == id).expect("region");
    assert_eq!((row(almaty).trained, row(almaty).quota), (2, 10));
    assert!(row(almaty).quota_is_target);
    assert_eq!((row(abai).trained, row(abai).quota), (1, 4));
    assert_eq!(row(abai).registered, 2);
    assert_eq!(row(almaty).registered, 4);
    assert_eq!(rows.iter().map(|r| r.trained).sum::<i64>(), 3);
}

/// The small world, with its administrator reading English.
fn english_admin_world(app: &TestApp) {
    world(&mut app.conn());
    diesel::update(users::table.filter(users::email.eq("admin@matrix.kz")))
        .set(users::language.eq("en"))
        .execute(&mut app.conn())
        .expect("language");
}

#[tokio::test]
async fn the_national_dashboard_shows_the_count_regions_trend_and_groups() {
    let (app, browsers) = browsers().await;
    english_admin_world(&app);
    let admin = &browsers[3];
    let response = admin.get_in("/dashboard", "en").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    let text = visible_text(&html);
    assert!(text.contains("3 of 30,000"), "{text}");
    assert!(
        text.contains("Reached on") || text.contains("The deadline has passed"),
        "{text}"
    );
    assert!(html.contains("href=\"/dashboard/regions/KZ-75\""), "{html}");
    assert!(html.contains("<svg class=\"chart\""), "{html}");
    assert!(html.contains("<title id=\"chart-title\">"), "{html}");
    // The chart's numbers are in a table: December 2025 ends at 3.
    assert!(text.contains("December 2025 3 30,000"), "{text}");
    // Filters are in the URL: one course, then a category nobody is in.
    let course = ustaz::courses::models::course_by_slug(&mut app.conn(), "counting-b")
        .expect("query")
        .expect("course");
    let filtered = visible_text(
        &admin
            .get_in(&format!("/dashboard?course={}", course.id), "en")
            .await
            .text()
            .await
            .expect("body"),
    );
    assert!(filtered.contains("2 of 30,000"), "{filtered}");
    let nobody = visible_text(
        &admin
            .get_in("/dashboard?category=special", "en")
            .await
            .text()
            .await
            .expect("body"),
    );
    assert!(nobody.contains("0 of 30,000"), "{nobody}");
    // Sorting by a column marks it for assistive technology.
    let sorted = admin
        .get_in("/dashboard?sort=trained&dir=desc", "en")
        .await
        .text()
        .await
        .expect("body");
    assert!(
        sorted.contains("aria-sort=\"descending\"><a href=\"/dashboard?sort=trained&#38;dir=asc"),
        "{sorted}"
    );
    // Rubbish in the query string is the default view, not an error.
    let rubbish = admin
        .get_in("/dashboard?target=x&from=yesterday&course=-1", "en")
        .await;
    assert_eq!(rubbish.status(), 200);
}

#[tokio::test]
async fn the_national_dashboard_is_for_coordinators_and_administrators() {
    let (_app, browsers) = browsers().await;
    check_access(
        &browsers,
        &rows![GET "/dashboard" => [SignIn, Denied, Page, Page]],
    )
    .await;
}

#[tokio::test]
async fn cached_figures_follow_every_issue_and_revocation_at_once() {
    use ustaz::certificates::ops::{self as certs, IssueBy};
    let (app, browsers) = browsers().await;
    english_admin_world(&app);
    let admin = &browsers[3];
    let figure = || async {
        let text = visible_text(
            &admin
                .get_in("/dashboard", "en")
                .await
                .text()
                .await
                .expect("body"),
        );
        ["3 of", "4 of", "5 of"]
            .iter()
            .find(|f| text.contains(*f))
            .map(|f| f.to_owned())
            .unwrap_or_else(|| panic!("no figure in {text}"))
    };
    assert_eq!(figure().await, "3 of");
    assert_eq!(figure().await, "3 of", "served again (from the cache)");

    // A new teacher completes a counting course and is certified: counted at once.
    let enrolment = {
        let mut conn = app.conn();
        let teacher = UserBuilder::teacher("new@w.kz")
            .region("KZ-10")
            .expect_build(&mut conn);
        let course = ustaz::courses::models::course_by_slug(&mut conn, "counting-a")
            .expect("query")
            .expect("course");
        EnrolmentBuilder::new(teacher, course.id)
            .completed_on("2025-06-01 09:00:00")
            .expect_build(&mut conn)
    };
    let issued = certs::issue(
        &mut app.conn(),
        enrolment,
        IssueBy {
            admin: None,
            reason: None,
            now: at("2025-06-02 10:00:00"),
            base_url: "http://test",
        },
    )
    .expect("issue");
    assert_eq!(figure().await, "4 of");

    // Revoked: out of the count at once; reinstated: back.
    let certificate = issued.certificate().expect("certificate").clone();
    let admin_id: i32 = users::table
        .filter(users::email.eq("admin@matrix.kz"))
        .select(users::id)
        .first(&mut app.conn())
        .expect("admin");
    certs::revoke(
        &mut app.conn(),
        certificate.id,
        admin_id,
        "Error",
        at("2025-07-01 00:00:00"),
        "http://test",
    )
    .expect("revoke");
    assert_eq!(figure().await, "3 of");
    certs::reinstate(&mut app.conn(), certificate.id, admin_id, "http://test").expect("reinstate");
    assert_eq!(figure().await, "4 of");

    // A teacher who moves region moves in the table too.
    let almaty = region_id(&mut app.conn(), "KZ-75");
    diesel::update(users::table.filter(users::email.eq("new@w.kz")))
        .set(users::region_id.eq(almaty))
        .execute(&mut app.conn())
        .expect("move");
    let page = admin
        .get_in("/dashboard?sort=region", "en")
        .await
        .text()
        .await
        .expect("body");
    let text = visible_text(&page);
    assert!(text.contains("Almaty 6 5 4 3"), "{text}");
}

#[tokio::test]
async fn every_table_downloads_as_csv_and_xlsx_with_the_page_figures() {
    use calamine::Reader;
    let (app, browsers) = browsers().await;
    world(&mut app.conn());
    let admin = &browsers[3];
    let csv = admin.get_in("/dashboard/regions.csv", "en").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/csv"));
    let bytes = csv.bytes().await.expect("body");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 20);
    let almaty = rows.iter().find(|r| &r[0] == "KZ-75").expect("Almaty");
    // Code, name, registered, enrolled, in progress, trained.
    assert_eq!(&almaty[5], "2", "{almaty:?}");
    let abai = rows.iter().find(|r| &r[0] == "KZ-10").expect("Abai");
    assert_eq!(&abai[5], "1", "{abai:?}");

    let xlsx = admin.get_in("/dashboard/trend.xlsx", "en").await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.expect("body");
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .expect("an xlsx file");
    let sheet = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    // Header plus every month from January 2021 to December 2025; the last month counts 3.
    assert_eq!(sheet.height(), 61);
    assert_eq!(
        sheet.get((60, 1)).map(|c| c.to_string()),
        Some("3".to_owned())
    );

    for table in ["categories", "courses"] {
        let response = admin.get(&format!("/dashboard/{table}.csv")).await;
        assert_eq!(response.status(), 200, "{table}");
    }
    assert_eq!(admin.get("/dashboard/regions.pdf").await.status(), 404);
    let rows = rows![
        GET "/dashboard/regions.csv" => [SignIn, Denied, Page, Page],
        GET "/dashboard/courses.xlsx?category=general" => [SignIn, Denied, Page, Page],
    ];
    check_access(&browsers, &rows).await;
}
