//! Agents over MCP: rmcp's own client, over real HTTP, against the whole application.
use std::time::Duration;

use accessbot::domain::ids;
use serde_json::{Value, json};

use crate::on_every_engine;
use crate::support::app::{wait_until, within};
use crate::support::mcp::{ALL_ABILITIES, call_err, call_ok, raw_post, try_call};
use crate::support::{Engine, TestApp};

const ANN: i64 = 3001;
const BOB: i64 = 3002;

async fn ann_with_plan(engine: Engine) -> (TestApp, String) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let plan = app.db.list_plans(app.creator(ANN).await.team_id).await.unwrap().remove(0);
    (app, ids::public_id(ids::PLAN, plan.id))
}

fn file_job(plan_id: &str, quantity: i64) -> Value {
    json!({"plan_id": plan_id, "quantity": quantity, "export_type": "file", "expiry_preset": "no_expiry"})
}

async fn tools_list_shows_every_tool_with_its_schema(engine: Engine) {
    let (app, _) = ann_with_plan(engine).await;
    let client = app.mcp(&app.token(ANN, ALL_ABILITIES).await).await;
    let tools = within("the tool list", client.list_all_tools()).await.unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bulk_generate_access_codes",
            "get_job_status",
            "list_access_codes",
            "list_batches",
            "list_redemptions",
            "list_webhook_deliveries",
            "preview_access_code_cost",
            "redeliver_webhook",
            "revoke_access_codes",
            "rollback_redemption"
        ]
    );
    let schema = |name: &str| Value::Object((*tools.iter().find(|t| t.name == name).unwrap().input_schema).clone());

    let generate = schema("bulk_generate_access_codes");
    let properties = &generate["properties"];
    for field in [
        "plan_id",
        "quantity",
        "export_type",
        "expiry_preset",
        "custom_expiry_amount",
        "custom_expiry_type",
        "consent",
        "label",
    ] {
        assert!(properties.get(field).is_some(), "bulk_generate_access_codes lacks {field}");
    }
    assert_eq!(properties["quantity"]["minimum"], 1);
    assert_eq!(properties["quantity"]["maximum"], 1000);
    assert_eq!(properties["export_type"]["enum"], json!(["file", "messages"]));
    assert_eq!(
        properties["expiry_preset"]["enum"],
        json!(["no_expiry", "1_day", "1_week", "1_month", "1_year", "custom"])
    );
    assert_eq!(properties["custom_expiry_type"]["enum"], json!(["days", "weeks", "months", "years"]));
    assert_eq!(properties["consent"]["type"], "boolean");
    let description = tools.iter().find(|t| t.name == "bulk_generate_access_codes").unwrap().description.clone();
    let description = description.unwrap_or_default();
    assert!(
        description.contains("get_job_status") && description.contains("Telegram") && description.contains("consent")
    );

    assert_eq!(schema("get_job_status")["required"], json!(["job_id"]));
    let preview = schema("preview_access_code_cost");
    assert_eq!(preview["properties"]["quantity"]["maximum"], 10000);
    assert_eq!(preview["required"], json!(["plan_id", "quantity"]));
    let list = schema("list_access_codes");
    assert_eq!(list["properties"]["status"]["enum"], json!(["unredeemed", "redeemed", "expired", "revoked", "all"]));
    let revoke = schema("revoke_access_codes");
    for field in ["code", "batch_id", "plan_id", "dry_run"] {
        assert!(revoke["properties"].get(field).is_some(), "revoke_access_codes lacks {field}");
    }
    assert_eq!(list["properties"]["limit"]["maximum"], 100);
    assert_eq!(list["properties"]["limit"]["default"], 25);
    assert_eq!(list["properties"]["page"]["minimum"], 1);
    client.cancel().await.ok();
}

