//! Rendering domain results and errors as translated text.
use chrono::{DateTime, Utc};

use teloxide::types::MessageEntity;

use crate::config::ThrottleSettings;
use crate::db::plans::Plan;
use crate::domain::generation::{ExportType, GenerationCard};
use crate::domain::jobs::JobView;
use crate::domain::plans::PlanDuration;
use crate::domain::{DomainError, ValidationReason, ids};
use crate::i18n::{Arg, Lang};

/// A monospace entity over `needle` in `text`, with offsets in UTF-16 units as Telegram counts them.
pub fn monospace(text: &str, needle: &str) -> Vec<MessageEntity> {
    let Some(byte_offset) = text.find(needle) else {
        return Vec::new();
    };
    vec![MessageEntity::code(text[..byte_offset].encode_utf16().count(), needle.encode_utf16().count())]
}

/// A time as people read it, with the month's name in their language: `24 Dec 2026, 14:00 UTC`.
pub fn format_time(lang: &Lang, at: DateTime<Utc>) -> String {
    use chrono::Datelike;
    lang.t_with(
        "date-time",
        &[
            ("day", at.day().to_string().into()),
            ("month", lang.t(&format!("month-{}", at.month())).into()),
            ("year", at.year().to_string().into()),
            ("time", at.format("%H:%M").to_string().into()),
        ],
    )
}

pub fn error_text(lang: &Lang, error: &DomainError) -> String {
    match error {
        DomainError::Validation { field, reason } => lang.t_with(
            "error-validation",
            &[("field", lang.t(&format!("field-{field}")).into()), ("reason", validation_reason(lang, reason).into())],
        ),
        DomainError::NotFound { resource } => lang.t(&format!("error-not-found-{resource}")),
        DomainError::AuthenticationRequired => lang.t("error-authentication-required"),
        DomainError::TokenMissingAbility { ability } => {
            lang.t_with("error-token-missing-ability", &[("ability", (*ability).into())])
        }
        DomainError::RateLimited { retry_after_secs } => {
            lang.t_with("error-rate-limited", &[("seconds", (*retry_after_secs as i64).into())])
        }
        DomainError::Internal { reference } => {
            lang.t_with("error-internal", &[("reference", reference.as_str().into())])
        }
    }
}

pub fn validation_reason(lang: &Lang, reason: &ValidationReason) -> String {
    let key = format!("validation-{}", reason.key());
    match reason {
        ValidationReason::OutOfRange { min, max } => {
            lang.t_with(&key, &[("min", (*min).into()), ("max", (*max).into())])
        }
        ValidationReason::UnknownValue { allowed } => lang.t_with(&key, &[("allowed", allowed.join(", ").into())]),
        ValidationReason::TooFarAhead { max_years } => lang.t_with(&key, &[("years", (*max_years).into())]),
        ValidationReason::TooLong { max } => lang.t_with(&key, &[("max", (*max).into())]),
        ValidationReason::WrongType { expected } => lang.t_with(&key, &[("expected", (*expected).into())]),
        _ => lang.t(&key),
    }
}

pub fn duration_text(lang: &Lang, duration: PlanDuration) -> String {
    match duration {
        PlanDuration::Lifetime => lang.t("duration-lifetime"),
        PlanDuration::Span { amount, unit } => {
            lang.t_with(&format!("duration-{}", unit.as_str()), &[("count", i64::from(amount).into())])
        }
    }
}

pub fn plan_line(lang: &Lang, plan: &Plan) -> String {
    let duration = PlanDuration::from_columns(&plan.duration_unit, plan.duration_amount);
    lang.t_with(
        "plan-line",
        &[
            ("name", plan.name.as_str().into()),
            ("duration", duration_text(lang, duration).into()),
            ("plan_id", ids::public_id(ids::PLAN, plan.id).into()),
            ("status", lang.t(&format!("plan-status-{}", plan.status)).into()),
            (
                "linked",
                lang.t(if plan.linked_chat_id.is_some() { "plan-chat-linked" } else { "plan-chat-none" }).into(),
            ),
        ],
    )
}

pub fn expiry_text(lang: &Lang, expires_at: Option<DateTime<Utc>>) -> String {
    match expires_at {
        None => lang.t("expiry-never"),
        Some(at) => lang.t_with("expiry-on", &[("date", format_time(lang, at).into())]),
    }
}

/// How long `count` messages take into one chat at the configured pace, in words.
pub fn messages_duration_text(lang: &Lang, count: i64, throttle: &ThrottleSettings) -> String {
    let per_minute = (throttle.messages_per_sec_chat.max(1) * 60).min(throttle.messages_per_min_chat.max(1));
    about_duration_text(lang, (count * 60 + i64::from(per_minute) - 1) / i64::from(per_minute))
}

