//! Bad input and slow clients: control characters in addresses and text fields are refused with
//! a message and nothing is stored; a body that stalls, trickles or lacks its end is answered
//! 408 and the connection closed within seconds; `HEAD` is answered as `GET` without the body.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use ustaz::schema::{audit_events, courses, modules, schools, targets, users};

use crate::fixtures::CourseBuilder;
use crate::helpers::{csrf_in, spawn_admin_app, spawn_app, spawn_app_with_env, TestApp};

/// What the error page says about an address with control characters, and what a form says
/// next to a field holding them.
const ADDRESS_MESSAGE: &str = "contains invisible control characters that cannot be used";
const FIELD_MESSAGE: &str = "contains invisible control characters that cannot be saved";

// ---- Control characters ---------------------------------------------------------------------

#[tokio::test]
async fn addresses_with_control_characters_are_refused_with_a_message() {
    let (app, _) = spawn_admin_app().await;
    CourseBuilder::new("intro")
        .published()
        .expect_build(&mut app.conn());
    let anonymous = app.another_browser();
    for path in [
        "/courses/%00",
        "/courses/intro%00",
        "/courses/%0D%0A",
        "/courses?q=%00",
        "/courses?q=a%1Bb",
        "/verify/%00",
        "/verify?code=%00",
        "/login?next=%2F%00",
        "/register?region=KZ-75%00",
        "/healthz?%00",
    ] {
        let response = anonymous.get_in(path, "en").await;
        assert_eq!(response.status(), 400, "{path}");
        let body = response.text().await.expect("body");
        if path.starts_with("/healthz") {
            assert!(body.contains("\"error\""), "{path}: {body}");
        } else {
            assert!(body.contains(ADDRESS_MESSAGE), "{path}: {body}");
        }
    }
    // The search boxes of the administration.
    for path in [
        "/admin/users?q=%00",
        "/admin/users?q=Ali%C2%85",
        "/admin/certificates?q=%00",
        "/admin/audit?user=%00",
        "/admin/schools?region=%00",
        "/dashboard/regions/KZ-75?q=%00",
        "/dashboard/regions/KZ-75/teachers/export?q=%07",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 400, "{path}");
        let body = response.text().await.expect("body");
        assert!(body.contains(ADDRESS_MESSAGE), "{path}: {body}");
    }
    // Encoded text that only looks like a control character is text.
    assert_eq!(anonymous.get("/courses/%2500").await.status(), 404);
    assert_eq!(anonymous.get("/courses?q=%2500").await.status(), 200);
    assert_eq!(app.get("/admin/users?q=100%25").await.status(), 200);
    assert_eq!(anonymous.get("/courses/intro").await.status(), 200);
}

#[tokio::test]
async fn addresses_with_control_characters_are_refused_in_the_visitors_language() {
    let app = spawn_app().await;
    let ru = app.get_in("/courses/%00", "ru").await;
    assert_eq!(ru.status(), 400);
    let body = ru.text().await.expect("body");
    assert!(body.contains("невидимые управляющие символы"), "{body}");
}

/// The message next to `field` on a refused form page.
fn field_message<'a>(html: &'a str, field: &str) -> &'a str {
    let marker = format!("id=\"{field}-error\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no message next to {field} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</p>").unwrap_or(rest.len())]
}

/// Posts `form` with `value` in `field`, and checks the form comes back (422) with the message
/// next to that field.
async fn refused(app: &TestApp, path: &str, form: &[(&str, &str)], field: &str, value: &str) {
    let mut fields: Vec<(&str, &str)> = form.iter().filter(|(n, _)| *n != field).copied().collect();
    fields.push((field, value));
    let response = app.post(path, &fields).await;
    assert_eq!(response.status(), 422, "{path} {field}={value:?}");
    let html = response.text().await.expect("body");
    let message = field_message(&html, field);
    assert!(message.contains(FIELD_MESSAGE), "{path} {field}: {message}");
}

/// The rows of a table.
macro_rules! count {
    ($app:expr, $table:path) => {
        $table
            .select(diesel::dsl::count_star())
            .first::<i64>(&mut $app.conn())
            .expect("count")
    };
}

