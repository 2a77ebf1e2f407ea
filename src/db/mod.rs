//! Database access: the connection, the entities and the queries the domain needs.
//! This is the only module that speaks sea-orm.
pub mod access;
pub mod batches;
pub mod codes;
pub mod conversations;
pub mod entities;
pub mod generation;
pub mod inbox;
pub mod metrics;
pub mod notices;
pub mod plans;
pub mod redemption;
pub mod rollback;
pub mod teams;
pub mod tokens;
pub mod webhooks;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseBackend, DatabaseConnection};

pub use sea_orm::DbErr as DbError;

/// Domain states stored as text columns. Each reads back through its `FromStr`, so a spelling this version
/// does not know is a database error (logged with a reference where it surfaces), never a default.
macro_rules! stored_as_text {
    ($($state:ty),+ $(,)?) => { $(
        impl From<$state> for sea_orm::Value {
            fn from(state: $state) -> Self {
                state.as_str().into()
            }
        }

        impl sea_orm::TryGetable for $state {
            fn try_get_by<I: sea_orm::ColIdx>(row: &sea_orm::QueryResult, index: I) -> Result<Self, sea_orm::TryGetError> {
                let spelling = String::try_get_by(row, index)?;
                spelling.parse().map_err(|error| {
                    sea_orm::TryGetError::DbErr(DbError::TryIntoErr {
                        from: "String",
                        into: stringify!($state),
                        source: std::sync::Arc::new(error),
                    })
                })
            }
        }

        impl sea_orm::sea_query::ValueType for $state {
            fn try_from(value: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
                let spelling = <String as sea_orm::sea_query::ValueType>::try_from(value)?;
                spelling.parse().map_err(|_| sea_orm::sea_query::ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($state).to_owned()
            }

            fn array_type() -> sea_orm::sea_query::ArrayType {
                sea_orm::sea_query::ArrayType::String
            }

            fn column_type() -> sea_orm::sea_query::ColumnType {
                sea_orm::sea_query::ColumnType::String(sea_orm::sea_query::StringLen::None)
            }
        }

        impl sea_orm::sea_query::Nullable for $state {
            fn null() -> sea_orm::Value {
                sea_orm::Value::String(None)
            }
        }

        impl sea_orm::IntoActiveValue<$state> for $state {
            fn into_active_value(self) -> sea_orm::ActiveValue<$state> {
                sea_orm::ActiveValue::Set(self)
            }
        }
    )+ };
}

/// What a guided conversation collected so far, stored as JSON text; text that does not read back is a
/// database error, so a damaged conversation is reported rather than silently started over.
impl From<crate::domain::conversations::FlowState> for sea_orm::Value {
    fn from(state: crate::domain::conversations::FlowState) -> Self {
        serde_json::to_string(&state).expect("a conversation's state serialises").into()
    }
}

impl sea_orm::TryGetable for crate::domain::conversations::FlowState {
    fn try_get_by<I: sea_orm::ColIdx>(row: &sea_orm::QueryResult, index: I) -> Result<Self, sea_orm::TryGetError> {
        let json = String::try_get_by(row, index)?;
        serde_json::from_str(&json).map_err(|error| {
            sea_orm::TryGetError::DbErr(DbError::TryIntoErr {
                from: "String",
                into: "FlowState",
                source: std::sync::Arc::new(error),
            })
        })
    }
}

impl sea_orm::sea_query::ValueType for crate::domain::conversations::FlowState {
    fn try_from(value: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
        let json = <String as sea_orm::sea_query::ValueType>::try_from(value)?;
        serde_json::from_str(&json).map_err(|_| sea_orm::sea_query::ValueTypeErr)
    }

    fn type_name() -> String {
        "FlowState".to_owned()
    }

    fn array_type() -> sea_orm::sea_query::ArrayType {
        sea_orm::sea_query::ArrayType::String
    }

    fn column_type() -> sea_orm::sea_query::ColumnType {
        sea_orm::sea_query::ColumnType::Text
    }
}

impl sea_orm::sea_query::Nullable for crate::domain::conversations::FlowState {
    fn null() -> sea_orm::Value {
        sea_orm::Value::String(None)
    }
}

impl sea_orm::IntoActiveValue<crate::domain::conversations::FlowState> for crate::domain::conversations::FlowState {
    fn into_active_value(self) -> sea_orm::ActiveValue<Self> {
        sea_orm::ActiveValue::Set(self)
    }
}

stored_as_text!(
    crate::domain::access::MembershipStatus,
    crate::domain::access::RemovalReason,
    crate::domain::access_code::CodeStatus,
    crate::domain::billing::UsageStatus,
    crate::domain::subscriptions::SubscriptionChange,
    crate::domain::conversations::ConversationKind,
    crate::domain::conversations::ConversationStatus,
    crate::domain::conversations::Step,
    crate::domain::generation::DraftStatus,
    crate::domain::generation::ExportType,
    crate::domain::jobs::JobStatus,
    crate::domain::notices::NoticeKind,
    crate::domain::notices::RedemptionNotices,
    crate::domain::plans::ChatRightsProblem,
    crate::domain::plans::PlanStatus,
    crate::domain::tokens::TokenDraftStatus,
    crate::domain::webhooks::EndpointStatus,
    crate::domain::webhooks::PauseReason,
    crate::domain::webhooks::WebhookDeliveryStatus,
);

/// The file of a SQLite database URL (`sqlite://path?mode=rwc`); None for anything else or in memory.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let path = url.strip_prefix("sqlite:")?.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
}

/// Creates the database file readable by its owner only, before SQLite does; SQLite gives its `-wal` and
/// `-shm` files the same permissions as the database.
fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => tighten(path),
        Err(error) => Err(error),
    }
}

/// A database an earlier version created readable by everyone becomes its owner's only, with its journal.
fn tighten(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm"] {
        use std::os::unix::fs::PermissionsExt;
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

/// A pooled connection to SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        if let Some(path) = sqlite_path(url) {
            create_private_file(&path)
                .map_err(|error| DbError::Custom(format!("cannot create {}: {error}", path.display())))?;
        }
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

    /// Writes a consistent copy of a SQLite database into a new file, while others go on writing.
    pub async fn copy_into(&self, target: &std::path::Path) -> Result<(), DbError> {
        let target = target.to_str().ok_or(DbError::Custom("the backup path is not UTF-8".to_owned()))?;
        sea_orm::ConnectionTrait::execute_unprepared(
            &self.conn,
            &format!("VACUUM INTO '{}'", target.replace('\'', "''")),
        )
        .await?;
        Ok(())
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
