//! The administrators' certificate pages: the review queue, manual issuance, the register,
//! revocation and reinstatement, as an administrator uses them in a browser.

use certs::{Certificate, Issue, IssueBy};
use diesel::prelude::*;
use ustaz::schema::{audit_events, certificates, enrolments};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{self, CertificateBuilder, CourseBuilder, EnrolmentBuilder, UserBuilder};
use crate::helpers::{location, spawn_admin_app, text_of, visible_text, TestApp, ADMIN, PASSWORD};

/// The certificate queries and operations under one name, as these tests call them.
mod certs {
    pub use ustaz::certificates::models::*;
    pub use ustaz::certificates::ops::*;
}

const BASE: &str = "https://ustaz.test";

/// A teacher of Almaty (unless placed elsewhere) who reads email in English.
fn teacher(email: &str) -> UserBuilder {
    UserBuilder::teacher(email).region("KZ-75").language("en")
}

/// A course that counts toward the targets, published.
fn course(slug: &str) -> CourseBuilder {
    CourseBuilder::new(slug).counting().published()
}

fn all_certificates(app: &TestApp) -> Vec<Certificate> {
    certificates::table
        .order(certificates::id.asc())
        .select(Certificate::as_select())
        .load(&mut app.conn())
        .expect("certificates")
}

fn certificate_of(app: &TestApp, enrolment_id: i32) -> Option<Certificate> {
    certs::of_enrolment(&mut app.conn(), enrolment_id).expect("query")
}

fn audit_count(app: &TestApp, action: &str) -> i64 {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .expect("audit")
}

/// Issues a certificate straight through the model, at `when`.
fn issue(app: &TestApp, enrolment_id: i32, when: &str) -> Certificate {
    let issued = certs::issue(
        &mut app.conn(),
        enrolment_id,
        IssueBy {
            admin: None,
            reason: None,
            now: fixtures::at(when),
            base_url: BASE,
        },
    )
    .expect("issue");
    match issued {
        Issue::Issued(certificate) => certificate,
        other => panic!("not issued: {other:?}"),
    }
}

fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text}"))
}

// ---- The review queue ---------------------------------------------------------------------

#[tokio::test]
async fn the_queue_lists_completions_without_certificates_oldest_first_and_filters_them() {
    let (app, _) = spawn_admin_app().await;
    let (inclusion, sen, certified) = {
        let conn = &mut app.conn();
        let aigerim = teacher("aigerim@school.kz").expect_build(conn);
        let bolat = teacher("bolat@school.kz")
            .region("KZ-71")
            .expect_build(conn);
        let dana = teacher("dana@school.kz").expect_build(conn);
        let erlan = teacher("erlan@school.kz").expect_build(conn);
        let inclusion = course("inclusion").expect_build(conn);
        let sen = course("sen").expect_build(conn);
        let completed =
            |teacher, course, when| EnrolmentBuilder::new(teacher, course).completed_on(when);
        completed(aigerim, inclusion, "2025-03-01 10:00:00").expect_build(conn);
        completed(bolat, inclusion, "2025-02-01 10:00:00").expect_build(conn);
        completed(dana, sen, "2025-04-01 10:00:00").expect_build(conn);
        // Not in the queue: an enrolment still in progress, and a completion already certified.
        EnrolmentBuilder::new(aigerim, sen).expect_build(conn);
        let certified = completed(erlan, inclusion, "2025-01-01 10:00:00").expect_build(conn);
        (inclusion, sen, certified)
    };
    issue(&app, certified, "2025-01-02 10:00:00");

    let text = text_of(app.get("/admin/certificates/queue").await).await;
    assert!(text.contains("3 completions await a certificate"), "{text}");
    let (b, a, d) = (
        position(&text, "bolat@school.kz"),
        position(&text, "aigerim@school.kz"),
        position(&text, "dana@school.kz"),
    );
    assert!(b < a && a < d, "oldest completion first: {text}");
    assert!(!text.contains("erlan@school.kz"), "{text}");
    assert!(text.contains("1 February 2025") && text.contains("Astana"));
    assert!(text.contains("Issue selected"));

    let by_course = text_of(
        app.get(&format!("/admin/certificates/queue?course={sen}"))
            .await,
    )
    .await;
    assert!(by_course.contains("1 completion awaits a certificate"));
    assert!(by_course.contains("dana@school.kz") && !by_course.contains("aigerim@school.kz"));

    let by_region = text_of(app.get("/admin/certificates/queue?region=KZ-71").await).await;
    assert!(by_region.contains("bolat@school.kz"), "{by_region}");
    assert!(!by_region.contains("aigerim@school.kz") && !by_region.contains("dana@school.kz"));

    let both = text_of(
        app.get(&format!(
            "/admin/certificates/queue?course={inclusion}&region=KZ-75"
        ))
        .await,
    )
    .await;
    assert!(both.contains("aigerim@school.kz"));
    assert!(!both.contains("bolat@school.kz") && !both.contains("dana@school.kz"));

    let none = text_of(app.get("/admin/certificates/queue?region=KZ-79").await).await;
    assert!(
        none.contains("No completions awaiting a certificate match these filters"),
        "{none}"
    );
    assert!(!none.contains("Issue selected"));

    // Every box is labelled with its teacher and course.
    let html = app
        .get("/admin/certificates/queue")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains(
        "<label for=\"enrolment\">Teacher bolat@school.kz<span class=\"visually-hidden\">, Course inclusion</span></label>"
    ), "{html}");
}

