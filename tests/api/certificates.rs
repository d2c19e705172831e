//! Certificate issuance, serials, revocation and reinstatement, on both databases.

use std::collections::HashSet;

use certs::{Issue, IssueBy};
use diesel::prelude::*;
use ustaz::dashboards::models::{current_national_target, trained_teachers};
use ustaz::schema::{audit_events, certificates, courses, users};

use crate::fixtures::{self, CourseBuilder, EnrolmentBuilder, UserBuilder};
use crate::helpers::{spawn_app, visible_text, TestApp};

/// The certificate queries and operations under one name, as these tests call them.
mod certs {
    pub use ustaz::certificates::models::*;
    pub use ustaz::certificates::ops::*;
}

const BASE: &str = "https://ustaz.test";

fn by(admin: Option<i32>, when: &str) -> IssueBy<'static> {
    IssueBy {
        admin,
        reason: admin.map(|_| "Reviewed the completion"),
        now: fixtures::at(when),
        base_url: BASE,
    }
}

fn certificate_count(app: &TestApp) -> i64 {
    certificates::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// Runs `issue` for the enrolments from `n` threads at once, each with its own connection.
fn issue_concurrently(app: &TestApp, enrolments: Vec<i32>) -> Vec<Issue> {
    let threads: Vec<_> = enrolments
        .into_iter()
        .map(|enrolment| {
            let pool = app.server.pool.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().expect("connection");
                certs::issue(&mut conn, enrolment, by(None, "2025-06-01 10:00:00")).expect("issue")
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect()
}

#[tokio::test]
async fn a_certificate_copies_the_facts_and_gets_a_serial_and_a_code() {
    let app = spawn_app().await;
    let (enrolment, teacher, course) = {
        let mut conn = app.conn();
        let teacher = UserBuilder::teacher("dana@school.kz")
            .region("KZ-75")
            .expect_build(&mut conn);
        let course = CourseBuilder::new("issued-course")
            .counting()
            .published()
            .expect_build(&mut conn);
        (
            EnrolmentBuilder::new(teacher, course)
                .completed_on("2025-05-31 09:00:00")
                .expect_build(&mut conn),
            teacher,
            course,
        )
    };
    let issued = certs::issue(
        &mut app.conn(),
        enrolment,
        by(Some(9999), "2025-06-01 10:00:00"),
    );
    // Issued by an administrator who does not exist: the foreign key refuses it, nothing is kept.
    assert!(issued.is_err());
    assert_eq!(certificate_count(&app), 0);

    let Issue::Issued(certificate) =
        certs::issue(&mut app.conn(), enrolment, by(None, "2025-06-01 10:00:00")).expect("issue")
    else {
        panic!("not issued");
    };
    assert_eq!(certificate.serial, "UST-2025-000001");
    assert_eq!(certificate.teacher_name, "Teacher dana@school.kz");
    assert_eq!(certificate.course_title, "Course issued-course");
    assert_eq!(certificate.hours, 72);
    assert_eq!(certificate.user_id, teacher);
    assert_eq!(
        certs::normalize_code(&certificate.display_code()),
        Some(certificate.verification_code.clone())
    );

    // Later edits to the course or the name leave the certificate as issued.
    diesel::update(courses::table.find(course))
        .set((courses::title.eq("Renamed"), courses::hours.eq(36)))
        .execute(&mut app.conn())
        .expect("rename");
    diesel::update(users::table.find(teacher))
        .set(users::full_name.eq("Someone else"))
        .execute(&mut app.conn())
        .expect("rename");
    let again = certs::issue(&mut app.conn(), enrolment, by(None, "2025-07-01 10:00:00"))
        .expect("issue again");
    assert_eq!(again, Issue::Existing(certificate.clone()));
    let stored = certs::by_serial(&mut app.conn(), "UST-2025-000001")
        .expect("query")
        .expect("stored");
    assert_eq!(stored.course_title, "Course issued-course");
    assert_eq!(stored.hours, 72);

    // The teacher was told, with both links; the event is audited.
    let email = app.last_email_to("dana@school.kz");
    assert!(
        email
            .text
            .contains(&format!("{BASE}/verify/{}", certificate.verification_code)),
        "{}",
        email.text
    );
    assert!(
        email
            .text
            .contains(&format!("{BASE}/certificates/UST-2025-000001.pdf")),
        "{}",
        email.text
    );
    let events: i64 = audit_events::table
        .filter(audit_events::action.eq("certificate.issued"))
        .count()
        .get_result(&mut app.conn())
        .expect("audit");
    assert_eq!(events, 1);
}

#[tokio::test]
async fn only_completed_enrolments_get_certificates() {
    let app = spawn_app().await;
    let enrolment = {
        let mut conn = app.conn();
        let teacher = UserBuilder::teacher("active@school.kz")
            .region("KZ-10")
            .expect_build(&mut conn);
        let course = CourseBuilder::new("active-course")
            .counting()
            .published()
            .expect_build(&mut conn);
        EnrolmentBuilder::new(teacher, course).expect_build(&mut conn)
    };
    let mut conn = app.conn();
    assert_eq!(
        certs::issue(&mut conn, enrolment, by(None, "2025-06-01 10:00:00")).expect("issue"),
        Issue::NotCompleted
    );
    assert_eq!(
        certs::issue(&mut conn, 999_999, by(None, "2025-06-01 10:00:00")).expect("issue"),
        Issue::NotCompleted
    );
    drop(conn);
    assert_eq!(certificate_count(&app), 0);
}

#[tokio::test]
async fn fifty_concurrent_requests_for_one_enrolment_issue_one_certificate() {
    let app = spawn_app().await;
    let enrolment = {
        let mut conn = app.conn();
        let teacher = UserBuilder::teacher("race@school.kz")
            .region("KZ-10")
            .expect_build(&mut conn);
        let course = CourseBuilder::new("race-course")
            .counting()
            .published()
            .expect_build(&mut conn);
        EnrolmentBuilder::new(teacher, course)
            .completed_on("2025-05-31 09:00:00")
            .expect_build(&mut conn)
    };
    let results = issue_concurrently(&app, vec![enrolment; 50]);
    let issued = results
        .iter()
        .filter(|r| matches!(r, Issue::Issued(_)))
        .count();
    assert_eq!(issued, 1, "{results:?}");
    let serials: HashSet<_> = results
        .iter()
        .map(|r| r.certificate().expect("a certificate").serial.clone())
        .collect();
    assert_eq!(serials.len(), 1);
    assert_eq!(certificate_count(&app), 1);
    assert_eq!(app.emails_to("race@school.kz").len(), 1);
}

#[tokio::test]
async fn serials_run_per_year_without_gaps_or_repeats_under_concurrency() {
    let app = spawn_app().await;
    let enrolments: Vec<i32> = {
        let mut conn = app.conn();
        let course = CourseBuilder::new("serial-course")
            .counting()
            .published()
            .expect_build(&mut conn);
        (0..50)
            .map(|i| {
                let teacher = UserBuilder::teacher(&format!("t{i}@school.kz"))
                    .region("KZ-10")
                    .expect_build(&mut conn);
                EnrolmentBuilder::new(teacher, course)
                    .completed_on("2025-05-31 09:00:00")
                    .expect_build(&mut conn)
            })
            .collect()
    };
    let results = issue_concurrently(&app, enrolments);
    let mut numbers: Vec<String> = results
        .iter()
        .map(|r| match r {
            Issue::Issued(c) => c.serial.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=50).map(|n| format!("UST-2025-{n:06}")).collect();
    assert_eq!(numbers, expected);
    let codes: HashSet<_> = results
        .iter()
        .filter_map(|r| r.certificate().map(|c| c.verification_code.clone()))
        .collect();
    assert_eq!(codes.len(), 50);

    // A new year starts again at 1.
    let next_year = {
        let mut conn = app.conn();
        let course = CourseBuilder::new("next-year")
            .counting()
            .published()
            .expect_build(&mut conn);
        let teacher = UserBuilder::teacher("new-year@school.kz")
            .region("KZ-10")
            .expect_build(&mut conn);
        let enrolment = EnrolmentBuilder::new(teacher, course)
            .completed_on("2025-12-31 23:00:00")
            .expect_build(&mut conn);
        certs::issue(&mut conn, enrolment, by(None, "2026-01-01 00:00:01")).expect("issue")
    };
    assert_eq!(
        next_year.certificate().expect("issued").serial,
        "UST-2026-000001"
    );
}

#[tokio::test]
async fn revoking_and_reinstating_are_recorded_and_told() {
    let app = spawn_app().await;
    let (admin, certificate) = {
        let mut conn = app.conn();
        let teacher = UserBuilder::teacher("revoked@school.kz")
            .region("KZ-10")
            .language("en")
            .expect_build(&mut conn);
        let admin = UserBuilder::teacher("admin@ustaz.kz").expect_build(&mut conn);
        let course = CourseBuilder::new("revoked-course")
            .counting()
            .published()
            .expect_build(&mut conn);
        let enrolment = EnrolmentBuilder::new(teacher, course)
            .completed_on("2025-05-31 09:00:00")
            .expect_build(&mut conn);
        let issued =
            certs::issue(&mut conn, enrolment, by(None, "2025-06-01 10:00:00")).expect("issue");
        (admin, issued.certificate().expect("issued").clone())
    };
    let mut conn = app.conn();
    let target = current_national_target(&mut conn, fixtures::at("2025-07-01 00:00:00").date())
        .expect("target")
        .expect("the national target");
    assert_eq!(trained_teachers(&mut conn, &target).expect("count"), 1);
    let when = fixtures::at("2025-07-01 12:00:00");
    assert!(certs::revoke(
        &mut conn,
        certificate.id,
        admin,
        "Plagiarised final work",
        when,
        BASE
    )
    .expect("revoke"));
    assert!(!certs::revoke(&mut conn, certificate.id, admin, "Again", when, BASE).expect("revoke"));
    let revoked = certs::by_serial(&mut conn, &certificate.serial)
        .expect("query")
        .expect("certificate");
    assert_eq!(revoked.revoked_at, Some(when));
    // A revoked certificate no longer counts toward any target.
    assert_eq!(trained_teachers(&mut conn, &target).expect("count"), 0);
    assert_eq!(
        revoked.revocation_reason.as_deref(),
        Some("Plagiarised final work")
    );
    let email = app.last_email_to("revoked@school.kz");
    assert!(
        email.subject.contains(&certificate.serial),
        "{}",
        email.subject
    );
    assert!(visible_text(&email.text).contains("Plagiarised final work"));

    assert!(certs::reinstate(&mut conn, certificate.id, admin, BASE).expect("reinstate"));
    assert!(!certs::reinstate(&mut conn, certificate.id, admin, BASE).expect("reinstate"));
    let valid = certs::by_serial(&mut conn, &certificate.serial)
        .expect("query")
        .expect("certificate");
    assert_eq!(valid.revoked_at, None);
    assert_eq!(trained_teachers(&mut conn, &target).expect("count"), 1);
    assert_eq!(valid.revocation_reason, None);
    assert!(app
        .last_email_to("revoked@school.kz")
        .subject
        .contains("valid again"));
    let actions: Vec<String> = audit_events::table
        .filter(audit_events::subject_type.eq("certificate"))
        .order(audit_events::id)
        .select(audit_events::action)
        .load(&mut conn)
        .expect("audit");
    assert_eq!(
        actions,
        [
            "certificate.issued",
            "certificate.revoked",
            "certificate.reinstated"
        ]
    );
}
