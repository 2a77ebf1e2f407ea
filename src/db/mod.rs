//! Database access: the connection, the entities and the queries the domain needs.
//! This is the only module that speaks sea-orm.
pub mod codes;
pub mod conversations;
pub mod entities;
pub mod generation;
pub mod plans;
pub mod redemption;
pub mod teams;
pub mod tokens;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseBackend, DatabaseConnection};

pub use sea_orm::DbErr as DbError;

/// A pooled connection to SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|opts| {
                opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(30))
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
        let conn = Database::connect(options).await?;
        Migrator::up(&conn, None).await?;
        Ok(Self { conn })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.conn.ping().await
    }

    pub fn is_postgres(&self) -> bool {
        self.conn.get_database_backend() == DatabaseBackend::Postgres
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }
}
