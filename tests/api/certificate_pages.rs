//! The teacher's certificate pages, the PDF, the signed credential, the published key, public
//! verification and its rate limit.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use diesel::prelude::*;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::Value;
use ustaz::certificates::models::Certificate;
use ustaz::certificates::ops::{self as certs, IssueBy};
use ustaz::db::AnyConnection;
use ustaz::schema::users;

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{self, CourseBuilder, EnrolmentBuilder};
use crate::helpers::{spawn_app, spawn_app_with_env, visible_text, TestApp};

pub(crate) const PASSWORD: &str = "certificates prove the work";
const NAME: &str = "Dana Serikova";
const EMAIL: &str = "dana@school.kz";
const IIN: &str = "900101300123";

/// A teacher (named, with an IIN, English) with a certificate of a completed course, issued
/// on 1 June 2025.
pub(crate) fn certified(
    app: &TestApp,
    email: &str,
    region: Option<&str>,
    course_slug: &str,
) -> Certificate {
    let teacher = app.create_user("teacher", email, PASSWORD, region);
    let mut conn = app.conn();
    diesel::update(users::table.find(teacher))
        .set((
            users::full_name.eq(NAME),
            users::language.eq("en"),
            users::iin.eq(IIN),
        ))
        .execute(&mut conn)
        .expect("teacher details");
    let course = CourseBuilder::new(course_slug)
        .counting()
        .published()
        .summary("Adapting lessons for every pupil.")
        .expect_build(&mut conn);
    issue(app, &mut conn, teacher, course)
}

/// Completes the course for the teacher on 31 May 2025 and issues its certificate (as the app
/// does) on 1 June 2025.
fn issue(app: &TestApp, conn: &mut AnyConnection, teacher: i32, course: i32) -> Certificate {
    let enrolment = EnrolmentBuilder::new(teacher, course)
        .completed_on("2025-05-31 09:00:00")
        .expect_build(conn);
    let issued = certs::issue(
        conn,
        enrolment,
        IssueBy {
            admin: None,
            reason: None,
            now: fixtures::at("2025-06-01 10:00:00"),
            base_url: &app.address,
        },
    )
    .expect("issue");
    issued.certificate().expect("issued").clone()
}

