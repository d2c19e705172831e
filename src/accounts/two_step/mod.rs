//! Two-step sign-in for staff: a TOTP authenticator (RFC 6238: HMAC-SHA-1, 6 digits, 30-second
//! steps, one step either side accepted) and ten one-time recovery codes.
//!
//! What lives where: this file holds the pieces without a database (codes, the secret's
//! encryption, the QR code, the pending sign-in token between the password and the code);
//! `models` the rows, `ops` each change in one transaction with its audit event and email,
//! `forms` the code fields, `flow` the sign-in between the password and the session, `gate` the
//! redirect that keeps staff without a factor on the set-up page when the factor is required.

pub mod flow;
pub mod forms;
pub mod gate;
pub mod models;
pub mod ops;

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use chrono::Utc;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use totp_rs::{Builder, Secret, Totp};

use crate::configuration::Settings;
use crate::domain::Role;

pub use crate::configuration::StaffTwoStep;

/// Who may have a second factor: coordinators and administrators (teachers are not asked).
pub fn may_use(role: Role) -> bool {
    role.is_staff()
}

// ---- Codes --------------------------------------------------------------------------------

/// Seconds a code lasts.
pub const STEP_SECONDS: u64 = 30;
/// The issuer shown by authenticator apps.
const ISSUER: &str = "Ustaz";
/// Bytes of a new secret: 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    secret
}