/// A duration in seconds as people say it: about 40 seconds, about 3 minutes, about 2 hours.
pub fn about_duration_text(lang: &Lang, seconds: i64) -> String {
    if seconds < 90 {
        lang.t_with("about-seconds", &[("count", seconds.max(1).into())])
    } else if seconds < 90 * 60 {
        lang.t_with("about-minutes", &[("count", ((seconds + 30) / 60).into())])
    } else {
        lang.t_with("about-hours", &[("count", ((seconds + 1800) / 3600).into())])
    }
}

/// A bar of ten cells for `done` of `total`.
pub fn progress_bar(done: i64, total: i64) -> (String, i64) {
    let percent = if total > 0 { (done * 100 / total).clamp(0, 100) } else { 100 };
    let filled = (percent / 10) as usize;
    (format!("{}{}", "▓".repeat(filled), "░".repeat(10 - filled)), percent)
}

pub fn delivery_text(lang: &Lang, export_type: ExportType) -> String {
    lang.t(match export_type {
        ExportType::File => "delivery-file",
        ExportType::Messages => "delivery-messages",
    })
}

pub fn card_text(lang: &Lang, card: &GenerationCard, throttle: &ThrottleSettings) -> String {
    let mut text = lang.t_with(
        "generate-card",
        &[
            ("plan", card.plan_name.as_str().into()),
            ("quantity", card.quantity.into()),
            ("delivery", delivery_text(lang, card.export_type).into()),
            ("expiry", expiry_text(lang, card.expires_at).into()),
            ("free_remaining", card.preview.free_remaining.into()),
            ("chargeable_quantity", card.preview.chargeable_quantity.into()),
            ("cost", card.preview.cost().into()),
        ],
    );
    if card.export_type == ExportType::Messages {
        text.push_str("\n\n");
        text.push_str(&lang.t_with(
            "generate-card-messages-note",
            &[
                ("count", card.quantity.into()),
                ("duration", messages_duration_text(lang, card.quantity, throttle).into()),
            ],
        ));
    }
    text
}

pub fn job_text(lang: &Lang, job: &JobView) -> String {
    let status = lang.t(&format!("job-state-{}", job.status));
    let mut text = lang.t_with(
        "job-details",
        &[
            ("job_id", job.job_id.as_str().into()),
            ("plan", job.plan_name.as_str().into()),
            ("quantity", job.quantity.into()),
            ("delivery", lang.t(&format!("delivery-{}", job.export_type)).into()),
            ("expiry", expiry_text(lang, job.expires_at).into()),
            ("status", status.into()),
            ("delivered", job.delivered.into()),
            ("enqueued_at", format_time(lang, job.enqueued_at).into()),
        ],
    );
    if let Some(result) = &job.result {
        text.push('\n');
        text.push_str(&lang.t_with(
            "job-result",
            &[("count", result.count.into()), ("batch_id", Arg::from(result.batch_id.as_str()))],
        ));
    }
    if let Some(error) = &job.error {
        text.push('\n');
        text.push_str(
            &lang.t_with(
                "job-error",
                &[("code", error.code.as_str().into()), ("message", error.message.as_str().into())],
            ),
        );
    }
    text
}

pub fn job_line(lang: &Lang, job: &JobView) -> String {
    lang.t_with(
        "job-line",
        &[
            ("job_id", job.job_id.as_str().into()),
            ("quantity", job.quantity.into()),
            ("status", lang.t(&format!("job-state-{}", job.status)).into()),
            ("enqueued_at", format_time(lang, job.enqueued_at).into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_with_the_month_named_in_the_language() {
        use chrono::TimeZone;
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 9, 5, 0).unwrap();
        assert_eq!(format_time(&Lang::default(), at), "4 Dec 2026, 09:05 UTC");
        assert_eq!(format_time(&Lang::from_code(Some("ru")), at), "4 дек 2026, 09:05 UTC");
    }

    #[test]
    fn the_progress_bar_fills_by_tenths() {
        assert_eq!(progress_bar(0, 40), ("░░░░░░░░░░".to_owned(), 0));
        assert_eq!(progress_bar(19, 40), ("▓▓▓▓░░░░░░".to_owned(), 47));
        assert_eq!(progress_bar(40, 40), ("▓▓▓▓▓▓▓▓▓▓".to_owned(), 100));
    }

    #[test]
    fn entity_offsets_count_utf16_units() {
        assert_eq!(monospace("🎟 ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN"), vec![MessageEntity::code(3, 14)]);
        assert_eq!(monospace("text", "absent"), Vec::new());
    }
}
