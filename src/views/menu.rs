//! The creator's menu under `/start`, the welcome, help and the command reference behind More, what anyone
//! is told when a message means nothing to the bot, the language picker, and the bot's command menus.
use teloxide::types::{BotCommand, InlineKeyboardButton};

use super::buttons::{Callback, MenuItem};
use super::{Screen, button};
use crate::i18n::{LANGUAGES, Lang};

/// The button that opens `item`, as the menu labels it.
pub fn menu_button(lang: &Lang, item: MenuItem) -> InlineKeyboardButton {
    button(lang.t(&format!("menu-{}", item.as_str())), Callback::Menu(item))
}

/// `items` as buttons, two to a row.
fn items(lang: &Lang, items: &[MenuItem]) -> Vec<Vec<InlineKeyboardButton>> {
    let buttons: Vec<_> = items.iter().map(|menu_item| menu_button(lang, *menu_item)).collect();
    buttons.chunks(2).map(<[_]>::to_vec).collect()
}

/// What `/start` shows a creator.
pub fn creator_menu(lang: &Lang) -> Screen {
    use MenuItem::*;
    Screen::new(lang.t("creator-menu")).rows(items(lang, &[Generate, Plans, Jobs, Codes, Members, Billing, More]))
}

/// What a new creator reads first: what the bot does, and the first step as a button.
pub fn welcome(lang: &Lang) -> Screen {
    let first_plan = button(lang.t("button-first-plan"), Callback::Menu(MenuItem::NewPlan));
    Screen::new(lang.t("invite-accepted")).row(vec![first_plan, menu_button(lang, MenuItem::HowItWorks)])
}

pub fn how_it_works(lang: &Lang) -> Screen {
    Screen::new(lang.t("how-it-works")).rows(items(lang, &[MenuItem::NewPlan, MenuItem::Generate]))
}

pub fn help(lang: &Lang, is_creator: bool) -> Screen {
    use MenuItem::*;
    if is_creator {
        Screen::new(lang.t("help-creator")).rows(items(lang, &[Generate, Plans, Members, Billing, More]))
    } else {
        Screen::new(lang.t("help-everyone")).row(vec![my_subscriptions(lang)])
    }
}

/// Every command with its syntax, and the settings that have no place elsewhere.
pub fn reference(lang: &Lang) -> Screen {
    use MenuItem::*;
    Screen::new(lang.t("help-reference")).rows(items(lang, &[Webhooks, Tokens, Notify, Language]))
}

/// A message that is neither a code nor an answer to a question: what to do instead.
pub fn not_understood(lang: &Lang, is_creator: bool) -> Screen {
    use MenuItem::*;
    if is_creator {
        Screen::new(lang.t("unknown-message-creator")).rows(items(lang, &[Generate, Plans, Members, More]))
    } else {
        Screen::new(lang.t("unknown-message")).row(vec![my_subscriptions(lang)])
    }
}

/// A one-line command that could not be read: step by step instead, or the one-line form under More.
pub fn one_line_incomplete(lang: &Lang, key: &str) -> Screen {
    Screen::new(lang.t(key)).rows(items(lang, &[MenuItem::Generate, MenuItem::More]))
}

/// A command for creators, sent by someone who is not one.
pub fn not_a_creator(lang: &Lang) -> Screen {
    Screen::new(lang.t("not-a-creator")).row(vec![my_subscriptions(lang)])
}

/// The button that shows anyone their subscriptions and Join buttons.
pub fn my_subscriptions(lang: &Lang) -> InlineKeyboardButton {
    button(lang.t("button-my-subscriptions"), Callback::MySubscriptions)
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
