//! Practical tasks, the teacher's side: a submission with text and files (recognised by their
//! content, read back byte for byte), the files refused with their messages and nothing stored,
//! 50 submissions at once leaving one waiting, and who may download a file.

use std::io::Write;

use diesel::prelude::*;
use ustaz::courses::models as courses;
use ustaz::schema::{task_files, task_submissions};

use crate::helpers::{location, spawn_app, visible_text, TestApp};

pub const COURSE: &str = "foundations-of-inclusive-education-en";
pub const TASK: &str = "practical-task";
pub const TASK_PATH: &str = "/learn/foundations-of-inclusive-education-en/practical-task";

pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// The starter courses with a practical task (two criteria, 5 and 10 points) at the end of
/// `COURSE`; the course's id and the criteria ids.
pub fn seed_task(app: &TestApp) -> (i32, Vec<i32>) {
    let mut conn = app.conn();
    ustaz::courses::seed::install(&mut conn, now()).expect("seed courses");
    let course = courses::course_by_slug(&mut conn, COURSE)
        .expect("query")
        .expect("course");
    let fields = courses::ModuleFields {
        title: "Adapt a lesson plan".into(),
        slug: TASK.into(),
        body_markdown:
            "Adapt one of your lesson plans for a learner with a **hearing impairment**.".into(),
        video_url: None,
        transcript: None,
        pass_mark: None,
        required: true,
        updated_at: now(),
    };
    let module = courses::add_module(&mut conn, course.id, "task", &fields).expect("task");
    let criteria = vec![
        courses::add_criterion(&mut conn, module, "Goals adapted", "", 5).expect("criterion"),
        courses::add_criterion(&mut conn, module, "Materials", "Accessible materials", 10)
            .expect("criterion"),
    ];
    (course.id, criteria)
}

/// A teacher signed in (reading English) and enrolled on `COURSE`.
pub async fn enrolled_teacher(app: &TestApp, email: &str) -> (TestApp, i32) {
    let teacher = app.another_browser();
    let id = teacher
        .sign_in_english("teacher", email, Some("KZ-75"))
        .await;
    let response = teacher.post(&format!("/courses/{COURSE}/enrol"), &[]).await;
    assert_eq!(response.status(), 303);
    (teacher, id)
}

/// Posts a task as a browser does: the text and each (file name, bytes) as a part `files`.
pub async fn post_task(
    app: &TestApp,
    path: &str,
    body: &str,
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let boundary = "----ustaz-task-boundary-q8d7f6";
    let token = app.csrf().await;
    let mut out = Vec::new();
    for (name, value) in [("csrf_token", token.as_str()), ("body", body)] {
        write!(
            out,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .expect("write");
    }
    for (file_name, bytes) in files {
        write!(
            out,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .expect("write");
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    write!(out, "--{boundary}--\r\n").expect("write");
    app.client
        .post(app.url(path))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(out)
        .send()
        .await
        .expect("request")
}

pub fn submit_path() -> String {
    format!("{TASK_PATH}/task")
}

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";
pub const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A ZIP with these (name, content) entries, stored uncompressed.
pub fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in entries {
        writer.start_file(*name, options).expect("entry");
        writer.write_all(content.as_bytes()).expect("content");
    }
    writer.finish().expect("zip").into_inner()
}

pub fn docx() -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", "<w:document/>"),
    ])
}

/// The files stored so far: (submission, name, type, sha256, content).
pub fn stored_files(app: &TestApp) -> Vec<(i32, String, String, String, Vec<u8>)> {
    task_files::table
        .order(task_files::id)
        .select((
            task_files::submission_id,
            task_files::file_name,
            task_files::content_type,
            task_files::sha256,
            task_files::content,
        ))
        .load(&mut app.conn())
        .expect("files")
}

