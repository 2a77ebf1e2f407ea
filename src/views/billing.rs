//! `/billing`: the team's tier, this cycle's free and overage redemptions, and usage records not yet billed.
use super::format;
use crate::domain::billing::BillingOverview;
use crate::i18n::Lang;

pub fn overview(lang: &Lang, overview: &BillingOverview) -> String {
    let mut text = lang.t_with(
        "billing-overview",
        &[
            ("tier", lang.t(&format!("tier-{}", overview.tier)).into()),
            ("allotment", overview.allotment.into()),
            ("start", format::time(lang, overview.cycle_start).into()),
            ("end", format::time(lang, overview.cycle_end).into()),
            ("free_used", overview.free_used.into()),
            ("free_left", overview.free_left.into()),
            ("overage", overview.overage.into()),
            ("cost", overview.overage_cost().into()),
            ("price", overview.overage_price().into()),
            ("pending", overview.records_pending.into()),
            ("failed", overview.records_failed.into()),
        ],
    );
    if !overview.stripe_customer && (overview.overage > 0 || overview.records_pending > 0) {
        text.push_str("\n\n");
        text.push_str(&lang.t("billing-no-customer"));
    }
    if overview.records_failed > 0 {
        text.push_str("\n\n");
        text.push_str(&lang.t("billing-failed-note"));
    }
    text
}
