//! The rules Telegram applies to a request beyond the spec's types: sizes of texts, captions, buttons and
//! command menus, entities and `parse_mode`, each refused with the description Telegram gives.
use serde_json::{Map, Value};

pub const MAX_TEXT: usize = 4096;
pub const MAX_CAPTION: usize = 1024;
pub const MAX_CALLBACK_DATA_BYTES: usize = 64;
pub const MAX_BUTTONS: usize = 100;
pub const MAX_BUTTONS_PER_ROW: usize = 8;
pub const MAX_CALLBACK_ANSWER: usize = 200;

/// The fields of `InlineKeyboardButton` of which exactly one says what the button does.
const BUTTON_ACTIONS: [&str; 10] = [
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

const ENTITY_TYPES: [&str; 19] = [
    "mention",
    "hashtag",
    "cashtag",
    "bot_command",
    "url",
    "email",
    "phone_number",
    "bold",
    "italic",
    "underline",
    "strikethrough",
    "spoiler",
    "blockquote",
    "expandable_blockquote",
    "code",
    "pre",
    "text_link",
    "text_mention",
    "custom_emoji",
];

/// Telegram counts lengths and entity offsets in UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// One of Telegram's rules: Err with its description when the request breaks it.
type Rule = fn(&str, &Map<String, Value>) -> Result<(), String>;

/// Why Telegram refuses this request (its description after "Bad Request: "), if it does.
pub fn refusal(method: &str, params: &Map<String, Value>) -> Option<String> {
    let key = method.to_lowercase();
    let checks: &[Rule] = &[check_text, check_caption, check_reply_markup, check_callback_answer, check_commands];
    checks.iter().find_map(|check| check(&key, params).err())
}

/// A parameter that holds JSON, whether sent as JSON or as multipart text.
pub fn json_param(params: &Map<String, Value>, key: &str) -> Option<Value> {
    match params.get(key)? {
        Value::String(text) => serde_json::from_str(text).ok(),
        Value::Null => None,
        other => Some(other.clone()),
    }
}

fn check_text(method: &str, params: &Map<String, Value>) -> Result<(), String> {
    if !matches!(method, "sendmessage" | "editmessagetext") {
        return Ok(());
    }
    let raw = params.get("text").and_then(Value::as_str).unwrap_or_default();
    let text = parsed_text(raw, params)?;
    if text.trim().is_empty() {
        return Err("message text is empty".to_owned());
    }
    if utf16_len(&text) > MAX_TEXT {
        return Err(if method == "sendmessage" { "message is too long" } else { "MESSAGE_TOO_LONG" }.to_owned());
    }
    check_entities(&text, json_param(params, "entities"))
}

fn check_caption(method: &str, params: &Map<String, Value>) -> Result<(), String> {
    if !matches!(method, "senddocument" | "sendphoto" | "copymessage" | "editmessagecaption") {
        return Ok(());
    }
    let Some(raw) = params.get("caption").and_then(Value::as_str) else { return Ok(()) };
    let caption = parsed_text(raw, params)?;
    if utf16_len(&caption) > MAX_CAPTION {
        return Err("message caption is too long".to_owned());
    }
    check_entities(&caption, json_param(params, "caption_entities"))
}

/// The text as Telegram shows it once `parse_mode` markup is taken out.
fn parsed_text(raw: &str, params: &Map<String, Value>) -> Result<String, String> {
    match params.get("parse_mode").and_then(Value::as_str) {
        None => Ok(raw.to_owned()),
        Some("HTML") => parse_html(raw),
        Some("MarkdownV2") => parse_markdown_v2(raw),
        Some("Markdown") => parse_markdown(raw),
        Some(other) => Err(format!("unsupported parse_mode \"{other}\"")),
    }
}

fn check_entities(text: &str, entities: Option<Value>) -> Result<(), String> {
    let Some(entities) = entities else { return Ok(()) };
    let Some(entities) = entities.as_array() else { return Err("can't parse entities JSON object".to_owned()) };
    let length = utf16_len(text) as i64;
    for entity in entities {
        let kind = entity["type"].as_str().unwrap_or_default();
        if !ENTITY_TYPES.contains(&kind) {
            return Err(format!("unsupported entity type \"{kind}\""));
        }
        let (offset, size) = (entity["offset"].as_i64().unwrap_or(-1), entity["length"].as_i64().unwrap_or(0));
        if offset < 0 || size <= 0 {
            return Err(format!("entity beginning at UTF-16 offset {offset} has a wrong length {size}"));
        }
        if offset + size > length {
            return Err(format!(
                "entity beginning at UTF-16 offset {offset} ends after the end of the text at UTF-16 offset {length}"
            ));
        }
        let needs = match kind {
            "text_link" => Some("url"),
            "text_mention" => Some("user"),
            "custom_emoji" => Some("custom_emoji_id"),
            _ => None,
        };
        if let Some(field) = needs
            && entity[field].is_null()
        {
            return Err(format!("can't parse entities: {kind} entity without {field}"));
        }
    }
    Ok(())
}

/// Telegram's HTML subset: these tags, balanced, and `&…;` only for the entities it names.
fn parse_html(raw: &str) -> Result<String, String> {
    const TAGS: [&str; 16] = [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    ];
    let mut open: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut rest = raw;
    while let Some(at) = rest.find(['<', '&']) {
        text.push_str(&rest[..at]);
        let offset = raw.len() - rest.len() + at;
        rest = &rest[at..];
        if rest.starts_with('&') {
            let end = rest.find(';').filter(|end| *end <= 8);
            let entity = end.map(|end| &rest[..=end]);
            let decoded = match entity {
                Some("&lt;") => '<',
                Some("&gt;") => '>',
                Some("&amp;") => '&',
                Some("&quot;") => '"',
                _ => return Err(format!("can't parse entities: Unsupported HTML entity at byte offset {offset}")),
            };
            text.push(decoded);
            rest = &rest[entity.unwrap().len()..];
            continue;
        }
        let Some(end) = rest.find('>') else {
            return Err(format!("can't parse entities: Unclosed start tag at byte offset {offset}"));
        };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            match open.pop() {
                Some(expected) if expected == name => {}
                _ => {
                    return Err(format!(
                        "can't parse entities: Unmatched end tag at byte offset {offset}, expected \"</{}>\", found \"</{name}>\"",
                        open.last().cloned().unwrap_or_default()
                    ));
                }
            }
        } else {
            let name = tag.split_whitespace().next().unwrap_or_default().to_lowercase();
            if !TAGS.contains(&name.as_str()) {
                return Err(format!("can't parse entities: Unsupported start tag \"{name}\" at byte offset {offset}"));
            }
            open.push(name);
        }
    }
    text.push_str(rest);
    match open.last() {
        Some(tag) => Err(format!("can't parse entities: Can't find end tag corresponding to start tag \"{tag}\"")),
        None => Ok(text),
    }
}

