//! Access to the chats: join requests decided by who asks (never by which link they used), members who
//! leave, the bot's own rights in a chat, and the creator's `/members`, `/check` and `/remove`.
use teloxide::prelude::*;
use teloxide::types::{ChatJoinRequest, ChatMemberKind, ChatMemberUpdated, UserId};
use teloxide::{ApiError, RequestError};

use super::{HandlerResult, Handling, Tap, answer_tap};
use crate::db::teams::Creator;
use crate::domain::access::{self, JoinDecision};
use crate::domain::clock::now;
use crate::domain::plans::{self, BotMembership};
use crate::i18n::Lang;
use crate::telegram::{self, TgBot};
use crate::views::access::{self as view, Presence};
use crate::views::buttons::RemoveButton;
use crate::views::{errors, menu};

/// A request to join a chat through one of the bot's links: approved for a subscriber of a plan that
/// unlocks the chat, declined (and told how access is had) for anyone else.
pub async fn join_request(h: Handling, request: ChatJoinRequest) -> HandlerResult {
    let Handling { bot, context, .. } = &h;
    let (chat_id, user_id) = (request.chat.id, request.from.id);
    let at = now();
    match access::decide_join_request(&context.db, chat_id.0, user_id.0 as i64, at).await? {
        JoinDecision::Approve(subscription) => {
            let admission = access::record_admission(&context.db, &subscription, chat_id.0, at).await?;
            if let Err(error) =
                bot.counted("approveChatJoinRequest", bot.api().approve_chat_join_request(chat_id, user_id)).await
            {
                access::forget_admission(&context.db, &admission).await?;
                if is_already_decided(&error) {
                    return Ok(());
                }
                return Err(error.into());
            }
            log::info!("a subscriber was let into a plan's chat");
        }
        JoinDecision::Decline => {
            if let Err(error) =
                bot.counted("declineChatJoinRequest", bot.api().decline_chat_join_request(chat_id, user_id)).await
            {
                if is_already_decided(&error) {
                    return Ok(());
                }
                return Err(error.into());
            }
            access::record_declined(&context.db, chat_id.0, user_id.0 as i64, at).await?;
            // The bot may write to a requester for a while through `user_chat_id`, even if they never started it.
            let lang = Lang::from_code(request.from.language_code.as_deref());
            let title = request.chat.title().unwrap_or_default().to_owned();
            if let Err(error) = telegram::send(bot, request.user_chat_id, view::join_declined(&lang, &title)).await {
                log::info!("cannot tell a declined requester how access is had: {error}");
            }
        }
    }
    Ok(())
}

/// Telegram's answer to deciding a request that is no longer pending.
fn is_already_decided(error: &RequestError) -> bool {
    matches!(error, RequestError::Api(ApiError::Unknown(text)) if text.contains("HIDE_REQUESTER_MISSING"))
}

/// Someone's membership of a chat changed: a member the bot let in who left has nothing left to remove.
pub async fn member_changed(h: Handling, update: ChatMemberUpdated) -> HandlerResult {
    if update.old_chat_member.is_present() && !update.new_chat_member.is_present() {
        let user = update.new_chat_member.user.id.0 as i64;
        access::member_left(&h.context.db, update.chat.id.0, user, now()).await?;
    }
    Ok(())
}

fn membership_of(kind: &ChatMemberKind) -> BotMembership {
    match kind {
        ChatMemberKind::Administrator(rights) => BotMembership::Administrator {
            can_invite_users: rights.can_invite_users,
            can_restrict_members: rights.can_restrict_members,
        },
        _ => BotMembership::Other,
    }
}

/// The bot's own status or rights changed in a chat: a lost right is recorded (and its creator told once by
/// the sweep); rights that came back send the pending removals there at once.
pub async fn bot_rights_changed(h: Handling, update: ChatMemberUpdated) -> HandlerResult {
    let problem = plans::chat_rights_problem(membership_of(&update.new_chat_member.kind));
    let db = &h.context.db;
    db.set_chat_rights_problem(update.chat.id.0, problem).await?;
    if problem.is_none() {
        db.retry_removals_in_chat(update.chat.id.0, now()).await?;
    }
    Ok(())
}