#[tokio::test]
async fn admin_text_fields_with_control_characters_are_refused_next_to_the_field() {
    let (app, _) = spawn_admin_app().await;
    let audited = count!(app, audit_events::table);
    let stored = |app: &TestApp| {
        (
            count!(app, courses::table),
            count!(app, schools::table),
            count!(app, targets::table),
        )
    };
    let before = stored(&app);
    let course = [
        ("title", "Foundations"),
        ("slug", ""),
        ("summary", "For every teacher."),
        ("description", "Line one\r\n\tLine two"),
        ("audience", "general"),
        ("language", "en"),
        ("hours", "36"),
        ("area", "inclusive"),
        ("certificate", "automatic"),
    ];
    for (field, value) in [
        ("title", "Intro\0"),
        ("title", "\u{1b}[31mRed"),
        ("slug", "intro\0"),
        ("summary", "Short\u{7}"),
        ("description", "Body with NUL \0 inside"),
        ("description", "Form\u{c}feed"),
    ] {
        refused(&app, "/admin/courses/new", &course, field, value).await;
    }
    assert_eq!(stored(&app), before, "no course stored");

    let course_id = CourseBuilder::new("existing").expect_build(&mut app.conn());
    let lesson = [
        ("title", "Lesson"),
        ("slug", ""),
        ("body", "Text\n\twith a tab"),
    ];
    let lesson_path = format!("/admin/courses/{course_id}/modules/new?kind=lesson");
    for (field, value) in [
        ("title", "Les\0son"),
        ("body", "A body\0"),
        ("transcript", "Said\u{1}"),
    ] {
        refused(&app, &lesson_path, &lesson, field, value).await;
    }
    let edit_path = format!("/admin/courses/{course_id}/edit");
    let mut existing: Vec<(&str, &str)> = course
        .iter()
        .filter(|(n, _)| *n != "slug")
        .copied()
        .collect();
    existing.push(("slug", "existing"));
    refused(&app, &edit_path, &existing, "title", "Renamed\0").await;
    assert_eq!(count!(app, modules::table), 0, "no module stored");
    let title: String = courses::table
        .find(course_id)
        .select(courses::title)
        .first(&mut app.conn())
        .expect("course");
    assert!(!title.contains('\0'), "{title:?}");

    let school = [
        ("region", "KZ-75"),
        ("name", "School No. 5"),
        ("kind", "school"),
        ("district", ""),
    ];
    refused(&app, "/admin/schools/new", &school, "name", "School\0").await;
    refused(
        &app,
        "/admin/schools/new",
        &school,
        "district",
        "Bostandyk\u{1f}",
    )
    .await;
    let target = [
        ("name", "Almaty"),
        ("scope", "KZ-75"),
        ("teachers", "10"),
        ("starts_on", "2025-01-01"),
        ("deadline", "2025-12-31"),
    ];
    refused(&app, "/admin/targets/new", &target, "name", "Almaty\0").await;
    let (courses_now, schools_now, targets_now) = stored(&app);
    assert_eq!(courses_now, before.0 + 1, "only the built course");
    assert_eq!(
        (schools_now, targets_now),
        (before.1, before.2),
        "nothing stored"
    );
    assert_eq!(count!(app, audit_events::table), audited, "nothing audited");

    // The reminders' search (a hidden field repeating the list's) is refused as a whole.
    let response = app
        .post(
            "/dashboard/regions/KZ-75/reminders",
            &[("q", "\0"), ("status", "")],
        )
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        count!(app, audit_events::table),
        audited,
        "no reminder sent"
    );
}

