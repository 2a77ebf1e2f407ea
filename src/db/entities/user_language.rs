//! The `user_languages` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_languages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub telegram_user_id: i64,
    pub language_code: String,
    pub updated_at: DateTimeUtc,
    /// Chosen with `/language`; false for an app language remembered at a redemption.
    pub chosen: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
