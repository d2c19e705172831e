use std::fmt;

use chrono::{NaiveDate, Utc};

use super::InputError;

/// A Kazakhstani individual identification number (ЖСН / ИИН): 12 digits.
///
/// - digits 1–6: date of birth, YYMMDD;
/// - digit 7: century and sex — 1–2 the 1800s, 3–4 the 1900s, 5–6 the 2000s (odd for men, even
///   for women). 0 is accepted: it is given to foreign citizens, whose century the number does
///   not tell, so their date only has to exist in the 1900s or the 2000s;
/// - digits 8–11: serial number;
/// - digit 12: control digit (see [`control_digit`]).
///
/// Spaces anywhere are ignored, since people copy the number in groups. An empty field is a
/// format error here: the form decides whether the IIN is optional before parsing it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iin(String);

impl Iin {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let iin: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if iin.len() != 12 || !iin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InputError("error-iin-format"));
        }
        let digits: Vec<u32> = iin.bytes().map(|b| u32::from(b - b'0')).collect();
        if !has_real_birth_date(&digits) {
            return Err(InputError("error-iin-date"));
        }
        if control_digit(&digits[..11]) != Some(digits[11]) {
            return Err(InputError("error-iin-checksum"));
        }
        Ok(Self(iin))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date of birth the number encodes; `None` for a foreign citizen's IIN (century digit 0).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let digits: Vec<u32> = self.0.bytes().map(|b| u32::from(b - b'0')).collect();
        century(digits[6]).and_then(|century| date_in(century, &digits))
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The first year of the century that digit 7 names, for citizens (1–6).
fn century(digit: u32) -> Option<i32> {
    match digit {
        1 | 2 => Some(1800),
        3 | 4 => Some(1900),
        5 | 6 => Some(2000),
        _ => None,
    }
}

fn date_in(century: i32, digits: &[u32]) -> Option<NaiveDate> {
    let year = century + (digits[0] * 10 + digits[1]) as i32;
    NaiveDate::from_ymd_opt(year, digits[2] * 10 + digits[3], digits[4] * 10 + digits[5])
}

/// Digits 1–7 name a real day that is not in the future (a typo in the century digit would
/// otherwise pass as someone born in 2085).
fn has_real_birth_date(digits: &[u32]) -> bool {
    let today = Utc::now().date_naive();
    let real = |century: i32| date_in(century, digits).is_some_and(|date| date <= today);
    match digits[6] {
        0 => real(1900) || real(2000),
        d => century(d).is_some_and(real),
    }
}

/// The official control digit of the first 11 digits: weights 1–11, sum mod 11; if that is 10,
/// weights 3–11, 1, 2; if that is 10 too, no IIN has these 11 digits (`None`).
fn control_digit(first11: &[u32]) -> Option<u32> {
    const FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let weighted = |weights: &[u32; 11]| {
        first11
            .iter()
            .zip(weights)
            .map(|(digit, weight)| digit * weight)
            .sum::<u32>()
            % 11
    };
    match weighted(&FIRST) {
        10 => match weighted(&SECOND) {
            10 => None,
            control => Some(control),
        },
        control => Some(control),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Vec<u32> {
        s.bytes().map(|b| u32::from(b - b'0')).collect()
    }

    #[test]
    fn accepts_numbers_whose_control_digit_is_right() {
        for valid in [
            "850101300124", // man born 1 January 1985 (the example in the messages)
            "850101400120", // woman, control digit 0
            "880229400569", // 29 February of a leap year
            "050315500788", // born in the 2000s
            "000229600094", // 2000 was a leap year
            "991231100457", // the 1800s
            "850101300603", // the first weights give 10, the second give 3
            "850101000313", // foreign citizen
        ] {
            assert_eq!(
                Iin::parse(valid).map(|i| i.to_string()),
                Ok(valid.to_owned()),
                "{valid}"
            );
        }
    }

    #[test]
    fn the_second_weights_are_used_when_the_first_give_ten() {
        let first: u32 = digits("85010130060")
            .iter()
            .zip(1..=11)
            .map(|(d, w)| d * w)
            .sum();
        assert_eq!(first % 11, 10);
        assert_eq!(control_digit(&digits("85010130060")), Some(3));
        assert!(Iin::parse("850101300600").is_err());
    }

    #[test]
    fn numbers_whose_both_weightings_give_ten_are_never_valid() {
        assert_eq!(control_digit(&digits("85010130069")), None);
        for last in 0..=9 {
            assert_eq!(
                Iin::parse(&format!("85010130069{last}")),
                Err(InputError("error-iin-checksum"))
            );
        }
    }

    #[test]
    fn ignores_spaces_and_tells_the_birth_date() {
        let iin = Iin::parse(" 850101 300124 ").expect("valid");
        assert_eq!(iin.as_str(), "850101300124");
        assert_eq!(iin.birth_date(), NaiveDate::from_ymd_opt(1985, 1, 1));
        assert_eq!(
            Iin::parse("050315500788").map(|i| i.birth_date()),
            Ok(NaiveDate::from_ymd_opt(2005, 3, 15))
        );
        assert_eq!(Iin::parse("850101000313").map(|i| i.birth_date()), Ok(None));
    }

    #[test]
    fn refuses_a_wrong_control_digit() {
        for bad in ["850101300125", "850101300120", "850101400121"] {
            assert_eq!(
                Iin::parse(bad),
                Err(InputError("error-iin-checksum")),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_dates_that_do_not_exist_or_are_to_come() {
        for bad in [
            "990230300124", // 30 February
            "010229500139", // 2001 was not a leap year
            "900229000123", // neither 1990 nor 2090 was a leap year
            "851301300124", // month 13
            "850100300124", // day 0
            "900101500129", // 2090 is in the future
            "850101700125", // century digit 7
            "850101900125", // century digit 9
        ] {
            assert_eq!(Iin::parse(bad), Err(InputError("error-iin-date")), "{bad}");
        }
    }

    #[test]
    fn refuses_what_is_not_twelve_digits() {
        for bad in [
            "",
            "   ",
            "85010130012",
            "8501013001240",
            "85010130012a",
            "ABCDEFGHIJKL",
            "850101-300124",
            "８５０１０１３００１２４", // full-width digits
            "٨٥٠١٠١٣٠٠١٢٤",             // Arabic-Indic digits
        ] {
            assert_eq!(
                Iin::parse(bad),
                Err(InputError("error-iin-format")),
                "{bad:?}"
            );
        }
    }
}
