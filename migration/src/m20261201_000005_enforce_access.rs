//! Access enforcement: the chats a plan unlocks (one or more), one join-request link per subscription and
//! chat, the members the bot admitted and their removal, reminders sent, and what a subscription's end
//! has done so far.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlanChats::Table)
                    .col(uuid(PlanChats::PlanId))
                    .col(big_integer(PlanChats::ChatId))
                    .col(uuid(PlanChats::TeamId))
                    .col(string(PlanChats::Title))
                    .col(string_null(PlanChats::RightsProblem))
                    .col(timestamp_with_time_zone_null(PlanChats::ProblemToldAt))
                    .col(timestamp_with_time_zone(PlanChats::LinkedAt))
                    .primary_key(Index::create().col(PlanChats::PlanId).col(PlanChats::ChatId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("plan_chats_chat").table(PlanChats::Table).col(PlanChats::ChatId).to_owned(),
            )
            .await?;
        // Each plan's one linked chat becomes its first chat; the column goes.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO plan_chats (plan_id, chat_id, team_id, title, linked_at) \
                 SELECT id, linked_chat_id, team_id, '', created_at FROM plans WHERE linked_chat_id IS NOT NULL",
            )
            .await?;
        manager.alter_table(Table::alter().table(Plans::Table).drop_column(Plans::LinkedChatId).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(JoinLinks::Table)
                    .col(pk_uuid(JoinLinks::Id))
                    .col(uuid(JoinLinks::SubscriptionId))
                    .col(big_integer(JoinLinks::ChatId))
                    .col(string_uniq(JoinLinks::InviteLink))
                    .col(timestamp_with_time_zone(JoinLinks::CreatedAt))
                    .col(timestamp_with_time_zone_null(JoinLinks::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("join_links_subscription_chat")
                    .table(JoinLinks::Table)
                    .col(JoinLinks::SubscriptionId)
                    .col(JoinLinks::ChatId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(pk_uuid(Memberships::Id))
                    .col(uuid(Memberships::TeamId))
                    .col(big_integer(Memberships::ChatId))
                    .col(big_integer(Memberships::TelegramUserId))
                    .col(uuid(Memberships::SubscriptionId))
                    .col(string(Memberships::Status))
                    .col(timestamp_with_time_zone(Memberships::AdmittedAt))
                    .col(string_null(Memberships::RemovalReason))
                    .col(timestamp_with_time_zone_null(Memberships::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Memberships::LockedUntil))
                    .col(integer(Memberships::Attempts).default(0))
                    .col(string_null(Memberships::LastError))
                    .col(timestamp_with_time_zone_null(Memberships::EndedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("memberships_chat_user")
                    .table(Memberships::Table)
                    .col(Memberships::ChatId)
                    .col(Memberships::TelegramUserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("memberships_status_due")
                    .table(Memberships::Table)
                    .col(Memberships::Status)
                    .col(Memberships::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Reminders::Table)
                    .col(uuid(Reminders::SubscriptionId))
                    .col(timestamp_with_time_zone(Reminders::EndsAt))
                    .col(big_integer(Reminders::OffsetSeconds))
                    .col(timestamp_with_time_zone(Reminders::SentAt))
                    .primary_key(
                        Index::create()
                            .col(Reminders::SubscriptionId)
                            .col(Reminders::EndsAt)
                            .col(Reminders::OffsetSeconds),
                    )
                    .to_owned(),
            )
            .await?;

        for mut column in [
            string_null(Subscriptions::SubscriberUsername),
            timestamp_with_time_zone_null(Subscriptions::EndHandledAt),
            timestamp_with_time_zone_null(Subscriptions::EndToldAt),
        ] {
            manager.alter_table(Table::alter().table(Subscriptions::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("subscriptions_ends_at")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::EndsAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Subscriptions::EndToldAt, Subscriptions::EndHandledAt, Subscriptions::SubscriberUsername] {
            manager.alter_table(Table::alter().table(Subscriptions::Table).drop_column(column).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter().table(Plans::Table).add_column(big_integer_null(Plans::LinkedChatId)).to_owned(),
            )
            .await?;
        for table in [
            Reminders::Table.into_iden(),
            Memberships::Table.into_iden(),
            JoinLinks::Table.into_iden(),
            PlanChats::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum PlanChats {
    Table,
    PlanId,
    ChatId,
    TeamId,
    Title,
    RightsProblem,
    ProblemToldAt,
    LinkedAt,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    LinkedChatId,
}

#[derive(DeriveIden)]
enum JoinLinks {
    Table,
    Id,
    SubscriptionId,
    ChatId,
    InviteLink,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    TeamId,
    ChatId,
    TelegramUserId,
    SubscriptionId,
    Status,
    AdmittedAt,
    RemovalReason,
    NextAttemptAt,
    LockedUntil,
    Attempts,
    LastError,
    EndedAt,
}

#[derive(DeriveIden)]
enum Reminders {
    Table,
    SubscriptionId,
    EndsAt,
    OffsetSeconds,
    SentAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    EndsAt,
    SubscriberUsername,
    EndHandledAt,
    EndToldAt,
}