/// Revokes as a fresh administrator on 1 July 2025.
pub(crate) fn revoke(app: &TestApp, certificate: &Certificate, reason: &str) {
    let admin = app.create_user("admin", "revoker@ustaz.kz", PASSWORD, None);
    let revoked = certs::revoke(
        &mut app.conn(),
        certificate.id,
        admin,
        reason,
        fixtures::at("2025-07-01 12:00:00"),
        &app.address,
    )
    .expect("revoke");
    assert!(revoked);
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get_in(path, "en").await;
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn my_certificates_lists_the_teachers_own_with_their_links() {
    let app = spawn_app().await;
    let certificate = certified(&app, EMAIL, Some("KZ-75"), "inclusive-basics");
    assert_eq!(app.login(EMAIL, PASSWORD).await.status(), 303);

    let (status, html) = page(&app, "/certificates").await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    for expected in [
        "My certificates",
        "Course inclusive-basics",
        "Valid",
        "UST-2025-000001",
        "1 June 2025",
        "72 academic hours",
        &format!("{}/verify/{}", app.address, certificate.verification_code),
        &certificate.display_code(),
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(html.contains("href=\"/certificates/UST-2025-000001.pdf\""));
    assert!(html.contains("href=\"/certificates/UST-2025-000001/credential.jwt\""));
    assert_eq!(
        header(&app.get("/certificates").await, "cache-control"),
        "no-store"
    );

    // Revoked: marked, with the reason; nothing left to download or pass on as valid.
    revoke(&app, &certificate, "Issued in error");
    let (_, html) = page(&app, "/certificates").await;
    let text = visible_text(&html);
    assert!(text.contains("Revoked Revoked on 1 July 2025"), "{text}");
    assert!(text.contains("Issued in error"), "{text}");
    assert!(!html.contains("UST-2025-000001.pdf"));

    // Another teacher sees none of it: the empty state points to learning and the catalogue.
    let other = app.another_browser();
    other.create_user("teacher", "other@school.kz", PASSWORD, Some("KZ-75"));
    assert_eq!(other.login("other@school.kz", PASSWORD).await.status(), 303);
    let (status, html) = page(&other, "/certificates").await;
    assert_eq!(status, 200);
    assert!(!html.contains("UST-2025-000001"));
    assert!(html.contains("href=\"/learn\""), "{html}");
    assert!(html.contains("href=\"/courses\""), "{html}");
}

#[tokio::test]
async fn the_pdf_is_the_certificate_with_its_serial_as_text() {
    let app = spawn_app().await;
    let certificate = certified(&app, EMAIL, Some("KZ-75"), "inclusive-basics");
    assert_eq!(app.login(EMAIL, PASSWORD).await.status(), 303);

    let response = app.get("/certificates/UST-2025-000001.pdf").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/pdf");
    assert_eq!(
        header(&response, "content-disposition"),
        "inline; filename=\"UST-2025-000001.pdf\""
    );
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"%PDF"));
    let pdf = lopdf::Document::load_mem(&bytes).expect("a readable PDF");
    let text = pdf.extract_text(&[1]).expect("text");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        certificate.serial.as_str(),
        NAME,
        "CERTIFICATE",
        &certificate.verify_url(&app.address),
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }

    // Unknown or malformed serials are not found.
    for path in [
        "/certificates/UST-2025-000999.pdf",
        "/certificates/nonsense.pdf",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn the_credential_verifies_against_the_published_key() {
    let app = spawn_app().await;
    let certificate = certified(&app, EMAIL, Some("KZ-75"), "inclusive-basics");

    // The key set, fetched as a verifier would.
    let response = app.get("/.well-known/jwks.json").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/json");
    assert_eq!(header(&response, "cache-control"), "public, max-age=3600");
    let jwks: Value = response.json().await.expect("json");
    let jwk = &jwks["keys"][0];
    assert_eq!(jwk["kty"], "OKP");
    assert_eq!(jwk["crv"], "Ed25519");
    assert!(jwk.get("d").is_none(), "the private key is never published");
    let key = DecodingKey::from_ed_components(jwk["x"].as_str().expect("x")).expect("key");

    assert_eq!(app.login(EMAIL, PASSWORD).await.status(), 303);
    let response = app
        .get("/certificates/UST-2025-000001/credential.jwt")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/vc+jwt");
    assert_eq!(
        header(&response, "content-disposition"),
        "attachment; filename=\"UST-2025-000001.jwt\""
    );
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    let token = response.text().await.expect("token");

    let jose = decode_header(&token).expect("header");
    assert_eq!(jose.alg, Algorithm::EdDSA);
    assert_eq!(jose.kid.as_deref(), jwk["kid"].as_str());
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_required_spec_claims(&["nbf", "iss", "sub"]);
    validation.set_issuer(&[&app.address]);
    let claims = decode::<Value>(&token, &key, &validation)
        .expect("the signature verifies with the published key")
        .claims;
    let types = claims["type"].as_array().expect("type");
    assert!(
        types.contains(&Value::from("OpenBadgeCredential")),
        "{types:?}"
    );
    assert!(claims.get("vc").is_none(), "the payload is the credential");
    assert_eq!(
        claims["credentialSubject"]["achievement"]["name"],
        "Course inclusive-basics"
    );
    assert_eq!(claims["validFrom"], "2025-06-01T10:00:00Z");
    assert_eq!(
        claims["id"],
        format!("{}/verify/{}", app.address, certificate.verification_code)
    );
    let status_url = claims["credentialStatus"]["id"].as_str().expect("status");
    assert_eq!(
        status_url,
        format!(
            "{}/verify/{}/status",
            app.address, certificate.verification_code
        )
    );
    // Only the printed name identifies the teacher: no email, no IIN.
    let payload = String::from_utf8(
        URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).expect("payload"))
            .expect("base64url"),
    )
    .expect("utf-8");
    assert!(payload.contains(NAME));
    assert!(
        !payload.contains(EMAIL) && !payload.contains(IIN),
        "{payload}"
    );

    // The status the credential points to is there, and says it is not revoked.
    let status: Value = app
        .client
        .get(status_url)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(status["revokedCredentials"], serde_json::json!([]));

    // A token altered after signing does not verify.
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = URL_SAFE_NO_PAD.encode(payload.replace(NAME, "Someone Else"));
    parts[1] = &forged;
    assert!(decode::<Value>(&parts.join("."), &key, &validation).is_err());
}

