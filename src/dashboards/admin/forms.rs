//! The target form: its fields as typed, read into a `TargetInput` or the form's errors in the
//! visitor's language.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::dashboards::models::target::TargetInput;
use crate::dashboards::models::Target;
use crate::i18n::Lang;
use crate::schools::models::RegionChoice;
use crate::web::forms::one_line;
use crate::web::FormErrors;

pub const NAME_MAX_CHARS: usize = 200;
pub const MAX_TEACHERS: i32 = 10_000_000;
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;
/// The form's value for a national target; otherwise the scope is a region code.
pub const NATIONAL: &str = "national";

/// A target's name with inner whitespace collapsed. The error is a translation key.
pub fn parse_name(raw: &str) -> Result<String, &'static str> {
    let name = one_line(raw)?;
    if name.is_empty() {
        Err("admin-targets-error-name-missing")
    } else if name.chars().count() > NAME_MAX_CHARS {
        Err("admin-targets-error-name-invalid")
    } else {
        Ok(name)
    }
}

/// A whole number of teachers, 1 to 10 million. Spaces are ignored, and commas or dots are read
/// as thousands separators only where they group digits in threes ("30 000", "30,000"), so
/// that a decimal such as "30,5" is refused rather than misread.
pub fn parse_teachers(raw: &str) -> Result<i32, &'static str> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err("admin-targets-error-teachers-missing");
    }
    let digits = match compact.chars().find(|c| matches!(c, ',' | '.')) {
        None => compact.clone(),
        Some(separator) => {
            let groups: Vec<&str> = compact.split(separator).collect();
            let grouped =
                (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
            if !grouped {
                return Err("admin-targets-error-teachers-invalid");
            }
            groups.concat()
        }
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("admin-targets-error-teachers-invalid");
    }
    // Too many digits for an i32 is out of range, not unreadable.
    match digits.trim_start_matches('0').len() {
        0 => Err("admin-targets-error-teachers-range"),
        n if n > 9 => Err("admin-targets-error-teachers-range"),
        _ => match digits.parse::<i32>() {
            Ok(n) if (1..=MAX_TEACHERS).contains(&n) => Ok(n),
            _ => Err("admin-targets-error-teachers-range"),
        },
    }
}

/// An ISO date (`YYYY-MM-DD`, as `<input type="date">` sends it) in the years 2000 to 2100.
pub fn parse_date(raw: &str, missing: &'static str) -> Result<NaiveDate, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(missing);
    }
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let date = shaped
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or("admin-targets-error-date-invalid")?;
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err("admin-targets-error-date-range")
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct TargetForm {
    #[serde(default)]
    pub name: String,
    /// `national` or a region code.
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub teachers: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub deadline: String,
    /// The version of the target the form was opened at (`crate::domain::Version`).
    #[serde(default)]
    pub version: String,
}

impl TargetForm {
    /// The form of an existing target, as the edit page shows it first.
    pub fn of(target: &Target, regions: &[RegionChoice]) -> Self {
        let scope = match target.region_id {
            None => NATIONAL.to_owned(),
            Some(region_id) => regions
                .iter()
                .find(|r| r.id == region_id)
                .map(|r| r.code.clone())
                .unwrap_or_default(),
        };
        Self {
            name: target.name.clone(),
            scope,
            teachers: target.teachers.to_string(),
            starts_on: target.starts_on.to_string(),
            deadline: target.deadline.to_string(),
            version: target.version.to_string(),
        }
    }
}

