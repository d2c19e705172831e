//! The portable, signed form of a certificate: an Open Badges 3.0 `OpenBadgeCredential`
//! secured as a VC-JWT with the platform's Ed25519 key, plus the public key set and the
//! revocation status document a verifier fetches.
//!
//! Spec choices, and what they rest on:
//! - Open Badges 3.0 §8.2 "JSON Web Token Proof Format" (1EdTech, final, VC Data Model 2.0):
//!   the JWT payload *is* the credential (`@context`, `type`, `validFrom`, … at the top level)
//!   plus the claims `iss` = `issuer.id`, `jti` = `id`, `nbf` = `validFrom`,
//!   `sub` = `credentialSubject.id`. The 1.1-era `vc` wrapper is only read for backward
//!   compatibility, and VC-JOSE-COSE forbids it next to a 2.0 credential, so it is not used.
//! - JOSE header: `alg`, `kid`, `typ` only ("additional JOSE headers are NOT allowed");
//!   `typ` "If present, MUST be set to JWT"; `kid` is "a URI that can be dereferenced to
//!   [the] JWK", so it is `{base}/.well-known/jwks.json#{RFC 7638 thumbprint}` and the JWKS
//!   entry carries the same `kid` (generic JOSE libraries match it exactly).
//!   OB 3.0 asks for RS256 "as a minimum" and permits other algorithms; the product chose
//!   EdDSA/Ed25519 (RFC 8037), so the 1EdTech validator, which only accepts RS256, will not
//!   verify these tokens.
//! - `AchievementSubject` has no `name`: the recipient is named by an `IdentityObject` with
//!   `identityType` "name" (hashed false), and "either id or at least one identifier MUST be
//!   supplied". `sub` is required and must equal `credentialSubject.id`, and a teacher has no
//!   DID, so the id is `urn:ustaz:recipient:{serial}`: stable, and no personal data.
//! - `achievementType` "Course" is from the OB 3.0 AchievementType vocabulary; hours go into
//!   the criteria narrative (`creditsAvailable` means academic credits, not hours).
//! - `credentialStatus` type `1EdTechRevocationList` (1EdTech Revocation List Status Method
//!   1.0): the status URL returns `{id, issuer, revokedCredentials: [{id, revoked, …}]}`, and a
//!   credential is revoked when its `id` is listed with `revoked` true or absent.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use anyhow::{anyhow, Context};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{NaiveDateTime, SecondsFormat};
use ed25519_dalek::pkcs8::spki::der::{pem::LineEnding, zeroize::Zeroizing};
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, KeypairBytes};
use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const STATUS_TYPE: &str = "1EdTechRevocationList";

/// The issuer's Ed25519 signing key. `Debug` shows only the public thumbprint.
#[derive(Clone)]
pub struct IssuerKey {
    signing: SigningKey,
    /// The public key, base64url (the JWK `x`).
    x: String,
    /// RFC 7638 JWK thumbprint (SHA-256, base64url).
    thumbprint: String,
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey")
            .field("thumbprint", &self.thumbprint)
            .finish_non_exhaustive()
    }
}

impl IssuerKey {
    /// A fresh key pair from the operating system's random source.
    pub fn generate() -> Self {
        // rand 0.9 and ed25519-dalek 2 use different rand_core versions, so draw the seed here.
        let mut seed = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(&mut seed[..]);
        Self::from_signing_key(SigningKey::from_bytes(&seed))
    }

    /// Parses an Ed25519 private key in PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, e.g. from
    /// `openssl genpkey -algorithm ed25519`). A one-line value with literal `\n` escapes, as
    /// environment variables often carry it, is accepted too.
    pub fn from_pkcs8_pem(pem: &str) -> anyhow::Result<Self> {
        let pem = pem.trim();
        let unescaped;
        let pem = if !pem.contains('\n') && pem.contains("\\n") {
            unescaped = Zeroizing::new(pem.replace("\\n", "\n"));
            unescaped.as_str()
        } else {
            pem
        };
        // The parser's error says what is wrong with the document, never what is in it.
        let signing = SigningKey::from_pkcs8_pem(pem).map_err(|error| {
            anyhow!("not an Ed25519 private key in PKCS#8 PEM (BEGIN PRIVATE KEY): {error}")
        })?;
        Ok(Self::from_signing_key(signing))
    }

