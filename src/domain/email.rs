use std::fmt;

use super::InputError;

/// An email address, trimmed and lower-cased (addresses are unique case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(InputError("error-email-missing"));
        }
        let valid = email.len() <= 254
            && !email.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
            })
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if valid {
            Ok(Self(email))
        } else {
            Err(InputError("error-email-invalid"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises_real_addresses() {
        assert_eq!(
            Email::parse("  Aigerim.N@Mektep.KZ ").map(|e| e.0),
            Ok("aigerim.n@mektep.kz".into())
        );
        assert!(Email::parse("a+tag@sub.domain.kz").is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in [
            "plain",
            "@kz.kz",
            "a@b",
            "a@.kz",
            "a@kz.",
            "a b@kz.kz",
            "a@@kz.kz",
            "a@kz..kz",
            "a@k,z.kz",
            "x\r\nBcc: v@e.kz",
        ] {
            assert_eq!(
                Email::parse(bad),
                Err(InputError("error-email-invalid")),
                "{bad:?}"
            );
        }
        assert_eq!(Email::parse("   "), Err(InputError("error-email-missing")));
        let long = format!("{}@kz.kz", "a".repeat(65));
        assert!(Email::parse(&long).is_err());
    }
}
