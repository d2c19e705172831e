//! The accounts forms: what a visitor submits → a typed command, or the form's errors in their
//! language; and the options of the forms' selects.

use serde::Deserialize;

use super::models::{AccountChanges, Registration};
use crate::db::now;
use crate::domain::{Category, Email, FullName, Iin, Password, Role};
use crate::i18n::Lang;
use crate::schools::models::{Region, RegionChoice, SchoolOption};
use crate::web::extractors::CurrentUser;
use crate::web::FormErrors;

/// The teacher categories as (code, name) for radios and selects.
pub fn category_choices(lang: Lang) -> Vec<(&'static str, String)> {
    Category::ALL
        .iter()
        .map(|c| (c.as_str(), lang.t(c.label_key())))
        .collect()
}

/// A role's name in `lang`.
pub fn role_label(lang: Lang, role: Role) -> String {
    lang.t(role.label_key())
}

/// The roles as (code, name).
pub fn role_choices(lang: Lang) -> Vec<(&'static str, String)> {
    Role::ALL
        .iter()
        .map(|&r| (r.as_str(), role_label(lang, r)))
        .collect()
}

// ---- Sign in ------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

impl LoginForm {
    /// The address to sign in as, once both fields are filled in.
    pub fn parse(&self, lang: Lang) -> Result<Email, FormErrors> {
        let mut errors = FormErrors::default();
        let email = Email::parse(&self.email)
            .map_err(|e| errors.add("email", lang.t(e.key())))
            .ok();
        if self.password.is_empty() {
            errors.add("password", lang.t("error-password-missing"));
        }
        match email {
            Some(email) if errors.is_empty() => Ok(email),
            _ => Err(errors),
        }
    }
}

// ---- Registration -------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub iin: String,
}

/// A registration as submitted and understood (the password not yet hashed).
pub struct NewTeacher {
    pub full_name: FullName,
    pub email: Email,
    pub password: Password,
    pub school_id: Option<i32>,
    pub category: Category,
    pub language: Lang,
    pub iin: Option<Iin>,
}

impl NewTeacher {
    /// The account to create, once the password is hashed.
    pub fn into_registration(self, region_id: i32, password_hash: String) -> Registration {
        Registration {
            email: self.email,
            full_name: self.full_name,
            password_hash,
            region_id,
            school_id: self.school_id,
            category: self.category.as_str().to_owned(),
            language: self.language,
            iin: self.iin.map(|i| i.as_str().to_owned()),
        }
    }
}

impl RegisterForm {
    /// The region chosen in step 1, among those there are.
    pub fn region(&self, choices: Vec<RegionChoice>) -> Option<RegionChoice> {
        choices.into_iter().find(|r| r.code == self.region)
    }

    /// Checks every field; the school must be one of `schools` (the region's) or "not listed".
    pub fn parse(&self, lang: Lang, schools: &[SchoolOption]) -> Result<NewTeacher, FormErrors> {
        let mut errors = FormErrors::default();
        let mut field = |name: &'static str, key: &str| errors.add(name, lang.t(key));
        let full_name = FullName::parse(&self.full_name)
            .map_err(|e| field("full_name", e.key()))
            .ok();
        let email = Email::parse(&self.email)
            .map_err(|e| field("email", e.key()))
            .ok();
        let password = Password::parse(&self.password)
            .map_err(|e| field("password", e.key()))
            .ok();
        let school_id = match self.school.as_str() {
            "none" => Some(None),
            raw => match raw
                .parse::<i32>()
                .ok()
                .filter(|id| schools.iter().any(|s| s.id == *id))
            {
                Some(id) => Some(Some(id)),
                None => {
                    field("school", "error-school-missing");
                    None
                }
            },
        };
        let category = Category::parse(&self.category)
            .map_err(|e| field("category", e.key()))
            .ok();
        let language = Lang::parse(&self.language);
        if language.is_none() {
            field("language", "error-language-missing");
        }
        let iin = match self.iin.trim() {
            "" => Some(None),
            raw => Iin::parse(raw)
                .map(Some)
                .map_err(|e| field("iin", e.key()))
                .ok(),
        };
        match (
            full_name, email, password, school_id, category, language, iin,
        ) {
            (
                Some(full_name),
                Some(email),
                Some(password),
                Some(school_id),
                Some(category),
                Some(language),
                Some(iin),
            ) => Ok(NewTeacher {
                full_name,
                email,
                password,
                school_id,
                category,
                language,
                iin,
            }),
            _ => Err(errors),
        }
    }
}

