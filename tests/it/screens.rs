//! Every screen, walked as a new creator and their subscribers would, in English and in Russian. The walk
//! fails on what a person should never read: an internal id outside a Details view, `<…>` syntax outside
//! the command reference, an English word in a Russian message, a button too long for a phone, or "not
//! understood" after the bot asked for something. It writes the whole walk to
//! `target/transcripts/walk-<language>.md`, so a reviewer reads the bot in one place.
use std::fmt::Write as _;

use accessbot::domain::clock::now;
use accessbot::domain::creators;
use accessbot::i18n::Lang;
use serde_json::{Value, json};

use crate::support::app::{WAIT, move_subscription_end, wait_until};
use crate::support::fake_telegram::{BOT_ID, Recorded, Scripted, user_json};
use crate::support::receiver::Receiver;
use crate::support::{Engine, TestApp};

const CREATOR: i64 = 8_101;
const SUBSCRIBER: i64 = 8_102;
const LATECOMER: i64 = 8_103;
const CHANNEL: i64 = -100_8101;
/// Buttons longer than this are cut off on a phone.
const MAX_BUTTON_CHARS: usize = 32;

/// What each language's walk calls things, so the Russian walk reads as a Russian creator's would.
struct Voice {
    lang: &'static str,
    creator: &'static str,
    subscriber: &'static str,
    latecomer: &'static str,
    plan: &'static str,
    renamed: &'static str,
    channel: &'static str,
    token_name: &'static str,
    greeting: &'static str,
}

const ENGLISH: Voice = Voice {
    lang: "en",
    creator: "Ann",
    subscriber: "Sam",
    latecomer: "Lee",
    plan: "Gold",
    renamed: "Gold Club",
    channel: "Gold room",
    token_name: "Shop bot",
    greeting: "hello, I paid, where is my access?",
};
const RUSSIAN: Voice = Voice {
    lang: "ru",
    creator: "Аня",
    subscriber: "Сева",
    latecomer: "Лёша",
    plan: "Золото",
    renamed: "Золотой клуб",
    channel: "Золотой зал",
    token_name: "Бот магазина",
    greeting: "здравствуйте, я оплатил, где доступ?",
};

/// One person's side of the walk, and the transcript of everything said.
struct Walk<'a> {
    app: &'a TestApp,
    voice: &'a Voice,
    transcript: String,
    /// Requests already written to the transcript.
    written: usize,
    /// Who took the last step.
    acting: Option<i64>,
}

impl<'a> Walk<'a> {
    fn new(app: &'a TestApp, voice: &'a Voice) -> Self {
        let mut transcript = String::new();
        writeln!(transcript, "# The walk in `{}`\n", voice.lang).unwrap();
        Self { app, voice, transcript, written: 0, acting: None }
    }