pub fn submission_count(app: &TestApp) -> i64 {
    task_submissions::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

pub fn file_ids(app: &TestApp) -> Vec<i32> {
    task_files::table
        .order(task_files::id)
        .select(task_files::id)
        .load(&mut app.conn())
        .expect("ids")
}

#[tokio::test]
async fn a_task_is_submitted_with_text_and_files_and_read_back_byte_for_byte() {
    let app = spawn_app().await;
    seed_task(&app);
    let (teacher, _) = enrolled_teacher(&app, "aigerim@school.kz").await;

    let page = visible_text(&teacher.get(TASK_PATH).await.text().await.expect("body"));
    assert!(page.contains("hearing impairment"), "{page}");
    assert!(page.contains("How the task is assessed"), "{page}");
    assert!(
        page.contains("Goals adapted") && page.contains("Materials"),
        "{page}"
    );
    assert!(
        page.contains("You have not submitted this task yet"),
        "{page}"
    );
    assert!(!page.contains("Mark as complete"), "{page}");

    let docx = docx();
    let files: [(&str, &[u8]); 3] = [
        ("План урока.pdf", PDF),
        ("plan.docx", &docx),
        ("../photos/board: 1.png", PNG),
    ];
    let response = post_task(&teacher, &submit_path(), "My adapted plan.", &files).await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with(TASK_PATH));

    let stored = stored_files(&app);
    let types: Vec<&str> = stored.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(
        types,
        [
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "image/png"
        ]
    );
    assert_eq!(stored[2].1, "board: 1.png");
    use sha2::Digest;
    assert_eq!(stored[0].3, hex::encode(sha2::Sha256::digest(PDF)));

    let page = visible_text(&teacher.get(TASK_PATH).await.text().await.expect("body"));
    assert!(page.contains("Waiting for review"), "{page}");
    assert!(page.contains("My adapted plan."), "{page}");
    assert!(page.contains("План урока.pdf"), "{page}");
    assert!(
        !page.contains("Submit for review"),
        "the form is gone while one waits: {page}"
    );

    let originals: [&[u8]; 3] = [PDF, &docx, PNG];
    for (id, original) in file_ids(&app).into_iter().zip(originals) {
        let response = teacher.get(&format!("{TASK_PATH}/files/{id}")).await;
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let disposition = headers["content-disposition"].to_str().expect("ascii");
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        assert!(!disposition.contains("board:"), "{disposition}");
        let bytes = response.bytes().await.expect("bytes");
        assert_eq!(&bytes[..], original);
    }
    let first = file_ids(&app)[0];
    let pdf = teacher.get(&format!("{TASK_PATH}/files/{first}")).await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");

    // Someone else's file is not there at all.
    let (other, _) = enrolled_teacher(&app, "other@school.kz").await;
    let response = other.get(&format!("{TASK_PATH}/files/{first}")).await;
    assert_eq!(response.status(), 404);
    let coordinator = app.another_browser();
    coordinator
        .sign_in("coordinator", "coord@matrix.kz", Some("KZ-75"))
        .await;
    let response = coordinator.get(&format!("{TASK_PATH}/files/{first}")).await;
    assert_eq!(response.status(), 404);
}

/// A file as posted: (name, bytes).
type Upload<'a> = (&'a str, &'a [u8]);

