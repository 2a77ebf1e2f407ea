//! Access that holds: joins bound to the subscriber, removal when access ends, reminders before it, and
//! the creator's view of their members, all through the fake Bot API.
use accessbot::db::Db;
use accessbot::db::entities::subscription;
use accessbot::domain::clock::now;
use accessbot::domain::events;
use accessbot::domain::plans;
use accessbot::domain::redemption::{self, Subscriber};
use accessbot::metrics::BackgroundLoop;
use chrono::Duration;
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;
use serde_json::Value;

use crate::on_every_engine;
use crate::support::app::{WAIT, generated_codes, move_subscription_end, wait_until};
use crate::support::fake_telegram::{BOT_ID, Recorded};
use crate::support::{Engine, TestApp};

pub(crate) const ANN: i64 = 8001;
pub(crate) const SAM: i64 = 8002;
pub(crate) const EVE: i64 = 8003;
const OLD_HAND: i64 = 8004;
pub(crate) const CHANNEL: i64 = -100_801;
const GROUP: i64 = -100_802;

/// Ann's plan `plan` unlocking `chats`, where the bot may invite and remove.
pub(crate) async fn app_with_chats(engine: Engine, plan: &str, duration: &str, chats: &[i64]) -> TestApp {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    app.send_text(ANN, "Ann", &format!("/newplan {plan} {duration}")).await;
    link(&app, plan, chats).await;
    app
}

async fn link(app: &TestApp, plan: &str, chats: &[i64]) {
    let team_id = app.creator(ANN).await.team_id;
    let plan = plans::find_team_plan(&app.db, team_id, plan).await.unwrap();
    for chat in chats {
        app.telegram.set_admin(*chat, BOT_ID, true, true);
        plans::link_chat(&app.db, &plan, *chat, &format!("Chat {chat}"), None, now()).await.unwrap();
    }
}

/// The Join links of a reply, in order.
pub(crate) fn join_links(reply: &Recorded) -> Vec<String> {
    TestApp::buttons(reply).into_iter().filter(|(label, _)| label.contains("Join")).map(|(_, url)| url).collect()
}

/// Sends a code as `user` and returns the bot's answer to it (not a reminder that may cross it).
pub(crate) async fn redeem(app: &TestApp, user: i64, name: &str, code: &str) -> Recorded {
    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(user, name, code));
    app.telegram
        .wait_for(WAIT, |requests| {
            requests
                .iter()
                .skip(before)
                .find(|r| {
                    r.method == "sendMessage"
                        && r.int("chat_id") == Some(user)
                        && r.str("text").is_some_and(|t| t.starts_with('✅') || t.starts_with('❌'))
                })
                .cloned()
        })
        .await
}

/// How many messages the bot sent `chat` whose text contains `needle`.
pub(crate) fn messages_to(app: &TestApp, chat: i64, needle: &str) -> usize {
    let sent = app.telegram.calls("sendMessage");
    sent.iter().filter(|r| r.int("chat_id") == Some(chat) && r.str("text").is_some_and(|t| t.contains(needle))).count()
}

/// Sends `text` as Ann and returns the bot's first answer to her that contains `needle`.
pub(crate) async fn ask_ann(app: &TestApp, text: &str, needle: &str) -> String {
    let before = app.telegram.requests().len();
    app.send_text(ANN, "Ann", text).await;
    let answer = app
        .telegram
        .wait_for(WAIT, |requests| {
            requests
                .iter()
                .skip(before)
                .find(|r| r.int("chat_id") == Some(ANN) && r.str("text").is_some_and(|t| t.contains(needle)))
                .cloned()
        })
        .await;
    answer.str("text").unwrap().to_owned()
}

/// Asks to join `chat` as `user` through `link`; whether the bot approved.
pub(crate) async fn ask_to_join(app: &TestApp, user: i64, chat: i64, link: &str) -> bool {
    let before = app.telegram.requests().len();
    app.telegram.push_join_request(chat, user, "Someone", link);
    let decided = app
        .telegram
        .wait_for(WAIT, |requests| {
            requests
                .iter()
                .skip(before)
                .find(|r| r.method.ends_with("ChatJoinRequest") && r.int("user_id") == Some(user))
                .cloned()
        })
        .await;
    let approved = decided.method == "approveChatJoinRequest";
    if approved {
        // The fake records a request before it acts on it: the approval must take effect.
        wait_until("the approved person is a member", async || app.telegram.member_status(chat, user) == "member")
            .await;
    }
    approved
}

