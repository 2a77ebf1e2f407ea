//! The Telegram side: the handler tree. Each handler takes the update apart, calls one domain service and
//! sends what the views render; any failure on the way is logged with a reference and answered with it.
mod access;
mod batches;
mod billing;
mod codes;
mod command_menus;
mod commands;
mod generate;
mod jobs;
mod notices;
mod plans;
mod revocation;
mod rollback;
mod start;
mod subscriber;
mod tokens;
mod webhooks;

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::Arc;

use dptree::di::{DependencyMap, Injectable};
use dptree::{HandlerDescription, HandlerSignature, Type};
use teloxide::dispatching::{DpHandlerDescription, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{ChatId, MessageId, UserId};

use crate::config::ThrottleSettings;
use crate::db::Db;
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::conversations::{self, ConversationKind, Flow, FlowAction};
use crate::domain::generation::GenerationQueue;
use crate::domain::secret::InstanceSecret;
use crate::i18n::Lang;
use crate::telegram::TgBot;
use crate::views::buttons::Callback;
use crate::views::{Screen, errors};

pub use command_menus::{register_all_creator_commands, register_commands, register_creator_commands};
pub use commands::Command;

pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerResult = Result<(), HandlerError>;

/// What a tap is answered with: a toast (empty for none), or `None` for "this menu has expired".
pub type TapAnswer = Result<Option<String>, HandlerError>;

/// The services handlers reach through `dptree::deps![]`.
pub struct BotContext {
    /// The paced bot every handler answers with (the dispatcher's own is not paced).
    pub bot: TgBot,
    pub db: Db,
    pub secret: InstanceSecret,
    pub queue: GenerationQueue,
    pub bot_username: String,
    pub bot_user_id: UserId,
    pub throttle: ThrottleSettings,
    /// Wakes the access sweep, so a creator's `/remove` goes out at once.
    pub access_wake: Arc<tokio::sync::Notify>,
    /// Wakes the notifier, so the creator hears of a redemption as soon as their chat allows.
    pub notices_wake: Arc<tokio::sync::Notify>,
    /// Which webhook targets creators may add.
    pub webhook_policy: crate::domain::webhooks::TargetPolicy,
    pub inbox: Arc<crate::telegram::inbox::Inbox>,
}

/// What handling one update takes: the bot to answer with, the services, and the language to answer in.
#[derive(Clone)]
pub struct Handling {
    pub bot: TgBot,
    pub context: Arc<BotContext>,
    pub lang: Lang,
}

async fn handling(update: Update, context: Arc<BotContext>) -> Handling {
    let lang = resolve_lang(&update, &context).await;
    Handling { bot: context.bot.clone(), context, lang }
}

/// The language to answer an update in: the user's choice with /language, else their Telegram
/// app's language, else English. A failed lookup answers in the app's language and is logged.
async fn resolve_lang(update: &Update, context: &BotContext) -> Lang {
    let Some(user) = update.from() else { return Lang::default() };
    let chosen = match context.db.chosen_language(user.id.0 as i64).await {
        Ok(chosen) => chosen,
        Err(error) => {
            DomainError::internal("reading a user's chosen language", error);
            None
        }
    };
    Lang::from_code(chosen.as_deref().or(user.language_code.as_deref()))
}

/// The language of messages a creator gets without asking (notifications, job progress).
pub fn creator_lang(creator: &Creator) -> Lang {
    Lang::from_code(creator.language_code.as_deref())
}

/// The error a handler failed with, as the person is told it: a domain error as it is, anything else as
/// "something went wrong" with the reference it was logged under.
fn as_domain_error(error: HandlerError) -> DomainError {
    match error.downcast::<DomainError>() {
        Ok(domain) => *domain,
        Err(other) => DomainError::internal("handling an update", other),
    }
}

/// Tells the person behind `update` that handling it failed, in a toast for a tap, else in the chat.
async fn tell_failure(bot: &TgBot, update: &Update, lang: &Lang, error: DomainError) {
    let text = errors::chat(lang, &error);
    let screen = errors::screen(lang, &error);
    let told = match &update.kind {
        teloxide::types::UpdateKind::CallbackQuery(query) => bot
            .counted("answerCallbackQuery", bot.api().answer_callback_query(query.id.clone()).text(text))
            .await
            .map(|_| ()),
        _ => match update.chat() {
            Some(chat) => crate::telegram::send(bot, chat.id, screen).await.map(|_| ()),
            None => Ok(()),
        },
    };
    if let Err(error) = told {
        log::warn!("cannot tell a user that their update failed: {error}");
    }
}

/// Catches the failure of any handler below it and answers it, so nobody is left without a reply; then,
/// whatever handling came to, marks the update handled in the inbox (`telegram/inbox.rs`).
fn finish_handling() -> UpdateHandler<HandlerError> {
    dptree::from_fn_with_description(
        DpHandlerDescription::entry(),
        |deps: DependencyMap, cont| async move {
            let Some(update) = deps.try_get::<Update>() else { return cont(deps).await };
            let context = crate::logging::LogContext::Update(i64::from(update.id.0));
            crate::logging::within(context, async move {
                let outcome = cont(deps.clone()).await;
                let Some(h) = deps.try_get::<Handling>() else {
                    return outcome;
                };
                if let ControlFlow::Break(Err(error)) = outcome {
                    tell_failure(&h.bot, &update, &h.lang, as_domain_error(error)).await;
                }
                h.context.inbox.handled(&update).await;
                ControlFlow::Break(Ok(()))
            })
            .await
        },
        HandlerSignature::Other {
            obligations: Default::default(),
            guaranteed_outcomes: BTreeSet::new(),
            conditional_outcomes: BTreeSet::new(),
            continues: true,
        },
    )
}

/// Like `dptree::filter_map_async`, for a projection that may fail: `Ok(None)` lets the update fall
/// through to the next branch, an error ends its handling and is answered by [`finish_handling`].
fn filter_map_or_fail<Projection, NewType, Args>(projection: Projection) -> UpdateHandler<HandlerError>
where
    Projection: Injectable<Result<Option<NewType>, DomainError>, Args> + Send + Sync + 'static,
    NewType: Send + Sync + 'static,
{
    let projection = Arc::new(projection);
    dptree::from_fn_with_description(
        DpHandlerDescription::filter_map_async(),
        move |container: DependencyMap, cont| {
            let projection = Arc::clone(&projection);
            async move {
                let run = projection.inject(&container);
                let found = run().await;
                drop(run);
                match found {
                    Ok(Some(value)) => {
                        let mut with_value = container.clone();
                        with_value.insert(value);
                        match cont(with_value).await {
                            ControlFlow::Continue(_) => ControlFlow::Continue(container),
                            ControlFlow::Break(result) => ControlFlow::Break(result),
                        }
                    }
                    Ok(None) => ControlFlow::Continue(container),
                    Err(error) => ControlFlow::Break(Err(Box::new(error) as HandlerError)),
                }
            }
        },
        HandlerSignature::Other {
            obligations: Projection::obligations(),
            guaranteed_outcomes: BTreeSet::from([Type::of::<NewType>()]),
            conditional_outcomes: BTreeSet::new(),
            continues: true,
        },
    )
}

/// The creator who sent a message, if the sender is one.
async fn creator_of_message(message: Message, context: Arc<BotContext>) -> Result<Option<Creator>, DomainError> {
    let Some(user) = message.from.as_ref() else { return Ok(None) };
    Ok(context.db.find_creator_by_telegram_user(user.id.0 as i64).await?)
}

/// A creator's tap on a button the bot can edit.
#[derive(Clone)]
pub struct Tap {
    pub creator: Creator,
    pub user_id: i64,
    pub chat_id: ChatId,
    pub message_id: MessageId,
    /// What the message showed when tapped.
    pub shown: crate::telegram::Shown,
}

impl Tap {
    /// Shows `screen` in the tapped message, unless it shows that already.
    pub async fn show(&self, bot: &TgBot, screen: Screen) {
        crate::telegram::edit_shown(bot, self.chat_id, self.message_id, &self.shown, screen).await;
    }
}

async fn creator_tap(query: CallbackQuery, context: Arc<BotContext>) -> Result<Option<Tap>, DomainError> {
    let Some(message) = query.regular_message() else { return Ok(None) };
    let user_id = query.from.id.0 as i64;
    // Telegram sends a tap in a private chat only from its one person; a tap that says otherwise is forged,
    // and acting on it would edit someone else's message.
    if message.chat.id.0 != user_id {
        return Ok(None);
    }
    let Some(creator) = context.db.find_creator_by_telegram_user(user_id).await? else { return Ok(None) };
    let shown = crate::telegram::Shown::of(message);
    Ok(Some(Tap { creator, user_id, chat_id: message.chat.id, message_id: message.id, shown }))
}

/// The open conversation a message from a creator continues, when its step reads typed text.
async fn flow_of_message(message: Message, context: Arc<BotContext>) -> Result<Option<(Flow, Creator)>, DomainError> {
    let Some(user) = message.from.as_ref() else { return Ok(None) };
    if message.text().is_some_and(|text| text.starts_with('/')) {
        return Ok(None);
    }
    let user_id = user.id.0 as i64;
    let Some(flow) = conversations::reading_text(&context.db, user_id, message.chat.id.0, now()).await? else {
        return Ok(None);
    };
    Ok(context.db.find_creator_by_telegram_user(user_id).await?.map(|creator| (flow, creator)))
}

async fn continue_flow(h: Handling, message: Message, (flow, creator): (Flow, Creator)) -> HandlerResult {
    match flow.kind {
        ConversationKind::Generate => generate::on_text(&h, &creator, flow, message.text().unwrap_or_default()).await,
        ConversationKind::NewPlan | ConversationKind::RenamePlan | ConversationKind::LinkChat => {
            plans::on_message(&h, &creator, flow, &message).await
        }
        ConversationKind::AddWebhook => webhooks::on_text(&h, &creator, flow, message.text().unwrap_or_default()).await,
        ConversationKind::NameToken => tokens::on_text(&h, &creator, flow, message.text().unwrap_or_default()).await,
        ConversationKind::BatchOption => {
            generate::on_option_text(&h, &creator, flow, message.text().unwrap_or_default()).await
        }
    }
}

/// A tap on a conversation's button: checked against an open conversation of the tapper at the tapped
/// revision, shown in the tapped message's chat; anything else changes nothing and "has expired".
async fn flow_tap(h: Handling, query: CallbackQuery, callback: Callback, tap: Tap) -> HandlerResult {
    let Callback::Flow { conversation, revision, action } = callback else { return Ok(()) };
    let flow = conversations::of_tap(&h.context.db, conversation, revision, tap.user_id, tap.chat_id.0, now()).await?;
    let answer = match flow {
        None => None,
        Some(flow) => match (flow.kind, &action) {
            (ConversationKind::Generate, _) => generate::on_tap(&h, &tap, flow, &action).await?,
            (_, FlowAction::Cancel) => cancel_question(&h, &tap, &flow).await?,
            (ConversationKind::NewPlan | ConversationKind::RenamePlan | ConversationKind::LinkChat, _) => {
                plans::on_tap(&h, &tap, flow, &action).await?
            }
            _ => None,
        },
    };
    answer_tap(&h, &query, answer).await
}

/// Cancel under a question: the conversation ends and its message says so.
async fn cancel_question(h: &Handling, tap: &Tap, flow: &Flow) -> TapAnswer {
    conversations::finish(&h.context.db, flow, conversations::ConversationStatus::Cancelled).await?;
    crate::telegram::edit(&h.bot, tap.chat_id, tap.message_id, crate::views::menu::say(&h.lang, "wizard-cancelled"))
        .await;
    Ok(Some(h.lang.t("wizard-cancelled")))
}

/// Answers a callback query: with `answer` as a toast when it says something, and with "this menu has
/// expired" when the tap led nowhere (`None`).
pub async fn answer_tap(h: &Handling, query: &CallbackQuery, answer: Option<String>) -> HandlerResult {
    let request = h.bot.api().answer_callback_query(query.id.clone());
    match answer.unwrap_or_else(|| h.lang.t("menu-expired")) {
        text if text.is_empty() => h.bot.counted("answerCallbackQuery", request).await?,
        text => h.bot.counted("answerCallbackQuery", request.text(text)).await?,
    };
    Ok(())
}

/// Shows the screen a tap led to in the tapped message. A resource that is not the tapper's team's reads as
/// a forged button ("this menu has expired"); any other error is said in a toast.
pub async fn show_tapped(
    h: &Handling,
    query: &CallbackQuery,
    tap: &Tap,
    screen: Result<Screen, DomainError>,
) -> HandlerResult {
    let answer = match screen {
        Ok(screen) => {
            tap.show(&h.bot, screen).await;
            Some(String::new())
        }
        Err(DomainError::NotFound { .. }) => None,
        Err(error) => Some(crate::views::errors::chat(&h.lang, &error)),
    };
    answer_tap(h, query, answer).await
}

/// A tap on a button that is not the tapper's, no longer means anything, or was never ours.
async fn expired_tap(h: Handling, query: CallbackQuery) -> HandlerResult {
    answer_tap(&h, &query, None).await
}

fn decode_callback(query: CallbackQuery) -> Option<Callback> {
    query.data.as_deref().and_then(Callback::decode)
}

/// The handler tree, shared by `serve` and the tests.
pub fn schema() -> UpdateHandler<HandlerError> {
    use dptree::case;

    let creator_commands = filter_map_or_fail(creator_of_message)
        .branch(case![Command::NewPlan(args)].endpoint(plans::new_plan))
        .branch(case![Command::Plans].endpoint(plans::list_plans))
        .branch(case![Command::Generate(args)].endpoint(generate::generate_command))
        .branch(case![Command::Status(args)].endpoint(jobs::status_command))
        .branch(case![Command::Resend(args)].endpoint(jobs::resend_command))
        .branch(case![Command::Codes(args)].endpoint(codes::codes_command))
        .branch(case![Command::Batches(args)].endpoint(batches::batches_command))
        .branch(case![Command::Billing].endpoint(billing::billing_command))
        .branch(case![Command::Notify].endpoint(notices::notify_command))
        .branch(case![Command::Tokens].endpoint(tokens::tokens_command))
        .branch(case![Command::NewToken(args)].endpoint(tokens::new_token_command))
        .branch(case![Command::Webhooks].endpoint(webhooks::webhooks_command))
        .branch(case![Command::AddWebhook(args)].endpoint(webhooks::add_webhook_command))
        .branch(case![Command::Members(args)].endpoint(access::members_command))
        .branch(case![Command::Check(args)].endpoint(access::check_command))
        .branch(case![Command::Remove(args)].endpoint(access::remove_command))
        .branch(case![Command::Revoke(args)].endpoint(revocation::revoke_command))
        .branch(case![Command::Rollback(args)].endpoint(rollback::rollback_command));

    let commands = teloxide::filter_command::<Command, _>()
        .branch(case![Command::Start(payload)].endpoint(start::start))
        .branch(case![Command::Help].endpoint(start::help))
        .branch(case![Command::Redeem(args)].endpoint(subscriber::redeem_command))
        .branch(case![Command::My].endpoint(subscriber::my_command))
        .branch(case![Command::Cancel].endpoint(start::cancel_command))
        .branch(case![Command::Language].endpoint(start::language_command))
        .branch(creator_commands)
        .endpoint(start::not_a_creator);

    let messages = Update::filter_message()
        .branch(filter_map_or_fail(flow_of_message).endpoint(continue_flow))
        .branch(commands)
        .endpoint(subscriber::plain_text);

    let members = dptree::entry()
        .branch(Update::filter_chat_join_request().endpoint(access::join_request))
        .branch(Update::filter_chat_member().endpoint(access::member_changed))
        .branch(Update::filter_my_chat_member().endpoint(access::bot_rights_changed));

    let creator_taps = filter_map_or_fail(creator_tap)
        .branch(dptree::filter(|callback: Callback| matches!(callback, Callback::Flow { .. })).endpoint(flow_tap))
        .branch(case![Callback::Card(button)].endpoint(generate::card_tap))
        .branch(case![Callback::Token(button)].endpoint(tokens::token_tap))
        .branch(case![Callback::Webhook(button)].endpoint(webhooks::webhook_tap))
        .branch(case![Callback::Plans(button)].endpoint(plans::plans_tap))
        .branch(case![Callback::Jobs(button)].endpoint(jobs::jobs_tap))
        .branch(case![Callback::Codes(button)].endpoint(codes::codes_tap))
        .branch(case![Callback::Menu(item)].endpoint(start::menu_tap))
        .branch(case![Callback::Remove(button)].endpoint(access::remove_tap))
        .branch(case![Callback::Revoke(button)].endpoint(revocation::revoke_tap))
        .branch(case![Callback::Rollback(button)].endpoint(rollback::rollback_tap))
        .branch(case![Callback::Batches(button)].endpoint(batches::batches_tap))
        .branch(case![Callback::Export(scope)].endpoint(batches::export_tap))
        .branch(case![Callback::Notify(mode)].endpoint(notices::notify_tap));
    let callbacks = Update::filter_callback_query()
        .branch(
            dptree::filter_map(decode_callback)
                .branch(case![Callback::Language(code)].endpoint(start::language_tap))
                .branch(case![Callback::MySubscriptions].endpoint(start::my_subscriptions_tap))
                .branch(creator_taps),
        )
        .endpoint(expired_tap);

    dptree::entry().map_async(handling).chain(finish_handling()).branch(messages).branch(callbacks).branch(members)
}