    /// The private key as PKCS#8 PEM (what [`IssuerKey::load_or_create`] writes).
    pub fn to_pkcs8_pem(&self) -> anyhow::Result<String> {
        let pem = self
            .pkcs8_v1()
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|error| anyhow!("encoding the credential key as PKCS#8: {error}"))?;
        Ok(pem.to_string())
    }

    /// PKCS#8 v1 (RFC 8410 §7, private key only), as `openssl genpkey` writes it: ed25519-dalek
    /// would add the public key (v2), which OpenSSL 3.0 refuses to read.
    fn pkcs8_v1(&self) -> KeypairBytes {
        KeypairBytes {
            secret_key: self.signing.to_bytes(),
            public_key: None,
        }
    }

    /// Reads the PEM at `path`, or — when there is no file yet — generates a key pair and
    /// writes it there: parent directories created, the file created atomically with mode 0600
    /// on unix, and never over a key another process wrote first (that key is used instead).
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        if let Some(key) = Self::load(path)? {
            return Ok(key);
        }
        let key = Self::generate();
        let pem = Zeroizing::new(key.to_pkcs8_pem()?);
        match write_new_private_file(path, pem.as_bytes()) {
            Ok(()) => {
                tracing::info!(path = %path.display(), thumbprint = %key.thumbprint,
                    "generated the credential signing key");
                Ok(key)
            }
            // Another instance created it between our read and our write: use theirs.
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Self::load(path)?
                .ok_or_else(|| anyhow!("credential key {} vanished", path.display())),
            Err(error) => Err(error)
                .with_context(|| format!("writing the credential key to {}", path.display())),
        }
    }

    fn load(path: &Path) -> anyhow::Result<Option<Self>> {
        let pem = match fs::read_to_string(path) {
            Ok(pem) => Zeroizing::new(pem),
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("reading the credential key {}", path.display()))
            }
        };
        warn_if_readable_by_others(path);
        Self::from_pkcs8_pem(&pem)
            .with_context(|| format!("the credential key {}", path.display()))
            .map(Some)
    }

    fn from_signing_key(signing: SigningKey) -> Self {
        let x = URL_SAFE_NO_PAD.encode(signing.verifying_key().as_bytes());
        // RFC 7638 §3.2 with RFC 8037 §2: the required members, sorted, no whitespace.
        let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
        let thumbprint = URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()));
        Self {
            signing,
            x,
            thumbprint,
        }
    }

    /// RFC 7638 JWK thumbprint of the public key (base64url SHA-256): stable across restarts.
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// The JOSE `kid`: `{base_url}/.well-known/jwks.json#{thumbprint}`, a URL that leads to
    /// the public key, as OB 3.0 asks.
    pub fn kid(&self, base_url: &str) -> String {
        format!(
            "{}/.well-known/jwks.json#{}",
            base_url.trim_end_matches('/'),
            self.thumbprint
        )
    }

    /// The public key as a JWK (never contains `d`).
    pub fn public_jwk(&self, base_url: &str) -> Value {
        json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "x": self.x,
            "kid": self.kid(base_url),
            "alg": "EdDSA",
            "use": "sig",
        })
    }

    /// The document served at `{base_url}/.well-known/jwks.json`.
    pub fn jwks(&self, base_url: &str) -> Value {
        json!({ "keys": [self.public_jwk(base_url)] })
    }

    /// The credential as a compact JWS (VC-JWT): header `{"alg":"EdDSA","typ":"JWT","kid":…}`.
    pub fn sign(&self, credential: &CredentialInput<'_>) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid(credential.base_url));
        // jsonwebtoken signs from PKCS#8 DER; made per call so no copy outlives the signing
        // (the DER document is zeroized on drop, jsonwebtoken's copy is freed with the key).
        let der = self
            .pkcs8_v1()
            .to_pkcs8_der()
            .map_err(|error| anyhow!("encoding the credential key as PKCS#8: {error}"))?;
        let encoding = EncodingKey::from_ed_der(der.as_bytes());
        jsonwebtoken::encode(&header, &credential.jwt_payload(), &encoding)
            .context("signing the credential")
    }

    /// The public half, for verifying tokens signed by this key.
    pub fn decoding_key(&self) -> DecodingKey {
        DecodingKey::from_ed_der(self.signing.verifying_key().as_bytes())
    }
}

