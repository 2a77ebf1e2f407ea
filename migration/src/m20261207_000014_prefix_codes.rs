//! The prefix a creator chooses for a batch's codes (2 to 6 letters or digits: `VIP-XXXX-XXXX-XXXX`). The
//! draft and the job carry it until the batch is drawn; the batch keeps it.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::string_null;

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
    Prefix,
}

fn tables() -> [DynIden; 3] {
    [GenerationDrafts::Table.into_iden(), GenerationJobs::Table.into_iden(), AccessCodeBatches::Table.into_iden()]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            let alter = Table::alter().table(table).add_column(string_null(Column::Prefix)).to_owned();
            manager.alter_table(alter).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.alter_table(Table::alter().table(table).drop_column(Column::Prefix).to_owned()).await?;
        }
        Ok(())
    }
}
