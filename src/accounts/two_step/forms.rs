//! The forms of two-step sign-in: a code from the app, a recovery code, the set-up (the secret
//! shown and a first code), and an administrator's confirmed reset.

use serde::Deserialize;

use super::{normalize_code, normalize_recovery_code, parse_secret};
use crate::i18n::Lang;
use crate::web::FormErrors;

/// A code from the authenticator app (`code`), and where to go after signing in.
#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub next: String,
}

/// The six digits, or the field's error: spaces and dashes are fine ("123 456").
fn code_of(typed: &str, lang: Lang) -> Result<String, FormErrors> {
    if typed.trim().is_empty() {
        return Err(FormErrors::one(
            "code",
            lang.t("two-step-error-code-missing"),
        ));
    }
    normalize_code(typed).ok_or_else(|| FormErrors::one("code", lang.t("two-step-error-code-form")))
}

impl CodeForm {
    pub fn parse(&self, lang: Lang) -> Result<String, FormErrors> {
        code_of(&self.code, lang)
    }
}

/// A recovery code in place of a code from the app.
#[derive(Deserialize, Default)]
pub struct RecoveryForm {
    #[serde(default)]
    pub recovery_code: String,
    #[serde(default)]
    pub next: String,
}

impl RecoveryForm {
    pub fn parse(&self, lang: Lang) -> Result<String, FormErrors> {
        let field = "recovery_code";
        if self.recovery_code.trim().is_empty() {
            return Err(FormErrors::one(
                field,
                lang.t("two-step-error-recovery-missing"),
            ));
        }
        normalize_recovery_code(&self.recovery_code)
            .ok_or_else(|| FormErrors::one(field, lang.t("two-step-error-recovery-form")))
    }
}

/// The set-up: the secret the page showed (carried back in a hidden field) and the first code
/// the app shows for it.
#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    pub secret: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub next: String,
}

impl SetupForm {
    /// The secret (a new one when the form did not carry a valid one) and the code, or the
    /// errors.
    pub fn parse(&self, lang: Lang) -> (Option<Vec<u8>>, Result<String, FormErrors>) {
        (parse_secret(&self.secret), code_of(&self.code, lang))
    }
}

/// An administrator's reset of another user's second factor: the box saying they checked
/// who asked.
#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    pub confirm: String,
}

/// The field of the reset's confirmation box on the user page.
pub const RESET_FIELD: &str = "two-step-confirm";

impl ResetForm {
    pub fn parse(&self, lang: Lang) -> Result<(), FormErrors> {
        if self.confirm == "yes" {
            Ok(())
        } else {
            Err(FormErrors::one(
                RESET_FIELD,
                lang.t("admin-users-two-step-error-confirm"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_with_spaces_allowed() {
        let form = |code: &str| CodeForm {
            code: code.into(),
            next: String::new(),
        };
        assert_eq!(
            form("123 456").parse(Lang::En).ok().as_deref(),
            Some("123456")
        );
        let missing = form(" ").parse(Lang::En).expect_err("refused");
        assert!(missing.get("code").is_some());
        assert!(form("12345").parse(Lang::En).is_err());
    }

    #[test]
    fn the_reset_needs_its_box_ticked() {
        assert!(ResetForm {
            confirm: "yes".into()
        }
        .parse(Lang::En)
        .is_ok());
        let refused = ResetForm::default().parse(Lang::En).expect_err("refused");
        assert!(refused.get(RESET_FIELD).is_some());
    }

    #[test]
    fn every_message_is_translated() {
        crate::i18n::assert_translated([
            "two-step-error-code-missing",
            "two-step-error-code-form",
            "two-step-error-recovery-missing",
            "two-step-error-recovery-form",
            "admin-users-two-step-error-confirm",
        ]);
    }
}
