//! Times, durations, counts and progress as people read them.
use chrono::{DateTime, Utc};
use teloxide::types::MessageEntity;

use crate::config::ThrottleSettings;
use crate::domain::generation::ExportType;
use crate::domain::plans::PlanDuration;
use crate::i18n::Lang;

/// A monospace entity over `needle` in `text`, with offsets in UTF-16 units as Telegram counts them.
pub fn monospace(text: &str, needle: &str) -> Vec<MessageEntity> {
    let Some(byte_offset) = text.find(needle) else {
        return Vec::new();
    };
    vec![MessageEntity::code(text[..byte_offset].encode_utf16().count(), needle.encode_utf16().count())]
}

/// A time as people read it, with the month's name in their language: `24 Dec 2026, 14:00 UTC`.
pub fn time(lang: &Lang, at: DateTime<Utc>) -> String {
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

/// A day without the year or time: `6 Jan`, `6 января`.
pub fn day(lang: &Lang, at: DateTime<Utc>) -> String {
    use chrono::Datelike;
    lang.t_with(
        "date-day",
        &[("day", at.day().to_string().into()), ("month", lang.t(&format!("month-{}", at.month())).into())],
    )
}

/// A time in a short label, relative to `now`: `today 16:23`, `yesterday 09:10`, `3 Dec, 16:23`, or the
/// full date in another year.
pub fn when(lang: &Lang, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    use chrono::Datelike;
    let clock = at.format("%H:%M").to_string();
    let days_ago = (now.date_naive() - at.date_naive()).num_days();
    match days_ago {
        0 => lang.t_with("time-today", &[("time", clock.into())]),
        1 => lang.t_with("time-yesterday", &[("time", clock.into())]),
        _ if at.year() == now.year() => lang.t_with(
            "time-this-year",
            &[
                ("day", at.day().to_string().into()),
                ("month", lang.t(&format!("month-{}", at.month())).into()),
                ("time", clock.into()),
            ],
        ),
        _ => time(lang, at),
    }
}

/// An amount of money from integer cents, as the language writes it: `$0.15`, `0,15 $`.
pub fn money(lang: &Lang, cents: i64) -> String {
    let units = crate::i18n::grouped(cents / 100, &lang.t("number-group-separator"));
    let amount = format!("{units}{}{:02}", lang.t("number-decimal-separator"), (cents % 100).abs());
    lang.t_with("money-usd", &[("amount", amount.into())])
}

/// A label cut to `max` characters, with an ellipsis when cut, so a button fits a phone.
pub fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_owned();
    }
    let mut cut: String = label.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

pub fn plan_duration(lang: &Lang, duration: PlanDuration) -> String {
    match duration {
        PlanDuration::Lifetime => lang.t("duration-lifetime"),
        PlanDuration::Span { amount, unit } => {
            lang.t_with(&format!("duration-{}", unit.as_str()), &[("count", i64::from(amount).into())])
        }
    }
}

pub fn expiry(lang: &Lang, expires_at: Option<DateTime<Utc>>) -> String {
    match expires_at {
        None => lang.t("expiry-never"),
        Some(at) => lang.t_with("expiry-on", &[("date", time(lang, at).into())]),
    }
}

/// How long `count` messages take into one chat at the configured pace, in words.
pub fn messages_duration(lang: &Lang, count: i64, throttle: &ThrottleSettings) -> String {
    let per_minute = (throttle.messages_per_sec_chat.max(1) * 60).min(throttle.messages_per_min_chat.max(1));
    about_duration(lang, (count * 60 + i64::from(per_minute) - 1) / i64::from(per_minute))
}

/// A duration in seconds as people say it: about 40 seconds, about 3 minutes, about 2 hours.
pub fn about_duration(lang: &Lang, seconds: i64) -> String {
    if seconds < 90 {
        lang.t_with("about-seconds", &[("count", seconds.max(1).into())])
    } else if seconds < 90 * 60 {
        lang.t_with("about-minutes", &[("count", ((seconds + 30) / 60).into())])
    } else {
        lang.t_with("about-hours", &[("count", ((seconds + 1800) / 3600).into())])
    }
}

/// A bar of ten cells for `done` of `total`, and the percentage.
pub fn progress_bar(done: i64, total: i64) -> (String, i64) {
    let percent = if total > 0 { (done * 100 / total).clamp(0, 100) } else { 100 };
    let filled = (percent / 10) as usize;
    (format!("{}{}", "▓".repeat(filled), "░".repeat(10 - filled)), percent)
}

pub fn delivery(lang: &Lang, export_type: ExportType) -> String {
    lang.t(&format!("delivery-{export_type}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_with_the_month_named_in_the_language() {
        use chrono::TimeZone;
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 9, 5, 0).unwrap();
        assert_eq!(time(&Lang::default(), at), "4 Dec 2026, 09:05 UTC");
        assert_eq!(time(&Lang::from_code(Some("ru")), at), "4 декабря 2026, 09:05 UTC");
    }

    #[test]
    fn labels_say_today_and_yesterday() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 18, 0, 0).unwrap();
        let (en, ru) = (Lang::default(), Lang::from_code(Some("ru")));
        assert_eq!(when(&en, now - chrono::Duration::hours(2), now), "today 16:00");
        assert_eq!(when(&ru, now - chrono::Duration::hours(20), now), "вчера 22:00");
        assert_eq!(when(&en, Utc.with_ymd_and_hms(2026, 12, 1, 9, 5, 0).unwrap(), now), "1 Dec, 09:05");
        assert_eq!(when(&ru, Utc.with_ymd_and_hms(2025, 3, 1, 9, 5, 0).unwrap(), now), "1 марта 2025, 09:05 UTC");
    }

    #[test]
    fn money_and_numbers_are_written_as_each_language_writes_them() {
        let (en, ru) = (Lang::default(), Lang::from_code(Some("ru")));
        assert_eq!(money(&en, 15), "$0.15");
        assert_eq!(money(&ru, 15), "0,15\u{a0}$");
        assert_eq!(money(&en, 123_456), "$1,234.56");
        assert_eq!(money(&ru, 123_456), "1\u{a0}234,56\u{a0}$");
        assert_eq!(en.t_with("job-what", &[("quantity", 1000.into()), ("plan", "Gold".into())]), "1,000 Gold codes");
        assert_eq!(
            ru.t_with("job-what", &[("quantity", 1000.into()), ("plan", "Gold".into())]),
            "1\u{a0}000 кодов «Gold»"
        );
    }

    #[test]
    fn short_labels_are_cut_with_an_ellipsis() {
        assert_eq!(short("Gold", 10), "Gold");
        assert_eq!(short("A very long plan name", 10), "A very lo…");
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