#[tokio::test]
async fn a_multi_line_field_keeps_its_line_breaks_and_tabs() {
    let (app, _) = spawn_admin_app().await;
    let response = app
        .post(
            "/admin/courses/new",
            &[
                ("title", "Foundations \t of\r\n inclusion"),
                ("slug", ""),
                ("summary", "For every teacher."),
                ("description", " Line one\r\n\tLine two "),
                ("audience", "general"),
                ("language", "en"),
                ("hours", "36"),
                ("area", "inclusive"),
                ("certificate", "automatic"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (title, description): (String, String) = courses::table
        .select((courses::title, courses::description))
        .first(&mut app.conn())
        .expect("course");
    assert_eq!(title, "Foundations of inclusion");
    assert_eq!(description, "Line one\n\tLine two");
}

#[tokio::test]
async fn a_registration_with_control_characters_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    app.switch_language("en").await;
    let before = count!(app, users::table);
    let form = [
        ("region", "KZ-75"),
        ("full_name", "Aigerim Nurlanqyzy"),
        ("email", "aigerim@mektep.kz"),
        ("password", "a long enough passphrase"),
        ("school", "none"),
        ("category", "general"),
        ("language", "en"),
        ("iin", ""),
    ];
    refused(&app, "/register", &form, "full_name", "Aigerim\0").await;
    let response = app
        .post("/register", &[("email", "aigerim\0@mektep.kz")])
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(count!(app, users::table), before, "no account stored");
}

// ---- Slow clients ---------------------------------------------------------------------------

/// An app whose clients get a second for each piece of a body and three for the whole.
async fn spawn_impatient_app() -> TestApp {
    spawn_app_with_env(&[
        ("USTAZ_BODY_IDLE_TIMEOUT_SECS", "1"),
        ("USTAZ_BODY_TIMEOUT_SECS", "3"),
        ("USTAZ_REQUEST_HEAD_TIMEOUT_SECS", "2"),
        ("USTAZ_DISCONNECT_TIMEOUT_SECS", "1"),
    ])
    .await
}

/// Everything the server sends until it closes the connection, and when it closed it; fails
/// when the connection is still open after `limit`.
async fn read_until_closed(stream: &mut TcpStream, started: Instant, limit: Duration) -> String {
    let mut received = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let left = limit.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Err(_) => panic!(
                "still open after {:?}; received {:?}",
                started.elapsed(),
                String::from_utf8_lossy(&received)
            ),
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

fn request_head(path: &str, content_type: &str, length: usize, cookie: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en\r\nContent-Type: {content_type}\r\n\
         Content-Length: {length}\r\nCookie: {cookie}\r\n\r\n"
    )
}

/// A connection that has sent the head of a sign-in form announcing `length` bytes, and when
/// it started.
async fn start_sign_in_post(app: &TestApp, length: usize) -> (TcpStream, Instant) {
    let head = request_head("/login", "application/x-www-form-urlencoded", length, "");
    start(app, head.as_bytes()).await
}

/// A connection that has sent `bytes`, and when it started.
async fn start(app: &TestApp, bytes: &[u8]) -> (TcpStream, Instant) {
    let host = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).await.expect("connect");
    let started = Instant::now();
    stream.write_all(bytes).await.expect("send");
    (stream, started)
}

#[tokio::test]
async fn a_body_shorter_than_its_length_is_answered_408_and_closed_within_seconds() {
    let app = spawn_impatient_app().await;
    let (mut stream, started) = start_sign_in_post(&app, 100).await;
    stream.write_all(b"email=a%40b.kz").await.expect("part");
    let answer = read_until_closed(&mut stream, started, Duration::from_secs(6)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive in time"), "{answer}");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited for the body"
    );
}

#[tokio::test]
async fn a_body_that_trickles_in_is_answered_408_and_closed_within_seconds() {
    let app = spawn_impatient_app().await;
    let (mut stream, started) = start_sign_in_post(&app, 1000).await;
    // A byte every half second: never idle for the idle timeout, but never done either.
    let mut sent = 0;
    let answer = loop {
        match tokio::time::timeout(Duration::from_millis(500), stream.read_u8()).await {
            Ok(first) => {
                let first = first.expect("an answer");
                let rest = read_until_closed(&mut stream, started, Duration::from_secs(8)).await;
                break format!("{}{rest}", first as char);
            }
            Err(_) => {
                assert!(started.elapsed() < Duration::from_secs(8), "no answer");
                if stream.write_all(b"x").await.is_ok() {
                    sent += 1;
                }
            }
        }
    };
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(sent >= 4, "the body kept coming ({sent} bytes)");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_chunked_body_to_a_page_that_does_not_read_it_cannot_hold_the_connection() {
    let app = spawn_impatient_app().await;
    let (mut stream, started) = start(
        &app,
        b"POST /nowhere HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n",
    )
    .await;
    let writer = async {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if stream.write_all(b"1\r\nx\r\n").await.is_err() {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(3), writer).await;
    let answer = read_until_closed(&mut stream, started, Duration::from_secs(6)).await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
}

#[tokio::test]
async fn a_multipart_upload_without_its_closing_boundary_is_answered_within_seconds() {
    let app = spawn_impatient_app().await;
    app.sign_in("admin", "admin@ustaz.kz", None).await;
    let page = app
        .get("/admin/schools/import")
        .await
        .text()
        .await
        .expect("page");
    let token = csrf_in(&page);
    let boundary = "----ustaz-unfinished";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"schools.csv\"\r\n\
         Content-Type: text/csv\r\n\r\nregion_code,name,kind,inclusive\r\nKZ-75,School,school,yes\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let cookie = app.cookie_header();
    for announced in [body.len(), body.len() + 200] {
        let head = request_head("/admin/schools/import", &content_type, announced, &cookie);
        let (mut stream, started) = start(&app, format!("{head}{body}").as_bytes()).await;
        let answer = read_until_closed(&mut stream, started, Duration::from_secs(6)).await;
        let status = &answer[..answer.len().min(12)];
        assert!(
            status == "HTTP/1.1 400" || status == "HTTP/1.1 408",
            "{announced} of {}: {answer}",
            body.len()
        );
    }
    assert_eq!(count!(app, schools::table), 0, "nothing imported");
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let app = spawn_impatient_app().await;
    let (mut stream, started) = start(&app, b"GET / HTTP/1.1\r\nHost: localhost\r\n").await;
    let answer = read_until_closed(&mut stream, started, Duration::from_secs(5)).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

#[tokio::test]
async fn an_upload_announcing_more_than_the_limit_is_refused_before_it_is_read() {
    let app = spawn_impatient_app().await;
    app.sign_in("admin", "admin@ustaz.kz", None).await;
    let cookie = app.cookie_header();
    let head = request_head(
        "/admin/schools/import",
        "multipart/form-data; boundary=x",
        64 * 1024 * 1024,
        &cookie,
    );
    let (mut stream, started) = start(&app, head.as_bytes()).await;
    let answer = read_until_closed(&mut stream, started, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // A form body over its limit, the same.
    let (mut stream, started) = start_sign_in_post(&app, 1024 * 1024).await;
    let answer = read_until_closed(&mut stream, started, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn a_large_upload_within_its_limit_is_read_to_its_end() {
    let (app, _) = spawn_admin_app().await;
    // 3.5 MB: read whole (not "could not be read"), then refused for its rows.
    let mut file = "region_code,name,kind,inclusive\n".to_owned();
    while file.len() < 3_500_000 {
        file.push_str("KZ-75,School with a rather long name for its size,school,yes\n");
    }
    let response = app
        .post_multipart("/admin/schools/import", &[("csv", "")], file.as_bytes())
        .await;
    assert_eq!(response.status(), 422);
    let text = crate::helpers::text_of(response).await;
    assert!(text.contains("Import at most 5,000 rows"), "{text}");
    assert_eq!(count!(app, schools::table), 0, "nothing imported");
}

#[tokio::test]
async fn a_long_lesson_fits_its_form_though_other_forms_are_smaller() {
    let (app, _) = spawn_admin_app().await;
    let course_id = CourseBuilder::new("long").expect_build(&mut app.conn());
    // 60,000 Cyrillic letters: 720 KB once urlencoded, more than an ordinary form may send.
    let body = "ә".repeat(60_000);
    let response = app
        .post(
            &format!("/admin/courses/{course_id}/modules/new?kind=lesson"),
            &[("title", "Long"), ("slug", ""), ("body", &body)],
        )
        .await;
    assert_eq!(response.status(), 303);
    let long_name = "ә".repeat(60_000);
    let response = app
        .post("/admin/schools/new", &[("name", &long_name)])
        .await;
    assert_eq!(response.status(), 413);
}

// ---- HEAD -----------------------------------------------------------------------------------

/// The status line and headers of a raw answer, and what follows them.
fn split_answer(answer: &str) -> (&str, &str) {
    answer.split_once("\r\n\r\n").expect("a complete head")
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

async fn raw(app: &TestApp, method: &str, path: &str) -> String {
    let request =
        format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let (mut stream, started) = start(app, request.as_bytes()).await;
    read_until_closed(&mut stream, started, Duration::from_secs(10)).await
}

#[tokio::test]
async fn head_is_answered_as_get_without_the_body() {
    let app = spawn_app().await;
    CourseBuilder::new("intro")
        .published()
        .expect_build(&mut app.conn());
    for path in [
        "/healthz",
        "/",
        "/courses",
        "/courses/intro",
        "/static/css/site.css",
        "/courses/missing",
        "/account",
    ] {
        let get = raw(&app, "GET", path).await;
        let head = raw(&app, "HEAD", path).await;
        let (get_head, get_body) = split_answer(&get);
        let (head_head, head_body) = split_answer(&head);
        let status = |h: &str| h.lines().next().unwrap_or_default().to_owned();
        assert_eq!(status(head_head), status(get_head), "{path}");
        assert!(
            head_body.is_empty(),
            "{path}: HEAD sent a body: {head_body:?}"
        );
        assert!(
            !status(head_head).contains("404") || path == "/courses/missing",
            "{path}"
        );
        for name in [
            "content-type",
            "cache-control",
            "content-security-policy",
            "location",
        ] {
            assert_eq!(
                header(head_head, name),
                header(get_head, name),
                "{path} {name}"
            );
        }
        // Content-Length is the GET body's (pages with a CSRF token have the same length).
        let length = header(head_head, "content-length");
        if let Some(length) = length {
            assert_eq!(length, get_body.len().to_string(), "{path}");
        }
    }
}