async fn an_agent_generates_codes_that_arrive_in_the_owners_chat_and_lists_them_masked(engine: Engine) {
    let (app, plan_id) = ann_with_plan(engine).await;
    let client = app.mcp(&app.token(ANN, ALL_ABILITIES).await).await;

    let preview = call_ok(&client, "preview_access_code_cost", json!({"plan_id": plan_id, "quantity": 8})).await;
    assert_eq!(
        preview["data"],
        json!({"plan_id": plan_id, "quantity": 8,
               "preview": {"free_remaining": 5, "chargeable_quantity": 3, "cost": "0.09"},
               "will_bill_overage": true})
    );

    let queued = call_ok(&client, "bulk_generate_access_codes", file_job(&plan_id, 12)).await["data"].clone();
    assert_eq!(queued["status"], "queued");
    assert_eq!(queued["plan_id"], json!(plan_id));
    assert_eq!(queued["quantity"], 12);
    assert_eq!(queued["preview"], json!({"free_remaining": 5, "chargeable_quantity": 7, "cost": "0.21"}));
    assert!(queued["enqueued_at"].as_str().is_some());
    let job_id = queued["job_id"].as_str().unwrap().to_owned();
    assert!(job_id.starts_with("mjb_"));

    let document = app
        .telegram
        .wait_for(Duration::from_secs(30), |requests| requests.iter().find(|r| r.method == "sendDocument").cloned())
        .await;
    assert_eq!(document.int("chat_id"), Some(ANN), "the codes go to the token owner's linked chat");
    let csv_text = String::from_utf8(document.files[0].2.clone()).unwrap();
    let delivered: Vec<String> =
        csv_text.lines().skip(1).map(|line| line.split(',').next().unwrap().to_owned()).collect();
    assert_eq!(delivered.len(), 12);

    let mut status = Value::Null;
    wait_until("get_job_status says the job finished", async || {
        status = call_ok(&client, "get_job_status", json!({"job_id": job_id})).await["data"].clone();
        status["status"] == "completed" || status["status"] == "failed"
    })
    .await;
    let job = app.finished_job(ANN).await;
    let batch_id = ids::public_id(ids::BATCH, job.batch_id.unwrap());
    assert_eq!(status["status"], "completed");
    assert_eq!(status["tool_name"], "bulk_generate_access_codes");
    assert_eq!(status["result"], json!({"count": 12, "batch_id": batch_id}));
    assert_eq!(status["error"], Value::Null);
    assert!(status["started_at"].as_str().is_some() && status["completed_at"].as_str().is_some());

    let first = call_ok(&client, "list_access_codes", json!({"plan_id": plan_id, "limit": 5})).await;
    assert_eq!(first["meta"], json!({"page": 1, "limit": 5, "total": 12, "has_more": true, "status": "all"}));
    let last = call_ok(&client, "list_access_codes", json!({"plan_id": plan_id, "limit": 5, "page": 3})).await;
    assert_eq!(last["meta"]["has_more"], false);
    assert_eq!(last["data"].as_array().unwrap().len(), 2);
    let unredeemed = call_ok(&client, "list_access_codes", json!({"plan_id": plan_id, "status": "unredeemed"})).await;
    assert_eq!(unredeemed["meta"]["total"], 12);
    let redeemed = call_ok(&client, "list_access_codes", json!({"plan_id": plan_id, "status": "redeemed"})).await;
    assert_eq!(redeemed["meta"]["total"], 0);

    let code = &first["data"][0];
    assert!(code["id"].as_str().unwrap().starts_with("acc_"));
    assert_eq!(code["plan_id"], json!(plan_id));
    assert_eq!(code["redeemed_at"], Value::Null);
    assert_eq!(code["redeemed_by"], Value::Null);
    assert_eq!(code["expires_at"], Value::Null);
    assert!(code["created_at"].as_str().is_some());
    let masked = code["code_masked"].as_str().unwrap();
    assert!(masked.starts_with("****-****-") && masked.len() == 14, "{masked}");
    let everything = call_ok(&client, "list_access_codes", json!({"plan_id": plan_id, "limit": 100})).await.to_string();
    for full in &delivered {
        assert!(!everything.contains(full.as_str()), "a full code was listed");
        assert!(everything.contains(&full[10..]), "every code appears masked");
    }
    app.assert_no_violations();
    client.cancel().await.ok();
}