pub(crate) async fn events_of(db: &Db, event_type: &str) -> Vec<Value> {
    let found = db.events_of_type(event_type).await.unwrap();
    found.iter().map(|event| serde_json::from_str(&event.data).unwrap()).collect()
}

/// Waits until `done` holds, checking the database and the fake as the sweep runs.
pub(crate) async fn eventually<F, Fut>(app: &TestApp, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    while !done().await {
        if tokio::time::Instant::now() >= deadline {
            let logged: Vec<String> =
                app.logs().into_iter().filter(|line| line.starts_with("WARN") || line.starts_with("ERROR")).collect();
            panic!("the sweep did not get there in time; warnings:\n{}", logged.join("\n"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn a_forwarded_link_lets_nobody_else_in(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let code = generated_codes(&app, ANN, "VIP", 1).await.remove(0);
    let reply = redeem(&app, SAM, "Sam", &code).await;
    let links = join_links(&reply);
    assert_eq!(links.len(), 1, "{reply:?}");
    let made = app.telegram.calls("createChatInviteLink").pop().unwrap();
    assert_eq!(made.params.get("creates_join_request"), Some(&Value::Bool(true)));
    assert!(!made.params.contains_key("member_limit"), "never a member_limit link");

    let again = app.send_text(SAM, "Sam", "/my").await;
    assert_eq!(join_links(&again), links, "asking again gives the same link");
    assert_eq!(app.telegram.calls("createChatInviteLink").len(), 1);

    assert!(!ask_to_join(&app, EVE, CHANNEL, &links[0]).await, "a forwarded link is declined");
    let told = app.next_message_to(EVE, 0).await;
    assert!(told.str("text").unwrap().contains("open to subscribers only"), "{told:?}");
    assert_eq!(app.telegram.member_status(CHANNEL, EVE), "left");
    assert_eq!(events_of(&app.db, events::JOIN_REQUEST_DECLINED).await[0]["user_id"], EVE);

    assert!(ask_to_join(&app, SAM, CHANNEL, &links[0]).await, "the subscriber is let in");
    assert_eq!(app.telegram.member_status(CHANNEL, SAM), "member");
    let joined = events_of(&app.db, events::MEMBER_JOINED).await;
    assert_eq!((joined.len(), &joined[0]["subscriber_id"]), (1, &Value::from(SAM)));
    let started = events_of(&app.db, events::SUBSCRIPTION_STARTED).await;
    assert_eq!(started.len(), 1);
    assert!(join_links(&app.send_text(SAM, "Sam", "/my").await).is_empty(), "no Join button for a chat they are in");
    app.assert_no_violations();
}

async fn a_plan_with_two_chats_gives_two_join_buttons_and_both_admit(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL, GROUP]).await;
    let code = generated_codes(&app, ANN, "VIP", 1).await.remove(0);
    let reply = redeem(&app, SAM, "Sam", &code).await;
    let links = join_links(&reply);
    assert_eq!(links.len(), 2, "{reply:?}");
    assert!(ask_to_join(&app, SAM, CHANNEL, &links[0]).await);
    assert!(ask_to_join(&app, SAM, GROUP, &links[1]).await);
    assert_eq!(app.telegram.member_status(GROUP, SAM), "member");
    app.assert_no_violations();
}

async fn the_end_of_access_removes_whom_the_bot_let_in_and_no_one_else(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL, GROUP]).await;
    app.send_text(ANN, "Ann", "/newplan Forever lifetime").await;
    app.send_text(ANN, "Ann", "/newplan Chat 30d").await;
    link(&app, "Forever", &[CHANNEL]).await;
    link(&app, "Chat", &[GROUP]).await;
    let vip = generated_codes(&app, ANN, "VIP", 3).await;
    let forever = generated_codes(&app, ANN, "Forever", 1).await.remove(0);
    let chat = generated_codes(&app, ANN, "Chat", 1).await.remove(0);
    app.telegram.set_member(CHANNEL, OLD_HAND, "member", false);

    // Sam holds VIP only; Eve holds VIP and the lifetime plan for the same channel; the third VIP code and
    // the Chat code go to the old hand, who was in the channel before the bot.
    let sam = join_links(&redeem(&app, SAM, "Sam", &vip[0]).await);
    assert!(ask_to_join(&app, SAM, CHANNEL, &sam[0]).await && ask_to_join(&app, SAM, GROUP, &sam[1]).await);
    let eve = join_links(&redeem(&app, EVE, "Eve", &vip[1]).await);
    assert!(ask_to_join(&app, EVE, CHANNEL, &eve[0]).await);
    redeem(&app, EVE, "Eve", &forever).await;
    redeem(&app, OLD_HAND, "Old", &chat).await;

    let ended = now() - Duration::seconds(1);
    move_subscription_end(&app, SAM, ended).await;
    move_subscription_end(&app, EVE, ended).await;
    eventually(&app, || async {
        app.telegram.member_status(CHANNEL, SAM) == "left" && app.telegram.member_status(GROUP, SAM) == "left"
    })
    .await;
    let notices = |app: &TestApp| messages_to(app, SAM, "has ended");
    eventually(&app, || async { notices(&app) == 1 }).await;
    eventually(&app, || async { events_of(&app.db, events::MEMBER_REMOVED).await.len() == 2 }).await;
    assert_eq!(notices(&app), 1, "told once");
    let removed = events_of(&app.db, events::MEMBER_REMOVED).await;
    assert!(removed.iter().all(|event| event["subscriber_id"] == SAM && event["reason"] == "ended"));
    assert_eq!(app.telegram.member_status(CHANNEL, EVE), "member", "the lifetime plan still unlocks the channel");
    assert_eq!(app.telegram.member_status(CHANNEL, OLD_HAND), "member", "a member the bot did not let in stays");
    let unbanned: Vec<i64> = app.telegram.calls("unbanChatMember").iter().filter_map(|r| r.int("user_id")).collect();
    assert!(unbanned.iter().all(|user| *user == SAM), "{unbanned:?}");
    eventually(&app, || async { events_of(&app.db, events::SUBSCRIPTION_ENDED).await.len() == 2 }).await;

    // Sam comes back with a new code and is let in again.
    let back = join_links(&redeem(&app, SAM, "Sam", &vip[2]).await);
    assert!(ask_to_join(&app, SAM, CHANNEL, &back[0]).await);
    app.assert_no_violations();
}

async fn an_extension_before_the_end_moves_it_and_removes_nobody(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let vip = generated_codes(&app, ANN, "VIP", 2).await;
    let links = join_links(&redeem(&app, SAM, "Sam", &vip[0]).await);
    assert!(ask_to_join(&app, SAM, CHANNEL, &links[0]).await);
    let first_end = now() + Duration::seconds(1);
    move_subscription_end(&app, SAM, first_end).await;
    let extended = redeem(&app, SAM, "Sam", &vip[1]).await;
    assert_eq!(events_of(&app.db, events::SUBSCRIPTION_EXTENDED).await.len(), 1, "{extended:?}");
    wait_until("the first end has passed", async || now() > first_end).await;
    app.wait_for_full_pass(BackgroundLoop::AccessSweep).await;
    assert_eq!(app.telegram.member_status(CHANNEL, SAM), "member");
    assert!(app.telegram.calls("unbanChatMember").is_empty());
    // The same sweep removes the member once the extended end has passed.
    move_subscription_end(&app, SAM, now() - Duration::seconds(1)).await;
    eventually(&app, || async { app.telegram.member_status(CHANNEL, SAM) == "left" }).await;
}

async fn without_the_ban_right_the_removal_waits_and_the_creator_is_told_once(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let code = generated_codes(&app, ANN, "VIP", 1).await.remove(0);
    let links = join_links(&redeem(&app, SAM, "Sam", &code).await);
    assert!(ask_to_join(&app, SAM, CHANNEL, &links[0]).await);
    app.telegram.set_admin(CHANNEL, BOT_ID, true, false);
    move_subscription_end(&app, SAM, now() - Duration::seconds(1)).await;

    let told = |app: &TestApp| messages_to(app, ANN, "Ban users");
    eventually(&app, || async { told(&app) == 1 }).await;
    eventually(&app, || async { app.telegram.attempts("unbanChatMember").len() >= 3 }).await;
    assert_eq!(told(&app), 1, "told once however often the removal is tried");
    assert_eq!(app.telegram.member_status(CHANNEL, SAM), "member");

    app.telegram.push_bot_rights(CHANNEL, true, true);
    eventually(&app, || async { app.telegram.member_status(CHANNEL, SAM) == "left" }).await;
    eventually(&app, || async { events_of(&app.db, events::MEMBER_REMOVED).await.len() == 1 }).await;
    app.assert_no_violations();
}

async fn reminders_go_out_once_per_offset_across_a_restart_and_follow_an_extension(engine: Engine) {
    let mut app = app_with_chats(engine, "VIP", "30d", &[]).await;
    let vip = generated_codes(&app, ANN, "VIP", 2).await;
    redeem(&app, SAM, "Sam", &vip[0]).await;
    let reminders = |app: &TestApp| messages_to(app, SAM, "ends on");
    move_subscription_end(&app, SAM, now() + Duration::days(2)).await;
    eventually(&app, || async { reminders(&app) == 1 }).await;
    app.stop().await;
    app.start_instance().await;
    move_subscription_end(&app, SAM, now() + Duration::hours(12)).await;
    eventually(&app, || async { reminders(&app) == 2 }).await;
    app.wait_for_full_pass(BackgroundLoop::AccessSweep).await;
    assert_eq!(reminders(&app), 2, "each offset once");

    redeem(&app, SAM, "Sam", &vip[1]).await;
    app.wait_for_full_pass(BackgroundLoop::AccessSweep).await;
    assert_eq!(reminders(&app), 2, "the extension moved the end a month away");
    app.assert_no_violations();
}

async fn a_reminder_found_late_goes_out_once_not_once_per_offset(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[]).await;
    let code = generated_codes(&app, ANN, "VIP", 1).await.remove(0);
    redeem(&app, SAM, "Sam", &code).await;
    move_subscription_end(&app, SAM, now() + Duration::hours(6)).await;
    let reminded = |app: &TestApp| messages_to(app, SAM, "ends on");
    eventually(&app, || async { reminded(&app) == 1 }).await;
    app.wait_for_full_pass(BackgroundLoop::AccessSweep).await;
    assert_eq!(reminded(&app), 1, "the 1-day reminder is not sent after the 3-day one found late");
    app.assert_no_violations();
}

