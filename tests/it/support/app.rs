//! Starting, stopping and killing instances of the application, and driving it as Telegram would.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use accessbot::config::{
    AccessSweepSettings, ExpirySweepSettings, HttpSettings, Secret, Settings, ThrottleSettings, UsageReportSettings,
    WebhookSettings, WorkerSettings,
};
use accessbot::db::Db;
use accessbot::domain::clock::now;
use accessbot::domain::creators;
use accessbot::domain::secret::InstanceSecret;
use accessbot::domain::webhooks::TargetPolicy;
use accessbot::metrics::{BackgroundLoop, Metrics};
use accessbot::startup::Application;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::fake_telegram::{FakeTelegram, Recorded, user_json};

pub const WAIT: Duration = Duration::from_secs(30);
pub const TEST_TOKEN: &str = "123456:TEST-TOKEN-not-a-real-one";
pub const TEST_SECRET: &str = "test-instance-secret-0123456789abcdef";

#[derive(Clone, Debug)]
pub enum Engine {
    Sqlite,
    Postgres { admin_url: String },
}

impl Engine {
    /// PostgreSQL at `TEST_DATABASE_URL`; None when it is not set, unless `REQUIRE_POSTGRES=1` (as in CI)
    /// makes its absence a failure.
    pub fn postgres() -> Option<Self> {
        let url = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty());
        let required = std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        match url {
            Some(admin_url) => Some(Self::Postgres { admin_url }),
            None if required => panic!("REQUIRE_POSTGRES=1, but TEST_DATABASE_URL is not set"),
            None => None,
        }
    }

    /// A fresh, empty database for one test.
    pub async fn fresh_database(&self) -> (String, Option<PathBuf>) {
        let name = format!("accessbot_test_{}", ulid::Ulid::generate().to_string().to_lowercase());
        match self {
            Self::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).unwrap();
                (format!("sqlite://{}?mode=rwc", dir.join("accessbot.db").display()), Some(dir))
            }
            Self::Postgres { admin_url } => {
                let admin = within("a connection to TEST_DATABASE_URL", Database::connect(admin_url.as_str()))
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                within("CREATE DATABASE", admin.execute_unprepared(&format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create a test database");
                admin.close().await.ok();
                let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(admin_url);
                (format!("{base}/{name}"), None)
            }
        }
    }
}

/// Says once per run, past the test harness's capture, how many PostgreSQL variants pass without running.
/// The count comes from the test binary's own `--list`, so only the test harness may call this (a bench
/// has no `--list`: it would run itself again).
pub fn report_skipped_postgres() {
    static REPORTED: std::sync::Once = std::sync::Once::new();
    REPORTED.call_once(|| {
        use std::io::Write;
        let listed = std::env::current_exe()
            .and_then(|test_binary| std::process::Command::new(test_binary).args(["--list", "--format", "terse"]).output());
        let count = listed.map_or(0, |listed| {
            String::from_utf8_lossy(&listed.stdout).lines().filter(|line| line.ends_with("::postgres: test")).count()
        });
        let _ = writeln!(
            std::io::stderr(),
            "note: {count} PostgreSQL tests are skipped and pass without running: TEST_DATABASE_URL is not set (REQUIRE_POSTGRES=1 makes this a failure)"
        );
    });
}

/// Awaits `future` for at most [`WAIT`]; past that the test fails, naming what it waited for.
pub async fn within<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(WAIT, future).await.unwrap_or_else(|_| panic!("timed out after {WAIT:?} waiting for {what}"))
}

/// One running "process" of the application, in a runtime of its own so it can be killed outright.
struct Instance {
    runtime: tokio::runtime::Runtime,
    http_addr: std::net::SocketAddr,
    metrics: Arc<Metrics>,
    stop: Option<oneshot::Sender<()>>,
    stopped: oneshot::Receiver<()>,
}

pub struct TestApp {
    pub telegram: FakeTelegram,
    pub db: Db,
    pub secret: InstanceSecret,
    pub settings: Settings,
    /// Where the newest instance serves HTTP (`/mcp`, `/healthz`).
    pub http_addr: std::net::SocketAddr,
    instances: Vec<Instance>,
    dir: Option<PathBuf>,
    /// Where the log records of this application's instances are filed.
    log_id: u64,
}

