//! The Telegram side: the handler tree, commands, conversations and replies.
mod billing;
mod commands;
mod generate;
mod plans;
mod redeem;
pub mod replies;
mod start;
mod status;
mod tokens;

use std::sync::Arc;

use teloxide::adaptors::Throttle;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, User};

use crate::config::ThrottleSettings;
use crate::db::Db;
use crate::db::teams::Creator;
use crate::domain::generation::GenerationQueue;
use crate::domain::secret::InstanceSecret;
use crate::i18n::Lang;

pub use commands::Command;

/// The bot as every part of the application uses it: all sends go through Telegram's rate limits.
pub type TgBot = Throttle<Bot>;

pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerResult = Result<(), HandlerError>;

/// The services handlers reach through `dptree::deps![]`.
pub struct BotContext {
    pub db: Db,
    pub secret: InstanceSecret,
    pub queue: GenerationQueue,
    pub bot_username: String,
    pub throttle: ThrottleSettings,
}

/// The language to answer `user` in.
pub fn lang_of(user: Option<&User>, creator: Option<&Creator>) -> Lang {
    let code = creator.and_then(|c| c.language_code.as_deref()).or(user.and_then(|u| u.language_code.as_deref()));
    Lang::from_code(code)
}

async fn creator_of_message(message: Message, context: Arc<BotContext>) -> Option<Creator> {
    let user = message.from.as_ref()?;
    match context.db.find_creator_by_telegram_user(user.id.0 as i64).await {
        Ok(creator) => creator,
        Err(error) => {
            log::error!("accessbot::bot cannot look up the creator: {error}");
            None
        }
    }
}

/// The creator who tapped a button, if the tapper is one.
async fn creator_of_callback(query: &CallbackQuery, context: &BotContext) -> Option<Creator> {
    match context.db.find_creator_by_telegram_user(query.from.id.0 as i64).await {
        Ok(creator) => creator,
        Err(error) => {
            log::error!("accessbot::bot cannot look up the creator of a callback: {error}");
            None
        }
    }
}

/// The handler tree, shared by `serve` and the tests.
pub fn schema() -> UpdateHandler<HandlerError> {
    use dptree::case;

    let creator_commands = dptree::filter_map_async(creator_of_message)
        .branch(case![Command::NewPlan(args)].endpoint(plans::new_plan))
        .branch(case![Command::Plans].endpoint(plans::list_plans))
        .branch(case![Command::Generate(args)].endpoint(generate::generate_command))
        .branch(case![Command::Status(args)].endpoint(status::status_command))
        .branch(case![Command::Billing].endpoint(billing::billing_command))
        .branch(case![Command::Tokens].endpoint(tokens::tokens_command))
        .branch(case![Command::NewToken(args)].endpoint(tokens::new_token_command));

    let commands = teloxide::filter_command::<Command, _>()
        .branch(case![Command::Start(payload)].endpoint(start::start))
        .branch(case![Command::Help].endpoint(start::help))
        .branch(case![Command::Redeem(args)].endpoint(redeem::redeem_command))
        .branch(case![Command::My].endpoint(redeem::my_command))
        .branch(creator_commands)
        .endpoint(start::not_a_creator);

    let messages = Update::filter_message().branch(commands).endpoint(redeem::plain_text);
    let members = Update::filter_chat_member().endpoint(redeem::member_joined);
    let callbacks = Update::filter_callback_query()
        .branch(dptree::filter(tokens::is_token_callback).endpoint(tokens::callback))
        .endpoint(generate::callback);

    dptree::entry().branch(messages).branch(callbacks).branch(members)
}

/// Registers the command menu in every language the bot speaks.
pub async fn register_commands(bot: &TgBot) -> Result<(), teloxide::RequestError> {
    let lang = Lang::default();
    let commands: Vec<BotCommand> =
        Command::MENU.iter().map(|name| BotCommand::new(*name, lang.t(&format!("command-{name}")))).collect();
    bot.set_my_commands(commands).await?;
    Ok(())
}
