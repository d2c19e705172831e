use crate::fixtures::{revoke, CertificateBuilder, CourseBuilder, UserBuilder};
use crate::helpers::{spawn_app, visible_text};

#[tokio::test]
async fn home_shows_zero_of_the_national_target_in_each_language() {
    let app = spawn_app().await;
    let cases = [
        (
            "en-GB,en;q=0.9",
            "en",
            "0 of 30,000 teachers have completed",
            "31 December 2025",
        ),
        (
            "ru-RU,ru;q=0.9",
            "ru",
            "0 из 30\u{a0}000 педагогов прошли",
            "31 декабря 2025 г.",
        ),
        (
            "kk-KZ,kk;q=0.9,ru;q=0.8",
            "kk",
            "30\u{a0}000 педагогтің 0 инклюзивті",
            "2025 жылғы 31 желтоқсан",
        ),
    ];
    for (accept, code, progress, deadline) in cases {
        let response = app.get_in("/", accept).await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.expect("body");
        assert!(
            html.contains(&format!("<html lang=\"{code}\">")),
            "{code}: {html}"
        );
        let text = visible_text(&html);
        assert!(text.contains(progress), "{code}: {text}");
        assert!(text.contains(deadline), "{code}: {text}");
    }
}

#[tokio::test]
async fn visitors_without_a_preference_get_kazakh() {
    let app = spawn_app().await;
    let html = app.get("/").await.text().await.expect("body");
    assert!(html.contains("<html lang=\"kk\">"));
}

#[tokio::test]
async fn the_language_switch_keeps_the_choice_in_a_cookie() {
    let app = spawn_app().await;
    let response = app
        .post("/language", &[("lang", "ru"), ("next", "/?from=switch")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/?from=switch");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("lang=ru"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    // The cookie wins over the browser's Accept-Language from now on.
    let html = app.get_in("/", "en").await.text().await.expect("body");
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(visible_text(&html).contains("Продвижение к национальной цели"));

    app.post("/language", &[("lang", "en"), ("next", "/")])
        .await;
    let html = app.get_in("/", "ru").await.text().await.expect("body");
    assert!(html.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn the_language_switch_never_redirects_off_site_nor_accepts_cross_site_posts() {
    let app = spawn_app().await;
    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let response = app
            .post("/language", &[("lang", "en"), ("next", next)])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/", "{next}");
    }
    let token = app.csrf().await;
    let response = app
        .client
        .post(app.url("/language"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("lang", "ru"), ("next", "/"), ("csrf_token", &token)])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 403);
    assert!(response.headers().get("set-cookie").is_none());
    let response = app
        .client
        .post(app.url("/language"))
        .header("Origin", "https://evil.example")
        .form(&[("lang", "ru"), ("next", "/"), ("csrf_token", &token)])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 403);
    // Without the form's CSRF token, even a same-site post is refused.
    let response = app
        .post_form("/language", &[("lang", "ru"), ("next", "/")])
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .post_form("/language", &[("lang", "ru"), ("csrf_token", "0000")])
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("csp");
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
    // Served over http here, so no HSTS.
    assert!(!headers.contains_key("strict-transport-security"));

    let css = app.get("/static/css/site.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.headers()["cache-control"]
        .to_str()
        .expect("cc")
        .contains("max-age"));
}

/// The home page counts by the rule of PRODUCT.md: distinct teachers with a non-revoked
/// certificate of a counting course issued inside the target's period.
#[tokio::test]
async fn home_counts_trained_teachers_by_the_rule() {
    let app = spawn_app().await;
    let counts = {
        let mut conn = app.conn();
        let counts = CourseBuilder::new("foundations")
            .counting()
            .published()
            .expect_build(&mut conn);
        let also_counts = CourseBuilder::new("sen-classroom")
            .counting()
            .published()
            .expect_build(&mut conn);
        let does_not_count = CourseBuilder::new("digital-basics")
            .published()
            .expect_build(&mut conn);
        // Counted once, with two certificates.
        let aigerim = UserBuilder::teacher("aigerim@mektep.kz")
            .region("KZ-10")
            .expect_build(&mut conn);
        CertificateBuilder::new(aigerim, counts)
            .serial(1)
            .issued_on("2024-03-01 10:00:00")
            .expect_build(&mut conn);
        CertificateBuilder::new(aigerim, also_counts)
            .serial(2)
            .issued_on("2025-12-31 23:59:59")
            .expect_build(&mut conn);
        // Revoked: not counted.
        let bolat = UserBuilder::teacher("bolat@mektep.kz")
            .region("KZ-11")
            .expect_build(&mut conn);
        CertificateBuilder::new(bolat, counts)
            .serial(3)
            .issued_on("2023-05-05 09:00:00")
            .revoked_on("2023-06-01 09:00:00")
            .expect_build(&mut conn);
        // Issued after the deadline, and before the start: not counted.
        let dana = UserBuilder::teacher("dana@mektep.kz")
            .region("KZ-15")
            .expect_build(&mut conn);
        CertificateBuilder::new(dana, counts)
            .serial(4)
            .issued_on("2026-01-01 00:00:00")
            .expect_build(&mut conn);
        let erlan = UserBuilder::teacher("erlan@mektep.kz")
            .region("KZ-15")
            .expect_build(&mut conn);
        CertificateBuilder::new(erlan, counts)
            .serial(5)
            .issued_on("2020-12-31 23:59:59")
            .expect_build(&mut conn);
        // A course that does not count toward the target: not counted.
        let farida = UserBuilder::teacher("farida@mektep.kz").expect_build(&mut conn);
        CertificateBuilder::new(farida, does_not_count)
            .serial(6)
            .issued_on("2024-01-01 00:00:00")
            .expect_build(&mut conn);
        // The first day of the period counts.
        let gulnar = UserBuilder::teacher("gulnar@mektep.kz").expect_build(&mut conn);
        CertificateBuilder::new(gulnar, also_counts)
            .serial(7)
            .issued_on("2021-01-01 00:00:00")
            .expect_build(&mut conn);
        counts
    };
    let home = || async { visible_text(&app.get_in("/", "en").await.text().await.expect("body")) };
    let text = home().await;
    assert!(
        text.contains("2 of 30,000 teachers have completed"),
        "{text}"
    );
    // The count is cached, and follows every certificate at once.
    let revoked = {
        let mut conn = app.conn();
        let hana = UserBuilder::teacher("hana@mektep.kz")
            .region("KZ-19")
            .expect_build(&mut conn);
        CertificateBuilder::new(hana, counts)
            .serial(8)
            .issued_on("2025-06-01 12:00:00")
            .expect_build(&mut conn)
    };
    assert!(home().await.contains("3 of 30,000"));
    revoke(&mut app.conn(), revoked, "2025-07-01 12:00:00");
    assert!(home().await.contains("2 of 30,000"));
}