pub fn test_settings(telegram: &FakeTelegram, database_url: &str) -> Settings {
    Settings {
        telegram_token: Some(Secret::new(TEST_TOKEN)),
        telegram_api_url: Some(url::Url::parse(&telegram.url).unwrap()),
        database_url: database_url.to_owned(),
        database_max_connections: 5,
        instance_secret: Some(Secret::new(TEST_SECRET)),
        receive_updates: true,
        telegram_webhook: None,
        worker: WorkerSettings {
            concurrency: 2,
            max_deliveries: 50,
            lease: Duration::from_secs(2),
            outage_tolerance: Duration::from_millis(300),
            retry_base_delay: Duration::from_millis(20),
            retry_max_delay: Duration::from_millis(100),
            progress_edit_interval: Duration::from_millis(0),
        },
        // Below what the fake enforces by default (`MessageLimits::TESTS`), with room for arrival jitter.
        throttle: ThrottleSettings {
            messages_per_sec_chat: 15,
            messages_per_min_chat: 15 * 60,
            messages_per_min_group: 18,
            messages_per_sec_overall: 25,
            instances: 1,
        },
        http: HttpSettings {
            addr: "127.0.0.1:0".to_owned(),
            allowed_hosts: vec!["localhost".to_owned(), "127.0.0.1".to_owned()],
            mcp_calls_per_minute: 120,
            metrics_token: None,
        },
        usage_report: UsageReportSettings {
            stripe_api_key: None,
            stripe_api_base: "http://127.0.0.1:9".to_owned(),
            meter_event_name: "access_code_overage".to_owned(),
            report_interval: Duration::from_millis(50),
            retry_base_delay: Duration::from_millis(50),
        },
        expiry_sweep: ExpirySweepSettings { interval: Duration::from_millis(100) },
        access_sweep: AccessSweepSettings {
            interval: Duration::from_millis(100),
            reminders_before_end: vec![Duration::from_secs(3 * 86_400), Duration::from_secs(86_400)],
        },
        webhooks: WebhookSettings {
            policy: TargetPolicy { allow_http: true, allow_private_networks: true },
            concurrency: 8,
            poll_interval: Duration::from_millis(50),
            timeout: Duration::from_millis(500),
            schedule: [0, 100, 200, 300, 400, 500, 600, 700].map(Duration::from_millis).to_vec(),
        },
    }
}

impl TestApp {
    /// A fake Bot API, a fresh database and one running instance.
    pub async fn spawn(engine: Engine) -> Self {
        Self::spawn_with(engine, |_| {}).await
    }

    pub async fn spawn_with(engine: Engine, customise: impl FnOnce(&mut Settings)) -> Self {
        super::logs::capture();
        let telegram = FakeTelegram::start().await;
        let (database_url, dir) = engine.fresh_database().await;
        let mut settings = test_settings(&telegram, &database_url);
        customise(&mut settings);
        let db =
            within("the test database", Db::connect(&settings.database_url, 5)).await.expect("open the test database");
        let secret = InstanceSecret::from_value(TEST_SECRET).unwrap();
        let unbound = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let log_id = super::logs::new_log_id();
        let mut app = Self { telegram, db, secret, settings, http_addr: unbound, instances: Vec::new(), dir, log_id };
        app.start_instance().await;
        app
    }

    /// Starts another instance on the same database, as a second process would.
    pub async fn start_instance(&mut self) {
        let log_id = self.log_id;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .on_thread_start(move || super::logs::tag_thread(log_id))
            .build()
            .unwrap();
        let (stop, stop_requested) = oneshot::channel::<()>();
        let (ready_sender, ready) = oneshot::channel::<(std::net::SocketAddr, Arc<Metrics>)>();
        let (stopped_sender, stopped) = oneshot::channel::<()>();
        let settings = self.settings.clone();
        runtime.spawn(async move {
            let app = Application::build(settings).await.expect("the application starts");
            let _ = ready_sender.send((app.http_addr(), app.metrics()));
            app.run_until(async {
                let _ = stop_requested.await;
            })
            .await
            .expect("the application runs");
            let _ = stopped_sender.send(());
        });
        let started = tokio::time::timeout(WAIT, ready).await.expect("the application started within the deadline");
        let (http_addr, metrics) = started.expect("the application started");
        self.http_addr = http_addr;
        self.instances.push(Instance { runtime, http_addr, metrics, stop: Some(stop), stopped });
    }