// ---- The account page ---------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct AccountForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub language: String,
}

impl AccountForm {
    pub fn region_id(&self, regions: &[Region]) -> Option<i32> {
        regions.iter().find(|r| r.code == self.region).map(|r| r.id)
    }

    /// The school chosen, when one is ("not listed" and nothing are none).
    pub fn school_id(&self) -> Option<i32> {
        match self.school.as_str() {
            "none" | "" => None,
            raw => Some(raw.parse::<i32>().unwrap_or(0)),
        }
    }

    /// The changes to the user's account; `school_in_region` tells whether the chosen school
    /// lies in the chosen region.
    pub fn parse(
        &self,
        lang: Lang,
        user: &CurrentUser,
        regions: &[Region],
        school_in_region: bool,
    ) -> Result<AccountChanges, FormErrors> {
        let mut errors = FormErrors::default();
        let full_name = FullName::parse(&self.full_name)
            .map_err(|e| errors.add("full_name", lang.t(e.key())))
            .ok();
        let region_id = self.region_id(regions);
        // Teachers and coordinators belong to a region; an administrator or a tutor may have none.
        let may_have_none = matches!(user.role, Role::Admin | Role::Tutor);
        if region_id.is_none() && !(self.region.is_empty() && may_have_none) {
            errors.add("region", lang.t("error-region-missing"));
        }
        if user.role == Role::Coordinator && region_id != user.region_id {
            errors.add("region", lang.t("error-coordinator-region"));
        }
        let school_id = match (self.school_id(), region_id) {
            (Some(id), Some(_)) if school_in_region => Some(id),
            (Some(_), Some(_)) => {
                errors.add("school", lang.t("error-school-other-region"));
                None
            }
            _ => None,
        };
        let category = match self.category.as_str() {
            "" if user.role != Role::Teacher => Some(None),
            raw => Category::parse(raw)
                .map(|c| Some(c.as_str().to_owned()))
                .map_err(|e| errors.add("category", lang.t(e.key())))
                .ok(),
        };
        let language = Lang::parse(&self.language);
        if language.is_none() {
            errors.add("language", lang.t("error-language-missing"));
        }
        match (full_name, category, language) {
            (Some(full_name), Some(category), Some(language)) if errors.is_empty() => {
                Ok(AccountChanges {
                    full_name: full_name.as_str().to_owned(),
                    region_id,
                    school_id,
                    category,
                    language: language.code().to_owned(),
                    updated_at: now(),
                })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
}

impl ChangePasswordForm {
    /// The new password; `current_matches` is None when the current one was left empty.
    pub fn parse(&self, lang: Lang, current_matches: Option<bool>) -> Result<Password, FormErrors> {
        let mut errors = FormErrors::default();
        match current_matches {
            None => errors.add("current_password", lang.t("error-password-missing")),
            Some(false) => errors.add("current_password", lang.t("error-current-password-wrong")),
            Some(true) => {}
        }
        let password = Password::parse(&self.new_password)
            .map_err(|e| errors.add("new_password", lang.t(e.key())))
            .ok();
        password.filter(|_| errors.is_empty()).ok_or(errors)
    }
}

// ---- Password reset -----------------------------------------------------------------------

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    pub email: String,
}

impl ForgotForm {
    pub fn parse(&self, lang: Lang) -> Result<Email, FormErrors> {
        Email::parse(&self.email).map_err(|e| FormErrors::one("email", lang.t(e.key())))
    }
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub password: String,
}

impl NewPasswordForm {
    pub fn parse(&self, lang: Lang) -> Result<Password, FormErrors> {
        Password::parse(&self.password).map_err(|e| FormErrors::one("password", lang.t(e.key())))
    }
}