/// The target the form describes, or every field's error.
pub fn validate(
    form: &TargetForm,
    regions: &[RegionChoice],
    lang: Lang,
) -> Result<TargetInput, FormErrors> {
    let mut errors = FormErrors::default();
    let name = parse_name(&form.name)
        .map_err(|key| errors.add("name", lang.t(key)))
        .ok();
    let scope = form.scope.trim();
    let region = if scope == NATIONAL {
        Some(None)
    } else {
        regions
            .iter()
            .find(|r| !scope.is_empty() && r.code.eq_ignore_ascii_case(scope))
            .map(|r| Some((r.id, r.code.clone())))
    };
    if region.is_none() {
        errors.add("scope", lang.t("admin-targets-error-scope"));
    }
    let teachers = parse_teachers(&form.teachers)
        .map_err(|key| errors.add("teachers", lang.t(key)))
        .ok();
    let starts_on = parse_date(&form.starts_on, "admin-targets-error-starts-on-missing")
        .map_err(|key| errors.add("starts_on", lang.t(key)))
        .ok();
    let deadline = parse_date(&form.deadline, "admin-targets-error-deadline-missing")
        .map_err(|key| errors.add("deadline", lang.t(key)))
        .ok();
    if let (Some(start), Some(end)) = (starts_on, deadline) {
        if end < start {
            errors.add(
                "deadline",
                lang.t("admin-targets-error-deadline-before-start"),
            );
        }
    }
    match (name, region, teachers, starts_on, deadline) {
        (Some(name), Some(region), Some(teachers), Some(starts_on), Some(deadline))
            if errors.is_empty() =>
        {
            Ok(TargetInput {
                name,
                teachers,
                starts_on,
                deadline,
                region,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn names_are_collapsed_and_bounded() {
        assert_eq!(
            parse_name("  National   plan 2026–2030 "),
            Ok("National plan 2026–2030".to_owned())
        );
        assert_eq!(parse_name(" \t"), Err("admin-targets-error-name-missing"));
        assert!(parse_name(&"ж".repeat(NAME_MAX_CHARS)).is_ok());
        assert_eq!(
            parse_name(&"ж".repeat(NAME_MAX_CHARS + 1)),
            Err("admin-targets-error-name-invalid")
        );
    }

    #[test]
    fn teachers_are_whole_numbers_in_range() {
        for (raw, n) in [
            ("30000", 30_000),
            (" 30 000 ", 30_000),
            ("30\u{a0}000", 30_000),
            ("30,000", 30_000),
            ("1.500.000", 1_500_000),
            ("1", 1),
            ("10000000", MAX_TEACHERS),
            ("007", 7),
        ] {
            assert_eq!(parse_teachers(raw), Ok(n), "{raw}");
        }
        assert_eq!(
            parse_teachers(""),
            Err("admin-targets-error-teachers-missing")
        );
        assert_eq!(
            parse_teachers("  "),
            Err("admin-targets-error-teachers-missing")
        );
        for bad in ["30,5", "3,0000", "1.5", "-5", "+5", "thirty", "1e4", ",000"] {
            assert_eq!(
                parse_teachers(bad),
                Err("admin-targets-error-teachers-invalid"),
                "{bad}"
            );
        }
        for out in ["0", "000", "10000001", "99999999999999999999"] {
            assert_eq!(
                parse_teachers(out),
                Err("admin-targets-error-teachers-range"),
                "{out}"
            );
        }
    }

    #[test]
    fn dates_are_iso_and_in_the_years_2000_to_2100() {
        let missing = "missing";
        assert_eq!(parse_date(" 2026-01-31 ", missing), Ok(date(2026, 1, 31)));
        assert_eq!(parse_date("2000-01-01", missing), Ok(date(2000, 1, 1)));
        assert_eq!(parse_date("2100-12-31", missing), Ok(date(2100, 12, 31)));
        assert_eq!(parse_date("", missing), Err(missing));
        for bad in [
            "2026-02-30",
            "2026-1-5",
            "31.12.2025",
            "2025/12/31",
            "+2025-12-31",
            "soon",
        ] {
            assert_eq!(
                parse_date(bad, missing),
                Err("admin-targets-error-date-invalid"),
                "{bad}"
            );
        }
        for out in ["1999-12-31", "2101-01-01"] {
            assert_eq!(
                parse_date(out, missing),
                Err("admin-targets-error-date-range"),
                "{out}"
            );
        }
    }

    #[test]
    fn validation_reports_every_field_and_the_order_of_dates() {
        let regions = vec![RegionChoice {
            code: "KZ-75".to_owned(),
            name: "Almaty".to_owned(),
            id: 19,
        }];
        let form = TargetForm {
            name: "Almaty quota".to_owned(),
            scope: "KZ-75".to_owned(),
            teachers: "2 000".to_owned(),
            starts_on: "2026-01-01".to_owned(),
            deadline: "2026-12-31".to_owned(),
            version: String::new(),
        };
        let valid = validate(&form, &regions, Lang::En).expect("valid");
        assert_eq!(valid.region, Some((19, "KZ-75".to_owned())));
        assert_eq!(valid.teachers, 2000);

        let national = TargetForm {
            scope: NATIONAL.to_owned(),
            ..form.clone()
        };
        let valid = validate(&national, &regions, Lang::En).expect("valid");
        assert_eq!(valid.region, None);

        let backwards = TargetForm {
            deadline: "2025-12-31".to_owned(),
            ..form.clone()
        };
        let errors = validate(&backwards, &regions, Lang::En).expect_err("errors");
        assert_eq!(
            errors.get("deadline"),
            Some("The deadline must be the same as or later than the start date.")
        );

        let errors = validate(&TargetForm::default(), &regions, Lang::En).expect_err("errors");
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            ["name", "scope", "teachers", "starts_on", "deadline"]
        );
        let unknown = TargetForm {
            scope: "KZ-00".to_owned(),
            ..form
        };
        assert!(validate(&unknown, &regions, Lang::En)
            .expect_err("errors")
            .get("scope")
            .is_some());
    }
}