#[tokio::test]
async fn issuing_the_selection_issues_exactly_those_and_again_is_harmless() {
    let (app, admin) = spawn_admin_app().await;
    let (course_id, a, b, c) = {
        let conn = &mut app.conn();
        let course_id = course("inclusion").expect_build(conn);
        let mut completed = |email, when| {
            let teacher = teacher(email).expect_build(conn);
            EnrolmentBuilder::new(teacher, course_id)
                .completed_on(when)
                .expect_build(conn)
        };
        let a = completed("a@school.kz", "2025-03-01 10:00:00");
        let b = completed("b@school.kz", "2025-03-02 10:00:00");
        let c = completed("c@school.kz", "2025-03-03 10:00:00");
        (course_id, a, b, c)
    };
    let (a_id, b_id) = (a.to_string(), b.to_string());
    let course_param = course_id.to_string();
    let response = app
        .post(
            "/admin/certificates/queue",
            &[
                ("enrolment", a_id.as_str()),
                ("enrolment", b_id.as_str()),
                ("course", course_param.as_str()),
                ("region", "KZ-75"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let back = location(&response);
    assert_eq!(
        back,
        format!("/admin/certificates/queue?course={course_id}&region=KZ-75&issued=2&already=0")
    );
    let text = text_of(app.get(&back).await).await;
    assert!(text.contains("2 certificates issued."), "{text}");
    assert!(text.contains("c@school.kz") && !text.contains("a@school.kz"));

    for enrolment in [a, b] {
        let certificate = certificate_of(&app, enrolment).expect("issued");
        assert_eq!(certificate.issued_by, Some(admin));
        assert_eq!(certificate.issue_reason, None);
    }
    assert!(certificate_of(&app, c).is_none());
    assert_eq!(all_certificates(&app).len(), 2);
    assert_eq!(audit_count(&app, "certificate.issued"), 2);
    for email in ["a@school.kz", "b@school.kz"] {
        assert_eq!(app.emails_to(email).len(), 1, "{email}");
    }
    assert!(app.emails_to("c@school.kz").is_empty());

    // The same submission again (a second tab, a double click) changes nothing.
    let again = app
        .post("/admin/certificates/queue", &[("enrolment", a_id.as_str())])
        .await;
    assert_eq!(again.status(), 303);
    assert_eq!(
        location(&again),
        "/admin/certificates/queue?issued=0&already=1"
    );
    let text = text_of(app.get(&location(&again)).await).await;
    assert!(
        text.contains("0 certificates issued. 1 of the selected teachers already had one."),
        "{text}"
    );
    assert_eq!(all_certificates(&app).len(), 2);
    assert_eq!(app.emails_to("a@school.kz").len(), 1);
}

#[tokio::test]
async fn bad_selections_are_refused_with_nothing_issued() {
    let (app, _) = spawn_admin_app().await;
    let (waiting, learning) = {
        let conn = &mut app.conn();
        let course_id = course("inclusion").expect_build(conn);
        let waiting = teacher("waiting@school.kz").expect_build(conn);
        let learning = teacher("learning@school.kz").expect_build(conn);
        (
            EnrolmentBuilder::new(waiting, course_id)
                .completed_on("2025-03-01 10:00:00")
                .expect_build(conn),
            EnrolmentBuilder::new(learning, course_id).expect_build(conn),
        )
    };
    let waiting = waiting.to_string();
    let learning = learning.to_string();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[], "Select at least one teacher"),
        (&[("enrolment", "")], "could not be read"),
        (
            &[("enrolment", waiting.as_str()), ("enrolment", "abc")],
            "could not be read",
        ),
        (
            &[("enrolment", waiting.as_str()), ("enrolment", "999999")],
            "Nothing has been issued: 1 of the selected completions is no longer in the queue",
        ),
        (
            &[
                ("enrolment", waiting.as_str()),
                ("enrolment", learning.as_str()),
            ],
            "Nothing has been issued",
        ),
    ];
    for (form, message) in cases {
        let response = app.post("/admin/certificates/queue", form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let html = response.text().await.expect("body");
        let text = visible_text(&html);
        assert!(text.starts_with("Error:"), "{text}");
        assert!(text.contains(message), "{form:?}: {text}");
        assert!(html.contains("id=\"enrolment-error\""), "{html}");
    }
    // A refused selection comes back ticked.
    let response = app
        .post(
            "/admin/certificates/queue",
            &[("enrolment", waiting.as_str()), ("enrolment", "999999")],
        )
        .await;
    let html = response.text().await.expect("body");
    assert!(
        html.contains(&format!("value=\"{waiting}\" checked")),
        "{html}"
    );

    assert!(all_certificates(&app).is_empty());
    assert!(app.emails_to("waiting@school.kz").is_empty());
    assert_eq!(audit_count(&app, "certificate.issued"), 0);
}

// ---- Manual issuance ----------------------------------------------------------------------

#[derive(Debug, Queryable)]
struct StoredEnrolment {
    status: String,
    completed_at: Option<chrono::NaiveDateTime>,
    withdrawn_at: Option<chrono::NaiveDateTime>,
}

fn stored_enrolment(app: &TestApp, user_id: i32, course_id: i32) -> Option<StoredEnrolment> {
    enrolments::table
        .filter(enrolments::user_id.eq(user_id))
        .filter(enrolments::course_id.eq(course_id))
        .select((
            enrolments::status,
            enrolments::completed_at,
            enrolments::withdrawn_at,
        ))
        .first(&mut app.conn())
        .optional()
        .expect("enrolment")
}

#[tokio::test]
async fn manual_issuance_records_the_completion_and_issues_with_the_reason() {
    let (app, admin) = spawn_admin_app().await;
    let course_id = course("inclusion").expect_build(&mut app.conn());
    let newcomer = teacher("newcomer@school.kz").expect_build(&mut app.conn());
    let form = app.get("/admin/certificates/new").await;
    assert_eq!(form.status(), 200);
    let form_text = text_of(form).await;
    assert!(form_text.contains("Course inclusion"), "{form_text}");

    let course_param = course_id.to_string();
    let reason = "Completed in person at the Almaty institute, order No. 12";
    let response = app
        .post(
            "/admin/certificates/new",
            &[
                ("email", " NewComer@School.kz "),
                ("course", course_param.as_str()),
                ("completed_on", "2024-05-20"),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let certificate = all_certificates(&app).pop().expect("issued");
    assert_eq!(
        location(&response),
        format!("/admin/certificates/{}?done=issued", certificate.serial)
    );
    assert_eq!(certificate.user_id, newcomer);
    assert_eq!(certificate.course_id, course_id);
    assert_eq!(certificate.issued_by, Some(admin));
    assert_eq!(certificate.issue_reason.as_deref(), Some(reason));
    let enrolment = stored_enrolment(&app, newcomer, course_id).expect("enrolment");
    assert_eq!(enrolment.status, "completed");
    assert_eq!(
        enrolment.completed_at,
        Some(fixtures::at("2024-05-20 00:00:00"))
    );
    assert_eq!(app.emails_to("newcomer@school.kz").len(), 1);
    assert_eq!(audit_count(&app, "certificate.issued"), 1);
    assert_eq!(audit_count(&app, "enrolment.completed_outside"), 1);

    let page = text_of(app.get(&location(&response)).await).await;
    assert!(page.contains("The certificate has been issued."), "{page}");
    assert!(page.contains(reason));
    assert!(
        page.contains("Administrator") || page.contains(ADMIN),
        "{page}"
    );

    // A withdrawn enrolment is completed on the date given.
    let (returning, enrolment_id) = {
        let conn = &mut app.conn();
        let returning = teacher("returning@school.kz")
            .region("KZ-71")
            .expect_build(conn);
        let enrolment_id = EnrolmentBuilder::new(returning, course_id)
            .withdrawn_on("2025-01-10 09:00:00")
            .expect_build(conn);
        (returning, enrolment_id)
    };
    let response = app
        .post(
            "/admin/certificates/new",
            &[
                ("email", "returning@school.kz"),
                ("course", course_param.as_str()),
                ("completed_on", "2025-02-03"),
                ("reason", "Finished the course offline"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let enrolment = stored_enrolment(&app, returning, course_id).expect("enrolment");
    assert_eq!(enrolment.status, "completed");
    assert_eq!(
        enrolment.completed_at,
        Some(fixtures::at("2025-02-03 00:00:00"))
    );
    assert_eq!(enrolment.withdrawn_at, None);
    assert!(certificate_of(&app, enrolment_id).is_some());
    assert_eq!(audit_count(&app, "enrolment.completed_outside"), 2);

    // A second certificate of the same course is refused, next to the course.
    let response = app
        .post(
            "/admin/certificates/new",
            &[
                ("email", "newcomer@school.kz"),
                ("course", course_param.as_str()),
                ("completed_on", "2024-06-01"),
                ("reason", "Again"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(html.contains("id=\"course-error\""), "{html}");
    assert!(
        visible_text(&html).contains(&format!(
            "Teacher newcomer@school.kz already has certificate {} for this course.",
            certificate.serial
        )),
        "{html}"
    );
    assert_eq!(all_certificates(&app).len(), 2);
    assert_eq!(app.emails_to("newcomer@school.kz").len(), 1);
    assert_eq!(audit_count(&app, "enrolment.completed_outside"), 2);
}

#[tokio::test]
async fn manual_issuance_refuses_bad_input_and_keeps_nothing() {
    let (app, _) = spawn_admin_app().await;
    let (course_id, draft) = {
        let conn = &mut app.conn();
        let course_id = course("inclusion").expect_build(conn).to_string();
        let draft = CourseBuilder::new("draft")
            .counting()
            .expect_build(conn)
            .to_string();
        teacher("teacher@school.kz").expect_build(conn);
        (course_id, draft)
    };
    app.create_user(
        "coordinator",
        "coordinator@school.kz",
        PASSWORD,
        Some("KZ-75"),
    );
    let good = [
        ("email", "teacher@school.kz"),
        ("course", course_id.as_str()),
        ("completed_on", "2025-01-15"),
        ("reason", "Completed in person"),
    ];
    let future = (chrono::Utc::now().date_naive() + chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let long = "x".repeat(501);
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("email", "", "email", "Enter the teacher's email address."),
        ("email", "not-an-email", "email", "in the correct format"),
        (
            "email",
            "nobody@school.kz",
            "email",
            "No account has this email address.",
        ),
        (
            "email",
            "coordinator@school.kz",
            "email",
            "This account is not a teacher's.",
        ),
        ("email", ADMIN, "email", "This account is not a teacher's."),
        ("course", "", "course", "Choose the course."),
        ("course", "abc", "course", "Choose the course."),
        ("course", draft.as_str(), "course", "Choose the course."),
        (
            "completed_on",
            "",
            "completed_on",
            "Enter the date of completion.",
        ),
        (
            "completed_on",
            "15.01.2025",
            "completed_on",
            "Enter a real date of completion",
        ),
        (
            "completed_on",
            future.as_str(),
            "completed_on",
            "cannot be in the future",
        ),
        (
            "completed_on",
            "1999-12-31",
            "completed_on",
            "must be in 2000 or later",
        ),
        ("reason", "   ", "reason", "Enter the reason."),
        ("reason", long.as_str(), "reason", "500 characters or fewer"),
    ];
    for (field, value, error_field, message) in cases {
        let form: Vec<(&str, &str)> = good
            .iter()
            .map(|&(name, v)| {
                if name == field {
                    (name, value)
                } else {
                    (name, v)
                }
            })
            .collect();
        let response = app.post("/admin/certificates/new", &form).await;
        assert_eq!(response.status(), 422, "{field}={value}");
        let html = response.text().await.expect("body");
        assert!(
            html.contains(&format!("id=\"{error_field}-error\"")),
            "{field}={value}: {html}"
        );
        // The message is linked to its field.
        assert!(
            html.contains(&format!("{error_field}-error\" aria-invalid=\"true\"")),
            "{field}={value}: {html}"
        );
        let text = visible_text(&html);
        assert!(text.starts_with("Error:"), "{text}");
        assert!(text.contains(message), "{field}={value}: {text}");
        // What was typed comes back.
        if field == "reason" && !value.trim().is_empty() {
            assert!(html.contains(value));
        }
    }
    assert!(all_certificates(&app).is_empty());
    let enrolments: i64 = enrolments::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(enrolments, 0);
    assert_eq!(audit_count(&app, "enrolment.completed_outside"), 0);
    assert!(app.emails_to("teacher@school.kz").is_empty());
}

// ---- A certificate: revocation and reinstatement -------------------------------------------

#[tokio::test]
async fn revoking_needs_a_reason_tells_the_teacher_and_can_be_undone() {
    let (app, admin) = spawn_admin_app().await;
    let (teacher_id, enrolment) = {
        let conn = &mut app.conn();
        let teacher_id = teacher("dana@school.kz").expect_build(conn);
        let course_id = course("inclusion").expect_build(conn);
        let enrolment = EnrolmentBuilder::new(teacher_id, course_id)
            .completed_on("2025-05-30 10:00:00")
            .expect_build(conn);
        (teacher_id, enrolment)
    };
    let certificate = issue(&app, enrolment, "2025-06-01 10:00:00");
    let path = format!("/admin/certificates/{}", certificate.serial);

    let html = app.get(&path).await.text().await.expect("body");
    let text = visible_text(&html);
    for expected in [
        certificate.serial.as_str(),
        &certificate.display_code(),
        "Teacher dana@school.kz",
        "Course inclusion",
        "72 hours",
        "1 June 2025",
        "Automatically, on completion of the course",
        "Valid",
        "Revoke the certificate",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    for link in [
        format!("href=\"/certificates/{}.pdf\"", certificate.serial),
        format!(
            "href=\"/certificates/{}/credential.jwt\"",
            certificate.serial
        ),
        format!("href=\"/verify/{}\"", certificate.verification_code),
        format!("href=\"/admin/users/{teacher_id}\""),
    ] {
        assert!(html.contains(&link), "{link}: {html}");
    }

    // No reason: refused next to the field, nothing changed, no email.
    let refused = app
        .post(&format!("{path}/revoke"), &[("reason", "  ")])
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("body");
    assert!(html.contains("id=\"reason-error\""));
    assert!(html.contains("aria-describedby=\"reason-hint reason-error\""));
    assert!(visible_text(&html).contains("Enter the reason."));
    assert!(!certificate_of(&app, enrolment).expect("kept").is_revoked());
    assert_eq!(app.emails_to("dana@school.kz").len(), 1);
    let too_long = app
        .post(&format!("{path}/revoke"), &[("reason", &"x".repeat(501))])
        .await;
    assert_eq!(too_long.status(), 422);
    assert!(!certificate_of(&app, enrolment).expect("kept").is_revoked());

    let reason = "Issued in error: the teacher did not complete the final quiz";
    let response = app
        .post(&format!("{path}/revoke"), &[("reason", reason)])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{path}?done=revoked"));
    let stored = certificate_of(&app, enrolment).expect("kept");
    assert!(stored.is_revoked());
    assert_eq!(stored.revoked_by, Some(admin));
    assert_eq!(stored.revocation_reason.as_deref(), Some(reason));
    let email = app.last_email_to("dana@school.kz");
    assert!(email.subject.contains(&certificate.serial), "{email:?}");
    assert!(email.subject.contains("revoked"), "{email:?}");
    assert!(email.text.contains(reason));
    assert_eq!(audit_count(&app, "certificate.revoked"), 1);

    let text = text_of(app.get(&location(&response)).await).await;
    assert!(text.contains("The certificate has been revoked."), "{text}");
    assert!(text.contains("Status: Revoked"), "{text}");
    assert!(text.contains(reason));
    assert!(text.contains("Reinstate the certificate"));
    assert!(!text.contains("Revoke the certificate"));

    // Revoking again changes nothing.
    let again = app
        .post(&format!("{path}/revoke"), &[("reason", "Another reason")])
        .await;
    assert_eq!(location(&again), format!("{path}?done=already-revoked"));
    assert_eq!(
        certificate_of(&app, enrolment)
            .expect("kept")
            .revocation_reason
            .as_deref(),
        Some(reason)
    );
    assert_eq!(app.emails_to("dana@school.kz").len(), 2);

    let reinstated = app.post(&format!("{path}/reinstate"), &[]).await;
    assert_eq!(reinstated.status(), 303);
    assert_eq!(location(&reinstated), format!("{path}?done=reinstated"));
    assert!(!certificate_of(&app, enrolment).expect("kept").is_revoked());
    assert!(app
        .last_email_to("dana@school.kz")
        .subject
        .contains("valid again"));
    assert_eq!(audit_count(&app, "certificate.reinstated"), 1);
    let text = text_of(app.get(&location(&reinstated)).await).await;
    assert!(text.contains("reinstated and is valid again"), "{text}");
    assert!(text.contains("Status: Valid"));

    let again = app.post(&format!("{path}/reinstate"), &[]).await;
    assert_eq!(location(&again), format!("{path}?done=not-revoked"));
    assert_eq!(app.emails_to("dana@school.kz").len(), 3);

    // The audit log names the certificate actions.
    let audit = text_of(app.get("/admin/audit").await).await;
    for label in [
        "Certificate issued",
        "Certificate revoked",
        "Certificate reinstated",
    ] {
        assert!(audit.contains(label), "{label}: {audit}");
    }
}

#[tokio::test]
async fn unknown_serials_are_not_found() {
    let (app, _) = spawn_admin_app().await;
    for path in [
        "/admin/certificates/UST-2025-999999",
        "/admin/certificates/not-a-serial",
        "/admin/certificates/UST-2025-1",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
    for path in [
        "/admin/certificates/UST-2025-999999/revoke",
        "/admin/certificates/UST-2025-999999/reinstate",
        "/admin/certificates/whatever/revoke",
    ] {
        let response = app.post(path, &[("reason", "Because")]).await;
        assert_eq!(response.status(), 404, "{path}");
    }
}

// ---- The register -------------------------------------------------------------------------

#[tokio::test]
async fn the_register_searches_filters_and_pages() {
    let (app, admin) = spawn_admin_app().await;
    let (inclusion, sen, completions) = {
        let conn = &mut app.conn();
        let inclusion = course("inclusion").expect_build(conn);
        let sen = course("sen").expect_build(conn);
        let aigerim = teacher("aigerim@school.kz")
            .name("Айгерім Нұрланқызы")
            .expect_build(conn);
        let bolat = teacher("bolat@school.kz")
            .region("KZ-71")
            .expect_build(conn);
        let dana = teacher("dana@school.kz").expect_build(conn);
        let completions = [
            (aigerim, inclusion, "2025-01-09 10:00:00"),
            (bolat, sen, "2025-02-09 10:00:00"),
            (dana, inclusion, "2025-03-09 10:00:00"),
        ]
        .map(|(teacher, course, when)| {
            EnrolmentBuilder::new(teacher, course)
                .completed_on(when)
                .expect_build(conn)
        });
        (inclusion, sen, completions)
    };
    let first = issue(&app, completions[0], "2025-01-10 10:00:00");
    let second = issue(&app, completions[1], "2025-02-10 10:00:00");
    let third = issue(&app, completions[2], "2025-03-10 10:00:00");
    assert!(certs::revoke(
        &mut app.conn(),
        third.id,
        admin,
        "Duplicate",
        fixtures::at("2025-03-11 10:00:00"),
        BASE
    )
    .expect("revoke"));

    let html = app
        .get("/admin/certificates")
        .await
        .text()
        .await
        .expect("body");
    let text = visible_text(&html);
    assert!(text.contains("3 certificates"), "{text}");
    let (p3, p2, p1) = (
        position(&text, &third.serial),
        position(&text, &second.serial),
        position(&text, &first.serial),
    );
    assert!(p3 < p2 && p2 < p1, "newest first: {text}");
    assert!(text.contains("Айгерім Нұрланқызы") && text.contains("10 January 2025"));
    assert!(text.contains("72 hours") && text.contains("Revoked") && text.contains("Valid"));
    assert!(html.contains(&format!("href=\"/admin/certificates/{}\"", first.serial)));

    let shows = |text: &str, expected: &[&Certificate]| {
        for c in [&first, &second, &third] {
            assert_eq!(
                text.contains(&c.serial),
                expected.iter().any(|e| e.serial == c.serial),
                "{}: {text}",
                c.serial
            );
        }
    };
    for (query, expected) in [
        ("q=%D0%B0%D0%B9%D0%B3%D0%B5%D1%80%D1%96%D0%BC", vec![&first]), // "айгерім"
        ("q=BOLAT%40school", vec![&second]),
        ("q=ust-2025-000002", vec![&second]),
        ("q=%25", vec![]),
        ("status=revoked", vec![&third]),
        ("status=valid", vec![&first, &second]),
        (&*format!("course={inclusion}"), vec![&first, &third]),
        (
            &*format!("course={inclusion}&status=valid&q=school"),
            vec![&first],
        ),
        ("status=nonsense&course=abc", vec![&first, &second, &third]),
    ] {
        let text = text_of(app.get(&format!("/admin/certificates?{query}")).await).await;
        shows(&text, &expected);
        if expected.is_empty() {
            assert!(
                text.contains("No certificates match these filters"),
                "{text}"
            );
        }
    }

    // 50 a page: the 51st certificate, the oldest, is on page 2.
    {
        let mut conn = app.conn();
        for i in 0..48 {
            let t = UserBuilder::teacher(&format!("t{i}@school.kz"))
                .region("KZ-75")
                .expect_build(&mut conn);
            let e = EnrolmentBuilder::new(t, sen)
                .completed_on("2025-04-01 10:00:00")
                .expect_build(&mut conn);
            CertificateBuilder::of_enrolment(e)
                .serial(100 + i)
                .issued_on("2025-04-02 10:00:00")
                .expect_build(&mut conn);
        }
    }
    let page_one = text_of(app.get("/admin/certificates").await).await;
    assert!(page_one.contains("51 certificates") && page_one.contains("page 1 of 2"));
    assert!(!page_one.contains(&first.serial), "{page_one}");
    let page_two = text_of(app.get("/admin/certificates?page=2").await).await;
    assert!(page_two.contains(&first.serial) && !page_two.contains(&second.serial));
}

#[tokio::test]
async fn the_pages_are_empty_but_helpful_without_certificates() {
    let (app, _) = spawn_admin_app().await;
    let register = text_of(app.get("/admin/certificates").await).await;
    assert!(
        register.contains("No certificates have been issued yet."),
        "{register}"
    );
    let queue = text_of(app.get("/admin/certificates/queue").await).await;
    assert!(
        queue.contains("No completions are awaiting a certificate."),
        "{queue}"
    );
}

// ---- Who may ------------------------------------------------------------------------------

#[tokio::test]
async fn every_certificate_page_is_for_administrators_only() {
    let (app, browsers) = browsers().await;
    {
        let mut conn = app.conn();
        let teacher = UserBuilder::teacher("certified@school.kz")
            .region("KZ-75")
            .expect_build(&mut conn);
        let course = course("matrix-course").expect_build(&mut conn);
        let enrolment = EnrolmentBuilder::new(teacher, course)
            .completed_on("2025-05-01 10:00:00")
            .expect_build(&mut conn);
        CertificateBuilder::of_enrolment(enrolment)
            .serial(1)
            .issued_on("2025-05-02 10:00:00")
            .expect_build(&mut conn);
    }
    let rows = rows![
        GET "/admin/certificates" => [SignIn, Denied, Denied, Page],
        GET "/admin/certificates?q=UST&status=revoked&course=1&page=2" => [SignIn, Denied, Denied, Page],
        GET "/admin/certificates/queue" => [SignIn, Denied, Denied, Page],
        GET "/admin/certificates/queue?course=1&region=KZ-75" => [SignIn, Denied, Denied, Page],
        // An empty selection, an empty form, an empty reason: refused with messages.
        POST "/admin/certificates/queue" => [SignIn, Denied, Denied, Invalid],
        GET "/admin/certificates/new" => [SignIn, Denied, Denied, Page],
        POST "/admin/certificates/new" => [SignIn, Denied, Denied, Invalid],
        GET "/admin/certificates/UST-2025-000001" => [SignIn, Denied, Denied, Page],
        POST "/admin/certificates/UST-2025-000001/revoke" => [SignIn, Denied, Denied, Invalid],
        // Not revoked: nothing to reinstate, back to the page.
        POST "/admin/certificates/UST-2025-000001/reinstate" => [SignIn, Denied, Denied, Redirect],
    ];
    check_access(&browsers, &rows).await;
    let revoked: i64 = certificates::table
        .filter(certificates::revoked_at.is_not_null())
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(revoked, 0);
}
