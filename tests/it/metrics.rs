//! `/metrics`: Prometheus text whose figures move with what the bot does.
use std::collections::HashMap;

use accessbot::config::Secret;

use crate::on_every_engine;
use crate::support::app::generated_codes;
use crate::support::fake_telegram::Scripted;
use crate::support::{Engine, TestApp};

const ANN: i64 = 5401;
const SAM: i64 = 5402;

/// The samples of a scrape, by `name{labels}`, after checking that every line is Prometheus text.
async fn scrape(app: &TestApp) -> HashMap<String, f64> {
    let response = reqwest::get(format!("http://{}/metrics", app.http_addr)).await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let mut samples = HashMap::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            assert!(comment.starts_with("HELP ") || comment.starts_with("TYPE "), "{line}");
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
        let name = series.split('{').next().unwrap();
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{line}");
        assert!(text.contains(&format!("# TYPE {name} ")), "{name} has a type");
        samples.insert(series.to_owned(), value.parse::<f64>().unwrap_or_else(|_| panic!("not a number: {line}")));
    }
    samples
}

fn sample(samples: &HashMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

async fn metrics_move_with_a_job_a_redemption_and_a_429(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let before = scrape(&app).await;
    assert_eq!(sample(&before, "accessbot_jobs{state=\"completed\"}"), 0.0);
    assert!(before.keys().any(|k| k.starts_with("accessbot_build_info{version=")));

    let codes = generated_codes(&app, ANN, "VIP", 3).await;
    app.send_text(SAM, "Sam", &codes[0]).await;
    // Ann hears of it first, so the 429 scripted next meets the answer to /help.
    app.telegram
        .wait_for(crate::support::app::WAIT, |r| {
            r.iter()
                .find(|r| r.int("chat_id") == Some(ANN) && r.str("text").is_some_and(|t| t.contains("redeemed")))
                .cloned()
        })
        .await;
    app.telegram.script("sendMessage", Scripted::RetryAfter(1));
    app.send_text(SAM, "Sam", "/help").await;

    let after = scrape(&app).await;
    assert_eq!(sample(&after, "accessbot_jobs{state=\"completed\"}"), 1.0);
    let moved = |series: &str| sample(&after, series) - sample(&before, series);
    assert!(moved("accessbot_codes_generated_total") >= 3.0);
    assert!(moved("accessbot_codes_delivered_total") >= 3.0);
    assert!(moved("accessbot_redemptions_total{outcome=\"redeemed\"}") >= 1.0);
    assert_eq!(
        moved("accessbot_telegram_requests_total{method=\"sendMessage\",outcome=\"429\"}"),
        1.0,
        "this app's one 429"
    );
    assert!(moved("accessbot_telegram_requests_total{method=\"sendMessage\",outcome=\"ok\"}") >= 2.0);
    assert!(moved("accessbot_telegram_requests_total{method=\"getUpdates\",outcome=\"ok\"}") >= 1.0);
    assert!(moved("accessbot_rate_limit_wait_seconds_total") >= 0.9, "the 429's second was waited for its turn");
    assert_eq!(sample(&after, "accessbot_inbox_unhandled"), 0.0);
    assert!(after.contains_key("accessbot_inbox_oldest_unhandled_seconds"));
}

async fn metrics_need_the_token_when_one_is_set(engine: Engine) {
    let app =
        TestApp::spawn_with(engine, |settings| settings.http.metrics_token = Some(Secret::new("scrape-me"))).await;
    let url = format!("http://{}/metrics", app.http_addr);
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 401);
    let wrong = reqwest::Client::new().get(&url).bearer_auth("scrape-you").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let right = reqwest::Client::new().get(&url).bearer_auth("scrape-me").send().await.unwrap();
    assert_eq!(right.status(), 200);
    assert!(right.text().await.unwrap().contains("accessbot_build_info"));
}

on_every_engine!(metrics_move_with_a_job_a_redemption_and_a_429, metrics_need_the_token_when_one_is_set);
