//! User-visible text, looked up in the Fluent files under `locales/`.
use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
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
        let args: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(name, value)| (Cow::Borrowed(*name), value.to_fluent())).collect();
        LOCALES.lookup_with_args(&self.0, key, &args)
    }
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
