use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use super::InputError;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The 10,000 most common passwords, lower-cased (source and licence at the top of the file).
static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// A new password: 8 to 128 characters, not one of the most common passwords in any letter case,
/// no composition rules (NIST 800-63B, ASVS 6.2). `Debug` never shows it.
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
        if COMMON_PASSWORDS.contains(raw.to_lowercase().as_str()) {
            return Err(InputError("error-password-common"));
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
    fn refuses_common_passwords_in_any_case() {
        for common in [
            "password",
            "12345678",
            "qwertyuiop",
            "PASSWORD",
            "QwErTyUiOp",
            "iloveyou",
            "1q2w3e4r5t",
        ] {
            assert_eq!(
                Password::parse(common).err(),
                Some(InputError("error-password-common")),
                "{common}"
            );
        }
        // Length is checked first: a short common password gets the message about length.
        assert_eq!(
            Password::parse("123456").err(),
            Some(InputError("error-password-short"))
        );
    }

    #[test]
    fn accepts_long_passphrases() {
        assert!(Password::parse("correct horse battery staple").is_ok());
        assert!(Password::parse("Жаңа құпиясөз кітапхана терезе").is_ok());
    }

    #[test]
    fn the_list_holds_ten_thousand_distinct_lower_case_passwords() {
        let entries: Vec<_> = include_str!("common-passwords.txt")
            .lines()
            .filter(|line| !line.starts_with('#'))
            .collect();
        assert_eq!(entries.len(), 10_000);
        assert_eq!(COMMON_PASSWORDS.len(), 10_000, "duplicates in the list");
        assert_eq!(entries[..3], ["123456", "password", "12345678"]);
        for entry in entries {
            assert!(
                !entry.is_empty() && entry == entry.to_lowercase(),
                "{entry:?}"
            );
            assert_eq!(entry, entry.trim(), "{entry:?}");
        }
    }

    #[test]
    fn hashes_are_argon2id_and_never_shown() {
        let password = Password::parse("correct horse battery").expect("valid");
        let hash = password.hash().expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!format!("{password:?}").contains("horse"));
    }
}
