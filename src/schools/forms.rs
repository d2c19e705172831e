//! Schools as people type them: the add and edit form, and the lines of a schools CSV file, each
//! turned into a checked school or the messages that say what is wrong.

use serde::Deserialize;

use crate::domain::SchoolKind;
use crate::i18n::Lang;
use crate::schools::models::{find_region, Region, RegionChoice, SchoolRow};
use crate::web::forms::one_line;
use crate::web::upload::{
    optional, region_problem, required, with_value, Column, FirstLines, LineError, Sheet,
};
use crate::web::FormErrors;

pub const NAME_MAX_CHARS: usize = 200;
pub const DISTRICT_MAX_CHARS: usize = 100;

/// A school's name with inner whitespace collapsed, so that "No.  5" and "No. 5" are one school.
/// The error is a translation key.
pub fn parse_name(raw: &str) -> Result<String, &'static str> {
    let name = one_line(raw)?;
    if name.is_empty() {
        Err("admin-schools-error-name-missing")
    } else if name.chars().count() > NAME_MAX_CHARS {
        Err("admin-schools-error-name-invalid")
    } else {
        Ok(name)
    }
}

/// An optional district: empty means none.
pub fn parse_district(raw: &str) -> Result<Option<String>, &'static str> {
    let district = one_line(raw)?;
    if district.is_empty() {
        Ok(None)
    } else if district.chars().count() > DISTRICT_MAX_CHARS {
        Err("admin-schools-error-district-invalid")
    } else {
        Ok(Some(district))
    }
}

/// Yes or no as people write it in a spreadsheet, in English, Russian or Kazakh.
pub fn parse_yes_no(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "да" | "иә" | "ия" => Some(true),
        "no" | "n" | "false" | "0" | "нет" | "жоқ" => Some(false),
        _ => None,
    }
}

// ---- The add and edit form ----------------------------------------------------------------

/// The value of the ticked "inclusive conditions" box; browsers leave an unticked box out.
const TICKED: &str = "yes";

#[derive(Deserialize, Default, Clone)]
pub struct SchoolForm {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub inclusive: String,
    /// The version of the school the form was opened at (`crate::domain::Version`).
    #[serde(default)]
    pub version: String,
}

/// A school to save, as the form describes it once every field is right.
pub struct SchoolCommand {
    pub region_id: i32,
    pub region_code: String,
    pub name: String,
    pub kind: SchoolKind,
    pub district: Option<String>,
    pub inclusive: bool,
}

impl SchoolForm {
    /// An empty form for a new school, in the region `region` when it is one of `regions`.
    pub fn blank(regions: &[RegionChoice], region: Option<&str>) -> Self {
        let region = region
            .and_then(|code| regions.iter().find(|r| r.code == code))
            .map(|r| r.code.clone())
            .unwrap_or_default();
        Self {
            region,
            kind: SchoolKind::School.as_str().to_owned(),
            ..Default::default()
        }
    }

    /// The form filled with a stored school.
    pub fn of(school: SchoolRow, regions: &[RegionChoice]) -> Self {
        Self {
            region: regions
                .iter()
                .find(|r| r.id == school.region_id)
                .map(|r| r.code.clone())
                .unwrap_or_default(),
            name: school.name,
            kind: school.kind,
            district: school.district.unwrap_or_default(),
            inclusive: if school.inclusive_conditions {
                TICKED.to_owned()
            } else {
                String::new()
            },
            version: school.version.to_string(),
        }
    }

    pub fn parse(&self, regions: &[RegionChoice], lang: Lang) -> Result<SchoolCommand, FormErrors> {
        let mut errors = FormErrors::default();
        let region = regions.iter().find(|r| r.code == self.region);
        if region.is_none() {
            errors.add("region", lang.t("admin-schools-error-region"));
        }
        let name = parse_name(&self.name)
            .map_err(|key| errors.add("name", lang.t(key)))
            .ok();
        let kind = SchoolKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", lang.t("admin-schools-error-kind"));
        }
        let district = parse_district(&self.district)
            .map_err(|key| errors.add("district", lang.t(key)))
            .ok();
        match (region, name, kind, district) {
            (Some(region), Some(name), Some(kind), Some(district)) => Ok(SchoolCommand {
                region_id: region.id,
                region_code: region.code.clone(),
                name,
                kind,
                district,
                inclusive: self.inclusive == TICKED,
            }),
            _ => Err(errors),
        }
    }
}

// ---- The lines of a schools CSV file ------------------------------------------------------

pub const SCHOOL_COLUMNS: [Column; 5] = [
    required("region_code"),
    required("name"),
    required("kind"),
    required("inclusive"),
    optional("district"),
];
const S_REGION: usize = 0;
const S_NAME: usize = 1;
const S_KIND: usize = 2;
const S_INCLUSIVE: usize = 3;
const S_DISTRICT: usize = 4;
const SCHOOL_REPEATED: &str = "admin-import-error-school-repeated";

/// A checked school row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolLine {
    pub line: u64,
    pub region_id: i32,
    pub name: String,
    pub kind: SchoolKind,
    pub inclusive: bool,
    /// `None` when the file has no district column (the stored district stays as it is).
    pub district: Option<Option<String>>,
}

