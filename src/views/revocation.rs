//! Revoking codes: what a revocation would reach, with the count, and what it did.
use super::buttons::{Callback, CodesButton, MenuItem, RevokeButton};
use super::{Screen, button, format};
use crate::domain::access_code::CodeState;
use crate::domain::code_listing::CodeFilter;
use crate::domain::revocation::{Revocation, RevokePreview, RevokeTarget};
use crate::i18n::Lang;

/// How to name what to revoke, with the ways there by button.
pub fn usage(lang: &Lang) -> Screen {
    let batches = super::buttons::BatchesButton::Page { plan: None, page: 0 };
    Screen::new(lang.t("usage-revoke")).row(vec![
        button(lang.t("menu-codes"), Callback::Menu(MenuItem::Codes)),
        button(lang.t("button-plan-batches"), Callback::Batches(batches)),
    ])
}

/// The confirmation, naming the exact count; or why there is nothing to revoke.
pub fn confirmation(lang: &Lang, preview: &RevokePreview) -> Screen {
    let count = preview.count;
    let text = match &preview.target {
        RevokeTarget::Code { masked, state, .. } if count == 0 => code_not_open(lang, masked, *state),
        RevokeTarget::Code { masked, .. } => lang.t_with("revoke-confirm-code", &[("code", masked.as_str().into())]),
        RevokeTarget::Batch { plan, .. } if count == 0 => {
            lang.t_with("revoke-nothing-batch", &[("plan", plan.as_str().into())])
        }
        RevokeTarget::Batch { plan, size, created_at, .. } => lang.t_with(
            "revoke-confirm-batch",
            &[
                ("count", count.into()),
                ("size", (*size).into()),
                ("of_size", lang.t_with("of-codes", &[("size", (*size).into())]).into()),
                ("plan", plan.as_str().into()),
                ("date", format::day(lang, *created_at).into()),
            ],
        ),
        RevokeTarget::Plan { plan, .. } if count == 0 => {
            lang.t_with("revoke-nothing-plan", &[("plan", plan.as_str().into())])
        }
        RevokeTarget::Plan { plan, .. } => {
            lang.t_with("revoke-confirm-plan", &[("count", count.into()), ("plan", plan.as_str().into())])
        }
    };
    let screen = Screen::new(text);
    if count == 0 {
        return screen.row(vec![codes_of(lang, &preview.target)]);
    }
    screen.row(vec![
        button(
            lang.t_with("button-revoke", &[("count", count.into())]),
            Callback::Revoke(RevokeButton::Confirm(preview.target.scope())),
        ),
        button(lang.t("button-cancel"), Callback::Revoke(RevokeButton::Cancel)),
    ])
}

fn code_not_open(lang: &Lang, masked: &str, state: CodeState) -> String {
    let (key, at) = match state {
        CodeState::Redeemed(at) => ("revoke-code-redeemed", at),
        CodeState::Expired(at) => ("revoke-code-expired", at),
        CodeState::Revoked(at) => ("revoke-code-revoked", at),
        // Open a moment ago: redeemed or revoked since.
        CodeState::Open | CodeState::Expires(_) => return lang.t_with("revoke-code-gone", &[("code", masked.into())]),
    };
    lang.t_with(key, &[("code", masked.into()), ("date", format::time(lang, at).into())])
}

/// The plan's codes, where a revocation's result shows.
fn codes_of(lang: &Lang, target: &RevokeTarget) -> teloxide::types::InlineKeyboardButton {
    let page = CodesButton::Page { plan: target.plan_id(), filter: CodeFilter::Revoked, page: 1 };
    button(lang.t(&format!("menu-{}", MenuItem::Codes.as_str())), Callback::Codes(page))
}

pub fn revoked(lang: &Lang, revocation: &Revocation) -> Screen {
    let count = revocation.revoked.count;
    let text = match &revocation.target {
        _ if count == 0 => lang.t("revoked-none"),
        RevokeTarget::Code { masked, .. } => lang.t_with("revoked-code", &[("code", masked.as_str().into())]),
        RevokeTarget::Batch { plan, .. } | RevokeTarget::Plan { plan, .. } => {
            lang.t_with("revoked-codes", &[("count", count.into()), ("plan", plan.as_str().into())])
        }
    };
    Screen::new(text).row(vec![codes_of(lang, &revocation.target)])
}