/// Each refused submission: the page again (422) with the message, nothing stored.
#[tokio::test]
async fn wrong_files_are_refused_with_a_message_and_nothing_stored() {
    let app = spawn_app().await;
    seed_task(&app);
    let (teacher, _) = enrolled_teacher(&app, "aigerim@school.kz").await;
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0".to_vec();
    let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    let plain_zip = zip_of(&[("notes.txt", "just a zip")]);
    let mut oversized = PDF.to_vec();
    oversized.resize(10 * 1024 * 1024 + 1, b' ');
    let cases: Vec<(Vec<Upload>, &str, &str)> = vec![
        (
            vec![("plan.pdf", &elf)],
            "text",
            "“plan.pdf” is not a PDF, DOCX, ODT or image file",
        ),
        (
            vec![("plan.docx", &exe)],
            "",
            "“plan.docx” is not a PDF, DOCX, ODT or image file",
        ),
        (
            vec![("plan.docx", &plain_zip)],
            "",
            "“plan.docx” is not a PDF, DOCX, ODT or image file",
        ),
        (
            vec![("big.pdf", &oversized)],
            "",
            "“big.pdf” is larger than 10 MB",
        ),
        (vec![("a.pdf", PDF); 6], "", "Attach no more than 5 files"),
        (vec![("empty.pdf", b"")], "text", "“empty.pdf” is empty"),
        (vec![], "  ", "Write an answer or attach at least one file"),
    ];
    for (files, body, message) in cases {
        let response = post_task(&teacher, &submit_path(), body, &files).await;
        assert_eq!(response.status(), 422, "{message}");
        let html = response.text().await.expect("body");
        let page = visible_text(&html);
        assert!(page.contains(message), "{message}: {page}");
        assert!(
            html.contains("href=\"#task-"),
            "the summary links to the field"
        );
        assert_eq!(submission_count(&app), 0, "{message}");
    }
    let long = "x".repeat(20_001);
    let response = post_task(&teacher, &submit_path(), &long, &[]).await;
    assert_eq!(response.status(), 422);
    assert!(
        visible_text(&response.text().await.expect("body")).contains("20,000 characters or fewer")
    );
    assert!(stored_files(&app).is_empty());
    assert_eq!(submission_count(&app), 0);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_before_it_is_read() {
    let app = spawn_app().await;
    seed_task(&app);
    let (teacher, _) = enrolled_teacher(&app, "aigerim@school.kz").await;
    let response = teacher
        .client
        .post(teacher.url(&submit_path()))
        .header("Content-Type", "multipart/form-data; boundary=x")
        .header("Content-Length", (64 * 1024 * 1024).to_string())
        .body(vec![b'x'; 16])
        .send()
        .await;
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
    }
    assert_eq!(submission_count(&app), 0);
}

#[tokio::test]
async fn fifty_submissions_at_once_leave_exactly_one_waiting() {
    let app = spawn_app().await;
    seed_task(&app);
    let (teacher, _) = enrolled_teacher(&app, "aigerim@school.kz").await;
    let path = submit_path();
    let attempts = (0..50).map(|i| {
        let (teacher, path) = (&teacher, &path);
        async move { post_task(teacher, path, &format!("attempt {i}"), &[("a.pdf", PDF)]).await }
    });
    let responses = futures_util::future::join_all(attempts).await;
    for response in responses {
        assert_eq!(response.status(), 303);
    }
    assert_eq!(submission_count(&app), 1);
    assert_eq!(stored_files(&app).len(), 1);
}

#[tokio::test]
async fn a_task_is_not_completed_by_a_button_nor_by_staff() {
    let app = spawn_app().await;
    seed_task(&app);
    let (teacher, _) = enrolled_teacher(&app, "aigerim@school.kz").await;
    let response = teacher.post(&format!("{TASK_PATH}/complete"), &[]).await;
    assert_eq!(response.status(), 404);
    // Not enrolled: back to the course page, nothing stored.
    let stranger = app.another_browser();
    stranger
        .sign_in_english("teacher", "stranger@school.kz", Some("KZ-75"))
        .await;
    let response = post_task(&stranger, &submit_path(), "text", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/courses/{COURSE}"));
    // Staff do not submit tasks.
    let admin = app.another_browser();
    admin.sign_in("admin", "admin@matrix.kz", None).await;
    let response = post_task(&admin, &submit_path(), "text", &[]).await;
    assert_eq!(response.status(), 403);
    assert_eq!(submission_count(&app), 0);
}

/// In a course taken in order, the task waits for the modules before it: a submission is
/// refused (back to the task's page, which says what to finish first) and nothing is stored.
#[tokio::test]
async fn a_task_in_a_course_taken_in_order_waits_for_the_modules_before_it() {
    let app = spawn_app().await;
    let (course_id, _) = seed_task(&app);
    diesel::update(ustaz::schema::courses::table.find(course_id))
        .set(ustaz::schema::courses::sequential.eq(true))
        .execute(&mut app.conn())
        .expect("in order");
    let (teacher, _) = enrolled_teacher(&app, "aigerim@school.kz").await;
    let response = post_task(&teacher, &submit_path(), "Too early.", &[("plan.pdf", PDF)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), TASK_PATH);
    assert_eq!(submission_count(&app), 0);
    let page = visible_text(&teacher.get(TASK_PATH).await.text().await.expect("body"));
    assert!(page.contains("Finish these modules first"), "{page}");
}
