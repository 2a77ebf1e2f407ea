//! `/batches`: a team's batches newest first, with their counts by state, and one batch's card with where
//! its redemptions led.
use chrono::{DateTime, Utc};

use super::buttons::{BatchesButton, Callback, CodesButton, MenuItem, RevokeButton};
use super::{Screen, button, format, paged_header, paging_row};
use crate::db::codes::CodeScope;
use crate::domain::batches::{BatchCounts, BatchPage, BatchSummary, Funnel};
use crate::domain::code_listing::CodeFilter;
use crate::domain::redemption_export::ExportScope;
use crate::i18n::{Arg, Lang};

/// The batch as the creator named it, or what it is: "10 codes of 6 Dec".
pub fn batch_name(lang: &Lang, summary: &BatchSummary) -> String {
    match &summary.batch.label {
        Some(label) => label.clone(),
        None => lang.t_with(
            "batch-unlabeled",
            &[
                ("count", i64::from(summary.batch.count).into()),
                ("date", format::day(lang, summary.batch.created_at).into()),
            ],
        ),
    }
}

fn count_args(counts: &BatchCounts) -> [(&'static str, Arg); 4] {
    [
        ("unredeemed", counts.unredeemed.into()),
        ("redeemed", counts.redeemed.into()),
        ("expired", counts.expired.into()),
        ("revoked", counts.revoked.into()),
    ]
}

pub fn page(lang: &Lang, shown: &BatchPage) -> Screen {
    let header = match &shown.plan {
        Some(plan) => lang.t_with("batches-header-plan", &[("plan", plan.name.as_str().into())]),
        None => lang.t("batches-header-all"),
    };
    if shown.batches.is_empty() {
        return Screen::new(lang.t("batches-empty"))
            .row(vec![button(lang.t("menu-generate"), Callback::Menu(MenuItem::Generate))]);
    }
    let mut text = paged_header(lang, header, shown.page, shown.pages);
    for summary in &shown.batches {
        let mut args = vec![
            ("name", batch_name(lang, summary).into()),
            ("plan", summary.plan_name.as_str().into()),
            ("date", format::day(lang, summary.batch.created_at).into()),
        ];
        args.extend(count_args(&summary.counts));
        let key = if summary.batch.label.is_some() { "batch-line" } else { "batch-line-unlabeled" };
        text.push('\n');
        text.push_str(&lang.t_with(key, &args));
    }
    let plan = shown.plan.as_ref().map(|plan| plan.id);
    Screen::new(text)
        .rows(shown.batches.iter().map(|summary| {
            vec![button(
                format!("🏷 {}", batch_name(lang, summary)),
                Callback::Batches(BatchesButton::Open(summary.batch.id)),
            )]
        }))
        .row(paging_row(lang, shown.page, shown.pages, |page| Callback::Batches(BatchesButton::Page { plan, page })))
}

pub fn card(lang: &Lang, summary: &BatchSummary, funnel: &Funnel, now: DateTime<Utc>) -> Screen {
    let batch = &summary.batch;
    let mut args = vec![
        ("name", batch_name(lang, summary).into()),
        ("count", i64::from(batch.count).into()),
        ("of_size", lang.t_with("of-codes", &[("size", i64::from(batch.count).into())]).into()),
        ("plan", summary.plan_name.as_str().into()),
        ("date", format::when(lang, batch.created_at, now).into()),
        ("expiry", format::expiry(lang, batch.expires_at).into()),
        ("funnel_redeemed", funnel.redeemed.into()),
        ("joined", funnel.joined.into()),
        ("active", funnel.active.into()),
    ];
    args.extend(count_args(&summary.counts));
    let revoke = (summary.counts.unredeemed > 0).then(|| {
        let preview = RevokeButton::Preview(CodeScope::Batch(batch.id));
        button(lang.t("button-revoke-unredeemed"), Callback::Revoke(preview))
    });
    let codes = CodesButton::BatchPage { batch: batch.id, filter: CodeFilter::Unredeemed, page: 1 };
    let back = BatchesButton::Page { plan: None, page: 0 };
    let export = button(lang.t("button-export-redemptions"), Callback::Export(ExportScope::Batch(batch.id)));
    Screen::new(lang.t_with("batch-card", &args)).row(revoke.into_iter().chain([export]).collect()).row(vec![
        button(lang.t("button-batch-codes"), Callback::Codes(codes)),
        button(lang.t("button-batches"), Callback::Batches(back)),
    ])
}
