//! A batch's label (at most 64 characters), as the creator names it when generating: "Reseller Anna",
//! "Black Friday". The draft and the job carry it until the batch is drawn. And the indexes `/batches` and
//! `list_batches` read a team's (or a plan's) batches newest first by, without scanning every team's.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::string_null;

use crate::indexes;

const INDEXES: &[indexes::Named] = &[
    ("access_code_batches_team_newest", "access_code_batches", &["team_id", "id"]),
    ("access_code_batches_plan_newest", "access_code_batches", &["plan_id", "id"]),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GenerationDrafts {
    Table,
}

#[derive(DeriveIden)]
enum GenerationJobs {
    Table,
}

#[derive(DeriveIden)]
enum AccessCodeBatches {
    Table,
}

#[derive(DeriveIden)]
enum Column {
    Label,
}

fn tables() -> [DynIden; 3] {
    [GenerationDrafts::Table.into_iden(), GenerationJobs::Table.into_iden(), AccessCodeBatches::Table.into_iden()]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            let alter = Table::alter().table(table).add_column(string_null(Column::Label)).to_owned();
            manager.alter_table(alter).await?;
        }
        indexes::create(manager, INDEXES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        indexes::drop(manager, INDEXES).await?;
        for table in tables() {
            manager.alter_table(Table::alter().table(table).drop_column(Column::Label).to_owned()).await?;
        }
        Ok(())
    }
}