/// Every line of the sheet checked: the schools to save, and the problems (sorted by line).
pub fn check_schools(
    sheet: &Sheet,
    regions: &[Region],
    lang: Lang,
) -> (Vec<SchoolLine>, Vec<LineError>) {
    let mut lines = Vec::new();
    let mut problems = sheet.problems.clone();
    let mut seen = FirstLines::default();
    let has_district = sheet.present.get(S_DISTRICT).copied().unwrap_or(false);
    for record in &sheet.records {
        let line = record.line;
        let mut problem = |message: String| problems.push(LineError::new(line, message));
        let code = record.get(S_REGION);
        let region = find_region(regions, code);
        if region.is_none() {
            problem(region_problem(lang, code));
        }
        let name = parse_name(record.get(S_NAME))
            .map_err(|key| problem(lang.t(key)))
            .ok();
        let kind = SchoolKind::parse(record.get(S_KIND));
        if kind.is_none() {
            problem(with_value(
                lang,
                "admin-import-error-kind",
                record.get(S_KIND),
            ));
        }
        let inclusive = parse_yes_no(record.get(S_INCLUSIVE));
        if inclusive.is_none() {
            problem(with_value(
                lang,
                "admin-import-error-inclusive",
                record.get(S_INCLUSIVE),
            ));
        }
        let district = if has_district {
            parse_district(record.get(S_DISTRICT))
                .map(Some)
                .map_err(|key| problem(lang.t(key)))
                .ok()
        } else {
            Some(None)
        };
        if let (Some(region), Some(name)) = (region, &name) {
            let key = (region.id, name.clone());
            if let Some(message) = seen.repeat(key, line, lang, SCHOOL_REPEATED, name) {
                problem(message);
                continue;
            }
        }
        if let (Some(region), Some(name), Some(kind), Some(inclusive), Some(district)) =
            (region, name, kind, inclusive, district)
        {
            lines.push(SchoolLine {
                line,
                region_id: region.id,
                name,
                kind,
                inclusive,
                district,
            });
        }
    }
    problems.sort_by_key(|p| p.line);
    (lines, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schools::models::almaty_for_tests;
    use crate::web::upload::read_sheet;

    #[test]
    fn names_are_collapsed_and_bounded() {
        assert_eq!(
            parse_name("  Школа-лицей   № 165 "),
            Ok("Школа-лицей № 165".to_owned())
        );
        assert_eq!(parse_name(" \t"), Err("admin-schools-error-name-missing"));
        assert_eq!(
            parse_name(&"а".repeat(NAME_MAX_CHARS + 1)),
            Err("admin-schools-error-name-invalid")
        );
        assert!(parse_name(&"а".repeat(NAME_MAX_CHARS)).is_ok());
        assert_eq!(parse_district(""), Ok(None));
        assert_eq!(
            parse_district(" Бостандық  ауданы "),
            Ok(Some("Бостандық ауданы".to_owned()))
        );
        assert!(parse_district(&"x".repeat(DISTRICT_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn yes_and_no_are_read_in_three_languages() {
        for yes in ["yes", "YES", "true", "1", " y ", "Да", "иә"] {
            assert_eq!(parse_yes_no(yes), Some(true), "{yes}");
        }
        for no in ["no", "False", "0", "нет", "Жоқ"] {
            assert_eq!(parse_yes_no(no), Some(false), "{no}");
        }
        for neither in ["", "maybe", "2", "yes/no"] {
            assert_eq!(parse_yes_no(neither), None, "{neither}");
        }
    }

    #[test]
    fn a_line_in_any_column_order_and_case_is_a_school() {
        let sheet = read_sheet(
            "\u{feff}Name;Region code;KIND;inclusive\nSchool No. 5;kz-75;school;yes\n",
            &SCHOOL_COLUMNS,
            Lang::En,
        )
        .expect("sheet");
        let (lines, problems) = check_schools(&sheet, &[almaty_for_tests()], Lang::En);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lines[0].name, "School No. 5");
        assert_eq!(lines[0].region_id, 19);
        assert_eq!(lines[0].district, None);
    }

    #[test]
    fn every_bad_value_is_reported_with_its_line() {
        let text = "region_code,name,kind,inclusive\n\
                    KZ-75,Good school,school,yes\n\
                    \n\
                    KZ-99,Somewhere,school,yes\n\
                    KZ-75,,university,maybe\n\
                    KZ-75,Good school,college,no\n\
                    KZ-75,\"Two\nlines\",school\n";
        let sheet = read_sheet(text, &SCHOOL_COLUMNS, Lang::En).expect("sheet");
        let (lines, problems) = check_schools(&sheet, &[almaty_for_tests()], Lang::En);
        assert_eq!(lines.len(), 1);
        let found: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(found.len(), 6, "{found:?}");
        assert_eq!(found[0].0, 4);
        assert!(found[0].1.contains("KZ-99"), "{found:?}");
        assert!(found[1..4].iter().all(|(line, _)| *line == 5), "{found:?}");
        assert_eq!(found[4].0, 6);
        assert!(found[4].1.contains("line 2"), "{found:?}");
        assert_eq!(found[5].0, 7);
    }
}