    /// The counters of the newest instance.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.instances.last().expect("a running instance").metrics.clone()
    }

    /// Waits until `background_loop` of the newest instance has finished two more passes than it had: one
    /// that began after this call has then gone through whatever was there to do.
    pub async fn wait_for_full_pass(&self, background_loop: BackgroundLoop) {
        let metrics = self.metrics();
        let target = metrics.passes(background_loop) + 2;
        let what = format!("a full pass of {background_loop:?}");
        wait_until(&what, async || metrics.passes(background_loop) >= target).await;
    }

    /// Every log record this application's instances wrote so far, the stopped and killed ones' too.
    pub fn logs(&self) -> Vec<String> {
        super::logs::captured(self.log_id)
    }

    /// Stops the newest instance the way Ctrl-C does, and waits until it has finished.
    pub async fn stop(&mut self) {
        if let Some(mut instance) = self.instances.pop() {
            if let Some(stop) = instance.stop.take() {
                let _ = stop.send(());
            }
            let stopped = tokio::time::timeout(WAIT, &mut instance.stopped).await;
            instance.runtime.shutdown_background();
            stopped.expect("the instance stopped within the deadline").expect("the instance ran to its end");
        }
    }

    /// Ends the newest instance at once, wherever it is, as a crash would.
    pub fn kill(&mut self) {
        if let Some(instance) = self.instances.pop() {
            instance.runtime.shutdown_background();
        }
    }

    /// Ends the instance started `index`th among those running, as a crash would.
    pub fn kill_instance(&mut self, index: usize) {
        self.instances.remove(index).runtime.shutdown_background();
    }

    /// Where each running instance serves HTTP, oldest first.
    pub fn instance_addrs(&self) -> Vec<std::net::SocketAddr> {
        self.instances.iter().map(|instance| instance.http_addr).collect()
    }

    /// Makes `user_id` a creator through an invite link, as the operator and the creator would.
    pub async fn make_creator(&self, user_id: i64, name: &str) {
        let token = creators::create_invite(&self.db, &self.secret, now()).await.unwrap();
        let reply = self.send_text(user_id, name, &format!("/start join_{token}")).await;
        let offers_a_plan =
            reply.params.get("reply_markup").is_some_and(|markup| markup.to_string().contains("menu:newplan"));
        assert!(offers_a_plan, "the welcome offers to create the first plan: {reply:?}");
    }

    pub fn message_json(&self, user_id: i64, name: &str, text: &str) -> Value {
        self.message_json_in(user_id, name, "en", text)
    }

    fn message_json_in(&self, user_id: i64, name: &str, language: &str, text: &str) -> Value {
        json!({
            "message": {
                "message_id": 1, "date": now().timestamp(),
                "chat": {"id": user_id, "type": "private", "first_name": name},
                "from": user_json(user_id, name, language),
                "text": text,
            }
        })
    }

    /// Sends `text` from a user whose Telegram app speaks `language`; the bot's first answer.
    pub async fn send_text_in(&self, user_id: i64, name: &str, language: &str, text: &str) -> Recorded {
        let before = self.telegram.requests().len();
        self.telegram.push_update(self.message_json_in(user_id, name, language, text));
        self.next_message_to(user_id, before).await
    }

    /// Shares `chat_id` through the chat picker, as the user's client does; the bot's first answer.
    pub async fn share_chat(&self, user_id: i64, request_id: i64, chat_id: i64, title: &str) -> Recorded {
        let before = self.telegram.requests().len();
        self.telegram.push_update(json!({
            "message": {
                "message_id": 2, "date": now().timestamp(),
                "chat": {"id": user_id, "type": "private", "first_name": "Ann"},
                "from": user_json(user_id, "Ann", "en"),
                "chat_shared": {"request_id": request_id, "chat_id": chat_id, "title": title},
            }
        }));
        self.next_message_to(user_id, before).await
    }

    /// The newest edit of the message `shown` (a sent message or an edit of it) after `after` requests.
    pub async fn next_edit_of(&self, shown: &Recorded, after: usize) -> Recorded {
        let message_id = message_id_of(shown);
        self.telegram
            .wait_for(WAIT, |requests| {
                requests
                    .iter()
                    .skip(after)
                    .rfind(|r| r.method == "editMessageText" && r.int("message_id") == Some(message_id))
                    .cloned()
            })
            .await
    }

    /// The first edit of the message `shown` whose text contains `needle`.
    pub async fn edit_of_containing(&self, shown: &Recorded, needle: &str) -> Recorded {
        let message_id = message_id_of(shown);
        self.telegram
            .wait_for(WAIT, |requests| {
                requests
                    .iter()
                    .find(|r| {
                        r.method == "editMessageText"
                            && r.int("message_id") == Some(message_id)
                            && r.str("text").is_some_and(|t| t.contains(needle))
                    })
                    .cloned()
            })
            .await
    }

    /// Taps a button of a menu and returns the menu as the tap edited it.
    pub async fn tap_edit(&self, user_id: i64, shown: &Recorded, data: &str) -> Recorded {
        let before = self.telegram.requests().len();
        self.tap(user_id, shown, data).await;
        self.next_edit_of(shown, before).await
    }

    /// Sends `text` from `user_id` in their private chat and returns the bot's first answer there.
    pub async fn send_text(&self, user_id: i64, name: &str, text: &str) -> Recorded {
        let before = self.telegram.requests().len();
        self.telegram.push_update(self.message_json(user_id, name, text));
        self.next_message_to(user_id, before).await
    }

    /// The first `sendMessage` into `chat_id` whose text contains `needle`, recorded after `after` requests.
    pub async fn message_containing(&self, chat_id: i64, needle: &str, after: usize) -> Recorded {
        self.telegram
            .wait_for(WAIT, |requests| {
                requests
                    .iter()
                    .skip(after)
                    .find(|r| {
                        r.method == "sendMessage"
                            && r.int("chat_id") == Some(chat_id)
                            && r.str("text").is_some_and(|t| t.contains(needle))
                    })
                    .cloned()
            })
            .await
    }

    /// The first `sendMessage` into `chat_id` recorded after `after` requests.
    pub async fn next_message_to(&self, chat_id: i64, after: usize) -> Recorded {
        self.telegram
            .wait_for(WAIT, |requests| {
                requests
                    .iter()
                    .skip(after)
                    .find(|r| r.method == "sendMessage" && r.int("chat_id") == Some(chat_id))
                    .cloned()
            })
            .await
    }

    pub fn callback_json(&self, user_id: i64, card: &Recorded, data: &str) -> Value {
        let chat_id = card.int("chat_id").unwrap();
        let message_id = message_id_of(card);
        let mut message = json!({
            "message_id": message_id, "date": now().timestamp(),
            "chat": {"id": chat_id, "type": "private", "first_name": "Someone"},
            "from": {"id": super::fake_telegram::BOT_ID, "is_bot": true, "first_name": "Access Bot"},
        });
        message.as_object_mut().unwrap().extend(self.telegram.message_as_shown(chat_id, message_id));
        json!({
            "callback_query": {
                "id": format!("cq-{}", ulid::Ulid::generate()),
                "from": user_json(user_id, "Tapper", "en"),
                "message": message,
                "chat_instance": "instance",
                "data": data,
            }
        })
    }

    /// Taps a button of `card` as `user_id` and returns the answer to the callback query.
    pub async fn tap(&self, user_id: i64, card: &Recorded, data: &str) -> Recorded {
        let before = self.telegram.requests().len();
        self.telegram.push_update(self.callback_json(user_id, card, data));
        self.telegram
            .wait_for(WAIT, |requests| {
                requests.iter().skip(before).find(|r| r.method == "answerCallbackQuery").cloned()
            })
            .await
    }

    /// Every inline button of a message: (label, callback data or URL).
    pub fn buttons(card: &Recorded) -> Vec<(String, String)> {
        let Some(markup) = card.json("reply_markup") else { return Vec::new() };
        let Some(rows) = markup["inline_keyboard"].as_array() else { return Vec::new() };
        rows.iter()
            .flat_map(|row| row.as_array().unwrap().iter())
            .map(|button| {
                let target = button["callback_data"].as_str().or(button["url"].as_str()).unwrap_or_default();
                (button["text"].as_str().unwrap_or_default().to_owned(), target.to_owned())
            })
            .collect()
    }

    /// The data of the button whose label contains `label`.
    pub fn button_labeled(card: &Recorded, label: &str) -> String {
        Self::buttons(card)
            .into_iter()
            .find(|(text, _)| text.contains(label))
            .unwrap_or_else(|| panic!("no button labeled {label:?} on {:?}", Self::buttons(card)))
            .1
    }

    /// The `callback_data` of the button of `card` whose data starts with `prefix`.
    pub fn button(card: &Recorded, prefix: &str) -> String {
        let markup = card.json("reply_markup").expect("the card has buttons");
        markup["inline_keyboard"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|row| row.as_array().unwrap().iter())
            .filter_map(|button| button["callback_data"].as_str())
            .find(|data| data.starts_with(prefix))
            .unwrap_or_else(|| panic!("no button {prefix} on {markup}"))
            .to_owned()
    }

    pub fn assert_no_violations(&self) {
        assert_eq!(self.telegram.violations(), Vec::<String>::new(), "requests the Bot API spec rejects");
    }
}

