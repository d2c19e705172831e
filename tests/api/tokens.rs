//! Links that set a password end once a password is set, by whatever route: an invitation or
//! reset link sent earlier can no longer take the account over.

use diesel::prelude::*;
use ustaz::accounts::tokens::{self, Purpose};
use ustaz::schema::{user_tokens, users};

use crate::helpers::{spawn_admin_app, visible_text, TestApp, GOOD_PASSWORD, PASSWORD};

const INVITED: &str = "ivan.petrov@mektep.kz";
const TEACHERS_CSV: &str = "full_name,email,region_code,school,category,iin\n\
                            Иван Петров,ivan.petrov@mektep.kz,KZ-71,,special,\n";
/// What someone holding an old link would set.
const ATTACKER_PASSWORD: &str = "taken over by the old link";
const NEWER_PASSWORD: &str = "a newer passphrase of the teacher";

/// The administrator of `app` imports `INVITED`, who gets an invitation (their first email).
async fn invite(app: &TestApp) -> String {
    let done = app
        .post(
            "/admin/users/import",
            &[("csv", TEACHERS_CSV), ("language", "en")],
        )
        .await;
    assert_eq!(done.status(), 200);
    link_in_email(app, INVITED, 1)
}

/// The path of the link in the `n`th email (1-based) to `to`.
fn link_in_email(app: &TestApp, to: &str, n: usize) -> String {
    let emails = app.emails_to(to);
    let email = emails
        .get(n - 1)
        .unwrap_or_else(|| panic!("email {n} to {to}"));
    let link = email.link(&app.address);
    let path = link.trim_start_matches(&app.address).to_owned();
    assert!(path.starts_with("/password/reset/"), "{path}");
    path
}

/// Asks for a reset link for `email` and returns the path of the link in the `n`th email.
async fn ask_for_reset(app: &TestApp, email: &str, n: usize) -> String {
    // A quarter of an hour later each time: one reset mail per address per window is the limit.
    diesel::update(ustaz::schema::rate_limits::table)
        .set(
            ustaz::schema::rate_limits::window_start
                .eq(chrono::Utc::now().naive_utc() - chrono::Duration::minutes(16)),
        )
        .execute(&mut app.conn())
        .expect("move the limit windows back");
    let asked = app.post("/password/forgot", &[("email", email)]).await;
    assert_eq!(asked.status(), 200);
    link_in_email(app, email, n)
}

fn password_hash(app: &TestApp, email: &str) -> Option<String> {
    users::table
        .filter(users::email.eq(email))
        .select(users::password_hash)
        .first(&mut app.conn())
        .expect("user")
}

/// The link shows the "no longer valid" page, and using it changes nothing.
async fn assert_refused(app: &TestApp, path: &str, email: &str) {
    let stranger = app.another_browser();
    let page = stranger.get_in(path, "en").await;
    assert_eq!(page.status(), 410, "{path} is still open");
    let text = visible_text(&page.text().await.expect("body"));
    assert!(
        text.contains("This link has expired or has already been used"),
        "{text}"
    );
    let before = password_hash(app, email);
    let used = stranger
        .post(path, &[("password", ATTACKER_PASSWORD)])
        .await;
    assert_eq!(used.status(), 410, "{path} still sets a password");
    assert_eq!(
        password_hash(app, email),
        before,
        "the password is unchanged"
    );
    let login = stranger.login(email, ATTACKER_PASSWORD).await;
    assert_eq!(
        login.status(),
        422,
        "the old link's password does not sign in"
    );
}

async fn assert_signs_in(app: &TestApp, email: &str, password: &str) {
    let owner = app.another_browser();
    assert_eq!(
        owner.login(email, password).await.status(),
        303,
        "{email} signs in"
    );
}

async fn change_password_on_the_account_page(app: &TestApp, current: &str, new: &str) {
    let changed = app
        .post(
            "/account/password",
            &[("current_password", current), ("new_password", new)],
        )
        .await;
    assert_eq!(
        changed.status(),
        303,
        "password changed on the account page"
    );
}