    fn name_of(&self, user: i64) -> &'static str {
        match user {
            CREATOR => self.voice.creator,
            SUBSCRIBER => self.voice.subscriber,
            _ => self.voice.latecomer,
        }
    }

    /// Everything the bot sent since the last step, as a person sees it, once every update is handled.
    async fn catch_up(&mut self) {
        let db = &self.app.db;
        wait_until("every update is handled", async || db.oldest_unhandled_update().await.unwrap().is_none()).await;
        self.app.telegram.wait_until_nothing_in_flight().await;
        let requests = self.app.telegram.requests();
        for request in &requests[self.written..] {
            if let Some(line) = shown(request) {
                // Who reads it, where the bot tells someone other than the one acting.
                if let Some(chat) = request.int("chat_id").filter(|chat| Some(*chat) != self.acting) {
                    writeln!(self.transcript, "_(to {})_", self.name_of(chat)).unwrap();
                }
                self.transcript.push_str(&line);
            }
        }
        self.written = requests.len();
        // Written as it goes, so a walk that fails leaves what it saw up to there.
        self.write();
    }

    async fn step(&mut self, user: i64, action: String) {
        self.catch_up().await;
        self.acting = Some(user);
        writeln!(self.transcript, "\n**{} {action}**\n", self.name_of(user)).unwrap();
    }

    /// Sends `text`; the bot's first answer.
    async fn say(&mut self, user: i64, text: &str) -> Recorded {
        self.step(user, format!("sends “{text}”")).await;
        let answer = self.app.send_text_in(user, self.name_of(user), self.voice.lang, text).await;
        self.catch_up().await;
        answer
    }

    /// Sends `text` as the answer to the question `prompt` showed.
    async fn answer(&mut self, user: i64, prompt: &Recorded, text: &str) -> Recorded {
        let answer = self.say(user, text).await;
        let not_understood = [
            Lang::from_code(Some(self.voice.lang)).t("unknown-message"),
            Lang::from_code(Some(self.voice.lang)).t("unknown-message-creator"),
        ];
        let said = answer.str("text").unwrap_or_default();
        let asked = prompt.str("text").unwrap_or_default();
        assert!(!not_understood.iter().any(|n| said.starts_with(n.as_str())), "“{text}” after “{asked}”: {said}");
        answer
    }

    /// Taps the button of `card` whose label contains `label`; the tap's answer.
    async fn tap(&mut self, user: i64, card: &Recorded, label: &str) -> Recorded {
        let data = TestApp::button_labeled(card, label);
        self.step(user, format!("taps “{label}”")).await;
        let before = self.app.telegram.requests().len();
        self.app.telegram.push_update(tap_json(self.app, user, self.voice.lang, card, &data));
        let answered = self
            .app
            .telegram
            .wait_for(WAIT, |requests| {
                requests.iter().skip(before).find(|r| r.method == "answerCallbackQuery").cloned()
            })
            .await;
        self.catch_up().await;
        answered
    }

    /// The newest message or edit shown to `chat` since `after` requests.
    fn newest_to(&self, chat: i64, after: usize) -> Recorded {
        let requests = self.app.telegram.requests();
        requests[after..]
            .iter()
            .rfind(|r| matches!(r.method.as_str(), "sendMessage" | "editMessageText") && r.int("chat_id") == Some(chat))
            .cloned()
            .expect("the bot showed something")
    }

    /// The message `shown` as its newest edit shows it.
    fn newest_edit_of(&self, shown: &Recorded) -> Recorded {
        let message_id = crate::support::app::message_id_of(shown);
        let requests = self.app.telegram.requests();
        requests
            .iter()
            .rfind(|r| r.method == "editMessageText" && r.int("message_id") == Some(message_id))
            .cloned()
            .unwrap_or_else(|| shown.clone())
    }

    /// Taps and returns what the tap showed: the tapped message as edited, or a new message.
    async fn open(&mut self, user: i64, card: &Recorded, label: &str) -> Recorded {
        let before = self.app.telegram.requests().len();
        self.tap(user, card, label).await;
        self.newest_to(user, before)
    }

    fn write(&self) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("transcripts");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("walk-{}.md", self.voice.lang)), &self.transcript).unwrap();
    }
}

fn tap_json(app: &TestApp, user: i64, lang: &str, card: &Recorded, data: &str) -> Value {
    let mut update = app.callback_json(user, card, data);
    update["callback_query"]["from"] = user_json(user, "Tapper", lang);
    update
}

/// A request as its reader sees it in the transcript, or None for what nobody reads.
fn shown(request: &Recorded) -> Option<String> {
    let buttons = TestApp::buttons(request);
    let buttons = if buttons.is_empty() {
        String::new()
    } else {
        format!("\n  {}", buttons.iter().map(|(label, _)| format!("[{label}]")).collect::<Vec<_>>().join(" "))
    };
    let quoted = |text: &str| text.lines().map(|line| format!("> {line}")).collect::<Vec<_>>().join("\n");
    match request.method.as_str() {
        "sendMessage" => Some(format!("{}{buttons}\n\n", quoted(request.str("text")?))),
        "editMessageText" => Some(format!("(the message now reads)\n{}{buttons}\n\n", quoted(request.str("text")?))),
        "sendDocument" => Some(format!("📎 a document: {}\n\n", request.str("caption").unwrap_or_default())),
        "answerCallbackQuery" => request.str("text").map(|toast| format!("(a toast: {toast})\n\n")),
        _ => None,
    }
}

