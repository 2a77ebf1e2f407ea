//! The fake Bot API must reject what Telegram would, or the other tests prove little.
use serde_json::{Map, Value, json};

use crate::support::fake_telegram::spec::{BotApiSpec, Encoding};

fn params(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

#[test]
fn the_spec_rejects_unknown_methods_missing_and_unknown_parameters_and_wrong_types() {
    let Some(spec) = BotApiSpec::load() else {
        eprintln!("skipped: ../shared/telegram/bot-api-9.1.json is not there");
        return;
    };
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
