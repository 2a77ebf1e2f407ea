//! Rolling a redemption back: which one, what it would take back and do to billing, and what it did.
use super::buttons::{Callback, MenuItem, RollbackButton};
use super::{Screen, button, format};
use crate::domain::billing::UsageUndo;
use crate::domain::rollback::{CodeAfterRollback, RedemptionChoice, RollbackOutcome};
use crate::domain::subscriptions::TakeBack;
use crate::i18n::{Arg, Lang};

pub fn usage(lang: &Lang) -> Screen {
    Screen::new(lang.t("usage-rollback")).row(vec![
        button(lang.t("menu-members"), Callback::Menu(MenuItem::Members)),
        button(lang.t("menu-codes"), Callback::Menu(MenuItem::Codes)),
    ])
}

/// A code several people redeemed: one button per redemption, newest first.
pub fn pick(lang: &Lang, code: &str, choices: &[RedemptionChoice]) -> Screen {
    let text = lang.t_with("rollback-pick", &[("code", code.into())]);
    Screen::new(text)
        .rows(choices.iter().map(|choice| {
            let label = lang.t_with(
                "button-rollback-pick",
                &[
                    ("name", choice.subscriber_name.as_str().into()),
                    ("date", format::time(lang, choice.redeemed_at).into()),
                ],
            );
            vec![button(label, Callback::Rollback(RollbackButton::Preview(choice.id)))]
        }))
        .row(vec![button(lang.t("button-cancel"), Callback::Rollback(RollbackButton::Cancel))])
}

fn access_line(lang: &Lang, outcome: &RollbackOutcome) -> String {
    match outcome.take_back {
        TakeBack::EndsNow => lang.t("rollback-access-ends"),
        TakeBack::Shortened(end) => {
            lang.t_with("rollback-access-shortened", &[("date", format::time(lang, end).into())])
        }
        TakeBack::Unchanged => lang.t("rollback-access-unchanged"),
    }
}

fn billing_line(lang: &Lang, outcome: &RollbackOutcome) -> String {
    match (outcome.usage, outcome.allotment_returned) {
        (Some(UsageUndo::Void), _) => lang.t("rollback-billing-voided"),
        (Some(UsageUndo::Cancel), _) => lang.t("rollback-billing-cancelled"),
        (Some(UsageUndo::StaysBilled), _) => lang.t("rollback-billing-stays"),
        (None, true) => lang.t("rollback-billing-free"),
        (None, false) => lang.t("rollback-billing-earlier-cycle"),
    }
}

fn who(outcome: &RollbackOutcome) -> [(&'static str, Arg); 3] {
    [
        ("name", outcome.subscriber_name.as_str().into()),
        ("code", outcome.access_code.as_str().into()),
        ("plan", outcome.plan.as_str().into()),
    ]
}

/// What the rollback would do, and the creator's pick of what becomes of the code.
pub fn confirmation(lang: &Lang, outcome: &RollbackOutcome) -> Screen {
    let text =
        [lang.t_with("rollback-confirm", &who(outcome)), access_line(lang, outcome), billing_line(lang, outcome)]
            .join("\n");
    let id = outcome.redemption_id;
    Screen::new(format!("{text}\n\n{}", lang.t("rollback-pick-code")))
        .row(vec![button(
            lang.t("button-rollback-revoke"),
            Callback::Rollback(RollbackButton::Confirm(id, CodeAfterRollback::Revoked)),
        )])
        .row(vec![button(
            lang.t("button-rollback-reopen"),
            Callback::Rollback(RollbackButton::Confirm(id, CodeAfterRollback::Redeemable)),
        )])
        .row(vec![button(lang.t("button-cancel"), Callback::Rollback(RollbackButton::Cancel))])
}

pub fn rolled_back(lang: &Lang, outcome: &RollbackOutcome) -> Screen {
    let code = if outcome.code_revoked == Some(true) { "rollback-code-revoked" } else { "rollback-code-reopened" };
    let text = [
        lang.t_with("rollback-done", &who(outcome)),
        access_line(lang, outcome),
        billing_line(lang, outcome),
        lang.t(code),
    ]
    .join("\n");
    Screen::new(text).row(vec![button(lang.t("menu-members"), Callback::Menu(MenuItem::Members))])
}