async fn a_crash_in_a_removal_sweep_removes_each_member_exactly_once(engine: Engine) {
    let mut app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let codes = generated_codes(&app, ANN, "VIP", 50).await;
    let subscribers: Vec<i64> = (0..50).map(|n| 9_000 + n).collect();
    for (user, code) in subscribers.iter().zip(&codes) {
        let links = join_links(&redeem(&app, *user, "Sub", code).await);
        assert!(ask_to_join(&app, *user, CHANNEL, &links[0]).await);
    }
    app.telegram.set_delay("unbanChatMember", std::time::Duration::from_millis(40));
    for user in &subscribers {
        move_subscription_end(&app, *user, now() - Duration::seconds(1)).await;
    }
    eventually(&app, || async { app.telegram.calls("unbanChatMember").len() >= 10 }).await;
    let members = ask_ann(&app, "/members", "Your members").await;
    assert!(app.telegram.calls("unbanChatMember").len() < 50, "a reply does not wait for the sweep: {members}");
    app.kill();
    let before_restart = app.telegram.calls("unbanChatMember").len();
    assert!(before_restart < 50, "the crash came mid-sweep");
    app.start_instance().await;
    eventually(&app, || async { subscribers.iter().all(|user| app.telegram.member_status(CHANNEL, *user) == "left") })
        .await;
    eventually(&app, || async { events_of(&app.db, events::MEMBER_REMOVED).await.len() == 50 }).await;
    let removed = events_of(&app.db, events::MEMBER_REMOVED).await;
    let mut who: Vec<i64> = removed.iter().map(|event| event["subscriber_id"].as_i64().unwrap()).collect();
    who.sort();
    who.dedup();
    assert_eq!(who.len(), 50, "each member removed once");
    let calls = app.telegram.calls("unbanChatMember").len();
    let in_flight = accessbot::worker::access_sweeper::REMOVALS_IN_FLIGHT;
    assert!(calls <= 50 + in_flight, "at most the removals in flight were repeated: {calls}");
    app.assert_no_violations();
}

