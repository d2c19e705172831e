use diesel::connection::SimpleConnection;

use crate::helpers::{spawn_app, visible_text};

#[tokio::test]
async fn unknown_urls_get_a_translated_not_found_page_in_the_layout() {
    let app = spawn_app().await;
    for (lang, title) in [
        ("en", "Page not found"),
        ("ru", "Страница не найдена"),
        ("kk", "Бет табылмады"),
    ] {
        let response = app.get_in("/no/such/page", lang).await;
        assert_eq!(response.status(), 404);
        assert!(response.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/html"));
        let html = response.text().await.expect("body");
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(
            html.contains(&format!("<title>{title} — Ustaz</title>")),
            "{html}"
        );
        assert!(html.contains("<h1>") && html.contains(title));
        // The site layout: skip link, header with the language switch, main landmark.
        assert!(
            html.contains("href=\"#main\"")
                && html.contains("action=\"/language\"")
                && html.contains("<main id=\"main\"")
        );
    }
}

#[tokio::test]
async fn a_wrong_method_is_an_error_page_too() {
    let app = spawn_app().await;
    let response = app.get_in("/language", "en").await;
    assert!(response.status().is_client_error(), "{}", response.status());
    let text = visible_text(&response.text().await.expect("body"));
    assert!(text.contains("Ustaz"));
}

#[tokio::test]
async fn an_internal_failure_shows_a_500_page_without_internals() {
    let app = spawn_app().await;
    // Break the database under the running site: the home page's query now fails.
    app.conn()
        .batch_execute("DROP TABLE targets")
        .expect("drop table");
    let response = app.get_in("/", "ru").await;
    assert_eq!(response.status(), 500);
    let html = response.text().await.expect("body");
    let text = visible_text(&html);
    assert!(
        text.contains("Извините, у нас что-то пошло не так"),
        "{text}"
    );
    for internal in ["targets", "relation", "no such table", "diesel", "SELECT"] {
        assert!(
            !html.contains(internal),
            "the page shows {internal:?}: {html}"
        );
    }
    // The site keeps serving.
    assert_eq!(app.get("/healthz").await.status(), 200);
}