async fn each_tool_refuses_a_token_without_its_ability(engine: Engine) {
    let (app, plan_id) = ann_with_plan(engine).await;
    let client = app.mcp(&app.token(ANN, "mcp:full").await).await;
    for (tool, arguments, ability) in [
        ("bulk_generate_access_codes", file_job(&plan_id, 1), "project-access-code:create"),
        ("preview_access_code_cost", json!({"plan_id": plan_id, "quantity": 1}), "project-access-code:create"),
        ("list_access_codes", json!({"plan_id": plan_id}), "project-access-code:view-any"),
        ("revoke_access_codes", json!({"plan_id": plan_id, "dry_run": true}), "project-access-code:revoke"),
        ("list_batches", json!({}), "project-access-code:view-any"),
    ] {
        let error = call_err(&client, tool, arguments).await;
        assert_eq!(error["code"], "TOKEN_MISSING_ABILITY", "{tool}");
        assert_eq!(error["required_ability"], ability, "{tool}");
    }
    let unknown_job = call_err(&client, "get_job_status", json!({"job_id": "mjb_01J00000000000000000000000"})).await;
    assert_eq!(unknown_job["code"], "RESOURCE_NOT_FOUND", "mcp:full alone may poll jobs");
    assert!(app.jobs_of(ANN).await.is_empty(), "nothing was queued");

    let creator_only = app.token(ANN, "project-access-code:create,project-access-code:view-any").await;
    let refused = app.try_mcp(Some(&creator_only)).await.expect_err("a token without mcp:full cannot connect");
    assert!(refused.contains("InsufficientScope") && refused.contains("mcp:full"), "{refused}");
    let (status, body, challenge) = raw_post(&app.mcp_url(), Some(&creator_only)).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "TOKEN_MISSING_ABILITY");
    assert_eq!(body["error"]["required_ability"], "mcp:full");
    assert!(challenge.unwrap().contains("insufficient_scope"));
    client.cancel().await.ok();
}

async fn no_token_a_wrong_token_and_a_revoked_token_are_refused(engine: Engine) {
    let (app, plan_id) = ann_with_plan(engine).await;
    let token = app.token(ANN, ALL_ABILITIES).await;
    let (id_part, _) = token.rsplit_once('_').unwrap();
    let wrong_secret = format!("{id_part}_{}", "0".repeat(48));
    for presented in [None, Some("abt_nonsense"), Some(wrong_secret.as_str()), Some("Basic dXNlcjpwYXNz")] {
        let (status, body, challenge) = raw_post(&app.mcp_url(), presented).await;
        assert_eq!(status, 401, "{presented:?}");
        assert_eq!(body["error"]["code"], "AUTHENTICATION_REQUIRED");
        assert!(challenge.unwrap().starts_with("Bearer"));
        let refused = app.try_mcp(presented).await.expect_err("refused");
        assert!(refused.contains("AuthRequired"), "{refused}");
    }

    let client = app.mcp(&token).await;
    call_ok(&client, "list_access_codes", json!({"plan_id": plan_id})).await;
    let creator = app.creator(ANN).await;
    let listed = accessbot::domain::tokens::list_tokens(&app.db, &creator).await.unwrap();
    assert!(listed[0].last_used_at.is_some(), "a call records when the token was last used");
    accessbot::domain::tokens::revoke_token(&app.db, &creator, listed[0].id, accessbot::domain::clock::now())
        .await
        .unwrap();
    let refused = try_call(&client, "list_access_codes", json!({"plan_id": plan_id})).await;
    assert!(refused.is_err_and(|e| e.contains("AuthRequired")), "the very next call is refused");
    let (status, _, _) = raw_post(&app.mcp_url(), Some(&token)).await;
    assert_eq!(status, 401);
}

async fn another_teams_plan_and_another_creators_job_are_not_found(engine: Engine) {
    let (app, ann_plan) = ann_with_plan(engine).await;
    app.make_creator(BOB, "Bob").await;
    app.send_text(BOB, "Bob", "/newplan Gold 7d").await;
    let bob = app.mcp(&app.token(BOB, ALL_ABILITIES).await).await;
    let ann = app.mcp(&app.token(ANN, ALL_ABILITIES).await).await;

    for (tool, arguments) in [
        ("bulk_generate_access_codes", file_job(&ann_plan, 1)),
        ("preview_access_code_cost", json!({"plan_id": ann_plan, "quantity": 1})),
        ("list_access_codes", json!({"plan_id": ann_plan})),
        ("list_access_codes", json!({"plan_id": "pln_01J00000000000000000000000"})),
    ] {
        let error = call_err(&bob, tool, arguments).await;
        assert_eq!(error["code"], "RESOURCE_NOT_FOUND", "{tool}");
    }
    assert!(app.jobs_of(BOB).await.is_empty());

    let ann_job = call_ok(&ann, "bulk_generate_access_codes", file_job(&ann_plan, 1)).await["data"]["job_id"].clone();
    let foreign = call_err(&bob, "get_job_status", json!({"job_id": ann_job})).await;
    let missing = call_err(&bob, "get_job_status", json!({"job_id": "mjb_01J00000000000000000000000"})).await;
    assert_eq!(foreign["code"], "RESOURCE_NOT_FOUND");
    assert_eq!(foreign, missing, "another creator's job looks exactly like no job");
    app.finished_job(ANN).await;
}