#[tokio::test]
async fn the_status_document_reports_a_revocation() {
    let app = spawn_app().await;
    let certificate = certified(&app, EMAIL, Some("KZ-75"), "inclusive-basics");
    let path = format!("/verify/{}/status", certificate.verification_code);

    let response = app.get(&path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/json");
    let status: Value = response.json().await.expect("json");
    assert_eq!(status["id"], format!("{}{path}", app.address));
    assert_eq!(status["revokedCredentials"], serde_json::json!([]));

    revoke(&app, &certificate, "Issued in error");
    let status: Value = app.get(&path).await.json().await.expect("json");
    let entry = &status["revokedCredentials"][0];
    assert_eq!(
        entry["id"],
        format!("{}/verify/{}", app.address, certificate.verification_code)
    );
    assert_eq!(entry["revoked"], true);
    assert!(entry.get("revocationReason").is_none(), "{entry}");
    assert_eq!(entry["revocationDate"], "2025-07-01T12:00:00Z");

    // An unknown or malformed code: 404 in JSON.
    for path in [
        "/verify/23456789ABCDEFGHJKLM/status",
        "/verify/not-a-code/status",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(header(&response, "content-type"), "application/json");
        let body: Value = response.json().await.expect("json");
        assert!(body["error"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn the_verify_page_shows_valid_revoked_and_not_found_with_minimal_data() {
    let app = spawn_app().await;
    let certificate = certified(&app, EMAIL, Some("KZ-75"), "inclusive-basics");
    let path = format!("/verify/{}", certificate.verification_code);

    // Anyone, without signing in.
    let (status, html) = page(&app, &path).await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    for expected in [
        "Valid certificate",
        NAME,
        "Course inclusive-basics",
        "72 academic hours",
        "1 June 2025",
        "UST-2025-000001",
        "Ustaz",
        &certificate.display_code(),
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(!html.contains(EMAIL) && !html.contains(IIN), "{html}");
    assert!(html.contains("<meta name=\"viewport\""));

    // Typed from the paper: small letters and dashes lead to the canonical address.
    let typed = certificate.display_code().to_lowercase();
    let response = app.get(&format!("/verify/{typed}")).await;
    assert_eq!(response.status(), 301);
    assert_eq!(header(&response, "location"), path);

    // Revoked: said first, with the date; the reason stays with the teacher and the staff.
    revoke(&app, &certificate, "Issued in error");
    let (status, html) = page(&app, &path).await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    assert!(!text.contains("Valid certificate"), "{text}");
    for expected in [
        "This certificate has been revoked",
        "Revoked on",
        "1 July 2025",
        NAME,
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(!text.contains("Issued in error"), "{text}");

    // Not found: a well-formed unknown code and a malformed one, with help and the form.
    for (asked, shown) in [
        ("23456789ABCDEFGHJKLM", "23456-789AB-CDEFG-HJKLM"),
        ("nonsense", "nonsense"),
    ] {
        let (status, html) = page(&app, &format!("/verify/{asked}")).await;
        assert_eq!(status, 404, "{asked}");
        let text = visible_text(&html);
        assert!(text.contains("No certificate has this code"), "{text}");
        assert!(text.contains(shown), "{text}");
        assert!(html.contains("action=\"/verify\""));
    }
}

#[tokio::test]
async fn the_verify_form_sends_codes_on_and_explains_malformed_ones() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/verify").await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    assert!(text.contains("Verification code"), "{text}");
    assert!(text.contains("next to the QR code"), "{text}");
    assert!(html.contains("aria-describedby=\"code-hint\""));

    let code = "23456789ABCDEFGHJKLM";
    let response = app.get("/verify?code=23456-789ab-cdefg-hjklm+").await;
    assert_eq!(response.status(), 303);
    assert_eq!(header(&response, "location"), format!("/verify/{code}"));

    for (typed, message) in [
        ("ABC-123", "Enter the code exactly as printed"),
        ("", "Enter the verification code"),
    ] {
        let (status, html) = page(&app, &format!("/verify?code={typed}")).await;
        assert_eq!(status, 422, "{typed:?}");
        let text = visible_text(&html);
        assert!(text.contains(message), "{text}");
        assert!(html.contains("<title>Error: Check a certificate"), "{html}");
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(
            html.contains("href=\"#code\""),
            "the error summary links to the field"
        );
        assert!(html.contains(&format!("value=\"{typed}\"")), "{html}");
    }
}

#[tokio::test]
async fn verification_lookups_are_rate_limited_per_address_and_per_app() {
    let app = spawn_app_with_env(&[("USTAZ_VERIFY_RATE_PER_MINUTE", "3")]).await;
    let other_app = spawn_app().await;
    let code = "23456789ABCDEFGHJKLM";
    assert_eq!(app.get("/verify").await.status(), 200);
    assert_eq!(app.get(&format!("/verify/{code}")).await.status(), 404);
    assert_eq!(
        app.get(&format!("/verify/{code}/status")).await.status(),
        404
    );

    let response = app.get_in("/verify", "en").await;
    assert_eq!(response.status(), 429);
    let retry_after: u64 = header(&response, "retry-after")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let text = visible_text(&response.text().await.expect("body"));
    assert!(text.contains("Too many attempts"), "{text}");

    let response = app.get(&format!("/verify/{code}/status")).await;
    assert_eq!(response.status(), 429);
    assert!(!header(&response, "retry-after").is_empty());
    assert_eq!(header(&response, "content-type"), "application/json");
    let body: Value = response.json().await.expect("json");
    assert!(body["error"].is_string());

    // The rest of the site, and another app in the same process, are not affected.
    assert_eq!(app.get("/").await.status(), 200);
    for _ in 0..5 {
        assert_eq!(other_app.get("/verify").await.status(), 200);
    }
}

#[tokio::test]
async fn my_learning_shows_the_certificate_of_a_completed_course() {
    let app = spawn_app().await;
    certified(&app, EMAIL, Some("KZ-75"), "inclusive-basics");
    {
        // A reviewed course completed too: its certificate waits for an administrator.
        let mut conn = app.conn();
        let teacher: i32 = users::table
            .filter(users::email.eq(EMAIL))
            .select(users::id)
            .first(&mut conn)
            .expect("teacher");
        let course = CourseBuilder::new("reviewed-course")
            .counting()
            .published()
            .reviewed()
            .expect_build(&mut conn);
        EnrolmentBuilder::new(teacher, course)
            .completed_on("2025-05-31 09:00:00")
            .expect_build(&mut conn);
    }
    assert_eq!(app.login(EMAIL, PASSWORD).await.status(), 303);
    let (status, html) = page(&app, "/learn").await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    assert!(text.contains("Certificate UST-2025-000001"), "{text}");
    assert!(html.contains("href=\"/certificates/UST-2025-000001.pdf\""));
    assert!(html.contains("href=\"/certificates\""));
    assert!(
        text.contains("awaiting review by an administrator"),
        "{text}"
    );
}

/// A certificate for `email`, returning its verification code.
fn matrix_certificate(app: &TestApp, email: &str, region: &str, slug: &str) -> String {
    let teacher: Option<i32> = users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut app.conn())
        .optional()
        .expect("query");
    let teacher =
        teacher.unwrap_or_else(|| app.create_user("teacher", email, PASSWORD, Some(region)));
    let mut conn = app.conn();
    let course = CourseBuilder::new(slug)
        .counting()
        .published()
        .expect_build(&mut conn);
    issue(app, &mut conn, teacher, course).verification_code
}

#[tokio::test]
async fn certificate_routes_access_matrix() {
    let (app, browsers) = browsers().await;
    // UST-2025-000001: the matrix teacher's, in the matrix coordinator's region (KZ-75).
    let own = matrix_certificate(&app, "teacher@matrix.kz", "KZ-75", "own-course");
    // UST-2025-000002: another teacher's, in another region.
    matrix_certificate(&app, "elsewhere@school.kz", "KZ-11", "other-course");
    let rows = rows![
        GET "/certificates" => [SignIn, Page, Page, Page],
        GET "/certificates/UST-2025-000001.pdf" => [SignIn, Page, Page, Page],
        GET "/certificates/UST-2025-000002.pdf" => [SignIn, Denied, Denied, Page],
        GET "/certificates/UST-2025-000001/credential.jwt" => [SignIn, Page, Page, Page],
        GET "/certificates/UST-2025-000002/credential.jwt" => [SignIn, Denied, Denied, Page],
        GET "/.well-known/jwks.json" => [Page, Page, Page, Page],
        GET "/verify" => [Page, Page, Page, Page],
        GET format!("/verify/{own}") => [Page, Page, Page, Page],
        GET format!("/verify/{own}/status") => [Page, Page, Page, Page],
    ];
    check_access(&browsers, &rows).await;

    // Anonymous visitors are sent to sign in and brought back to the file.
    let response = browsers[0].get("/certificates/UST-2025-000001.pdf").await;
    assert_eq!(
        header(&response, "location"),
        "/login?next=/certificates/UST-2025-000001.pdf"
    );
}
