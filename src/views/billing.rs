//! `/billing` in plain words: free redemptions left and until when, the price after that, what this cycle
//! costs so far; Stripe only when something needs the operator.
use super::{Screen, format};
use crate::domain::billing::BillingOverview;
use crate::i18n::Lang;

pub fn overview(lang: &Lang, overview: &BillingOverview) -> Screen {
    let mut text = lang.t_with(
        "billing-overview",
        &[
            ("tier", lang.t(&format!("tier-{}", overview.tier)).into()),
            ("allotment", overview.allotment.into()),
            ("free_left", overview.free_left.into()),
            ("end", format::day(lang, overview.cycle_end).into()),
            ("price", format::money(lang, overview.overage_price_cents).into()),
        ],
    );
    if overview.overage > 0 {
        text.push('\n');
        text.push_str(&lang.t_with(
            "billing-overage",
            &[("count", overview.overage.into()), ("cost", format::money(lang, overview.overage_cost_cents).into())],
        ));
    }
    text.push('\n');
    text.push_str(&lang.t("billing-codes-free"));
    if !overview.stripe_customer && (overview.overage > 0 || overview.records_pending > 0) {
        text.push_str("\n\n");
        text.push_str(&lang.t("billing-no-customer"));
    }
    if overview.records_failed > 0 {
        text.push_str("\n\n");
        text.push_str(&lang.t("billing-failed-note"));
    }
    Screen::new(text)
}
