//! The second step as a staff member does it with an authenticator app: the helpers know each
//! staff account's secret (enrolled when the account is made, or read off the set-up page as a
//! person would scan it) and type the code the app would show. A code is accepted once, so the
//! next sign-in of the same account within 30 s takes the next time step (the app shows it a
//! moment later), and waits for it when that one is spent too.

use std::collections::HashMap;
use std::sync::Mutex;

use ustaz::accounts::two_step::{self as factor, Keys, STEP_SECONDS};
use ustaz::configuration::Settings;

/// (site address, email) → the authenticator's secret, and the last time step it was used for.
type Apps = HashMap<(String, String), (Vec<u8>, u64)>;
static APPS: Mutex<Option<Apps>> = Mutex::new(None);

fn with_apps<T>(f: impl FnOnce(&mut Apps) -> T) -> T {
    let mut apps = APPS.lock().unwrap_or_else(|e| e.into_inner());
    f(apps.get_or_insert_with(HashMap::new))
}

/// The account's app now holds `secret` (a fresh set-up or enrolment).
pub fn remember(address: &str, email: &str, secret: &[u8], used_step: u64) {
    with_apps(|apps| {
        apps.insert(
            (address.to_owned(), email.to_owned()),
            (secret.to_vec(), used_step),
        )
    });
}

/// The secret of the account's app, when it has one.
pub fn secret_of(address: &str, email: &str) -> Option<Vec<u8>> {
    with_apps(|apps| {
        apps.get(&(address.to_owned(), email.to_owned()))
            .map(|(s, _)| s.clone())
    })
}

/// A code the site has not accepted yet for the account: this step's, else the next one's, else
/// (both spent) it waits for the next step.
pub async fn fresh_code(address: &str, email: &str) -> String {
    let key = (address.to_owned(), email.to_owned());
    loop {
        let now = factor::unix_now();
        let now_step = now / STEP_SECONDS;
        let found = with_apps(|apps| {
            let (secret, last) = apps
                .get_mut(&key)
                .unwrap_or_else(|| panic!("{email} has no authenticator in the tests"));
            let step = now_step.max(*last + 1);
            (step <= now_step + 1).then(|| {
                *last = step;
                factor::code_at(secret, step * STEP_SECONDS)
            })
        });
        if let Some(code) = found {
            return code;
        }
        let wait = STEP_SECONDS - now % STEP_SECONDS;
        tokio::time::sleep(std::time::Duration::from_millis(wait * 1000 + 50)).await;
    }
}

/// Enrols an authenticator for the user as the set-up does (the app's own model functions, a
/// sealed random secret), and remembers it for the account's sign-ins.
pub fn enrol(
    conn: &mut ustaz::db::AnyConnection,
    settings: &Settings,
    address: &str,
    (user_id, email): (i32, &str),
) {
    let secret = factor::new_secret();
    let sealed = Keys::new(settings).seal(user_id, &secret).expect("sealed");
    ustaz::accounts::two_step::models::insert_factor(conn, user_id, &sealed, 0, ustaz::db::now())
        .expect("enrol the authenticator");
    remember(address, email, &secret, 0);
}

/// The `next` of a redirect to the second step (`/login/code?next=…`).
pub fn next_of(location: &str) -> String {
    let query = location.split_once("?next=").map_or("", |(_, q)| q);
    percent_encoding::percent_decode_str(query)
        .decode_utf8_lossy()
        .into_owned()
}
