use crate::helpers::{spawn_app, start, visible_text, TestDatabase};

#[tokio::test]
async fn healthz_reports_a_reachable_database() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(
        body,
        serde_json::json!({ "status": "ok", "database": "ok" })
    );
}

#[tokio::test]
async fn healthz_reports_an_unreachable_database_and_the_site_keeps_running() {
    let mut db = TestDatabase::new();
    // A database file inside a regular file cannot be opened, on any machine.
    let blocker = db.data_dir().join("not-a-directory");
    std::fs::write(&blocker, b"").expect("write file");
    db.url = blocker.join("ustaz.db").to_string_lossy().into_owned();
    let app = start(db).await;

    for _ in 0..2 {
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 503);
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["database"], "unavailable");
    }
    // Pages say so in the visitor's language, without internals.
    let response = app.get_in("/", "en").await;
    assert_eq!(response.status(), 503);
    let text = visible_text(&response.text().await.expect("body"));
    assert!(
        text.contains("The service is temporarily unavailable"),
        "{text}"
    );
    assert!(
        !text.to_lowercase().contains("sqlite") && !text.contains("not-a-directory"),
        "{text}"
    );
}