/// More subscriptions end together than one pass takes: with the next interval an hour away, every one is
/// acted on and its subscriber told once, because a pass that leaves work starts the next at once.
async fn an_end_of_month_larger_than_a_pass_is_acted_on_without_waiting_for_the_next(engine: Engine) {
    const ENDING: i64 = accessbot::domain::access::SWEEP_BATCH as i64 + 50;
    let mut app = TestApp::spawn_with(engine, |settings| {
        settings.access_sweep.interval = std::time::Duration::from_secs(3600);
        // 250 notices back to back are the longest full-rate send of the tests: paced well below the fake's
        // 30 a second, so a loaded machine that delays some requests cannot bunch them over it.
        settings.throttle.messages_per_sec_overall = 15;
    })
    .await;
    app.make_creator(ANN, "Ann").await;
    app.send_text(ANN, "Ann", "/newplan VIP 30d").await;
    let codes = generated_codes(&app, ANN, "VIP", ENDING).await;
    for (n, code) in codes.iter().enumerate() {
        let subscriber = Subscriber {
            telegram_user_id: 20_000 + n as i64,
            display_name: "Sub".to_owned(),
            username: None,
            language_code: None,
        };
        redemption::redeem(&app.db, &app.secret, &Default::default(), &subscriber, code, now()).await.unwrap();
    }
    app.stop().await;
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    subscription::Entity::update_many()
        .col_expr(subscription::Column::EndsAt, Expr::value(now() - Duration::seconds(1)))
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.ok();
    app.start_instance().await;
    eventually(&app, || async { events_of(&app.db, events::SUBSCRIPTION_ENDED).await.len() == ENDING as usize }).await;
    let told = |app: &TestApp| (0..ENDING).filter(|n| messages_to(app, 20_000 + n, "has ended") == 1).count();
    eventually(&app, || async { told(&app) == ENDING as usize }).await;
    app.assert_no_violations();
}

