//! The command menus Telegram shows: everyone's, and each creator's in their own chat.
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, ChatId, Recipient};

use super::Command;
use crate::db::Db;
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::i18n::{LANGUAGES, Lang};
use crate::telegram::TgBot;
use crate::views::menu::command_menu;

/// Registers the subscribers' command menu for everyone, in every language the bot speaks.
pub async fn register_commands(bot: &TgBot) -> Result<(), teloxide::RequestError> {
    for code in LANGUAGES {
        let lang = Lang::from_code(Some(code));
        let request = bot.api().set_my_commands(command_menu(&lang, Command::SUBSCRIBER_MENU));
        if lang == Lang::default() {
            bot.counted("setMyCommands", request).await?
        } else {
            bot.counted("setMyCommands", request.language_code(*code)).await?
        };
    }
    Ok(())
}

/// Registers the creators' command menu in a creator's chat. Without a language chosen with /language it is
/// registered in every language the bot speaks, so it follows the Telegram app's language; with one, only in
/// that language, and the per-language menus are removed so they cannot override the choice.
pub async fn register_creator_commands(
    bot: &TgBot,
    creator: &Creator,
    chosen: Option<&str>,
) -> Result<(), teloxide::RequestError> {
    let Some(chat_id) = creator.linked_chat_id else { return Ok(()) };
    let scope = BotCommandScope::Chat { chat_id: Recipient::Id(ChatId(chat_id)) };
    let fallback = Lang::from_code(chosen);
    let menu = bot.api().set_my_commands(command_menu(&fallback, Command::CREATOR_MENU)).scope(scope.clone());
    bot.counted("setMyCommands", menu).await?;
    for code in LANGUAGES.iter().filter(|code| Lang::from_code(Some(code)) != Lang::default()) {
        if chosen.is_some() {
            let removal = bot.api().delete_my_commands().scope(scope.clone()).language_code(*code);
            bot.counted("deleteMyCommands", removal).await?;
        } else {
            let lang = Lang::from_code(Some(code));
            let menu = bot.api().set_my_commands(command_menu(&lang, Command::CREATOR_MENU));
            bot.counted("setMyCommands", menu.scope(scope.clone()).language_code(*code)).await?;
        }
    }
    Ok(())
}

/// Registers every creator's menu, so a new instance or a new release shows the current commands.
pub async fn register_all_creator_commands(bot: TgBot, db: Db) {
    let creators = match db.list_creators().await {
        Ok(creators) => creators,
        Err(error) => {
            DomainError::internal("listing creators to register their command menus", error);
            return;
        }
    };
    for creator in creators {
        let chosen = match db.chosen_language(creator.telegram_user_id).await {
            Ok(chosen) => chosen,
            Err(error) => {
                DomainError::internal("reading a creator's chosen language", error);
                continue;
            }
        };
        if let Err(error) = register_creator_commands(&bot, &creator, chosen.as_deref()).await {
            log::warn!("cannot register a creator's command menu: {error}");
        }
    }
}
