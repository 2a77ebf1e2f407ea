//! The creator's guided conversations (kept across restarts) and each user's chosen language.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Conversations::Table)
                    .col(pk_uuid(Conversations::Id))
                    .col(big_integer(Conversations::TelegramUserId))
                    .col(big_integer(Conversations::ChatId))
                    .col(string(Conversations::Kind))
                    .col(string(Conversations::Step))
                    .col(integer(Conversations::Revision))
                    .col(text(Conversations::State))
                    .col(integer_null(Conversations::MessageId))
                    .col(string(Conversations::Status))
                    .col(timestamp_with_time_zone(Conversations::CreatedAt))
                    .col(timestamp_with_time_zone(Conversations::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversations_user_chat_status")
                    .table(Conversations::Table)
                    .col(Conversations::TelegramUserId)
                    .col(Conversations::ChatId)
                    .col(Conversations::Status)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserLanguages::Table)
                    .col(big_integer(UserLanguages::TelegramUserId).primary_key())
                    .col(string(UserLanguages::LanguageCode))
                    .col(timestamp_with_time_zone(UserLanguages::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UserLanguages::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Conversations::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Id,
    TelegramUserId,
    ChatId,
    Kind,
    Step,
    Revision,
    State,
    MessageId,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserLanguages {
    Table,
    TelegramUserId,
    LanguageCode,
    UpdatedAt,
}
