//! The redemption export as a CSV document: RFC 4180, CRLF line ends, cells that could start a formula
//! neutralised.
use super::generate::{csv_file_name, neutralise_formula};
use crate::domain::redemption_export::RedemptionExport;
use crate::i18n::Lang;

const HEADER: [&str; 9] = [
    "code",
    "batch",
    "redeemed_at",
    "subscriber_id",
    "username",
    "name",
    "subscription_ends_at",
    "chats_joined",
    "status",
];

fn iso(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn csv(export: &RedemptionExport) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(HEADER).expect("writing to memory");
    for row in &export.rows {
        writer
            .write_record([
                row.code_masked.clone(),
                neutralise_formula(row.batch_label.as_deref().unwrap_or_default()),
                iso(row.redeemed_at),
                row.subscriber_id.to_string(),
                neutralise_formula(row.username.as_deref().unwrap_or_default()),
                neutralise_formula(&row.name),
                row.subscription_end.map(iso).unwrap_or_default(),
                neutralise_formula(&row.chats_joined.join("; ")),
                row.status.as_str().to_owned(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

pub fn file_name(export: &RedemptionExport, now: chrono::DateTime<chrono::Utc>) -> String {
    let what = export.batch_label.as_deref().unwrap_or(&export.plan_name);
    csv_file_name(what, &format!("redemptions-{}", now.format("%Y-%m-%d")))
}

pub fn caption(lang: &Lang, export: &RedemptionExport) -> String {
    let count = (export.rows.len() as i64).into();
    match &export.batch_label {
        Some(label) => lang.t_with("export-caption-batch", &[("count", count), ("label", label.as_str().into())]),
        None => lang.t_with("export-caption-plan", &[("count", count), ("plan", export.plan_name.as_str().into())]),
    }
}
