use std::fmt;

use super::InputError;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A new password: 8 to 128 characters, no composition rules (NIST 800-63B, ASVS 6.2).
/// `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let length = raw.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(InputError("error-password-short"));
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(InputError("error-password-long"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// An argon2id hash with the crate's defaults (m=19456 KiB, t=2, p=1) and a fresh salt.
    pub fn hash(&self) -> anyhow::Result<String> {
        use argon2::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules_count_characters_not_bytes() {
        assert_eq!(
            Password::parse("1234567").err(),
            Some(InputError("error-password-short"))
        );
        assert!(Password::parse("әәәәәәәә").is_ok());
        assert!(Password::parse(&"x".repeat(64)).is_ok());
        assert!(Password::parse(&"x".repeat(128)).is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(129)).err(),
            Some(InputError("error-password-long"))
        );
    }

    #[test]
    fn hashes_are_argon2id_and_never_shown() {
        let password = Password::parse("correct horse battery").expect("valid");
        let hash = password.hash().expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!format!("{password:?}").contains("horse"));
    }
}
