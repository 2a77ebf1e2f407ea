//! User-visible text, looked up in the Fluent files under `locales/`.
use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| {
            bundle.set_use_isolating(false);
            let russian = bundle.locales.first().is_some_and(|l| l.language.as_str() == "ru");
            bundle.set_formatter(Some(if russian { russian_number } else { english_number }));
        },
    };
}

/// Whole numbers as English writes them: `1,000`.
fn english_number<M>(value: &FluentValue, _: &M) -> Option<String> {
    whole_number(value).map(|n| grouped(n, ","))
}

/// Whole numbers as Russian writes them: `1 000`, with a space that keeps the number on one line.
fn russian_number<M>(value: &FluentValue, _: &M) -> Option<String> {
    whole_number(value).map(|n| grouped(n, "\u{a0}"))
}

fn whole_number(value: &FluentValue) -> Option<i64> {
    match value {
        FluentValue::Number(number) if number.value.fract() == 0.0 && number.value.abs() < 1e15 => {
            Some(number.value as i64)
        }
        _ => None,
    }
}

/// `n` with `separator` between groups of three digits.
pub fn grouped(n: i64, separator: &str) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub const ENGLISH: LanguageIdentifier = langid!("en");

/// The languages the bot speaks, as Telegram's `language_code` spells them; English first.
pub const LANGUAGES: &[&str] = &["en", "ru"];

/// A language the bot speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang(LanguageIdentifier);

impl Default for Lang {
    fn default() -> Self {
        Self(ENGLISH)
    }
}

impl Lang {
    /// The language for a Telegram `language_code`, falling back to English.
    pub fn from_code(code: Option<&str>) -> Self {
        let wanted = code.and_then(|c| c.split(['-', '_']).next()).unwrap_or("en");
        LOCALES.locales().find(|l| l.language.as_str() == wanted).map(|l| Self(l.clone())).unwrap_or_default()
    }

    /// The language's code, as Telegram spells it.
    pub fn code(&self) -> &str {
        self.0.language.as_str()
    }

    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.0, key)
    }

    pub fn t_with(&self, key: &str, args: &[(&'static str, Arg)]) -> String {
        LOCALES.lookup_with_args(&self.0, key, &fluent_args(args))
    }

    /// The message `key` when the locale has one: for texts that exist only for some cases.
    pub fn try_t_with(&self, key: &str, args: &[(&'static str, Arg)]) -> Option<String> {
        LOCALES.try_lookup_with_args(&self.0, key, &fluent_args(args))
    }
}

fn fluent_args(args: &[(&'static str, Arg)]) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
    args.iter().map(|(name, value)| (Cow::Borrowed(*name), value.to_fluent())).collect()
}

/// A value placed into a message; numbers select plural forms.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Self::Text(text) => FluentValue::from(text.clone()),
            Self::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Self::Number(value)
    }
}

impl From<u64> for Arg {
    fn from(value: u64) -> Self {
        Self::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<i32> for Arg {
    fn from(value: i32) -> Self {
        Self::Number(value.into())
    }
}

impl From<usize> for Arg {
    fn from(value: usize) -> Self {
        Self::Number(value as i64)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    const SOURCES: &[(&str, &str)] =
        &[("en", include_str!("../locales/en/main.ftl")), ("ru", include_str!("../locales/ru/main.ftl"))];

    fn message_ids(source: &str) -> BTreeSet<&str> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id))
            .collect()
    }

    #[test]
    fn every_key_exists_in_every_language() {
        assert_eq!(SOURCES.len(), LANGUAGES.len(), "a locale file per language");
        let (first, english) = (SOURCES[0].0, message_ids(SOURCES[0].1));
        assert!(english.len() > 100);
        for (language, source) in &SOURCES[1..] {
            let ids = message_ids(source);
            let missing: Vec<_> = english.difference(&ids).collect();
            let extra: Vec<_> = ids.difference(&english).collect();
            assert!(missing.is_empty(), "{language} lacks keys that {first} has: {missing:?}");
            assert!(extra.is_empty(), "{language} has keys that {first} lacks: {extra:?}");
        }
    }

    #[test]
    fn russian_counts_take_their_plural_forms() {
        let ru = Lang::from_code(Some("ru"));
        let forms: Vec<String> = [1, 2, 5, 11, 21, 22, 25, 111]
            .iter()
            .map(|n| ru.t_with("duration-days", &[("count", Arg::from(*n))]))
            .collect();
        assert_eq!(forms, ["1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "25 дней", "111 дней"]);
        let en = Lang::from_code(Some("en-GB"));
        assert_eq!(en.t_with("duration-days", &[("count", Arg::from(1))]), "1 day");
        assert_eq!(Lang::from_code(Some("de")), Lang::default(), "unknown languages fall back to English");
    }
}