fn totp(secret: &[u8], account: &str) -> Option<Totp> {
    Builder::new()
        .with_secret(Secret::new(secret.to_vec().into_boxed_slice()))
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The secret as people type it into an app (RFC 4648 base32, no padding).
pub fn secret_base32(secret: &[u8]) -> String {
    Secret::new(secret.to_vec().into_boxed_slice()).to_base32()
}

/// The secret in groups of four letters, easier to read and type.
pub fn grouped(base32: &str) -> String {
    let chars: Vec<char> = base32.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A secret as typed back (any case, spaces allowed); None unless it is one of ours (160 bits).
pub fn parse_secret(typed: &str) -> Option<Vec<u8>> {
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let secret = Secret::try_from_base32(&compact).ok()?;
    (secret.as_bytes().len() == SECRET_BYTES).then(|| secret.as_bytes().to_vec())
}

/// The `otpauth://` link authenticator apps read (also what the QR code holds).
pub fn otpauth_url(secret: &[u8], account: &str) -> String {
    totp(secret, account)
        .and_then(|t| t.to_url().ok())
        .unwrap_or_default()
}

/// The time step a code belongs to (its own, the one before or the one after), if it is right.
pub fn matching_step(secret: &[u8], code: &str, unix_time: u64) -> Option<u64> {
    totp(secret, "-")?.check(code, unix_time)
}

/// The code of a secret at a time (for the tests and the command line).
pub fn code_at(secret: &[u8], unix_time: u64) -> String {
    totp(secret, "-")
        .map(|t| t.generate(unix_time).to_string())
        .unwrap_or_default()
}

pub fn unix_now() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap_or(0)
}

/// A code as typed: digits with any spaces or dashes ("123 456"); None unless six digits.
pub fn normalize_code(typed: &str) -> Option<String> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The QR code of `url` as the `d` of one SVG path on a square of `size` modules (quiet zone
/// included), drawn by the template.
pub fn qr_path(url: &str) -> Option<(String, usize)> {
    use qrcode::{Color, EcLevel, QrCode};
    const QUIET: usize = 4;
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, module) in code.to_colors().iter().enumerate() {
        if *module == Color::Dark {
            let (y, x) = (i / width + QUIET, i % width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((path, width + 2 * QUIET))
}

// ---- Recovery codes -----------------------------------------------------------------------

/// How many recovery codes a user gets at a time.
pub const RECOVERY_CODES: usize = 10;
/// When this few are left, the pages warn.
pub const FEW_RECOVERY_CODES: i64 = 3;
/// No 0/1/8/9 lookalikes: RFC 4648's base32 letters, lower case.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";

/// Ten new codes of ten letters (50 random bits each) as "abcde-fghij".
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let letters: String = (0..10)
                .map(|_| {
                    let i = (rng.next_u32() as usize) % RECOVERY_ALPHABET.len();
                    RECOVERY_ALPHABET[i] as char
                })
                .collect();
            format!("{}-{}", &letters[..5], &letters[5..])
        })
        .collect()
}

/// A recovery code as typed (any case, with or without the dash or spaces).
pub fn normalize_recovery_code(typed: &str) -> Option<String> {
    let letters: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let ours = letters.len() == 10 && letters.bytes().all(|b| RECOVERY_ALPHABET.contains(&b));
    ours.then_some(letters)
}

/// The server's keys for two-step sign-in, each derived for its one purpose.
#[derive(Clone)]
pub struct Keys {
    secrets: Vec<u8>,
    recovery: Vec<u8>,
    pending: Vec<u8>,
}

impl Keys {
    pub fn new(settings: &Settings) -> Self {
        Self {
            secrets: settings.derived_key("ustaz two-step secret v1"),
            recovery: settings.derived_key("ustaz recovery codes v1"),
            pending: settings.derived_key("ustaz two-step pending v1"),
        }
    }

    /// A normalised recovery code's stored form: HMAC-SHA-256 under a server key, so the table
    /// alone does not let anyone test guesses.
    pub fn recovery_hash(&self, normalized: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.recovery).expect("HMAC takes any key length");
        mac.update(normalized.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    fn aead(&self) -> Option<LessSafeKey> {
        UnboundKey::new(&AES_256_GCM, &self.secrets)
            .ok()
            .map(LessSafeKey::new)
    }

    /// The secret encrypted for the user's row (AES-256-GCM, a random nonce, the user id as
    /// associated data so a row copied to another user does not open): hex of nonce ‖ sealed.
    pub fn seal(&self, user_id: i32, secret: &[u8]) -> Option<String> {
        let key = self.aead()?;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut sealed = secret.to_vec();
        let aad = user_id.to_be_bytes();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            &mut sealed,
        )
        .ok()?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Some(hex::encode(out))
    }

    /// The secret of the user's row; None if it was not sealed for this user with this key.
    pub fn open(&self, user_id: i32, stored: &str) -> Option<Vec<u8>> {
        let key = self.aead()?;
        let bytes = hex::decode(stored).ok()?;
        if bytes.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let aad = user_id.to_be_bytes();
        let opened = key.open_in_place(nonce, Aad::from(aad), &mut sealed).ok()?;
        Some(opened.to_vec())
    }
}

// ---- The pending sign-in ------------------------------------------------------------------

const AUDIENCE: &str = "ustaz";
/// Its own `typ` (and its own key): a pending token never passes as a session, nor a session
/// as a pending token.
const PENDING_TYP: &str = "two-step";
/// Minutes between the password and the code (the code's own window is 30 s either way).
pub const PENDING_MINUTES: i64 = 5;
/// Minutes between the password and a confirmed set-up (installing an app takes longer).
pub const SETUP_MINUTES: i64 = 15;

/// Who has given the right password and not yet the second step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    sub: String,
    /// The user's session version: a sign-out everywhere, a new password or a reset of the
    /// factor ends the pending sign-in too.
    pub sv: i32,
    typ: String,
    aud: String,
    iat: i64,
    exp: i64,
}

impl Pending {
    pub fn user_id(&self) -> Option<i32> {
        self.sub.parse().ok()
    }
}

pub fn pending_cookie_name(settings: &Settings) -> &'static str {
    if settings.is_https() {
        "__Host-ustaz_two_step"
    } else {
        "ustaz_two_step"
    }
}

/// A signed pending token for the user, valid for `minutes`.
pub fn issue_pending(
    keys: &Keys,
    user_id: i32,
    session_version: i32,
    minutes: i64,
) -> anyhow::Result<String> {
    let now = Utc::now().timestamp();
    let claims = Pending {
        sub: user_id.to_string(),
        sv: session_version,
        typ: PENDING_TYP.to_owned(),
        aud: AUDIENCE.to_owned(),
        iat: now,
        exp: now + minutes * 60,
    };
    let key = EncodingKey::from_secret(&keys.pending);
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &key,
    )?)
}

/// The pending sign-in a token holds, if it is ours, of its type and unexpired.
pub fn decode_pending(keys: &Keys, token: &str) -> Option<Pending> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "aud", "sub", "iat"]);
    validation.leeway = 0;
    let key = DecodingKey::from_secret(&keys.pending);
    let claims = jsonwebtoken::decode::<Pending>(token, &key, &validation)
        .ok()?
        .claims;
    (claims.typ == PENDING_TYP).then_some(claims)
}