/// MarkdownV2: every reserved character outside markup is escaped with `\`, and markup is balanced.
fn parse_markdown_v2(raw: &str) -> Result<String, String> {
    const RESERVED: &str = "_*[]()~`>#+-=|{}.!";
    let mut text = String::new();
    let mut chars = raw.char_indices().peekable();
    let mut open: Vec<char> = Vec::new();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => text.push(escaped),
                None => {
                    return Err(format!("can't parse entities: Can't find end of the entity at byte offset {offset}"));
                }
            },
            '*' | '_' | '~' | '`' | '|' => {
                let marker = if c == '|' {
                    if chars.peek().map(|(_, next)| *next) != Some('|') {
                        return Err(
                            "can't parse entities: Character '|' is reserved and must be escaped with the preceding '\\'"
                                .to_owned(),
                        );
                    }
                    chars.next();
                    '|'
                } else {
                    c
                };
                if open.last() == Some(&marker) {
                    open.pop();
                } else {
                    open.push(marker);
                }
            }
            c if RESERVED.contains(c) => {
                return Err(format!(
                    "can't parse entities: Character '{c}' is reserved and must be escaped with the preceding '\\'"
                ));
            }
            c => text.push(c),
        }
    }
    match open.last() {
        Some(marker) => Err(format!("can't parse entities: Can't find end of {marker} entity")),
        None => Ok(text),
    }
}