async fn creators_see_members_check_a_person_and_remove_them(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let code = generated_codes(&app, ANN, "VIP", 1).await.remove(0);
    let links = join_links(&redeem(&app, SAM, "Sam", &code).await);
    assert!(ask_to_join(&app, SAM, CHANNEL, &links[0]).await);

    let members = ask_ann(&app, "/members", "Your members").await;
    assert!(
        members.contains("VIP: 1 active, 1 in the chats, 0 ending within 7 days, 0 removed this cycle"),
        "{members}"
    );
    let check = ask_ann(&app, &format!("/check {SAM}"), "User").await;
    assert!(check.contains("VIP — until") && check.contains("in it, let in by the bot"), "{check}");
    ask_ann(&app, "/check @nobody", "No subscriber").await;

    let before = app.telegram.requests().len();
    ask_ann(&app, &format!("/remove {SAM}"), "End every subscription").await;
    let confirm = app
        .telegram
        .wait_for(WAIT, |r| {
            r.iter().skip(before).find(|r| r.str("text").is_some_and(|t| t.contains("End every"))).cloned()
        })
        .await;
    let go = TestApp::button_labeled(&confirm, "End access now");
    assert!(app.tap(SAM, &confirm, &go).await.str("text").unwrap().contains("expired"), "only a creator may tap");
    let done = app.tap_edit(ANN, &confirm, &go).await;
    assert!(
        done.str("text").unwrap().contains("1 subscription ended"),
        "the confirmation says what happened: {done:?}"
    );
    eventually(&app, || async { app.telegram.member_status(CHANNEL, SAM) == "left" }).await;
    eventually(&app, || async { events_of(&app.db, events::MEMBER_REMOVED).await.len() == 1 }).await;
    assert_eq!(events_of(&app.db, events::MEMBER_REMOVED).await[0]["reason"], "removed_by_creator");

    app.send_text_in(ANN, "Ann", "ru", "/language").await;
    app.db.choose_language(ANN, "ru", now()).await.unwrap();
    let russian = ask_ann(&app, "/members", "Ваши участники").await;
    assert!(russian.contains("удалено в этом цикле — 1"), "{russian}");
    let check = ask_ann(&app, &format!("/check {SAM}"), "Пользователь").await;
    assert!(check.contains("VIP — закончился"), "the ended subscription shows as ended: {check}");
    ask_ann(&app, &format!("/remove {SAM}"), "Закрыть сейчас все подписки").await;
    app.assert_no_violations();
}

