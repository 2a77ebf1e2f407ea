//! The creator's menu under `/start`, help, the language picker, and the bot's command menus.
use teloxide::types::BotCommand;

use super::buttons::{Callback, MenuItem};
use super::{Screen, button};
use crate::i18n::{LANGUAGES, Lang};

pub fn creator_menu(lang: &Lang) -> Screen {
    let buttons: Vec<_> = MenuItem::ALL
        .iter()
        .map(|item| button(lang.t(&format!("menu-{}", item.as_str())), Callback::Menu(*item)))
        .collect();
    Screen::new(lang.t("creator-menu")).rows(buttons.chunks(2).map(<[_]>::to_vec))
}

pub fn help(lang: &Lang, is_creator: bool) -> Screen {
    Screen::new(lang.t(if is_creator { "help-creator" } else { "help-everyone" }))
}

/// One button per language, each labelled in its own language.
pub fn language_picker(lang: &Lang) -> Screen {
    let buttons = LANGUAGES
        .iter()
        .map(|code| button(Lang::from_code(Some(code)).t("language-name"), Callback::Language(code)))
        .collect();
    Screen::new(lang.t("language-pick")).row(buttons)
}

/// A command menu: each command with its `command-<name>` description.
pub fn command_menu(lang: &Lang, names: &[&str]) -> Vec<BotCommand> {
    names.iter().map(|name| BotCommand::new(*name, lang.t(&format!("command-{name}")))).collect()
}

/// A plain line of the bot's, by its key (usage hints, confirmations).
pub fn say(lang: &Lang, key: &str) -> Screen {
    Screen::new(lang.t(key))
}
