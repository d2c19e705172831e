//! The browser-like client: it keeps its own cookies, follows no redirects, and fills in the
//! CSRF token of the site's forms as a browser does; and reading what it gets back.

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};

/// One browser on the site at `address`.
pub struct Browser {
    pub address: String,
    pub client: reqwest::Client,
    cookies: Arc<Jar>,
}

impl Browser {
    /// A fresh browser (no cookies) on the site at `address`.
    pub fn new(address: &str) -> Self {
        let cookies = Arc::new(Jar::default());
        Self {
            address: address.to_owned(),
            client: reqwest::Client::builder()
                .cookie_provider(cookies.clone())
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            cookies,
        }
    }

    /// The `Cookie` header this browser sends to the site (for requests written by hand).
    pub fn cookie_header(&self) -> String {
        let url = self.address.parse().expect("site address");
        self.cookies
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_in(&self, path: &str, accept_language: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("Accept-Language", accept_language)
            .send()
            .await
            .expect("request")
    }

    /// Posts the form as it is (no CSRF token added).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// The CSRF token this client's forms carry now (from the language switch on `/`).
    pub async fn csrf(&self) -> String {
        let html = self.get("/").await.text().await.expect("body");
        let token = csrf_in(&html);
        assert!(!token.is_empty(), "no CSRF token on /");
        token
    }

    /// The version the edit form on `path` carries, as a browser opening it gets it.
    pub async fn form_version(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let version = version_in(&response.text().await.expect("body"));
        assert!(!version.is_empty(), "no version field on {path}");
        version
    }

    /// Opens the edit form on `page` and posts `form` to `action` as its save button does: with
    /// the version the form carries (and the CSRF token).
    pub async fn save_form(
        &self,
        page: &str,
        action: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let version = self.form_version(page).await;
        let mut fields = form.to_vec();
        fields.push(("version", &version));
        self.post(action, &fields).await
    }

    /// Posts a form as a browser would: with the page's CSRF token.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        fields.push(("csrf_token", &token));
        self.post_form(path, &fields).await
    }

    /// Posts a form as a browser does with a file input: `multipart/form-data`, the CSRF token
    /// and `fields` first, then `file` as the part `file` (`schools.csv`, `text/csv`).
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: &[u8],
    ) -> reqwest::Response {
        let boundary = "----ustaz-test-boundary-7MA4YWxkTrZu0gW";
        let token = self.csrf().await;
        let mut body = Vec::new();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        for (name, value) in all {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"schools.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.client
            .post(self.url(path))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// The password step only (the form on /login).
    pub async fn login_password(&self, email: &str, password: &str) -> reqwest::Response {
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }

    /// Signs in as a person does: the password, then (staff) the code from their app, or at a
    /// first sign-in the set-up (its key read off the page, then its first code). The answer of
    /// the last step: a redirect, or (after a set-up) the recovery codes page.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        let response = self.login_password(email, password).await;
        let to = location(&response);
        if to.starts_with("/login/code") {
            self.enter_code(email, &super::two_step::next_of(&to)).await
        } else if to.starts_with("/account/two-step/setup") {
            self.set_up_two_step(email, &to).await
        } else {
            response
        }
    }

    /// The second step with the account's app: a code the site has not accepted yet.
    pub async fn enter_code(&self, email: &str, next: &str) -> reqwest::Response {
        let code = super::two_step::fresh_code(&self.address, email).await;
        self.post("/login/code", &[("code", &code), ("next", next)])
            .await
    }

    /// Sets up an authenticator on the set-up page at `path` as a person does: adds the key the
    /// page shows to the app, and confirms with the code it shows.
    pub async fn set_up_two_step(&self, email: &str, path: &str) -> reqwest::Response {
        use ustaz::accounts::two_step as factor;
        let page = self.get(path).await;
        assert_eq!(page.status(), 200, "the set-up page {path}");
        let html = page.text().await.expect("body");
        let secret = factor::parse_secret(&field_in(&html, "secret")).expect("a key on the page");
        let now = factor::unix_now();
        let code = factor::code_at(&secret, now);
        let next = field_in(&html, "next");
        super::two_step::remember(&self.address, email, &secret, now / factor::STEP_SECONDS);
        let response = self
            .post(
                "/account/two-step/setup",
                &[
                    ("secret", &field_in(&html, "secret")),
                    ("code", &code),
                    ("next", &next),
                ],
            )
            .await;
        assert_eq!(response.status(), 200, "{email} sets up two-step sign-in");
        response
    }

    /// Chooses the site's language with the language switch (for a signed-in user, their
    /// account's language too).
    pub async fn switch_language(&self, lang: &str) -> reqwest::Response {
        self.post("/language", &[("lang", lang), ("next", "/")])
            .await
    }
}

/// The text of an HTML page with tags removed and whitespace collapsed, as a reader would see it.
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    let text = text
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// The value of the first field `name` in a page whose `value` follows its name (as the hidden
/// fields are written); empty when there is none.
pub fn field_in(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.find(&marker)
        .map(|i| {
            let rest = &html[i + marker.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
        .unwrap_or_default()
}

/// The value of the first `csrf_token` hidden field in a page.
pub fn csrf_in(html: &str) -> String {
    field_in(html, "csrf_token")
}

/// The version of the record an edit form was opened at (its `version` hidden field).
pub fn version_in(html: &str) -> String {
    field_in(html, "version")
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The visible text of a response's page.
pub async fn text_of(response: reqwest::Response) -> String {
    visible_text(&response.text().await.expect("body"))
}
