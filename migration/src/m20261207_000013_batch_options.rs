//! What a creator chooses for a batch besides its size and expiry, carried by the draft and the job until the
//! batch is drawn, and kept by the batch: its label (at most 64 characters: "Reseller Anna"), the prefix of its
//! codes (2 to 6 letters or digits: `VIP-XXXX-XXXX-XXXX`), and who may redeem them (`new`, `returning`, or
//! anyone when null). And the indexes `/batches` and `list_batches` read a team's (or a plan's) batches
//! newest first by, without scanning every team's.
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
    Prefix,
    Eligibility,
}

fn tables() -> [DynIden; 3] {
    [GenerationDrafts::Table.into_iden(), GenerationJobs::Table.into_iden(), AccessCodeBatches::Table.into_iden()]
}

const COLUMNS: [Column; 3] = [Column::Label, Column::Prefix, Column::Eligibility];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            for column in COLUMNS {
                let alter = Table::alter().table(table.clone()).add_column(string_null(column)).to_owned();
                manager.alter_table(alter).await?;
            }
        }
        indexes::create(manager, INDEXES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        indexes::drop(manager, INDEXES).await?;
        for table in tables() {
            for column in COLUMNS {
                manager.alter_table(Table::alter().table(table.clone()).drop_column(column).to_owned()).await?;
            }
        }
        Ok(())
    }
}