#[tokio::test]
async fn an_invitation_is_refused_once_the_teacher_set_a_password_by_reset_and_changed_it() {
    let (app, _) = spawn_admin_app().await;
    let invitation = invite(&app).await;

    // The teacher ignores the invitation, asks for a reset link, sets a password with it, signs in
    // and later changes the password on the account page.
    let teacher = app.another_browser();
    let reset = ask_for_reset(&teacher, INVITED, 2).await;
    let set = teacher.post(&reset, &[("password", GOOD_PASSWORD)]).await;
    assert_eq!(set.status(), 303);
    assert_eq!(teacher.login(INVITED, GOOD_PASSWORD).await.status(), 303);
    change_password_on_the_account_page(&teacher, GOOD_PASSWORD, NEWER_PASSWORD).await;

    // Whoever has the invitation email (14 days valid) cannot take the account over.
    assert_refused(&app, &invitation, INVITED).await;
    assert_refused(&app, &reset, INVITED).await;
    assert_signs_in(&app, INVITED, NEWER_PASSWORD).await;
}

#[tokio::test]
async fn a_password_set_through_a_reset_link_ends_the_invitation() {
    let (app, _) = spawn_admin_app().await;
    let invitation = invite(&app).await;
    let reset = ask_for_reset(&app.another_browser(), INVITED, 2).await;
    let set = app
        .another_browser()
        .post(&reset, &[("password", GOOD_PASSWORD)])
        .await;
    assert_eq!(set.status(), 303);

    assert_refused(&app, &invitation, INVITED).await;
    assert_signs_in(&app, INVITED, GOOD_PASSWORD).await;
}

#[tokio::test]
async fn a_password_changed_on_the_account_page_ends_invitation_and_reset_links() {
    let (app, _) = spawn_admin_app().await;
    let teacher = app.another_browser();
    let id = teacher
        .sign_in("teacher", "dana@mektep.kz", Some("KZ-75"))
        .await;
    // An invitation still open for the account (as an import leaves it) and a reset link.
    let token = tokens::create(&mut app.conn(), id, Purpose::Invitation, ustaz::db::now())
        .expect("invitation");
    let invitation = format!("/password/reset/{token}");
    assert_eq!(app.another_browser().get(&invitation).await.status(), 200);
    let reset = ask_for_reset(&app.another_browser(), "dana@mektep.kz", 1).await;

    change_password_on_the_account_page(&teacher, PASSWORD, NEWER_PASSWORD).await;
    assert_refused(&app, &invitation, "dana@mektep.kz").await;
    assert_refused(&app, &reset, "dana@mektep.kz").await;
    let open: i64 = user_tokens::table
        .filter(user_tokens::user_id.eq(id))
        .filter(user_tokens::used_at.is_null())
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(open, 0, "no link of the account is left open");
}

#[tokio::test]
async fn an_older_reset_link_is_refused_after_a_newer_reset_and_after_the_invitation() {
    let (app, _) = spawn_admin_app().await;
    let invitation = invite(&app).await;
    let first = ask_for_reset(&app.another_browser(), INVITED, 2).await;
    // A minute later (moved back in the database), a second link.
    let earlier = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(2);
    diesel::update(user_tokens::table)
        .set(user_tokens::created_at.eq(earlier))
        .execute(&mut app.conn())
        .expect("age tokens");
    let second = ask_for_reset(&app.another_browser(), INVITED, 3).await;
    assert_ne!(first, second);
    assert_refused(&app, &first, INVITED).await;

    // The teacher sets the password with the invitation: the newer reset link ends too.
    let set = app
        .another_browser()
        .post(&invitation, &[("password", GOOD_PASSWORD)])
        .await;
    assert_eq!(set.status(), 303);
    assert_refused(&app, &second, INVITED).await;
    assert_refused(&app, &invitation, INVITED).await;
}
