//! Kazakh, Russian and English. Every user-facing string comes from the Fluent catalogues in
//! `src/locales/<lang>/*.ftl`, compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use actix_web::HttpRequest;
use chrono::{Datelike, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{langid, LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./src/locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments would end up inside HTML attributes and emails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub const LANG_COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Kk,
    Ru,
    En,
}

static KK: LanguageIdentifier = langid!("kk");
static RU: LanguageIdentifier = langid!("ru");
static EN: LanguageIdentifier = langid!("en");

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, as shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Kk => &KK,
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }

    /// The cookie first, then `Accept-Language`, then Kazakh.
    pub fn from_request(req: &HttpRequest) -> Lang {
        req.cookie(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .or_else(|| {
                req.headers()
                    .get(actix_web::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default()
    }

    /// The supported language with the highest quality in an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            if let Some(lang) = Lang::parse(primary) {
                if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                    best = Some((quality, lang));
                }
            }
        }
        best.map(|(_, lang)| lang)
    }

    /// The message for `key`; a missing key shows as the key itself (and a test catches it).
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The message for `key` with named arguments (numbers keep their plural rules).
    pub fn t_args(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Str(s) => FluentValue::from(s.clone()),
                    Arg::Num(n) => FluentValue::from(*n),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &map)
    }

    /// Whole numbers with the language's digit grouping: 30,000 (en), 30 000 (kk, ru).
    pub fn number(self, n: i64) -> String {
        let separator = match self {
            Lang::En => ",",
            Lang::Kk | Lang::Ru => "\u{a0}",
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(ch);
        }
        out
    }

    /// A date written out: "31 December 2025", "31 декабря 2025 г.", "2025 жылғы 31 желтоқсан".
    pub fn date(self, date: NaiveDate) -> String {
        let month = self.t(&format!("month-{}", date.month()));
        self.t_args(
            "date-long",
            &[
                ("day", Arg::Str(date.day().to_string())),
                ("month", Arg::Str(month)),
                ("year", Arg::Str(date.year().to_string())),
            ],
        )
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An argument to a translated message.
#[derive(Debug, Clone)]
pub enum Arg {
    Str(String),
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n as f64)
    }
}

/// Fails, naming each, when one of `keys` is missing from a language's catalogue.
#[cfg(test)]
pub fn assert_translated<'a>(keys: impl IntoIterator<Item = &'a str> + Clone) {
    let missing: Vec<String> = Lang::ALL
        .iter()
        .flat_map(|lang| {
            let catalogue = catalogue_keys(*lang);
            keys.clone()
                .into_iter()
                .filter(move |key| !catalogue.contains(*key))
                .map(move |key| format!("{lang} lacks {key}"))
        })
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Every message id of a catalogue (for the completeness test).
pub fn catalogue_keys(lang: Lang) -> std::collections::BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/locales")
        .join(lang.code());
    let mut keys = std::collections::BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return keys;
    };
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for line in text.lines() {
            let first = line.chars().next().unwrap_or(' ');
            if first.is_ascii_alphabetic() {
                if let Some((id, _)) = line.split_once('=') {
                    keys.insert(id.trim().to_owned());
                }
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_has_every_key() {
        let all: Vec<_> = Lang::ALL.iter().map(|&l| (l, catalogue_keys(l))).collect();
        assert!(all[0].1.len() > 20, "catalogues were not found");
        for (lang, keys) in &all {
            for (other, other_keys) in &all {
                let missing: Vec<_> = other_keys.difference(keys).collect();
                assert!(
                    missing.is_empty(),
                    "{lang} lacks keys that {other} has: {missing:?}"
                );
            }
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let keys = catalogue_keys(Lang::En);
        let mut used = std::collections::BTreeSet::new();
        let mut stack = vec![root.join("templates"), root.join("src")];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).expect("readable dir").flatten() {
                    stack.push(entry.path());
                }
                continue;
            }
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            if !matches!(ext, "html" | "rs") || path.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable file");
            // Keys appear as .t("key") / .t_args("key", …) in code and templates.
            for marker in [".t(\"", ".t_args(\"", ".tr(\""] {
                for (i, _) in text.match_indices(marker) {
                    let rest = &text[i + marker.len()..];
                    if let Some(end) = rest.find('"') {
                        let key = &rest[..end];
                        if !key.is_empty()
                            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        {
                            used.insert((key.to_owned(), path.display().to_string()));
                        }
                    }
                }
            }
        }
        assert!(
            !used.is_empty(),
            "no translated strings were found in templates"
        );
        let missing: Vec<_> = used.iter().filter(|(k, _)| !keys.contains(k)).collect();
        assert!(
            missing.is_empty(),
            "keys used but not in the catalogues: {missing:?}"
        );
    }

    #[test]
    fn every_language_translates_rather_than_falls_back() {
        for lang in [Lang::Kk, Lang::Ru] {
            assert_ne!(
                lang.t("site-name-tagline"),
                Lang::En.t("site-name-tagline"),
                "{lang}"
            );
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(
            Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Some(Lang::Ru)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, en;q=0.5, kk;q=0.7"),
            Some(Lang::Kk)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, ru;q=0.1"),
            Some(Lang::Ru)
        );
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(Lang::En.number(30000), "30,000");
        assert_eq!(Lang::Ru.number(30000), "30\u{a0}000");
        assert_eq!(Lang::Kk.number(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(Lang::En.number(0), "0");
        assert_eq!(Lang::En.number(-1500), "-1,500");
        assert_eq!(Lang::En.number(999), "999");
    }

    #[test]
    fn dates_are_written_out_per_language() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 31).expect("date");
        assert_eq!(Lang::En.date(d), "31 December 2025");
        assert_eq!(Lang::Ru.date(d), "31 декабря 2025 г.");
        assert_eq!(Lang::Kk.date(d), "2025 жылғы 31 желтоқсан");
    }

    #[test]
    fn plurals_follow_each_language() {
        let days = |lang: Lang, n: i64| lang.t_args("days-count", &[("count", n.into())]);
        assert_eq!(days(Lang::En, 1), "1 day");
        assert_eq!(days(Lang::En, 5), "5 days");
        assert_eq!(days(Lang::Ru, 1), "1 день");
        assert_eq!(days(Lang::Ru, 3), "3 дня");
        assert_eq!(days(Lang::Ru, 11), "11 дней");
        assert_eq!(days(Lang::Kk, 5), "5 күн");
    }
}