impl Drop for TestApp {
    /// Ends every instance, and fails the test that made a request Telegram would refuse, unless it is
    /// failing already.
    fn drop(&mut self) {
        for instance in self.instances.drain(..) {
            instance.runtime.shutdown_background();
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if !std::thread::panicking() {
            self.assert_no_violations();
        }
    }
}

/// Helpers for the creator's side of generation.
impl TestApp {
    /// A running application with one creator, Ann, who has one 30-day plan named `plan`.
    pub async fn with_creator_and_plan(engine: Engine, user_id: i64, plan: &str) -> Self {
        let app = Self::spawn(engine).await;
        app.make_creator(user_id, "Ann").await;
        app.send_text(user_id, "Ann", &format!("/newplan {plan} 30d")).await;
        app
    }

    /// Sends a `/generate` one-liner and returns the card the bot answered with.
    pub async fn card(&self, user_id: i64, command: &str) -> Recorded {
        let card = self.send_text(user_id, "Ann", command).await;
        assert!(card.params.contains_key("reply_markup"), "expected a card, got {card:?}");
        card
    }

    /// Waits until the creator's newest job has finished and returns it.
    pub async fn finished_job(&self, user_id: i64) -> accessbot::db::generation::Job {
        let creator = self.db.find_creator_by_telegram_user(user_id).await.unwrap().expect("a creator");
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let jobs = self.db.recent_jobs_of_creator(creator.id, 1).await.unwrap();
            if let Some(job) = jobs.into_iter().next().filter(|j| j.status == "completed" || j.status == "failed") {
                return job;
            }
            assert!(tokio::time::Instant::now() < deadline, "the job did not finish in time");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub async fn jobs_of(&self, user_id: i64) -> Vec<accessbot::db::generation::Job> {
        let creator = self.db.find_creator_by_telegram_user(user_id).await.unwrap().expect("a creator");
        self.db.recent_jobs_of_creator(creator.id, 100).await.unwrap()
    }
}

/// Generates `count` codes of `plan` for the creator `user_id` and returns them as the CSV delivered them.
pub async fn generated_codes(app: &TestApp, user_id: i64, plan: &str, count: i64) -> Vec<String> {
    let before = app.telegram.calls("sendDocument").len();
    let creator = app.creator(user_id).await;
    app.queue().enqueue(&creator, &file_request(plan, count), "test", now()).await.unwrap();
    let document =
        app.telegram.wait_for(WAIT, |r| r.iter().filter(|r| r.method == "sendDocument").nth(before).cloned()).await;
    let text = String::from_utf8(document.files[0].2.clone()).unwrap();
    text.lines().skip(1).map(|line| line.split(',').next().unwrap().to_owned()).collect()
}

/// Sends a `/generate` command as the creator `user_id`, confirms its card and returns the card and the codes
/// of the CSV it brings.
pub async fn generate_by_card(app: &TestApp, user_id: i64, command: &str) -> (Recorded, Vec<String>) {
    // Not the first message to the creator after the command: a notice of a redemption may come first.
    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(user_id, "Creator", command));
    let card = app
        .telegram
        .wait_for(WAIT, |requests| {
            requests[before..]
                .iter()
                .find(|r| {
                    r.int("chat_id") == Some(user_id)
                        && r.params.get("reply_markup").is_some_and(|m| m.to_string().contains("gen:go:"))
                })
                .cloned()
        })
        .await;
    let before = app.telegram.calls("sendDocument").len();
    app.tap(user_id, &card, &TestApp::button(&card, "gen:go:")).await;
    let document =
        app.telegram.wait_for(WAIT, |r| r.iter().filter(|r| r.method == "sendDocument").nth(before).cloned()).await;
    let csv = String::from_utf8(document.files[0].2.clone()).unwrap();
    (card, csv.lines().skip(1).map(|line| line.split(',').next().unwrap().to_owned()).collect())
}

/// Moves the end of `subscriber`'s subscriptions that end to `ends_at`, as time passing would; lifetime
/// subscriptions stay lifetime.
pub async fn move_subscription_end(app: &TestApp, subscriber: i64, ends_at: chrono::DateTime<chrono::Utc>) {
    use accessbot::db::entities::subscription;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    subscription::Entity::update_many()
        .col_expr(subscription::Column::EndsAt, Expr::value(ends_at))
        .filter(subscription::Column::SubscriberId.eq(subscriber))
        .filter(subscription::Column::EndsAt.is_not_null())
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.ok();
}

/// Marks the first `count` codes of a batch as redeemed now, standing in for subscribers.
pub async fn mark_redeemed(app: &TestApp, batch_id: uuid::Uuid, count: usize) {
    use accessbot::db::entities::access_code;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let rows = app.db.codes_of_batch(batch_id).await.unwrap();
    let ids: Vec<uuid::Uuid> = rows.iter().take(count).map(|r| r.id).collect();
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    access_code::Entity::update_many()
        .col_expr(access_code::Column::Status, Expr::value("redeemed"))
        .col_expr(access_code::Column::RedeemedAt, Expr::value(now()))
        .col_expr(access_code::Column::RedemptionCount, Expr::value(1))
        .filter(access_code::Column::Id.is_in(ids))
        .exec(&conn)
        .await
        .unwrap();
    for (n, code) in rows.iter().take(count).enumerate().filter(|(_, code)| code.redeemed_at.is_none()) {
        let redemption = accessbot::db::redemption::RedemptionRow {
            id: code.id,
            team_id: code.team_id,
            plan_id: code.plan_id,
            batch_id: code.batch_id,
            access_code_id: code.id,
            subscription_id: None,
            subscriber_id: 9_000_000 + n as i64,
            redeemed_at: now(),
            change: accessbot::domain::subscriptions::SubscriptionChange::Started,
            added_seconds: None,
            usage_record_id: None,
            rolled_back_at: None,
            created_at: now(),
        };
        use sea_orm::IntoActiveModel;
        accessbot::db::entities::redemption::Entity::insert(redemption.into_active_model()).exec(&conn).await.unwrap();
    }
    conn.close().await.ok();
}

/// Queueing jobs directly, as an agent would, without the bot's card.
impl TestApp {
    pub fn queue(&self) -> accessbot::domain::generation::GenerationQueue {
        accessbot::domain::generation::GenerationQueue::new(
            self.db.clone(),
            std::sync::Arc::new(tokio::sync::Notify::new()),
        )
    }

