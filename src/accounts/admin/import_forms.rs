//! The lines of a teachers CSV file, each turned into a checked teacher or the messages that
//! say what is wrong. The checks that need the database come later, in `import_ops`.

use crate::domain::{Category, Email, FullName, Iin, CONTROL_CHARACTERS};
use crate::i18n::Lang;
use crate::schools::models::{find_region, Region};
use crate::web::upload::{
    optional, region_problem, required, with_value, Column, FirstLines, LineError, Sheet,
};

pub const TEACHER_COLUMNS: [Column; 6] = [
    required("full_name"),
    required("email"),
    required("region_code"),
    optional("school"),
    required("category"),
    optional("iin"),
];
const T_NAME: usize = 0;
const T_EMAIL: usize = 1;
const T_REGION: usize = 2;
const T_SCHOOL: usize = 3;
const T_CATEGORY: usize = 4;
const T_IIN: usize = 5;
const EMAIL_REPEATED: &str = "admin-import-error-email-repeated";
const IIN_REPEATED: &str = "admin-import-error-iin-repeated";

/// A checked teacher row; the school name is looked up in the database later.
#[derive(Debug, Clone)]
pub struct TeacherLine {
    pub line: u64,
    pub full_name: FullName,
    pub email: Email,
    pub region_id: i32,
    pub region_name: String,
    pub school: Option<String>,
    pub category: Category,
    pub iin: Option<Iin>,
}

/// The checks that need no database: each value, and repeats within the file.
pub fn check_teachers(
    sheet: &Sheet,
    regions: &[Region],
    lang: Lang,
) -> (Vec<TeacherLine>, Vec<LineError>) {
    let mut lines = Vec::new();
    let mut problems = sheet.problems.clone();
    let mut emails = FirstLines::default();
    let mut iins = FirstLines::default();
    for record in &sheet.records {
        let line = record.line;
        let mut problem = |message: String| problems.push(LineError::new(line, message));
        let full_name = FullName::parse(record.get(T_NAME))
            .map_err(|e| {
                problem(lang.t(match e.key() {
                    "error-name-missing" => "admin-import-error-name-missing",
                    CONTROL_CHARACTERS => CONTROL_CHARACTERS,
                    _ => "admin-import-error-name-invalid",
                }))
            })
            .ok();
        let raw_email = record.get(T_EMAIL);
        let email = Email::parse(raw_email)
            .map_err(|e| {
                problem(match e.key() {
                    "error-email-missing" => lang.t("admin-import-error-email-missing"),
                    _ => with_value(lang, "admin-import-error-email-invalid", raw_email),
                })
            })
            .ok();
        let code = record.get(T_REGION);
        let region = find_region(regions, code);
        if region.is_none() {
            problem(region_problem(lang, code));
        }
        let school = Some(
            record
                .get(T_SCHOOL)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
        .filter(|s| !s.is_empty());
        let category = Category::parse(record.get(T_CATEGORY))
            .map_err(|_| {
                problem(with_value(
                    lang,
                    "admin-import-error-category",
                    record.get(T_CATEGORY),
                ))
            })
            .ok();
        let raw_iin = record.get(T_IIN);
        let iin = if raw_iin.trim().is_empty() {
            Some(None)
        } else {
            Iin::parse(raw_iin)
                .map(Some)
                .map_err(|_| problem(with_value(lang, "admin-import-error-iin", raw_iin)))
                .ok()
        };
        let email_repeat = email.as_ref().and_then(|email| {
            let value = email.as_str();
            emails.repeat(value.to_owned(), line, lang, EMAIL_REPEATED, value)
        });
        // The IIN of a line whose email is repeated is not remembered.
        let repeat = email_repeat.or_else(|| {
            let value = iin.as_ref()?.as_ref()?.as_str();
            iins.repeat(value.to_owned(), line, lang, IIN_REPEATED, value)
        });
        if let Some(message) = repeat {
            problem(message);
            continue;
        }
        if let (Some(full_name), Some(email), Some(region), Some(category), Some(iin)) =
            (full_name, email, region, category, iin)
        {
            lines.push(TeacherLine {
                line,
                full_name,
                email,
                region_id: region.id,
                region_name: region.name(lang),
                school,
                category,
                iin,
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
    fn teachers_repeated_in_the_file_are_refused() {
        let text = "full_name,email,region_code,school,category,iin\n\
                    Айгерім Нұрланқызы,a@mektep.kz,KZ-75,,general,850101300124\n\
                    Other,A@Mektep.kz,KZ-75,,general,\n\
                    Third,c@mektep.kz,KZ-75,,preschool,850101300124\n\
                    Fourth,not-an-email,KZ-75,,higher,123\n";
        let sheet = read_sheet(text, &TEACHER_COLUMNS, Lang::En).expect("sheet");
        let (lines, problems) = check_teachers(&sheet, &[almaty_for_tests()], Lang::En);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].email.as_str(), "a@mektep.kz");
        let found: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(found, vec![3, 4, 5, 5, 5], "{problems:?}");
        assert!(problems[0].message.contains("line 2"), "{problems:?}");
    }
}
