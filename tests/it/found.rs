//! What testing found on the way: lists too long for one message, echoes too long for a reply, durations
//! beyond reason, a database readable by everyone, and invite links of earlier versions.
use accessbot::domain::clock::now;
use accessbot::domain::plans;
use accessbot::domain::tokens::{self, Abilities, Ability};
use serde_json::json;

use crate::on_every_engine;
use crate::support::fake_telegram::Recorded;
use crate::support::{Engine, TestApp};

const ANN: i64 = 9501;

/// What Telegram takes in one message.
fn fits_telegram(shown: &Recorded) {
    let text = shown.str("text").unwrap();
    assert!(text.chars().count() <= 4096, "{} characters", text.chars().count());
    assert!(TestApp::buttons(shown).len() <= 100, "{} buttons", TestApp::buttons(shown).len());
}

async fn lists_of_thirty_long_plans_and_tokens_are_paged(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    let creator = app.creator(ANN).await;
    for n in 0..30 {
        let name = format!("{n:02} {}", "A very long plan name that goes on and on and on and ".repeat(2));
        plans::create_plan(&app.db, creator.team_id, &name[..64], "30d", now()).await.unwrap();
        let abilities = Abilities::default().toggled(Ability::McpFull);
        tokens::create_token(&app.db, &app.secret, &creator, &name[..64], abilities, now()).await.unwrap();
    }
    for command in ["/plans", "/tokens", "/codes"] {
        let first = app.send_text(ANN, "Ann", command).await;
        fits_telegram(&first);
        assert!(first.str("text").unwrap().contains("(page 1 of 4)"), "{command}: {first:?}");
        let next = TestApp::button_labeled(&first, "Next");
        let second = app.tap_edit(ANN, &first, &next).await;
        fits_telegram(&second);
        assert!(second.str("text").unwrap().contains("(page 2 of 4)"), "{command}: {second:?}");
    }
    app.assert_no_violations();
}

async fn a_long_resend_argument_is_not_echoed_back_whole(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    let answer = app.send_text(ANN, "Ann", &format!("/resend {}", "x".repeat(4000))).await;
    assert!(answer.str("text").unwrap().chars().count() < 300, "{answer:?}");
    app.assert_no_violations();
}

async fn plan_durations_read_words_and_refuse_centuries(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    let words = app.send_text(ANN, "Ann", "/newplan VIP Club 30 days").await;
    assert!(words.str("text").unwrap().contains("“VIP Club” created: 30 days"), "{words:?}");
    let centuries = app.send_text(ANN, "Ann", "/newplan Forever-ish 36600y").await;
    assert!(centuries.str("text").unwrap().contains("100 years"), "{centuries:?}");
    app.assert_no_violations();
}

async fn invite_links_of_earlier_versions_are_revoked_at_start(engine: Engine) {
    use accessbot::db::entities::chat_invite;
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let mut app = TestApp::spawn(engine).await;
    let link = "https://t.me/+legacy-member-limit-link";
    let invite = chat_invite::Model {
        id: uuid::Uuid::now_v7(),
        subscription_id: uuid::Uuid::now_v7(),
        chat_id: -100_950,
        invite_link: link.to_owned(),
        expires_at: now() + chrono::Duration::hours(20),
        created_at: now(),
        joined_by: None,
        revoked_at: None,
    };
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    invite.into_active_model().insert(&conn).await.unwrap();
    conn.close().await.unwrap();
    app.stop().await;
    app.start_instance().await;
    let revoked = app
        .telegram
        .wait_for(crate::support::app::WAIT, |r| r.iter().find(|r| r.method == "revokeChatInviteLink").cloned())
        .await;
    assert_eq!(revoked.str("invite_link"), Some(link));
    assert_eq!(revoked.params.get("chat_id"), Some(&json!(-100_950)));
    app.assert_no_violations();
}

async fn a_plan_s_one_linked_chat_becomes_its_first_chat_in_the_migration(engine: Engine) {
    use accessbot::db::entities::{plan, plan_chat, team};
    use accessbot::domain::plans::PlanStatus;
    use migration::MigratorTrait;
    use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};
    let (url, _dir) = engine.fresh_database().await;
    let conn = sea_orm::Database::connect(url.as_str()).await.unwrap();
    migration::Migrator::up(&conn, Some(4)).await.unwrap();
    let team_id = uuid::Uuid::now_v7();
    let team = team::Model {
        id: team_id,
        name: "Ann".to_owned(),
        tier_id: "free".to_owned(),
        stripe_customer_id: None,
        billing_anchor_at: now(),
        created_at: now(),
    };
    team.into_active_model().insert(&conn).await.unwrap();
    let vip = plan::Model {
        id: uuid::Uuid::now_v7(),
        team_id,
        name: "VIP".to_owned(),
        name_key: "vip".to_owned(),
        duration_unit: "days".to_owned(),
        duration_amount: 30,
        status: PlanStatus::Active,
        created_at: now(),
    };
    vip.clone().into_active_model().insert(&conn).await.unwrap();
    conn.execute_unprepared("UPDATE plans SET linked_chat_id = -100951 WHERE name_key = 'vip'").await.unwrap();
    migration::Migrator::up(&conn, None).await.unwrap();
    let chats = plan_chat::Entity::find().all(&conn).await.unwrap();
    assert_eq!(chats.len(), 1);
    assert_eq!((chats[0].plan_id, chats[0].chat_id, chats[0].team_id), (vip.id, -100_951, team_id));
    conn.close().await.unwrap();
}

on_every_engine!(
    a_plan_s_one_linked_chat_becomes_its_first_chat_in_the_migration,
    lists_of_thirty_long_plans_and_tokens_are_paged,
    a_long_resend_argument_is_not_echoed_back_whole,
    plan_durations_read_words_and_refuse_centuries,
    invite_links_of_earlier_versions_are_revoked_at_start,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn(Engine::Sqlite).await;
    app.make_creator(ANN, "Ann").await;
    let path = accessbot::db::sqlite_path(&app.settings.database_url).unwrap();
    for suffix in ["", "-wal"] {
        let file = format!("{}{suffix}", path.display());
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file} is {mode:o}");
    }
}