async fn someone_who_sends_their_own_code_again_hears_success_again(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let code = generated_codes(&app, ANN, "VIP", 1).await.remove(0);
    let first = redeem(&app, SAM, "Sam", &code).await;
    let again = redeem(&app, SAM, "Sam", &code).await;
    assert!(again.str("text").unwrap().contains("VIP"), "{again:?}");
    assert!(!again.str("text").unwrap().contains("already been used"));
    assert_eq!(join_links(&again), join_links(&first));
    let eve = redeem(&app, EVE, "Eve", &code).await;
    assert!(eve.str("text").unwrap().contains("already been used"), "{eve:?}");
    assert_eq!(events_of(&app.db, events::ACCESS_CODE_REDEEMED).await.len(), 1);
    app.assert_no_violations();
}

async fn a_member_who_left_is_not_removed_and_a_429_is_waited_out(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let vip = generated_codes(&app, ANN, "VIP", 2).await;
    for (user, code) in [(SAM, &vip[0]), (EVE, &vip[1])] {
        let links = join_links(&redeem(&app, user, "Someone", code).await);
        assert!(ask_to_join(&app, user, CHANNEL, &links[0]).await);
    }
    let member = |status: &str| serde_json::json!({"user": crate::support::fake_telegram::user_json(SAM, "Sam", "en"), "status": status});
    app.telegram.push_update(serde_json::json!({"chat_member": {
        "chat": {"id": CHANNEL, "type": "channel", "title": "VIP channel"},
        "from": crate::support::fake_telegram::user_json(SAM, "Sam", "en"), "date": now().timestamp(),
        "old_chat_member": member("member"), "new_chat_member": member("left"),
    }}));
    app.telegram.set_member(CHANNEL, SAM, "left", false);
    eventually(&app, || async {
        app.db.memberships_of_user(SAM).await.unwrap().iter().all(|m| m.status.as_str() == "left")
    })
    .await;
    app.telegram.script("unbanChatMember", crate::support::fake_telegram::Scripted::RetryAfter(1));
    move_subscription_end(&app, SAM, now() - Duration::seconds(1)).await;
    move_subscription_end(&app, EVE, now() - Duration::seconds(1)).await;
    eventually(&app, || async { app.telegram.member_status(CHANNEL, EVE) == "left" }).await;
    let attempts = app.telegram.attempts("unbanChatMember");
    assert_eq!(attempts.len(), 2, "one 429, then the same removal again");
    assert!(attempts[1] - attempts[0] >= std::time::Duration::from_millis(900), "the 429 was waited out");
    let removed: Vec<i64> = app.telegram.calls("unbanChatMember").iter().filter_map(|r| r.int("user_id")).collect();
    assert_eq!(removed, [EVE], "the member who left is not removed again");
    app.assert_no_violations();
}

async fn a_subscriber_who_blocked_the_bot_is_removed_all_the_same(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let code = generated_codes(&app, ANN, "VIP", 1).await.remove(0);
    let links = join_links(&redeem(&app, SAM, "Sam", &code).await);
    assert!(ask_to_join(&app, SAM, CHANNEL, &links[0]).await);
    // Ann hears of the redemption first, so the refusal scripted next meets the notice to Sam.
    app.telegram
        .wait_for(WAIT, |r| r.iter().find(|r| r.str("text").is_some_and(|t| t.contains("was redeemed"))).cloned())
        .await;
    app.telegram.script("sendMessage", crate::support::fake_telegram::Scripted::Blocked);
    let before = app.telegram.attempts("sendMessage").len();
    move_subscription_end(&app, SAM, now() - Duration::seconds(1)).await;
    eventually(&app, || async { app.telegram.member_status(CHANNEL, SAM) == "left" }).await;
    eventually(&app, || async { app.telegram.attempts("sendMessage").len() > before }).await;
    eventually(&app, || async { events_of(&app.db, events::MEMBER_REMOVED).await.len() == 1 }).await;
    let told = app.telegram.calls("sendMessage").into_iter().filter(|r| r.int("chat_id") == Some(SAM)).count();
    assert_eq!(told, 1, "the notice was refused: only the redemption answer reached Sam");
    app.assert_no_violations();
}