/// What a person reads in `request`: its text or caption, and its button labels.
fn readable(request: &Recorded) -> Option<(String, Vec<String>)> {
    let text = match request.method.as_str() {
        "sendMessage" | "editMessageText" => request.str("text")?.to_owned(),
        "sendDocument" => request.str("caption").unwrap_or_default().to_owned(),
        "answerCallbackQuery" => request.str("text").unwrap_or_default().to_owned(),
        _ => return None,
    };
    Some((text, TestApp::buttons(request).into_iter().map(|(label, _)| label).collect()))
}

/// Words that stay in Latin letters in Russian: names of products and protocols.
const NAMES: &[&str] = &[
    "Telegram",
    "CSV",
    "API",
    "MCP",
    "Stripe",
    "Claude",
    "Desktop",
    "Cursor",
    "Authorization",
    "Bearer",
    "UTC",
    "CRM",
    "HTTP",
    "Gone",
    "id",
    "username",
    "README",
    // The language picker names each language in itself.
    "English",
];

/// The Latin words of a Russian text that are not names, commands, addresses, codes, identifiers such as
/// event types, or numbers with units.
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "«»“”\"(),;:!?—–[]|".contains(c))
        .map(|word| word.trim_matches('.'))
        .filter(|word| !word.is_empty() && !word.contains('.'))
        .filter(|word| !(word.starts_with('/') || word.starts_with('@') || word.starts_with("http")))
        .filter(|word| !word.chars().any(|c| c.is_ascii_digit() || c == '_' || c == '-' || c == '•'))
        .filter(|word| word.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        .filter(|word| word.chars().all(|c| c.is_ascii_alphabetic()))
        .filter(|word| !NAMES.iter().any(|name| name.eq_ignore_ascii_case(word)))
        .map(str::to_owned)
        .collect()
}