pub fn pending_cookie(settings: &Settings, token: String, minutes: i64) -> Cookie<'static> {
    Cookie::build(pending_cookie_name(settings), token)
        .path("/")
        .http_only(true)
        .secure(settings.is_https())
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::minutes(minutes))
        .finish()
}

pub fn pending_removal(settings: &Settings) -> Cookie<'static> {
    let mut cookie = pending_cookie(settings, String::new(), 0);
    cookie.make_removal();
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys {
            secrets: vec![7; 32],
            recovery: vec![8; 32],
            pending: vec![9; 32],
        }
    }

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, truncated to six digits.
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59), "287082");
        assert_eq!(code_at(secret, 1111111109), "081804");
        assert_eq!(code_at(secret, 2000000000), "279037");
        let step = 1111111109 / STEP_SECONDS;
        assert_eq!(matching_step(secret, "081804", 1111111109), Some(step));
        assert_eq!(matching_step(secret, "081804", 1111111109 + 30), Some(step));
        assert_eq!(matching_step(secret, "081804", 1111111109 - 30), Some(step));
        assert_eq!(matching_step(secret, "081804", 1111111109 + 90), None);
        assert_eq!(matching_step(secret, "000000", 1111111109), None);
    }

    #[test]
    fn typed_codes_may_have_spaces() {
        assert_eq!(normalize_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(normalize_code("123-456").as_deref(), Some("123456"));
        assert_eq!(normalize_code("12345"), None);
        assert_eq!(normalize_code("12345a"), None);
        assert_eq!(normalize_code("１２３４５６"), None);
    }

    #[test]
    fn secrets_are_160_bits_in_base32_groups() {
        let secret = new_secret();
        let text = secret_base32(&secret);
        assert_eq!(text.len(), 32);
        let shown = grouped(&text);
        assert_eq!(shown.split(' ').count(), 8);
        assert_eq!(parse_secret(&shown.to_lowercase()), Some(secret));
        assert_eq!(parse_secret("ABCD"), None);
        let url = otpauth_url(&new_secret(), "admin@ustaz.kz");
        assert!(
            url.starts_with("otpauth://totp/Ustaz:admin%40ustaz.kz?secret="),
            "{url}"
        );
        assert!(url.contains("issuer=Ustaz"), "{url}");
    }

    #[test]
    fn secrets_open_only_for_their_user_and_key() {
        let k = keys();
        let secret = new_secret();
        let sealed = k.seal(5, &secret).expect("sealed");
        assert!(!sealed.contains(&hex::encode(&secret)));
        assert_eq!(k.open(5, &sealed), Some(secret.clone()));
        assert_eq!(k.open(6, &sealed), None);
        let other = Keys {
            secrets: vec![1; 32],
            ..keys()
        };
        assert_eq!(other.open(5, &sealed), None);
        assert_ne!(k.seal(5, &secret), Some(sealed));
    }

    #[test]
    fn recovery_codes_are_random_and_typed_loosely() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        let typed = code.to_uppercase().replace('-', " ");
        assert_eq!(normalize_recovery_code(&typed), Some(code.replace('-', "")));
        assert_eq!(normalize_recovery_code("abc"), None);
        assert_eq!(normalize_recovery_code("abcde-fghi1"), None);
        let k = keys();
        assert_eq!(k.recovery_hash("abcdefghij").len(), 64);
        assert_ne!(k.recovery_hash("abcdefghij"), k.recovery_hash("abcdefghik"));
    }

    #[test]
    fn pending_tokens_are_their_own_kind() {
        let k = keys();
        let token = issue_pending(&k, 3, 2, 5).expect("token");
        let pending = decode_pending(&k, &token).expect("decodes");
        assert_eq!(pending.user_id(), Some(3));
        assert_eq!(pending.sv, 2);
        let other = Keys {
            pending: vec![1; 32],
            ..keys()
        };
        assert!(decode_pending(&other, &token).is_none());
        let expired = issue_pending(&k, 3, 2, -1).expect("token");
        assert!(decode_pending(&k, &expired).is_none());
    }

    #[test]
    fn the_qr_code_is_square_with_a_quiet_zone() {
        let (path, size) = qr_path("otpauth://totp/Ustaz:a?secret=ABC").expect("qr");
        assert!(size >= 21 + 8);
        assert!(path.starts_with('M'));
    }
}
