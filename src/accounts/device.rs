//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
//! has signed in to an account gets a signed cookie naming the account and a random nonce. Its
//! sign-ins are counted against that cookie alone, so strangers guessing the account's password
//! lock out only strangers, never the owner's own browser.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::HttpRequest;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::configuration::Settings;

const PURPOSE: &str = "ustaz device v1";
/// Long enough to outlast a school year without a sign-in from that browser.
const DEVICE_DAYS: i64 = 365;

/// A device cookie whose signature holds: the account it was issued to and its nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub user_id: i32,
    pub nonce: String,
}

/// `__Host-` on https, like the session's, so a sibling subdomain cannot plant one.
pub fn cookie_name(settings: &Settings) -> &'static str {
    if settings.is_https() {
        "__Host-ustaz_device"
    } else {
        "ustaz_device"
    }
}

fn mac(settings: &Settings, user_id: i32, nonce: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&settings.derived_key(PURPOSE))
        .expect("HMAC takes any key length");
    mac.update(format!("{user_id}.{nonce}").as_bytes());
    mac
}

/// The value of a new device cookie for the account: `user.nonce.signature`.
fn value_for(settings: &Settings, user_id: i32) -> String {
    let nonce = crate::accounts::tokens::random_token();
    let signature = hex::encode(mac(settings, user_id, &nonce).finalize().into_bytes());
    format!("{user_id}.{nonce}.{signature}")
}

/// The device a cookie value names, if its signature holds (checked in constant time).
fn parse(settings: &Settings, value: &str) -> Option<Device> {
    let mut parts = value.splitn(3, '.');
    let user_id: i32 = parts.next()?.parse().ok()?;
    let nonce = parts.next()?;
    let signature = hex::decode(parts.next()?).ok()?;
    let well_formed = nonce.len() == 64 && nonce.bytes().all(|b| b.is_ascii_hexdigit());
    if !well_formed {
        return None;
    }
    mac(settings, user_id, nonce)
        .verify_slice(&signature)
        .ok()?;
    Some(Device {
        user_id,
        nonce: nonce.to_owned(),
    })
}

/// A new device cookie for the account that just signed in (a fresh nonce every time).
pub fn issue(settings: &Settings, user_id: i32) -> Cookie<'static> {
    // Strict: only the sign-in form, on this site, needs to send it.
    Cookie::build(cookie_name(settings), value_for(settings, user_id))
        .path("/")
        .http_only(true)
        .secure(settings.is_https())
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(DEVICE_DAYS))
        .finish()
}

/// The device cookie the request carries, if it is one this site signed.
pub fn presented(req: &HttpRequest, settings: &Settings) -> Option<Device> {
    let cookie = req.cookie(cookie_name(settings))?;
    parse(settings, cookie.value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_names_its_account_and_nonce_and_nothing_else_passes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data_dir = dir.path().to_string_lossy().into_owned();
        let settings = Settings::from_lookup(|name| match name {
            "USTAZ_SECRET_KEY" => Some("5".repeat(64)),
            "USTAZ_DATA_DIR" => Some(data_dir.clone()),
            _ => None,
        })
        .expect("settings");
        let value = value_for(&settings, 42);
        let device = parse(&settings, &value).expect("own cookie");
        assert_eq!(device.user_id, 42);
        assert_eq!(device.nonce.len(), 64);
        assert_ne!(value_for(&settings, 42), value, "a fresh nonce each time");

        let other_account = value.replacen("42.", "43.", 1);
        assert_eq!(parse(&settings, &other_account), None);
        let mut forged = value.clone();
        forged.pop();
        forged.push(if value.ends_with('0') { '1' } else { '0' });
        assert_eq!(parse(&settings, &forged), None);
        for junk in ["", "42", "42.abc.def", "x.y.z"] {
            assert_eq!(parse(&settings, junk), None, "{junk}");
        }
    }
}