async fn every_access_event_reaches_the_creators_webhook_once(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let receiver = crate::support::receiver::Receiver::start().await;
    let team_id = app.creator(ANN).await.team_id;
    let url = format!("{}/hooks", receiver.url);
    let policy = accessbot::domain::webhooks::TargetPolicy { allow_http: true, allow_private_networks: true };
    let endpoint =
        accessbot::domain::webhooks::add_endpoint(&app.db, &app.secret, team_id, &url, "all", policy, now()).await;
    let endpoint = endpoint.unwrap();
    receiver.trust(&endpoint.secret);

    let codes = generated_codes(&app, ANN, "VIP", 2).await;
    let links = join_links(&redeem(&app, SAM, "Sam", &codes[0]).await);
    assert!(!ask_to_join(&app, EVE, CHANNEL, &links[0]).await, "a forwarded link is declined");
    assert!(ask_to_join(&app, SAM, CHANNEL, &links[0]).await);
    move_subscription_end(&app, SAM, now() - Duration::seconds(1)).await;
    eventually(&app, || async { app.telegram.member_status(CHANNEL, SAM) == "left" }).await;
    use accessbot::db::entities::access_code;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    access_code::Entity::update_many()
        .col_expr(access_code::Column::ExpiresAt, Expr::value(now() - Duration::seconds(1)))
        .filter(access_code::Column::RedeemedAt.is_null())
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.unwrap();

    let expected = [
        "access_code.generated",
        "access_code.redeemed",
        "subscription.started",
        "join_request.declined",
        "member.joined",
        "subscription.ended",
        "member.removed",
        "access_code.expired",
    ];
    receiver
        .wait_for(WAIT, |r| {
            let types: Vec<&str> = r.iter().map(|r| r.event_type()).collect();
            expected.iter().all(|t| types.contains(t)).then_some(())
        })
        .await;
    // Whatever else was due has gone out once the sender has nothing pending and has made a full pass.
    wait_until("no delivery is pending", async || {
        let pending = accessbot::domain::webhooks::WebhookDeliveryStatus::Pending;
        app.db.deliveries_of_endpoints(vec![endpoint.endpoint.id], Some(pending), 100).await.unwrap().is_empty()
    })
    .await;
    app.wait_for_full_pass(BackgroundLoop::WebhookSend).await;
    let received = receiver.received();
    for event_type in expected {
        let of_type: Vec<_> = received.iter().filter(|r| r.event_type() == event_type).collect();
        assert_eq!(of_type.len(), 1, "{event_type} once");
        assert_eq!(of_type[0].verified_by.len(), 1, "{event_type} signed");
        assert!(of_type[0].body["data"].is_object() && of_type[0].body["created_at"].is_string());
    }
    let removed = received.iter().find(|r| r.event_type() == "member.removed").unwrap();
    assert_eq!(
        (removed.body["data"]["subscriber_id"].as_i64(), removed.body["data"]["chat_id"].as_i64()),
        (Some(SAM), Some(CHANNEL))
    );
    let declined = received.iter().find(|r| r.event_type() == "join_request.declined").unwrap();
    assert_eq!(declined.body["data"]["user_id"].as_i64(), Some(EVE));
    assert_eq!(received.len(), expected.len(), "nothing else, nothing twice");
}

on_every_engine!(
    a_subscriber_who_blocked_the_bot_is_removed_all_the_same,
    a_member_who_left_is_not_removed_and_a_429_is_waited_out,
    a_forwarded_link_lets_nobody_else_in,
    a_plan_with_two_chats_gives_two_join_buttons_and_both_admit,
    the_end_of_access_removes_whom_the_bot_let_in_and_no_one_else,
    an_extension_before_the_end_moves_it_and_removes_nobody,
    without_the_ban_right_the_removal_waits_and_the_creator_is_told_once,
    reminders_go_out_once_per_offset_across_a_restart_and_follow_an_extension,
    a_reminder_found_late_goes_out_once_not_once_per_offset,
    a_crash_in_a_removal_sweep_removes_each_member_exactly_once,
    an_end_of_month_larger_than_a_pass_is_acted_on_without_waiting_for_the_next,
    creators_see_members_check_a_person_and_remove_them,
    someone_who_sends_their_own_code_again_hears_success_again,
    every_access_event_reaches_the_creators_webhook_once,
);