/// What the bot may do in a chat, as Telegram says; a chat it is not in is `Other`.
pub async fn bot_membership(bot: &TgBot, bot_user_id: UserId, chat_id: ChatId) -> BotMembership {
    match bot.counted("getChatMember", bot.api().get_chat_member(chat_id, bot_user_id)).await {
        Ok(member) => membership_of(&member.kind),
        Err(error) => {
            log::info!("the bot is not in a chat a creator picked: {error}");
            BotMembership::Other
        }
    }
}

pub async fn members_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let plan = args.trim();
    let plan = (!plan.is_empty()).then_some(plan);
    show_members_of(&h, &creator, message.chat.id, plan).await
}

pub async fn show_members(h: &Handling, creator: &Creator, chat: ChatId) -> HandlerResult {
    show_members_of(h, creator, chat, None).await
}

/// The members of every plan, or of the plan named `plan`.
async fn show_members_of(h: &Handling, creator: &Creator, chat: ChatId, plan: Option<&str>) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let team_plans = match plan {
        Some(name) => vec![plans::find_team_plan(&context.db, creator.team_id, name).await?],
        None => plans::list_plans(&context.db, creator.team_id).await?,
    };
    let overview = access::members_overview(&context.db, creator.team_id, team_plans, now()).await?;
    telegram::send(bot, chat, view::members(lang, &overview)).await?;
    Ok(())
}

pub async fn check_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    if args.trim().is_empty() {
        telegram::send(bot, message.chat.id, menu::say(lang, "usage-check")).await?;
        return Ok(());
    }
    let screen = match access::find_person(&context.db, creator.team_id, &args).await {
        Ok(user_id) => {
            let person = access::person_access(&context.db, creator.team_id, user_id).await?;
            let mut presence = Vec::new();
            for (_, _, chats) in &person.subscriptions {
                let mut of_plan = Vec::new();
                for (chat, member) in chats {
                    of_plan.push(match member {
                        Some(member) => Presence::Admitted(member.admitted_at),
                        None => present_anyway(bot, chat.chat_id, user_id).await,
                    });
                }
                presence.push(of_plan);
            }
            view::person(lang, &person, &presence, now())
        }
        Err(error) => errors::screen(lang, &error),
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

/// Whether someone the bot did not let in is in a chat anyway, as Telegram says.
async fn present_anyway(bot: &TgBot, chat_id: i64, user_id: i64) -> Presence {
    match bot.counted("getChatMember", bot.api().get_chat_member(ChatId(chat_id), UserId(user_id as u64))).await {
        Ok(member) if member.kind.is_present() => Presence::PresentAnyway,
        Ok(_) => Presence::Absent,
        Err(error) => {
            log::info!("cannot ask Telegram whether someone is in a chat: {error}");
            Presence::Absent
        }
    }
}

pub async fn remove_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    if args.trim().is_empty() {
        telegram::send(bot, message.chat.id, menu::say(lang, "usage-remove")).await?;
        return Ok(());
    }
    let screen = match access::find_person(&context.db, creator.team_id, &args).await {
        Ok(user_id) => view::remove_confirmation(lang, user_id),
        Err(error) => errors::screen(lang, &error),
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

/// The confirmation of `/remove`: only the tapper's own team's subscriptions end, whatever the button says.
pub async fn remove_tap(h: Handling, query: CallbackQuery, button: RemoveButton, tap: Tap) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let screen = match button {
        RemoveButton::Confirm(user_id) => {
            let ended = access::remove_subscriber(&context.db, tap.creator.team_id, user_id, now()).await?;
            context.access_wake.notify_one();
            view::removed(lang, user_id, ended)
        }
        RemoveButton::Cancel => menu::say(lang, "remove-cancelled"),
    };
    // The message says what happened; a toast saying it again would be said twice.
    tap.show(bot, screen).await;
    answer_tap(&h, &query, Some(String::new())).await
}