/// What a certificate says, in the words of the credential.
#[derive(Debug, Clone, Copy)]
pub struct CredentialInput<'a> {
    /// Public origin, e.g. "https://ustaz.kz" (a trailing slash is ignored).
    pub base_url: &'a str,
    pub issuer_name: &'a str,
    pub serial: &'a str,
    /// Public verification code; the credential id is `{base_url}/verify/{code}`.
    pub verification_code: &'a str,
    pub teacher_name: &'a str,
    pub course_slug: &'a str,
    pub course_title: &'a str,
    pub course_summary: &'a str,
    pub hours: i32,
    /// Course language code (kk/ru/en), the achievement's `inLanguage`.
    pub language: &'a str,
    /// UTC.
    pub issued_at: NaiveDateTime,
}

impl CredentialInput<'_> {
    /// The `OpenBadgeCredential` (W3C VC 2.0 data model), without JWT claims.
    pub fn credential_json(&self) -> Value {
        let base = self.base_url.trim_end_matches('/');
        let issuer = json!({
            "id": base,
            "type": ["Profile"],
            "name": self.issuer_name,
            "url": base,
        });
        let issued = rfc3339(self.issued_at);
        let hours = match self.hours {
            1 => "1 academic hour".to_owned(),
            n => format!("{n} academic hours"),
        };
        let description = if self.course_summary.trim().is_empty() {
            self.course_title
        } else {
            self.course_summary
        };
        json!({
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": credential_id(base, self.verification_code),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": self.course_title,
            "issuer": issuer,
            "validFrom": issued,
            "awardedDate": issued,
            "credentialSubject": {
                "id": subject_id(self.serial),
                "type": ["AchievementSubject"],
                // The only personal data: the name printed on the certificate.
                "identifier": [{
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": false,
                    "identityHash": self.teacher_name,
                }],
                "achievement": {
                    "id": format!("{base}/courses/{}", self.course_slug),
                    "type": ["Achievement"],
                    "achievementType": "Course",
                    "name": self.course_title,
                    "description": description,
                    "criteria": {
                        "narrative": format!(
                            "Completed all required modules of the course ({hours}) on {}.",
                            self.issuer_name
                        ),
                    },
                    "inLanguage": self.language,
                },
            },
            "credentialStatus": {
                "id": status_id(base, self.verification_code),
                "type": STATUS_TYPE,
            },
        })
    }

    /// OB 3.0 §8.2 payload: the credential itself plus `iss`, `jti`, `sub`, `nbf`, `iat`.
    fn jwt_payload(&self) -> Value {
        let mut payload = self.credential_json();
        let base = self.base_url.trim_end_matches('/');
        let timestamp = self.issued_at.and_utc().timestamp();
        if let Value::Object(claims) = &mut payload {
            claims.insert("iss".into(), json!(base));
            claims.insert(
                "jti".into(),
                json!(credential_id(base, self.verification_code)),
            );
            claims.insert("sub".into(), json!(subject_id(self.serial)));
            claims.insert("nbf".into(), json!(timestamp));
            claims.insert("iat".into(), json!(timestamp));
        }
        payload
    }
}

/// The credential's `id` (and JWT `jti`): the public verification page.
pub fn credential_id(base_url: &str, verification_code: &str) -> String {
    format!(
        "{}/verify/{verification_code}",
        base_url.trim_end_matches('/')
    )
}

/// The JSON served at `{base_url}/verify/{code}/status` (1EdTech Revocation List shape) for one
/// credential. `revoked_at` is the revocation time (UTC). The administrator's reason is never
/// published: it is free text about a person, for the teacher and the administrators only (the
/// status method makes `revocationReason` optional). `revocationDate` is an addition of ours that
/// the status method does not define (verifiers ignore what they do not know).
pub fn revocation_status(
    base_url: &str,
    verification_code: &str,
    revoked_at: Option<NaiveDateTime>,
) -> Value {
    let base = base_url.trim_end_matches('/');
    let revoked_credentials: Vec<Value> = revoked_at
        .map(|at| {
            json!({
                "id": credential_id(base, verification_code),
                "revoked": true,
                "revocationDate": rfc3339(at),
            })
        })
        .into_iter()
        .collect();
    json!({
        "id": status_id(base, verification_code),
        "issuer": base,
        "revokedCredentials": revoked_credentials,
    })
}