/// Everything a person read in the walk, checked.
fn check(walk: &Walk, lang: &Lang) {
    let reference = lang.t("help-reference");
    let details = lang.t_with("job-reference", &[("job_id", "".into())]);
    let details = details.trim();
    let mut problems = Vec::new();
    for request in walk.app.telegram.requests() {
        let Some((text, buttons)) = readable(&request) else { continue };
        let is_reference = text == reference;
        let is_details = text.contains(details);
        for id in ["mjb_", "pln_", "btc_"] {
            if text.contains(id) && !is_details {
                problems.push(format!("an internal id ({id}…) outside a Details view: {text}"));
            }
        }
        if !is_reference && text.contains('<') && text.contains('>') {
            problems.push(format!("syntax outside the reference: {text}"));
        }
        if lang.code() == "ru" && !is_reference {
            let english = english_words(&text);
            if !english.is_empty() {
                problems.push(format!("English words {english:?} in: {text}"));
            }
        }
        for label in &buttons {
            if label.chars().count() > MAX_BUTTON_CHARS {
                problems.push(format!("a button of {} characters: {label}", label.chars().count()));
            }
            if lang.code() == "ru" && !english_words(label).is_empty() {
                problems.push(format!("English words in a button: {label}"));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

async fn walk_in(voice: &Voice) {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let lang = Lang::from_code(Some(voice.lang));
    let mut walk = Walk::new(&app, voice);

    // A new creator opens the invite link, learns how it works and makes a first plan.
    let token = creators::create_invite(&app.db, &app.secret, now()).await.unwrap();
    let welcome = walk.say(CREATOR, &format!("/start join_{token}")).await;
    walk.open(CREATOR, &welcome, &lang.t("menu-how")).await;
    let ask_name = walk.open(CREATOR, &welcome, &lang.t("button-first-plan")).await;
    let ask_duration = walk.answer(CREATOR, &ask_name, voice.plan).await;
    let month = lang.t("plan-duration-1mo");
    walk.tap(CREATOR, &ask_duration, &month).await;
    app.telegram.set_admin(CHANNEL, BOT_ID, true, true);
    walk.step(CREATOR, format!("shares the channel “{}”", voice.channel)).await;
    let before = app.telegram.requests().len();
    app.telegram.push_update(json!({
        "message": {
            "message_id": 2, "date": now().timestamp(),
            "chat": {"id": CREATOR, "type": "private", "first_name": voice.creator},
            "from": user_json(CREATOR, voice.creator, voice.lang),
            "chat_shared": {"request_id": 1, "chat_id": CHANNEL, "title": voice.channel},
        }
    }));
    app.next_message_to(CREATOR, before).await;
    walk.catch_up().await;

    // Nothing yet: jobs, and a person the bot does not know.
    walk.say(CREATOR, "/status").await;
    walk.say(CREATOR, "/check 424242").await;

    // Help, the reference, and something the bot cannot act on.
    let help = walk.say(CREATOR, "/help").await;
    walk.open(CREATOR, &help, &lang.t("menu-more")).await;
    walk.say(CREATOR, "?").await;

    // Codes, step by step, with a wrong number on the way; then as messages with consent.
    let menu = walk.say(CREATOR, "/start").await;
    let pick_plan = walk.open(CREATOR, &menu, &lang.t("menu-generate")).await;
    let quantity = walk.open(CREATOR, &pick_plan, voice.plan).await;
    let again = walk.answer(CREATOR, &quantity, "5000").await;
    let delivery = walk.answer(CREATOR, &again, "3").await;
    let expiry = walk.open(CREATOR, &delivery, &lang.t("button-delivery-file")).await;
    let card = walk.open(CREATOR, &expiry, &lang.t("expiry-choice-no_expiry")).await;
    walk.tap(CREATOR, &card, &lang.t("button-generate")).await;
    let done = app.telegram.wait_for(WAIT, |r| r.iter().find(|r| r.method == "sendDocument").cloned()).await;
    walk.catch_up().await;
    let codes: Vec<String> = String::from_utf8(done.files[0].2.clone())
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_owned())
        .collect();
    // A card's options set by buttons and a typed answer, then withdrawn.
    let card = walk.say(CREATOR, &format!("/generate {} 2 file no_expiry", voice.plan)).await;
    let options = walk.open(CREATOR, &card, &lang.t("button-options")).await;
    let ask = walk.open(CREATOR, &options, &lang.t("button-option-uses")).await;
    let asked_again = walk.answer(CREATOR, &ask, "0").await;
    let options = walk.answer(CREATOR, &asked_again, "25").await;
    let options = walk.open(CREATOR, &options, &lang.t("button-who-new")).await;
    let card = walk.open(CREATOR, &options, &lang.t("button-back")).await;
    walk.tap(CREATOR, &card, &lang.t("button-cancel")).await;
    let card = walk.say(CREATOR, &format!("/generate {} 2 messages no_expiry", voice.plan)).await;
    walk.tap(CREATOR, &card, &lang.t("button-agree-messages")).await;
    wait_for_messages_with_codes(&app, 2).await;
    walk.catch_up().await;

    // Jobs and their Details; codes; members; billing; notices.
    let jobs = walk.say(CREATOR, "/status").await;
    let first_job = TestApp::buttons(&jobs)[0].0.clone();
    walk.open(CREATOR, &jobs, &first_job).await;
    let codes_picker = walk.say(CREATOR, "/codes").await;
    let codes_page = walk.open(CREATOR, &codes_picker, voice.plan).await;
    // The plan's batches, the newest one's card, and taking its codes back, thought better of.
    let batches = walk.open(CREATOR, &codes_page, &lang.t("button-plan-batches")).await;
    let newest = TestApp::buttons(&batches)[0].0.clone();
    let batch = walk.open(CREATOR, &batches, &newest).await;
    walk.tap(CREATOR, &batch, &lang.t("button-export-redemptions")).await;
    let revoking = walk.open(CREATOR, &batch, &lang.t("button-revoke-unredeemed")).await;
    walk.tap(CREATOR, &revoking, &lang.t("button-cancel")).await;
    walk.say(CREATOR, "/revoke").await;
    walk.say(CREATOR, "/members").await;
    walk.say(CREATOR, "/billing").await;
    let notify = walk.say(CREATOR, "/notify").await;
    walk.tap(CREATOR, &notify, &lang.t("notify-daily")).await;
    let notify = walk.newest_to(CREATOR, 0);
    walk.tap(CREATOR, &notify, &lang.t("notify-each")).await;

    // A token named by answering its card, with nothing ticked on the way.
    let tokens = walk.say(CREATOR, "/tokens").await;
    let draft = walk.open(CREATOR, &tokens, &lang.t("button-new-token")).await;
    walk.answer(CREATOR, &draft, voice.token_name).await;
    let toggled = walk.open(CREATOR, &draft, &lang.t("ability-mcp-full")).await;
    walk.tap(CREATOR, &toggled, &lang.t("button-create-token")).await;
    walk.tap(CREATOR, &toggled, &lang.t("ability-create-codes")).await;
    walk.tap(CREATOR, &toggled, &lang.t("button-create-token")).await;
    let tokens = walk.say(CREATOR, "/tokens").await;
    walk.tap(CREATOR, &tokens, "🗑").await;

    // A webhook whose address is the answer to the question, wrong first; a test event and its delivery.
    let receiver = Receiver::start().await;
    let webhooks = walk.say(CREATOR, "/webhooks").await;
    let ask_address = walk.open(CREATOR, &webhooks, &lang.t("button-webhook-add")).await;
    let asked_again = walk.answer(CREATOR, &ask_address, "shop").await;
    let created = walk.answer(CREATOR, &asked_again, &format!("{}/hooks", receiver.url)).await;
    let secret = created.str("text").unwrap().split_whitespace().find(|w| w.starts_with("whsec_")).unwrap().to_owned();
    receiver.trust(&secret);
    let card = walk.newest_to(CREATOR, 0);
    walk.tap(CREATOR, &card, &lang.t("button-webhook-test")).await;
    wait_until("the test event arrives", async || !receiver.received().is_empty()).await;
    let deliveries = walk.open(CREATOR, &card, &lang.t("button-webhook-deliveries")).await;
    let card = walk.open(CREATOR, &deliveries, &lang.t("button-back")).await;
    let card = walk.open(CREATOR, &card, &lang.t("button-webhook-pause")).await;
    let card = walk.open(CREATOR, &card, &lang.t("button-webhook-resume")).await;
    walk.tap(CREATOR, &card, &lang.t("button-webhook-rotate")).await;
    let card = walk.newest_edit_of(&card);
    let confirm = walk.open(CREATOR, &card, &lang.t("button-webhook-delete")).await;
    walk.tap(CREATOR, &confirm, &lang.t("button-webhook-delete-yes")).await;

    // The language picker.
    let picker = walk.say(CREATOR, "/language").await;
    walk.tap(CREATOR, &picker, &lang.t("language-name")).await;

    // A subscriber who writes before redeeming, redeems, and someone else with the same code.
    let lost = walk.say(SUBSCRIBER, voice.greeting).await;
    walk.open(SUBSCRIBER, &lost, &lang.t("button-my-subscriptions")).await;
    walk.say(SUBSCRIBER, &codes[0]).await;
    walk.say(SUBSCRIBER, "/my").await;
    let used = walk.say(LATECOMER, &codes[0]).await;
    walk.open(LATECOMER, &used, &lang.t("button-my-subscriptions")).await;

    // A reminder before the end, and the creator told of a right the bot lost.
    move_subscription_end(&app, SUBSCRIBER, now() + chrono::Duration::hours(20)).await;
    walk.step(SUBSCRIBER, "waits: their access ends within a day".to_owned()).await;
    wait_until("the reminder", async || reminded(&app)).await;
    walk.step(CREATOR, "takes the bot's right to ban away in the channel".to_owned()).await;
    let before = app.telegram.requests().len();
    app.telegram.push_bot_rights(CHANNEL, true, false);
    app.next_message_to(CREATOR, before).await;
    app.telegram.push_bot_rights(CHANNEL, true, true);

    // A delivery that fails, and the same codes delivered again.
    app.telegram.script("sendDocument", Scripted::Blocked);
    let card = walk.say(CREATOR, &format!("/generate {} 2 file no_expiry", voice.plan)).await;
    walk.tap(CREATOR, &card, &lang.t("button-generate")).await;
    let failed = app.edit_of_containing(&card, "❌").await;
    walk.catch_up().await;
    walk.tap(CREATOR, &failed, &lang.t("button-retry-delivery")).await;
    app.telegram.wait_for(WAIT, |r| (r.iter().filter(|r| r.method == "sendDocument").count() >= 2).then_some(())).await;
    walk.catch_up().await;

    // The creator's view of plans and of one person, and ending that person's access.
    let plans = walk.say(CREATOR, "/plans").await;
    let chats = walk.open(CREATOR, &plans, &lang.t("button-plan-chats")).await;
    walk.tap(CREATOR, &chats, &format!("✖️ {}", voice.channel)).await;
    let plans = walk.say(CREATOR, "/plans").await;
    let ask_name = walk.open(CREATOR, &plans, &format!("✏️ {}", voice.plan)).await;
    walk.answer(CREATOR, &ask_name, voice.renamed).await;
    let plans = walk.say(CREATOR, "/plans").await;
    let archived = walk.open(CREATOR, &plans, &lang.t("button-archive-plan")).await;
    walk.open(CREATOR, &archived, &lang.t("button-reactivate-plan")).await;
    let person = walk.say(CREATOR, &format!("/check {SUBSCRIBER}")).await;
    let rollback = walk.open(CREATOR, &person, "↩️").await;
    walk.tap(CREATOR, &rollback, &lang.t("button-cancel")).await;
    walk.say(CREATOR, "/rollback").await;
    walk.say(CREATOR, &format!("/rollback {}", codes[1])).await;
    let confirm = walk.say(CREATOR, &format!("/remove {SUBSCRIBER}")).await;
    walk.tap(CREATOR, &confirm, &lang.t("button-remove-confirm")).await;

    // Leaving a question half way.
    let menu = walk.say(CREATOR, "/start").await;
    walk.open(CREATOR, &menu, &lang.t("menu-generate")).await;
    walk.say(CREATOR, "/cancel").await;
    walk.catch_up().await;

    walk.write();
    check(&walk, &lang);
    app.assert_no_violations();
    drop(receiver);
}

/// Whether the subscriber was reminded of the end.
fn reminded(app: &TestApp) -> bool {
    app.telegram.count_matching(|r| {
        r.method == "sendMessage"
            && r.int("chat_id") == Some(SUBSCRIBER)
            && r.str("text").is_some_and(|t| t.starts_with('⏳'))
    }) > 0
}

async fn wait_for_messages_with_codes(app: &TestApp, count: usize) {
    app.telegram
        .wait_for(WAIT, |requests| {
            let sent = requests.iter().filter(|r| r.method == "sendMessage" && r.params.contains_key("entities"));
            (sent.count() >= count).then_some(())
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_speaks_to_a_person_in_english() {
    walk_in(&ENGLISH).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_speaks_to_a_person_in_russian() {
    walk_in(&RUSSIAN).await;
}

#[test]
fn the_latin_check_lets_names_and_commands_through() {
    assert_eq!(english_words("Откройте /plans в Telegram, код ABCD-EFGH и 30d"), Vec::<String>::new());
    assert_eq!(english_words("Тариф: Free"), vec!["Free".to_owned()]);
    assert_eq!(english_words("⬜ subscription.started."), Vec::<String>::new());
}
