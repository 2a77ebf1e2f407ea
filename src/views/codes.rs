//! `/codes`: a plan's codes, masked, ten per page, filtered by state, with counts per state.
use chrono::{DateTime, Utc};

use super::buttons::{BatchesButton, Callback, CodesButton, MenuItem, RevokeButton};
use super::{Screen, button, format, page_of, paged_header, paging_row};
use crate::db::codes::CodeScope;
use crate::db::plans::Plan;
use crate::domain::access_code::CodeState;
use crate::domain::code_listing::{CodeFilter, CodeView, PlanCodes};
use crate::domain::redemption_export::ExportScope;
use crate::i18n::Lang;

/// A page of the plans to pick from.
pub fn plan_picker(lang: &Lang, all: &[Plan], page: u32) -> Screen {
    if all.is_empty() {
        return Screen::new(lang.t("plans-empty")).row(vec![super::menu::menu_button(lang, MenuItem::NewPlan)]);
    }
    let (plans, page, pages) = page_of(all, page);
    Screen::new(paged_header(lang, lang.t("codes-pick-plan"), page, pages))
        .rows(plans.iter().map(|plan| {
            let first_page = CodesButton::Page { plan: plan.id, filter: CodeFilter::Unredeemed, page: 1 };
            vec![button(plan.name.clone(), Callback::Codes(first_page))]
        }))
        .row(paging_row(lang, page, pages, |page| Callback::Codes(CodesButton::PickPlan(page))))
}

fn code_line(lang: &Lang, code: &CodeView, now: DateTime<Utc>) -> String {
    let state = match CodeState::at(code.redeemed_at, code.revoked_at, code.expires_at, now) {
        CodeState::Redeemed(at) => lang.t_with("code-state-redeemed", &[("date", format::time(lang, at).into())]),
        CodeState::Expired(at) => lang.t_with("code-state-expired", &[("date", format::time(lang, at).into())]),
        CodeState::Expires(at) => lang.t_with("code-state-expires", &[("date", format::time(lang, at).into())]),
        CodeState::Revoked(at) => lang.t_with("code-state-revoked", &[("date", format::time(lang, at).into())]),
        CodeState::Open => lang.t("code-state-open"),
    };
    let state = if code.max_redemptions > 1 {
        let uses = [("used", code.redemptions.into()), ("max", code.max_redemptions.into())];
        lang.t_with("code-state-uses", &[("state", state.into()), ("uses", lang.t_with("code-uses", &uses).into())])
    } else {
        state
    };
    lang.t_with("code-line", &[("code", code.code_masked.as_str().into()), ("state", state.into())])
}

pub fn page(lang: &Lang, shown: &PlanCodes, now: DateTime<Utc>) -> Screen {
    let PlanCodes { plan, batch, filter, page, pages, counts, list } = shown;
    let count_of = |f: CodeFilter| counts.iter().find(|(c, _)| *c == f).map_or(0, |(_, n)| *n as i64);
    let filter_name = |f: CodeFilter| lang.t(&format!("code-filter-{f}"));
    let mut text = lang.t_with(
        "codes-header",
        &[
            ("plan", plan.name.as_str().into()),
            ("filter", filter_name(*filter).into()),
            ("page", (*page).into()),
            ("pages", (*pages).into()),
            ("unredeemed", count_of(CodeFilter::Unredeemed).into()),
            ("redeemed", count_of(CodeFilter::Redeemed).into()),
            ("expired", count_of(CodeFilter::Expired).into()),
            ("revoked", count_of(CodeFilter::Revoked).into()),
            ("all", count_of(CodeFilter::All).into()),
        ],
    );
    if let Some(batch) = batch {
        let name = batch.label.clone().unwrap_or_else(|| {
            let args = [("count", i64::from(batch.count).into()), ("date", format::day(lang, batch.created_at).into())];
            lang.t_with("batch-unlabeled", &args)
        });
        text.push('\n');
        text.push_str(&lang.t_with("codes-of-batch", &[("batch", name.into())]));
    }
    text.push_str("\n\n");
    if list.data.is_empty() {
        text.push_str(&lang.t("codes-none"));
    } else {
        let lines: Vec<String> = list.data.iter().map(|code| code_line(lang, code, now)).collect();
        text.push_str(&lines.join("\n"));
    }
    let to = |filter: CodeFilter, page: i64| match batch {
        Some(batch) => Callback::Codes(CodesButton::BatchPage { batch: batch.id, filter, page }),
        None => Callback::Codes(CodesButton::Page { plan: plan.id, filter, page }),
    };
    let filters: Vec<_> = CodeFilter::ALL
        .iter()
        .map(|&f| {
            let mark = if f == *filter { "• " } else { "" };
            button(format!("{mark}{} ({})", filter_name(f), count_of(f)), to(f, 1))
        })
        .collect();
    let mut paging = Vec::new();
    if *page > 1 {
        paging.push(button(lang.t("button-previous"), to(*filter, page - 1)));
    }
    if page < pages {
        paging.push(button(lang.t("button-next"), to(*filter, page + 1)));
    }
    let (revoked, exported) = match batch {
        Some(batch) => (CodeScope::Batch(batch.id), ExportScope::Batch(batch.id)),
        None => (CodeScope::Plan(plan.id), ExportScope::Plan(plan.id)),
    };
    let revoke = (count_of(CodeFilter::Unredeemed) > 0)
        .then(|| button(lang.t("button-revoke-unredeemed"), Callback::Revoke(RevokeButton::Preview(revoked))));
    let export = (count_of(CodeFilter::Redeemed) > 0)
        .then(|| button(lang.t("button-export-redemptions"), Callback::Export(exported)));
    let back = match batch {
        Some(batch) => vec![button(lang.t("button-batch"), Callback::Batches(BatchesButton::Open(batch.id)))],
        None => vec![
            button(lang.t("button-plans"), Callback::Codes(CodesButton::PickPlan(0))),
            button(
                lang.t("button-plan-batches"),
                Callback::Batches(BatchesButton::Page { plan: Some(plan.id), page: 0 }),
            ),
        ],
    };
    Screen::new(text)
        .rows(filters.chunks(2).map(<[_]>::to_vec))
        .row(paging)
        .row(revoke.into_iter().chain(export).collect())
        .row(back)
}