fn status_id(base: &str, verification_code: &str) -> String {
    format!("{}/status", credential_id(base, verification_code))
}

fn subject_id(serial: &str) -> String {
    format!("urn:ustaz:recipient:{serial}")
}

fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Writes `contents` to a new file at `path` that only the owner can read. The bytes go to a
/// temporary file first and are then hard-linked into place, which fails with `AlreadyExists`
/// instead of replacing a file someone else created meanwhile.
fn write_new_private_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "key path has no file name"))?;
    fs::create_dir_all(dir)?;
    let mut suffix = [0u8; 8];
    rand::rng().fill_bytes(&mut suffix);
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        hex::encode(suffix)
    ));

    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        match fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Err(error),
            // A file system without hard links: rename, unless the file appeared meanwhile.
            Err(_) if path.exists() => Err(io::ErrorKind::AlreadyExists.into()),
            Err(_) => fs::rename(&tmp, path),
        }
    })();
    // Gone already after a rename; otherwise the temporary name is no longer needed.
    let _ = fs::remove_file(&tmp);
    result?;
    // Make the new directory entry durable too (best effort; not possible on every platform).
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = fs::metadata(path) {
        let mode = metadata.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), mode = format!("{:o}", mode & 0o777),
                "the credential signing key is readable by other users; chmod 600 it");
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{decode, decode_header, Validation};

    const BASE: &str = "https://ustaz.kz";

    fn issued_at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2025, 3, 14)
            .expect("valid date")
            .and_hms_opt(9, 26, 53)
            .expect("valid time")
    }

    fn input() -> CredentialInput<'static> {
        CredentialInput {
            base_url: BASE,
            issuer_name: "Ustaz",
            serial: "UST-2025-000123",
            verification_code: "K7QF-2M9X",
            teacher_name: "Айгерим Нурланқызы",
            course_slug: "inclusive-classroom",
            course_title: "The inclusive classroom",
            course_summary: "Adapting lessons for pupils with special educational needs.",
            hours: 72,
            language: "kk",
            issued_at: issued_at(),
        }
    }

    /// Verifies `token` the way an outside verifier would: with nothing but the JWKS document.
    fn verify_with_jwks(token: &str, jwks: &Value) -> jsonwebtoken::errors::Result<Value> {
        let header = decode_header(token)?;
        let jwk = jwks["keys"]
            .as_array()
            .expect("keys is an array")
            .iter()
            .find(|key| key["kid"].as_str() == header.kid.as_deref())
            .expect("the header kid names a key of the set");
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["crv"], "Ed25519");
        assert!(
            jwk.get("d").is_none(),
            "the JWKS must not publish the private key"
        );
        let key = DecodingKey::from_ed_components(jwk["x"].as_str().expect("x is a string"))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_required_spec_claims(&["iss", "sub", "nbf", "jti"]);
        validation.set_issuer(&[BASE]);
        decode::<Value>(token, &key, &validation).map(|data| data.claims)
    }

    #[test]
    fn a_signed_credential_verifies_with_the_published_key_and_says_what_the_spec_asks() {
        let key = IssuerKey::generate();
        let token = key.sign(&input()).expect("sign");

        let header = decode_header(&token).expect("header");
        assert_eq!(header.alg, Algorithm::EdDSA);
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        let kid = format!("{BASE}/.well-known/jwks.json#{}", key.thumbprint());
        assert_eq!(header.kid.as_deref(), Some(kid.as_str()));
        assert_eq!(header.jwk, None);

        let claims = verify_with_jwks(&token, &key.jwks(BASE)).expect("verifies");
        let id = format!("{BASE}/verify/K7QF-2M9X");
        assert_eq!(claims["jti"], id.as_str());
        assert_eq!(claims["id"], id.as_str());
        assert_eq!(id, credential_id(BASE, "K7QF-2M9X"));
        assert_eq!(claims["iss"], BASE);
        assert_eq!(claims["issuer"]["id"], claims["iss"]);
        assert_eq!(claims["sub"], "urn:ustaz:recipient:UST-2025-000123");
        assert_eq!(claims["credentialSubject"]["id"], claims["sub"]);
        assert_eq!(claims["nbf"], issued_at().and_utc().timestamp());
        assert_eq!(claims["iat"], claims["nbf"]);
        assert!(
            claims.get("vc").is_none(),
            "VC 2.0: the payload is the credential"
        );
        assert!(claims.get("exp").is_none(), "certificates do not expire");

        assert_eq!(
            claims["@context"],
            json!([
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ])
        );
        assert_eq!(
            claims["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(
            claims["issuer"],
            json!({"id": BASE, "type": ["Profile"], "name": "Ustaz", "url": BASE})
        );
        assert_eq!(claims["validFrom"], "2025-03-14T09:26:53Z");
        assert_eq!(claims["name"], "The inclusive classroom");

        let subject = &claims["credentialSubject"];
        assert_eq!(subject["type"], json!(["AchievementSubject"]));
        assert_eq!(
            subject["identifier"],
            json!([{
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": false,
                "identityHash": "Айгерим Нурланқызы",
            }])
        );
        let achievement = &subject["achievement"];
        assert_eq!(
            achievement["id"],
            format!("{BASE}/courses/inclusive-classroom")
        );
        assert_eq!(achievement["type"], json!(["Achievement"]));
        assert_eq!(achievement["achievementType"], "Course");
        assert_eq!(achievement["name"], "The inclusive classroom");
        assert_eq!(
            achievement["description"],
            "Adapting lessons for pupils with special educational needs."
        );
        assert_eq!(
            achievement["criteria"]["narrative"],
            "Completed all required modules of the course (72 academic hours) on Ustaz."
        );
        assert_eq!(achievement["inLanguage"], "kk");

        assert_eq!(
            claims["credentialStatus"],
            json!({"id": format!("{id}/status"), "type": "1EdTechRevocationList"})
        );
    }

    #[test]
    fn the_teachers_name_appears_once_and_nothing_else_about_them() {
        let claims = input().jwt_payload().to_string();
        assert_eq!(claims.matches("Айгерим Нурланқызы").count(), 1);
        assert!(!claims.to_lowercase().contains("email"));
    }

    #[test]
    fn a_token_signed_by_another_key_or_altered_is_rejected() {
        let ours = IssuerKey::generate();
        let theirs = IssuerKey::generate();
        assert_ne!(ours.thumbprint(), theirs.thumbprint());

        let forged = theirs.sign(&input()).expect("sign");
        // Even claiming our kid does not help: the signature does not match our key.
        let mut ours_jwks = ours.jwks(BASE);
        ours_jwks["keys"][0]["kid"] = json!(theirs.kid(BASE));
        assert!(verify_with_jwks(&forged, &ours_jwks).is_err());

        let token = ours.sign(&input()).expect("sign");
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut payload: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).expect("base64url"))
                .expect("json");
        payload["credentialSubject"]["identifier"][0]["identityHash"] = json!("Someone Else");
        parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
        assert!(verify_with_jwks(&parts.join("."), &ours.jwks(BASE)).is_err());

        assert!(decode::<Value>(&token, &ours.decoding_key(), &{
            let mut validation = Validation::new(Algorithm::EdDSA);
            validation.set_required_spec_claims(&["nbf"]);
            validation
        })
        .is_ok());
    }

    #[test]
    fn the_thumbprint_follows_rfc_8037_appendix_a() {
        // RFC 8037 A.1 private key `d`; A.3 gives the thumbprint of its public key.
        let seed: [u8; 32] = URL_SAFE_NO_PAD
            .decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
            .expect("base64url")
            .try_into()
            .expect("32 bytes");
        let key = IssuerKey::from_signing_key(SigningKey::from_bytes(&seed));
        assert_eq!(key.x, "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
        assert_eq!(
            key.thumbprint(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
        assert_eq!(
            key.jwks(BASE),
            json!({"keys": [{
                "kty": "OKP",
                "crv": "Ed25519",
                "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                "kid": format!("{BASE}/.well-known/jwks.json#kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"),
                "alg": "EdDSA",
                "use": "sig",
            }]})
        );
    }

    #[test]
    fn pem_round_trips_and_accepts_escaped_newlines() {
        let key = IssuerKey::generate();
        let pem = key.to_pkcs8_pem().expect("pem");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert_eq!(
            IssuerKey::from_pkcs8_pem(&pem)
                .expect("parses")
                .thumbprint(),
            key.thumbprint()
        );
        let one_line = pem.trim_end().replace('\n', "\\n");
        assert_eq!(
            IssuerKey::from_pkcs8_pem(&one_line)
                .expect("parses")
                .thumbprint(),
            key.thumbprint()
        );
        assert!(IssuerKey::from_pkcs8_pem("not a key").is_err());
    }

    #[test]
    fn openssl_style_pkcs8_v1_keys_are_read_and_written() {
        // `openssl genpkey -algorithm ed25519` output for the RFC 8037 A.1 key (no public key).
        let pem = "-----BEGIN PRIVATE KEY-----\n\
                   MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n\
                   -----END PRIVATE KEY-----\n";
        let key = IssuerKey::from_pkcs8_pem(pem).expect("parses");
        assert_eq!(
            key.thumbprint(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
        // …and written back in the same form, which OpenSSL 3.0 can read.
        assert_eq!(key.to_pkcs8_pem().expect("pem"), pem);
    }

    #[test]
    fn load_or_create_writes_the_key_once_and_reads_it_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys").join("credential.pem");

        let first = IssuerKey::load_or_create(&path).expect("creates");
        let written = fs::read_to_string(&path).expect("written");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers: Vec<_> = fs::read_dir(path.parent().expect("parent"))
            .expect("read dir")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("credential.pem")]);

        let second = IssuerKey::load_or_create(&path).expect("loads");
        assert_eq!(second.thumbprint(), first.thumbprint());
        assert_eq!(fs::read_to_string(&path).expect("still there"), written);

        // A key signed before a restart still verifies after it.
        let token = first.sign(&input()).expect("sign");
        assert!(verify_with_jwks(&token, &second.jwks(BASE)).is_ok());
    }

    #[test]
    fn load_or_create_refuses_a_corrupt_key_instead_of_replacing_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("credential.pem");
        fs::write(&path, "garbage").expect("write");
        assert!(IssuerKey::load_or_create(&path).is_err());
        assert_eq!(fs::read_to_string(&path).expect("still there"), "garbage");
    }

    #[test]
    fn debug_does_not_leak_the_private_key() {
        let key = IssuerKey::generate();
        let debug = format!("{key:?} {:#?}", key);
        assert!(debug.contains(key.thumbprint()));
        let secret = key.signing.to_bytes();
        let pem = key.to_pkcs8_pem().expect("pem");
        let pem_body: String = pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        for needle in [
            URL_SAFE_NO_PAD.encode(secret),
            base64::engine::general_purpose::STANDARD.encode(secret),
            hex::encode(secret),
            pem_body,
        ] {
            assert!(
                !debug.contains(&needle),
                "Debug printed key material: {debug}"
            );
        }
        assert!(!debug.contains(&format!("{:?}", secret)));
    }

    #[test]
    fn status_of_a_valid_credential_lists_nothing() {
        assert_eq!(
            revocation_status(BASE, "K7QF-2M9X", None),
            json!({
                "id": format!("{BASE}/verify/K7QF-2M9X/status"),
                "issuer": BASE,
                "revokedCredentials": [],
            })
        );
    }

    #[test]
    fn status_of_a_revoked_credential_lists_it_with_its_date_only() {
        let at = issued_at() + chrono::Duration::days(30);
        let status = revocation_status(&format!("{BASE}/"), "K7QF-2M9X", Some(at));
        assert_eq!(
            status,
            json!({
                "id": format!("{BASE}/verify/K7QF-2M9X/status"),
                "issuer": BASE,
                "revokedCredentials": [{
                    "id": format!("{BASE}/verify/K7QF-2M9X"),
                    "revoked": true,
                    "revocationDate": "2025-04-13T09:26:53Z",
                }],
            })
        );
        // The list names exactly the credential's id and its credentialStatus points here.
        let credential = input().credential_json();
        assert_eq!(status["revokedCredentials"][0]["id"], credential["id"]);
        assert_eq!(status["id"], credential["credentialStatus"]["id"]);
        assert_eq!(status["issuer"], credential["issuer"]["id"]);
    }

    #[test]
    fn an_empty_summary_falls_back_to_the_title_and_one_hour_is_singular() {
        let credential = CredentialInput {
            course_summary: " ",
            hours: 1,
            ..input()
        }
        .credential_json();
        let achievement = &credential["credentialSubject"]["achievement"];
        assert_eq!(achievement["description"], "The inclusive classroom");
        assert_eq!(
            achievement["criteria"]["narrative"],
            "Completed all required modules of the course (1 academic hour) on Ustaz."
        );
    }
}