/// Legacy Markdown: `*`, `_` and `` ` `` pair up.
fn parse_markdown(raw: &str) -> Result<String, String> {
    for marker in ['*', '_', '`'] {
        if raw.matches(marker).count() % 2 == 1 {
            let offset = raw.rfind(marker).unwrap_or_default();
            return Err(format!("can't parse entities: Can't find end of the entity starting at byte offset {offset}"));
        }
    }
    Ok(raw.replace(['*', '_', '`'], ""))
}

fn check_reply_markup(_method: &str, params: &Map<String, Value>) -> Result<(), String> {
    let Some(markup) = json_param(params, "reply_markup") else { return Ok(()) };
    let Some(rows) = markup["inline_keyboard"].as_array() else { return Ok(()) };
    let mut count = 0;
    for row in rows {
        let buttons = row.as_array().map(Vec::as_slice).unwrap_or_default();
        if buttons.len() > MAX_BUTTONS_PER_ROW {
            return Err("reply markup is too long".to_owned());
        }
        count += buttons.len();
        for button in buttons {
            check_button(button)?;
        }
    }
    if count > MAX_BUTTONS {
        return Err("reply markup is too long".to_owned());
    }
    Ok(())
}

fn check_button(button: &Value) -> Result<(), String> {
    if button["text"].as_str().is_none_or(|text| text.trim().is_empty()) {
        return Err("BUTTON_TEXT_INVALID".to_owned());
    }
    let actions: Vec<&str> = BUTTON_ACTIONS.iter().copied().filter(|field| !button[*field].is_null()).collect();
    match actions.as_slice() {
        [] => {
            return Err(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard".to_owned()
            );
        }
        [_] => {}
        _ => {
            return Err(format!(
                "can't parse inline keyboard button: exactly one of the optional fields must be used, not {}",
                actions.join(" and ")
            ));
        }
    }
    if let Some(data) = button.get("callback_data") {
        let bytes = data.as_str().map_or(0, str::len);
        if !(1..=MAX_CALLBACK_DATA_BYTES).contains(&bytes) {
            return Err("BUTTON_DATA_INVALID".to_owned());
        }
    }
    if let Some(url) = button.get("url").and_then(Value::as_str) {
        let scheme_ok = ["https://", "http://", "tg://"].iter().any(|scheme| url.starts_with(scheme));
        if !scheme_ok || url.contains(char::is_whitespace) || url.len() < 10 {
            return Err("BUTTON_URL_INVALID".to_owned());
        }
    }
    if let Some(copy) = button.get("copy_text") {
        let length = copy["text"].as_str().map_or(0, utf16_len);
        if !(1..=256).contains(&length) {
            return Err("COPY_TEXT_INVALID".to_owned());
        }
    }
    Ok(())
}

fn check_callback_answer(method: &str, params: &Map<String, Value>) -> Result<(), String> {
    if method != "answercallbackquery" {
        return Ok(());
    }
    match params.get("text").and_then(Value::as_str) {
        Some(text) if utf16_len(text) > MAX_CALLBACK_ANSWER => Err("MESSAGE_TOO_LONG".to_owned()),
        _ => Ok(()),
    }
}

fn check_commands(method: &str, params: &Map<String, Value>) -> Result<(), String> {
    if method != "setmycommands" {
        return Ok(());
    }
    let commands = json_param(params, "commands").unwrap_or(Value::Null);
    let commands = commands.as_array().map(Vec::as_slice).unwrap_or_default();
    if commands.len() > 100 {
        return Err("BOT_COMMANDS_TOO_MUCH".to_owned());
    }
    for command in commands {
        let name = command["command"].as_str().unwrap_or_default();
        let valid_name = (1..=32).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_name {
            return Err("BOT_COMMAND_INVALID".to_owned());
        }
        let description = command["description"].as_str().unwrap_or_default();
        if !(1..=256).contains(&utf16_len(description)) {
            return Err("BOT_COMMAND_DESCRIPTION_INVALID".to_owned());
        }
    }
    if let Some(language) = params.get("language_code").and_then(Value::as_str)
        && !(language.len() == 2 && language.chars().all(|c| c.is_ascii_lowercase()))
    {
        return Err("LANG_CODE_INVALID".to_owned());
    }
    Ok(())
}
