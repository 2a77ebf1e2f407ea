//! A subscriber's Telegram app language, remembered when they redeem, so the messages the bot sends them later
//! unasked (access ended, reminders) are in their language. A row chosen with `/language` stays marked as
//! chosen and wins over the app's language; a remembered one only stands in when there is no update to read
//! the language from.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserLanguages {
    Table,
    Chosen,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut chosen = ColumnDef::new(UserLanguages::Chosen);
        chosen.boolean().not_null().default(true);
        manager.alter_table(Table::alter().table(UserLanguages::Table).add_column(&mut chosen).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(UserLanguages::Table).drop_column(UserLanguages::Chosen).to_owned())
            .await
    }
}