async fn each_invalid_field_is_named_in_a_validation_error(engine: Engine) {
    let (app, plan_id) = ann_with_plan(engine).await;
    let client = app.mcp(&app.token(ANN, ALL_ABILITIES).await).await;
    let generate = |changes: Value| {
        let mut arguments = file_job(&plan_id, 10);
        for (key, value) in changes.as_object().unwrap() {
            if value.is_null() {
                arguments.as_object_mut().unwrap().remove(key);
            } else {
                arguments[key] = value.clone();
            }
        }
        arguments
    };
    let cases = [
        ("bulk_generate_access_codes", generate(json!({"quantity": 0})), "quantity"),
        ("bulk_generate_access_codes", generate(json!({"quantity": 1001})), "quantity"),
        ("bulk_generate_access_codes", generate(json!({"quantity": "many"})), "quantity"),
        ("bulk_generate_access_codes", generate(json!({"quantity": 2.5})), "quantity"),
        ("bulk_generate_access_codes", generate(json!({"quantity": null})), "quantity"),
        ("bulk_generate_access_codes", generate(json!({"plan_id": null})), "plan_id"),
        ("bulk_generate_access_codes", generate(json!({"plan_id": 42})), "plan_id"),
        ("bulk_generate_access_codes", generate(json!({"export_type": "fax"})), "export_type"),
        ("bulk_generate_access_codes", generate(json!({"export_type": "messages"})), "consent"),
        ("bulk_generate_access_codes", generate(json!({"export_type": "messages", "consent": "yes"})), "consent"),
        ("bulk_generate_access_codes", generate(json!({"expiry_preset": "2_days"})), "expiry_preset"),
        ("bulk_generate_access_codes", generate(json!({"expiry_preset": null})), "expiry_preset"),
        (
            "bulk_generate_access_codes",
            generate(json!({"expiry_preset": "custom", "custom_expiry_type": "days"})),
            "custom_expiry_amount",
        ),
        (
            "bulk_generate_access_codes",
            generate(json!({"expiry_preset": "custom", "custom_expiry_amount": 3, "custom_expiry_type": "decades"})),
            "custom_expiry_type",
        ),
        (
            "bulk_generate_access_codes",
            generate(json!({"expiry_preset": "custom", "custom_expiry_amount": 0, "custom_expiry_type": "days"})),
            "custom_expiry_amount",
        ),
        ("preview_access_code_cost", json!({"plan_id": plan_id, "quantity": 10001}), "quantity"),
        ("preview_access_code_cost", json!({"plan_id": plan_id, "quantity": 0}), "quantity"),
        ("preview_access_code_cost", json!({"quantity": 5}), "plan_id"),
        ("list_access_codes", json!({"plan_id": plan_id, "status": "lost"}), "status"),
        ("list_access_codes", json!({"plan_id": plan_id, "limit": 0}), "limit"),
        ("list_access_codes", json!({"plan_id": plan_id, "limit": 101}), "limit"),
        ("list_access_codes", json!({"plan_id": plan_id, "page": 0}), "page"),
        ("get_job_status", json!({}), "job_id"),
    ];
    for (tool, arguments, field) in cases {
        let error = call_err(&client, tool, arguments.clone()).await;
        assert_eq!(error["code"], "VALIDATION_FAILED", "{tool} {arguments}");
        assert_eq!(error["field"], field, "{tool} {arguments}");
        let message = error["message"].as_str().unwrap();
        assert!(message.starts_with(field), "the message names the field: {message}");
    }
    let with_consent = call_ok(
        &client,
        "bulk_generate_access_codes",
        generate(json!({"export_type": "messages", "consent": true, "quantity": 2})),
    )
    .await;
    assert_eq!(with_consent["data"]["status"], "queued");
    assert_eq!(app.jobs_of(ANN).await.len(), 1, "only the valid request was queued");
    app.finished_job(ANN).await;
}

