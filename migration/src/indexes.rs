//! Plain indexes named by a table of `(name, table, columns)`, made and dropped together.
use sea_orm_migration::prelude::*;

/// An index's name, its table and its columns in order.
pub type Named = (&'static str, &'static str, &'static [&'static str]);

pub async fn create(manager: &SchemaManager<'_>, indexes: &[Named]) -> Result<(), DbErr> {
    for (name, table, columns) in indexes {
        let mut index = Index::create();
        index.name(*name).table(Alias::new(*table));
        for column in *columns {
            index.col(Alias::new(*column));
        }
        manager.create_index(index.to_owned()).await?;
    }
    Ok(())
}

pub async fn drop(manager: &SchemaManager<'_>, indexes: &[Named]) -> Result<(), DbErr> {
    for (name, table, _) in indexes {
        manager.drop_index(Index::drop().name(*name).table(Alias::new(*table)).to_owned()).await?;
    }
    Ok(())
}