    pub async fn creator(&self, user_id: i64) -> accessbot::db::teams::Creator {
        self.db.find_creator_by_telegram_user(user_id).await.unwrap().expect("a creator")
    }
}

/// A request for `quantity` codes of `plan` in one file that never expire.
pub fn file_request(plan: &str, quantity: i64) -> accessbot::domain::generation::GenerationRequest {
    accessbot::domain::generation::GenerationRequest {
        plan_id: plan.to_owned(),
        quantity,
        export_type: "file".to_owned(),
        expiry_preset: "no_expiry".to_owned(),
        ..Default::default()
    }
}

/// The id of the message a request sent, or of the message it edited.
pub fn message_id_of(shown: &Recorded) -> i64 {
    shown.int("message_id").unwrap_or(shown.message_id)
}

/// Waits until `done` holds, checking every 25 ms, for at most [`WAIT`].
pub async fn wait_until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !done().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A request for `quantity` codes of `plan`, one message each, with the creator's consent.
pub fn messages_request(plan: &str, quantity: i64) -> accessbot::domain::generation::GenerationRequest {
    accessbot::domain::generation::GenerationRequest {
        export_type: "messages".to_owned(),
        consent: true,
        ..file_request(plan, quantity)
    }
}

impl TestApp {
    /// Creators `first..first + count`, each with a 30-day plan named `plan`.
    pub async fn make_creators_with_plan(&self, first: i64, count: i64, plan: &str) -> Vec<i64> {
        let mut creators = Vec::new();
        for user_id in first..first + count {
            self.make_creator(user_id, "Ann").await;
            self.send_text(user_id, "Ann", &format!("/newplan {plan} 30d")).await;
            creators.push(user_id);
        }
        creators
    }

    /// Waits until `count` jobs in all have finished.
    pub async fn wait_for_finished_jobs(&self, count: u64, timeout: Duration) {
        use accessbot::domain::jobs::JobStatus;
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let completed = self.db.count_jobs_with_status(JobStatus::Completed).await.unwrap();
            let failed = self.db.count_jobs_with_status(JobStatus::Failed).await.unwrap();
            if completed + failed >= count {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "{completed} completed and {failed} failed of {count}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