async fn the_121st_call_in_a_minute_is_rate_limited(engine: Engine) {
    let (app, plan_id) = ann_with_plan(engine).await;
    let busy = app.mcp(&app.token(ANN, ALL_ABILITIES).await).await;
    let calm = app.mcp(&app.token(ANN, ALL_ABILITIES).await).await;
    for _ in 0..120 {
        call_ok(&busy, "preview_access_code_cost", json!({"plan_id": plan_id, "quantity": 1})).await;
    }
    let limited = call_err(&busy, "preview_access_code_cost", json!({"plan_id": plan_id, "quantity": 1})).await;
    assert_eq!(limited["code"], "RATE_LIMITED");
    let retry_after = limited["retry_after"].as_u64().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    call_ok(&calm, "preview_access_code_cost", json!({"plan_id": plan_id, "quantity": 1})).await;
}

async fn a_creator_without_a_linked_chat_is_told_so_and_nothing_is_queued(engine: Engine) {
    use accessbot::db::entities::creator;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let (app, plan_id) = ann_with_plan(engine).await;
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    creator::Entity::update_many()
        .col_expr(creator::Column::LinkedChatId, Expr::value(Option::<i64>::None))
        .filter(creator::Column::TelegramUserId.eq(ANN))
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.ok();
    let client = app.mcp(&app.token(ANN, ALL_ABILITIES).await).await;
    let error = call_err(&client, "bulk_generate_access_codes", file_job(&plan_id, 3)).await;
    assert_eq!(error["code"], "VALIDATION_FAILED");
    assert_eq!(error["field"], "linked_chat");
    assert!(error["message"].as_str().unwrap().contains("no linked Telegram chat"), "{error}");
    assert!(app.jobs_of(ANN).await.is_empty());
}

async fn healthz_answers_while_the_database_does(engine: Engine) {
    let (app, _) = ann_with_plan(engine).await;
    let response = reqwest::get(format!("http://{}/healthz", app.http_addr)).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let request_id = response.headers().get("x-request-id").expect("each answer names its request").clone();
    assert_eq!(response.text().await.unwrap(), "ok");
    let again = reqwest::get(format!("http://{}/healthz", app.http_addr)).await.unwrap();
    assert_ne!(again.headers().get("x-request-id"), Some(&request_id), "one id per request");
}

on_every_engine!(
    tools_list_shows_every_tool_with_its_schema,
    an_agent_generates_codes_that_arrive_in_the_owners_chat_and_lists_them_masked,
    each_tool_refuses_a_token_without_its_ability,
    no_token_a_wrong_token_and_a_revoked_token_are_refused,
    another_teams_plan_and_another_creators_job_are_not_found,
    each_invalid_field_is_named_in_a_validation_error,
    the_121st_call_in_a_minute_is_rate_limited,
    a_creator_without_a_linked_chat_is_told_so_and_nothing_is_queued,
    healthz_answers_while_the_database_does,
);

/// The `curl` handshake the README shows, step by step.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_handshake_over_plain_http_lists_the_tools() {
    let (app, _) = ann_with_plan(Engine::Sqlite).await;
    let token = app.token(ANN, ALL_ABILITIES).await;
    let http = reqwest::Client::new();
    let post = |body: Value| {
        http.post(app.mcp_url())
            .bearer_auth(&token)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18")
            .json(&body)
    };
    let initialize = post(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "curl", "version": "1"}}}))
    .send()
    .await
    .unwrap();
    assert_eq!(initialize.status().as_u16(), 200);
    let answer: Value = initialize.json().await.unwrap();
    assert_eq!(answer["result"]["serverInfo"]["name"], "accessbot", "{answer}");
    let listed = post(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).send().await.unwrap();
    assert_eq!(listed.status().as_u16(), 200);
    let answer: Value = listed.json().await.unwrap();
    assert_eq!(answer["result"]["tools"].as_array().map(Vec::len), Some(10), "{answer}");
}
