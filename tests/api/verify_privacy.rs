//! The public verification of a revoked certificate says that it was revoked and when, never the
//! administrator's reason: that stays with the teacher and the administrators.

use serde_json::Value;
use ustaz::certificates::models::Certificate;

use crate::certificate_pages::{certified, revoke, PASSWORD};
use crate::helpers::{spawn_app, visible_text, TestApp};

const TEACHER: &str = "dana@school.kz";
/// The administrator `certificate_pages::revoke` revokes as.
const ADMIN: &str = "revoker@ustaz.kz";
const REASON: &str = "taken by another person";

/// A teacher's certificate, issued on 1 June 2025 and revoked on 1 July 2025 for `REASON`.
fn revoked_certificate(app: &TestApp) -> Certificate {
    let certificate = certified(app, TEACHER, Some("KZ-75"), "inclusive-basics");
    revoke(app, &certificate, REASON);
    certificate
}

async fn text_in_english(browser: &TestApp, path: &str) -> (u16, String) {
    let response = browser.get_in(path, "en").await;
    let status = response.status().as_u16();
    (status, visible_text(&response.text().await.expect("body")))
}

#[tokio::test]
async fn the_public_sees_that_and_when_a_certificate_was_revoked_but_not_why() {
    let app = spawn_app().await;
    let certificate = revoked_certificate(&app);
    let code = &certificate.verification_code;

    let (status, text) = text_in_english(&app, &format!("/verify/{code}")).await;
    assert_eq!(status, 200);
    for shown in [
        "This certificate has been revoked",
        "Revoked on 1 July 2025",
    ] {
        assert!(text.contains(shown), "{shown:?} not in {text}");
    }
    assert!(!text.contains(REASON), "{text}");
    assert!(!text.contains("Reason"), "{text}");

    let response = app.get(&format!("/verify/{code}/status")).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.expect("body");
    assert!(!body.contains(REASON), "{body}");
    let status: Value = serde_json::from_str(&body).expect("json");
    let entry = &status["revokedCredentials"][0];
    assert_eq!(entry["revoked"], true);
    assert_eq!(entry["revocationDate"], "2025-07-01T12:00:00Z");
    assert!(entry.get("revocationReason").is_none(), "{entry}");
}

#[tokio::test]
async fn the_teacher_and_the_administrators_still_see_the_reason() {
    let app = spawn_app().await;
    let certificate = revoked_certificate(&app);

    let teacher = app.another_browser();
    assert_eq!(teacher.login(TEACHER, PASSWORD).await.status(), 303);
    let (status, text) = text_in_english(&teacher, "/certificates").await;
    assert_eq!(status, 200);
    assert!(text.contains(REASON), "{text}");

    let admin = app.another_browser();
    assert_eq!(admin.login(ADMIN, PASSWORD).await.status(), 303);
    let (status, text) = text_in_english(
        &admin,
        &format!("/admin/certificates/{}", certificate.serial),
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.contains(REASON), "{text}");

    // Signed in or not, the public page is the same for everyone.
    let (_, text) = text_in_english(
        &teacher,
        &format!("/verify/{}", certificate.verification_code),
    )
    .await;
    assert!(!text.contains(REASON), "{text}");
}
