//! Issue 13's attacks on the client address and the same-origin check: forwarding headers count
//! only from a trusted proxy, and every refusal carries the security headers.

use crate::helpers::{spawn_app, spawn_app_with_env, TestApp, GOOD_PASSWORD};

/// A sign-in from `forwarded_for` as the header says: the answer's status.
async fn sign_in_via(app: &TestApp, email: &str, password: &str, forwarded_for: &str) -> u16 {
    let token = app.csrf().await;
    app.client
        .post(app.url("/login"))
        .header("X-Forwarded-For", forwarded_for)
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

/// A failed sign-in to a different account each time (`n`), from `forwarded_for`.
async fn failed_sign_in_via(app: &TestApp, n: usize, forwarded_for: &str) -> u16 {
    let email = format!("nobody{n}@mektep.kz");
    sign_in_via(app, &email, "guess guess guess", forwarded_for).await
}

/// The language switch posted with an `Origin` (and more headers): what a browser sends.
async fn switch_language_from(
    app: &TestApp,
    token: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app.client.post(app.url("/language"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .form(&[("lang", "en"), ("next", "/"), ("csrf_token", token)])
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_made_up_forwarded_for_does_not_escape_the_address_limit() {
    // Before: 25 failures, each with a random X-Forwarded-For, were never throttled.
    let app = spawn_app().await;
    let mut first_throttled = None;
    for n in 0..40 {
        let status = failed_sign_in_via(&app, n, &format!("198.51.100.{n}")).await;
        assert!(matches!(status, 422 | 429), "{status}");
        if status == 429 {
            first_throttled = Some(n);
            break;
        }
    }
    let n = first_throttled.expect("the address was never throttled");
    assert!(n <= 25, "throttled only after {n} failures");
    // A new made-up address changes nothing: the TCP peer is the client.
    assert_eq!(failed_sign_in_via(&app, 99, "192.0.2.200").await, 429);
}

#[tokio::test]
async fn a_spoofed_victim_address_does_not_lock_the_victim_out() {
    // Before: failures sent with the victim's address in X-Forwarded-For locked the victim out.
    // With the loopback proxy trusted, the header names the client: each address is its own.
    let app = spawn_app_with_env(&[("USTAZ_TRUSTED_PROXIES", "127.0.0.1, ::1")]).await;
    app.create_user("teacher", "victim@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let mut attacker_throttled = false;
    for n in 0..40 {
        // The attacker writes the victim's address first; the proxy appends the real one.
        let status = failed_sign_in_via(&app, n, "203.0.113.5, 198.51.100.66").await;
        if status == 429 {
            attacker_throttled = true;
            break;
        }
    }
    assert!(
        attacker_throttled,
        "the attacker's address was never throttled"
    );
    assert_eq!(
        sign_in_via(&app, "victim@mektep.kz", GOOD_PASSWORD, "203.0.113.5").await,
        303
    );

    // Without the setting, the same header is ignored: the peer (loopback) is throttled.
    let untrusting = spawn_app().await;
    untrusting.create_user("teacher", "victim@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    for n in 0..40 {
        if failed_sign_in_via(&untrusting, n, "203.0.113.5").await == 429 {
            break;
        }
    }
    assert_eq!(
        sign_in_via(
            &untrusting,
            "victim@mektep.kz",
            GOOD_PASSWORD,
            "203.0.113.77"
        )
        .await,
        429,
        "X-Forwarded-For from an untrusted peer chose the address"
    );
}

#[tokio::test]
async fn x_forwarded_host_from_anyone_does_not_pass_the_origin_check() {
    let app = spawn_app().await;
    let token = app.csrf().await;
    let response = switch_language_from(
        &app,
        &token,
        &[
            ("Origin", "https://evil.example"),
            ("X-Forwarded-Host", "evil.example"),
        ],
    )
    .await;
    assert_eq!(response.status(), 403);
    // The refusal carries the headers every page does.
    let headers = response.headers();
    for name in [
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
        "x-frame-options",
        "cache-control",
    ] {
        assert!(headers.contains_key(name), "403 without {name}");
    }
    // The same post from the site itself goes through.
    let response = switch_language_from(&app, &token, &[("Origin", app.address.as_str())]).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn on_https_the_csrf_cookie_is_host_only() {
    let app = spawn_app_with_env(&[("USTAZ_BASE_URL", "https://ustaz.example")]).await;
    let response = app.get("/").await;
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let csrf = cookies
        .iter()
        .find(|c| c.contains("ustaz_csrf"))
        .expect("CSRF cookie");
    assert!(csrf.starts_with("__Host-ustaz_csrf="), "{csrf}");
    assert!(csrf.contains("Secure") && csrf.contains("Path=/"), "{csrf}");
    assert!(!csrf.contains("Domain"), "{csrf}");
}
