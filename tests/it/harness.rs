//! The fake Bot API must reject what Telegram would, or the other tests prove little.
use serde_json::{Map, Value, json};

use crate::support::app::TEST_TOKEN;
use crate::support::fake_telegram::spec::{BotApiSpec, Encoding};
use crate::support::fake_telegram::{FakeTelegram, MessageLimits, rules};
use crate::support::{Engine, TestApp};

fn params(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

#[test]
fn the_spec_rejects_unknown_methods_missing_and_unknown_parameters_and_wrong_types() {
    let spec = BotApiSpec::load().expect("the Bot API spec");
    let check = |method: &str, value: Value| spec.check(method, &params(value), &[], Encoding::Json);
    assert_eq!(check("SendMessage", json!({"chat_id": 1, "text": "hi"})), Ok("sendMessage".to_owned()));
    assert!(check("sendTelepathy", json!({})).unwrap_err().contains("unknown method"));
    assert!(check("sendMessage", json!({"chat_id": 1})).unwrap_err().contains("missing required parameter text"));
    assert!(
        check("sendMessage", json!({"chat_id": 1, "text": "hi", "colour": "red"}))
            .unwrap_err()
            .contains("unknown parameter colour")
    );
    assert!(check("sendMessage", json!({"chat_id": true, "text": "hi"})).is_err());
    let keyboard = |button: Value| json!({"chat_id": 1, "text": "hi", "reply_markup": {"inline_keyboard": [[button]]}});
    assert!(check("sendMessage", keyboard(json!({"text": "Go", "callback_data": "x"}))).is_ok());
    assert!(check("sendMessage", keyboard(json!({"text": "Go", "callback_dat": "x"}))).is_err());
    assert!(check("sendMessage", keyboard(json!({"callback_data": "x"}))).is_err());
    let scope = |scope: Value| json!({"commands": [{"command": "start", "description": "Start"}], "scope": scope});
    assert!(check("setMyCommands", scope(json!({"type": "chat", "chat_id": 5}))).is_ok());
    assert!(check("setMyCommands", scope(json!({"type": "chat"}))).is_err());
    assert!(check("setMyCommands", scope(json!({"type": "everywhere"}))).is_err());
    let multipart =
        |value: Value, files: &[String]| spec.check("sendDocument", &params(value), files, Encoding::Multipart);
    assert!(multipart(json!({"chat_id": "1"}), &["document".to_owned()]).is_ok());
    assert!(multipart(json!({"chat_id": "1", "disable_notification": "maybe"}), &["document".to_owned()]).is_err());
    assert!(multipart(json!({"chat_id": "1"}), &[]).is_err());
}

/// Calls the fake as the bot would: the HTTP status and Telegram's answer.
async fn call(fake: &FakeTelegram, method: &str, params: Value) -> (u16, Value) {
    let url = format!("{}/bot{TEST_TOKEN}/{method}", fake.url);
    let answer = reqwest::Client::new().post(url).json(&params).send().await.expect("the fake answers");
    (answer.status().as_u16(), answer.json().await.expect("a JSON answer"))
}

/// Asserts that the fake refuses the call with 400 and `description`, and records it as a violation.
async fn assert_refused(fake: &FakeTelegram, method: &str, params: Value, description: &str) {
    let violations = fake.violations().len();
    let (status, answer) = call(fake, method, params.clone()).await;
    assert_eq!(status, 400, "{method} {params} was accepted: {answer}");
    assert_eq!(answer["ok"], false);
    let said = answer["description"].as_str().unwrap();
    assert!(said.starts_with("Bad Request: ") && said.contains(description), "{method} {params}: {said}");
    assert_eq!(fake.violations().len(), violations + 1, "a refusal is a violation");
}

fn keyboard(buttons: Value) -> Value {
    json!({"chat_id": 1, "text": "Pick", "reply_markup": {"inline_keyboard": buttons}})
}

#[tokio::test]
async fn the_fake_refuses_texts_captions_and_menus_that_telegram_refuses() {
    let fake = FakeTelegram::start().await;
    assert_eq!(call(&fake, "sendMessage", json!({"chat_id": 1, "text": "é".repeat(4096)})).await.0, 200);
    assert_refused(&fake, "sendMessage", json!({"chat_id": 1, "text": "é".repeat(4097)}), "message is too long").await;
    assert_refused(&fake, "sendMessage", json!({"chat_id": 1, "text": "  \n "}), "message text is empty").await;
    // An emoji is two UTF-16 code units, as Telegram counts.
    assert_refused(&fake, "sendMessage", json!({"chat_id": 1, "text": "🎟".repeat(2049)}), "message is too long").await;
    let captioned = |caption: String| json!({"chat_id": 2, "document": "file-id", "caption": caption});
    assert_eq!(call(&fake, "sendDocument", captioned("x".repeat(1024))).await.0, 200);
    assert_refused(&fake, "sendDocument", captioned("x".repeat(1025)), "message caption is too long").await;
    let answer = |text: String| json!({"callback_query_id": "q", "text": text});
    assert_refused(&fake, "answerCallbackQuery", answer("x".repeat(201)), "MESSAGE_TOO_LONG").await;
    let menu =
        |command: &str, description: &str| json!({"commands": [{"command": command, "description": description}]});
    assert_refused(&fake, "setMyCommands", menu("Start", "Go"), "BOT_COMMAND_INVALID").await;
    assert_refused(&fake, "setMyCommands", menu(&"a".repeat(33), "Go"), "BOT_COMMAND_INVALID").await;
    assert_refused(&fake, "setMyCommands", menu("start", &"d".repeat(257)), "BOT_COMMAND_DESCRIPTION_INVALID").await;
}

#[tokio::test]
async fn the_fake_refuses_buttons_that_telegram_refuses() {
    let fake = FakeTelegram::start().await;
    let data = |data: &str| keyboard(json!([[{"text": "Go", "callback_data": data}]]));
    assert_eq!(call(&fake, "sendMessage", data(&"d".repeat(64))).await.0, 200);
    assert_refused(&fake, "sendMessage", data(&"d".repeat(65)), "BUTTON_DATA_INVALID").await;
    assert_refused(&fake, "sendMessage", data(&"ж".repeat(33)), "BUTTON_DATA_INVALID").await;
    assert_refused(&fake, "sendMessage", data(""), "BUTTON_DATA_INVALID").await;
    let two = keyboard(json!([[{"text": "Go", "callback_data": "x", "url": "https://t.me/x"}]]));
    assert_refused(&fake, "sendMessage", two, "exactly one of the optional fields").await;
    assert_refused(&fake, "sendMessage", keyboard(json!([[{"text": "Go"}]])), "Text buttons are unallowed").await;
    let url = keyboard(json!([[{"text": "Go", "url": "t.me/nowhere"}]]));
    assert_refused(&fake, "sendMessage", url, "BUTTON_URL_INVALID").await;
    let row =
        |n: usize| json!((0..n).map(|i| json!({"text": "b", "callback_data": i.to_string()})).collect::<Vec<_>>());
    assert_eq!(call(&fake, "sendMessage", keyboard(json!([row(8)]))).await.0, 200);
    assert_refused(&fake, "sendMessage", keyboard(json!([row(9)])), "reply markup is too long").await;
    let rows = |n: usize| json!((0..n).map(|_| row(5)).collect::<Vec<_>>());
    assert_eq!(call(&fake, "sendMessage", keyboard(rows(20))).await.0, 200);
    assert_refused(&fake, "sendMessage", keyboard(rows(21)), "reply markup is too long").await;
}

#[tokio::test]
async fn the_fake_refuses_entities_and_markup_that_telegram_cannot_parse() {
    let fake = FakeTelegram::start().await;
    let entity = |offset: i64, length: i64, kind: &str| json!({"chat_id": 1, "text": "code 🎟", "entities": [{"type": kind, "offset": offset, "length": length}]});
    assert_eq!(call(&fake, "sendMessage", entity(5, 2, "code")).await.0, 200, "the emoji is two units long");
    assert_refused(&fake, "sendMessage", entity(5, 3, "code"), "ends after the end of the text").await;
    assert_refused(&fake, "sendMessage", entity(0, 0, "bold"), "wrong length").await;
    assert_refused(&fake, "sendMessage", entity(0, 4, "sparkle"), "unsupported entity type").await;
    assert_refused(&fake, "sendMessage", entity(0, 4, "text_link"), "text_link entity without url").await;
    let parsed = |mode: &str, text: &str| json!({"chat_id": 1, "text": text, "parse_mode": mode});
    assert_eq!(call(&fake, "sendMessage", parsed("HTML", "<b>Gold</b> &amp; <i>more</i>")).await.0, 200);
    assert_refused(&fake, "sendMessage", parsed("HTML", "<blink>x</blink>"), "Unsupported start tag \"blink\"").await;
    assert_refused(&fake, "sendMessage", parsed("HTML", "<b>x"), "Can't find end tag").await;
    assert_refused(&fake, "sendMessage", parsed("HTML", "a & b"), "Unsupported HTML entity").await;
    assert_refused(&fake, "sendMessage", parsed("HTML", "<b></b>"), "message text is empty").await;
    assert_eq!(call(&fake, "sendMessage", parsed("MarkdownV2", "*Gold* costs 0\\.15")).await.0, 200);
    assert_refused(&fake, "sendMessage", parsed("MarkdownV2", "Gold costs 0.15"), "Character '.' is reserved").await;
    assert_refused(&fake, "sendMessage", parsed("MarkdownV2", "*Gold"), "Can't find end").await;
    assert_refused(&fake, "sendMessage", parsed("Markdown", "_Gold"), "Can't find end").await;
    assert_refused(&fake, "sendMessage", parsed("html", "x"), "unsupported parse_mode").await;
}

#[tokio::test]
async fn the_fake_refuses_edits_of_unknown_or_unchanged_messages_and_answers_a_query_once() {
    let fake = FakeTelegram::start().await;
    let (_, sent) = call(&fake, "sendMessage", keyboard(json!([[{"text": "Go", "callback_data": "go"}]]))).await;
    let message_id = sent["result"]["message_id"].as_i64().unwrap();
    let edit = |chat: i64, id: i64, text: &str, markup: Value| json!({"chat_id": chat, "message_id": id, "text": text, "reply_markup": markup});
    let same_buttons = json!({"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]});
    assert_refused(
        &fake,
        "editMessageText",
        edit(1, message_id, "Pick", same_buttons.clone()),
        "message is not modified",
    )
    .await;
    assert_refused(
        &fake,
        "editMessageText",
        edit(1, message_id + 500, "New", same_buttons.clone()),
        "message to edit not found",
    )
    .await;
    assert_refused(
        &fake,
        "editMessageText",
        edit(2, message_id, "New", same_buttons.clone()),
        "message to edit not found",
    )
    .await;
    assert_eq!(call(&fake, "editMessageText", edit(1, message_id, "New", same_buttons.clone())).await.0, 200);
    // An edit without buttons takes them off, as Telegram does; taking them off again changes nothing.
    assert_eq!(
        call(&fake, "editMessageText", json!({"chat_id": 1, "message_id": message_id, "text": "New"})).await.0,
        200
    );
    let strip = json!({"chat_id": 1, "message_id": message_id});
    assert_refused(&fake, "editMessageReplyMarkup", strip, "message is not modified").await;
    let (_, document) = call(&fake, "sendDocument", json!({"chat_id": 1, "document": "file-id"})).await;
    let document_id = document["result"]["message_id"].as_i64().unwrap();
    assert_refused(&fake, "editMessageText", edit(1, document_id, "Text", Value::Null), "no text in the message").await;

    fake.push_update(json!({"callback_query": {"id": "tap-1", "from": {"id": 1, "is_bot": false, "first_name": "A"},
                                               "chat_instance": "i", "data": "go"}}));
    assert_eq!(call(&fake, "answerCallbackQuery", json!({"callback_query_id": "tap-1"})).await.0, 200);
    assert_refused(&fake, "answerCallbackQuery", json!({"callback_query_id": "tap-1"}), "query ID is invalid").await;
    assert_refused(&fake, "answerCallbackQuery", json!({"callback_query_id": "never"}), "query ID is invalid").await;
}

#[tokio::test]
async fn messages_over_telegrams_limits_are_refused_with_429_and_are_violations() {
    let fake = FakeTelegram::start().await;
    let send = |chat: i64| call(&fake, "sendMessage", json!({"chat_id": chat, "text": "hi"}));
    for _ in 0..MessageLimits::TESTS.per_chat {
        assert_eq!(send(1).await.0, 200);
    }
    let (status, answer) = send(1).await;
    assert_eq!((status, answer["parameters"]["retry_after"].as_i64()), (429, Some(1)), "{answer}");
    assert_eq!(fake.violations().len(), 1, "going over the limit is a violation");

    let fake = FakeTelegram::start().await;
    let send = |chat: i64| call(&fake, "sendMessage", json!({"chat_id": chat, "text": "hi"}));
    for chat in 0..MessageLimits::TESTS.overall as i64 {
        assert_eq!(send(100 + chat).await.0, 200);
    }
    assert_eq!(send(99).await.0, 429, "30 a second across all chats");

    let fake = FakeTelegram::start().await;
    fake.enforce_limits(MessageLimits { per_chat: 100, overall: 100, per_group_per_minute: 20 });
    fake.expect_over_limit();
    let send = |chat: i64| call(&fake, "sendMessage", json!({"chat_id": chat, "text": "hi"}));
    for _ in 0..20 {
        assert_eq!(send(-1_005).await.0, 200);
    }
    assert_eq!(send(-1_005).await.0, 429, "20 a minute in a group");
    assert_eq!(send(7).await.0, 200, "a private chat is not a group");
    assert_eq!(fake.over_limit().len(), 1);
    assert!(fake.violations().is_empty(), "the test expected it");
}

#[test]
fn without_the_spec_the_fake_cannot_start_and_says_where_it_looked() {
    let missing = std::path::Path::new("/nowhere/bot-api-9.1.json");
    let why = BotApiSpec::load_from(missing).err().expect("no spec, no fake");
    assert!(why.contains("/nowhere/bot-api-9.1.json") && why.contains("BOT_API_SPEC"), "{why}");
}

#[test]
fn the_rules_count_in_utf16_as_telegram_does() {
    assert_eq!(rules::utf16_len("🎟 Gold"), 7);
    assert_eq!(rules::utf16_len("Золото"), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "requests the Bot API spec rejects")]
async fn a_violation_fails_the_test_when_its_app_is_dropped() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    call(&app.telegram, "sendMessage", json!({"chat_id": 1, "text": ""})).await;
}
