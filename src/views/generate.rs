//! What `/generate` shows: the wizard's steps, the confirmation card, the status message the card
//! becomes while the job runs, and the codes as they are delivered (the CSV, its caption, one message each).
use chrono::{DateTime, Utc};
use teloxide::types::{CopyTextButton, InlineKeyboardButton};

use super::buttons::{Callback, CardButton, JobsButton, MenuItem};
use super::format;
use super::{Screen, button};
use crate::config::ThrottleSettings;
use crate::domain::access_code::AccessCode;
use crate::domain::access_code::Eligibility;
use crate::domain::conversations::{Flow, FlowAction, PLANS_PER_PAGE, WizardScreen};
use crate::domain::expiry::CALENDAR_UNITS;
use crate::domain::generation::{DraftOption, ExportType, GenerationCard, JobLabel, MAX_QUANTITY, MIN_QUANTITY};
use crate::i18n::{Arg, Lang};

const QUANTITY_CHOICES: [i64; 5] = [10, 50, 100, 500, 1000];
const EXPIRY_CHOICES: [&str; 5] = ["no_expiry", "1_day", "1_week", "1_month", "1_year"];

/// A button of a conversation's current step.
pub fn flow_button(flow: &Flow, label: impl Into<String>, action: FlowAction) -> InlineKeyboardButton {
    button(label, Callback::Flow { conversation: flow.id, revision: flow.revision, action })
}

fn nav_row(flow: &Flow, lang: &Lang, back: bool) -> Vec<InlineKeyboardButton> {
    let mut row = Vec::new();
    if back {
        row.push(flow_button(flow, lang.t("button-back"), FlowAction::Back));
    }
    row.push(flow_button(flow, lang.t("button-cancel"), FlowAction::Cancel));
    row
}

/// The wizard at the step `screen` describes.
pub fn wizard(lang: &Lang, flow: &Flow, screen: &WizardScreen, throttle: &ThrottleSettings) -> Screen {
    match screen {
        WizardScreen::PickPlan { plans, page, pages } => {
            let text = if plans.is_empty() {
                lang.t("wizard-plan-none")
            } else if *pages > 1 {
                lang.t_with("wizard-plan-paged", &[("page", (page + 1).into()), ("pages", (*pages).into())])
            } else {
                lang.t("wizard-plan")
            };
            let buttons = plans
                .iter()
                .skip(page * PLANS_PER_PAGE)
                .take(PLANS_PER_PAGE)
                .map(|plan| vec![flow_button(flow, plan.name.clone(), FlowAction::Plan(plan.id))]);
            let mut paging = Vec::new();
            if *page > 0 {
                paging.push(flow_button(flow, lang.t("button-previous"), FlowAction::Page(*page as u32 - 1)));
            }
            if page + 1 < *pages {
                paging.push(flow_button(flow, lang.t("button-next"), FlowAction::Page(*page as u32 + 1)));
            }
            Screen::new(text)
                .rows(buttons)
                .row(paging)
                .row(vec![flow_button(flow, lang.t("button-new-plan"), FlowAction::NewPlan)])
                .row(nav_row(flow, lang, false))
        }
        WizardScreen::Quantity { plan_name } => {
            let text = lang.t_with(
                "wizard-quantity",
                &[("plan", plan_name.as_str().into()), ("min", MIN_QUANTITY.into()), ("max", MAX_QUANTITY.into())],
            );
            let choices =
                QUANTITY_CHOICES.iter().map(|n| flow_button(flow, n.to_string(), FlowAction::Quantity(*n))).collect();
            Screen::new(text).row(choices).row(nav_row(flow, lang, true))
        }
        WizardScreen::Delivery { quantity } => {
            let text = lang.t_with(
                "wizard-delivery",
                &[
                    ("count", (*quantity).into()),
                    ("duration", format::messages_duration(lang, *quantity, throttle).into()),
                ],
            );
            Screen::new(text)
                .row(vec![flow_button(flow, lang.t("button-delivery-file"), FlowAction::Delivery(ExportType::File))])
                .row(vec![flow_button(
                    flow,
                    lang.t("button-delivery-messages"),
                    FlowAction::Delivery(ExportType::Messages),
                )])
                .row(nav_row(flow, lang, true))
        }
        WizardScreen::Expiry => {
            let mut buttons: Vec<InlineKeyboardButton> = EXPIRY_CHOICES
                .iter()
                .map(|preset| {
                    flow_button(
                        flow,
                        lang.t(&format!("expiry-choice-{preset}")),
                        FlowAction::Expiry((*preset).to_owned()),
                    )
                })
                .collect();
            buttons.push(flow_button(flow, lang.t("expiry-choice-custom"), FlowAction::Expiry("custom".to_owned())));
            Screen::new(lang.t("wizard-expiry"))
                .rows(buttons.chunks(3).map(<[_]>::to_vec))
                .row(nav_row(flow, lang, true))
        }
        WizardScreen::Unit => {
            let units = CALENDAR_UNITS
                .iter()
                .filter_map(|unit| crate::domain::expiry::CalendarUnit::parse(unit))
                .map(|unit| flow_button(flow, lang.t(&format!("unit-{}", unit.as_str())), FlowAction::Unit(unit)))
                .collect();
            Screen::new(lang.t("wizard-unit")).row(units).row(nav_row(flow, lang, true))
        }
        WizardScreen::Amount { unit } => {
            Screen::new(lang.t_with("wizard-amount", &[("unit", lang.t(&format!("unit-{unit}-how-many")).into())]))
                .row(nav_row(flow, lang, true))
        }
        WizardScreen::Card(card) => {
            // The card's own Cancel withdraws the draft; Back returns to the expiry step.
            confirmation_card(lang, card, throttle).row(vec![flow_button(
                flow,
                lang.t("button-back"),
                FlowAction::Back,
            )])
        }
    }
}

/// What the codes cost if every one is redeemed, in plain words.
fn cost_line(lang: &Lang, card: &GenerationCard) -> String {
    lang.t_with(
        "generate-card-cost",
        &[
            ("chargeable", card.preview.chargeable_quantity.into()),
            ("free", (card.quantity * card.uses - card.preview.chargeable_quantity).into()),
            ("free_left", card.preview.free_remaining.into()),
            ("cost", format::money(lang, card.preview.cost_cents).into()),
        ],
    )
}

/// The confirmation card with its cost preview, Generate (or the consent button for messages) and Cancel.
pub fn confirmation_card(lang: &Lang, card: &GenerationCard, throttle: &ThrottleSettings) -> Screen {
    let mut text = lang.t_with(
        "generate-card",
        &[
            ("plan", card.plan_name.as_str().into()),
            ("quantity", card.quantity.into()),
            ("delivery", format::delivery(lang, card.export_type).into()),
            ("expiry", format::expiry(lang, card.expires_at).into()),
            ("cost_line", cost_line(lang, card).into()),
        ],
    );
    if card.uses > 1 {
        text.push('\n');
        text.push_str(&lang.t_with("generate-card-uses", &[("uses", card.uses.into())]));
    }
    if let Some(prefix) = &card.prefix {
        text.push('\n');
        text.push_str(&lang.t_with("generate-card-prefix", &[("example", format!("{prefix}-XXXX-XXXX-XXXX").into())]));
    }
    if let Some(who) = card.eligibility {
        text.push('\n');
        text.push_str(&lang.t(&format!("generate-card-for-{who}")));
    }
    if let Some(label) = &card.label {
        text.push('\n');
        text.push_str(&lang.t_with("generate-card-label", &[("label", label.as_str().into())]));
    }
    let duration = format::messages_duration(lang, card.quantity, throttle);
    let confirm = match card.export_type {
        ExportType::File => button(lang.t("button-generate"), Callback::Card(CardButton::Generate(card.draft_id))),
        ExportType::Messages => {
            text.push_str("\n\n");
            text.push_str(&lang.t_with(
                "generate-card-messages-note",
                &[("count", card.quantity.into()), ("duration", duration.into())],
            ));
            button(lang.t("button-agree-messages"), Callback::Card(CardButton::AgreeToMessages(card.draft_id)))
        }
    };
    let options = button(lang.t("button-options"), Callback::Card(CardButton::Options(card.draft_id)));
    let cancel = button(lang.t("button-cancel"), Callback::Card(CardButton::Cancel(card.draft_id)));
    Screen::new(text).row(vec![confirm]).row(vec![options, cancel])
}

/// The card's options, each with the button that sets it, and Back to the card.
pub fn card_options(lang: &Lang, card: &GenerationCard) -> Screen {
    let draft = card.draft_id;
    let who = match card.eligibility {
        None => "anyone",
        Some(Eligibility::New) => "new",
        Some(Eligibility::Returning) => "returning",
    };
    let lines = [
        lang.t("generate-options"),
        lang.t_with("generate-option-uses", &[("uses", card.uses.into())]),
        match &card.prefix {
            Some(prefix) => {
                lang.t_with("generate-option-prefix", &[("example", format!("{prefix}-XXXX-XXXX-XXXX").into())])
            }
            None => lang.t("generate-option-prefix-none"),
        },
        lang.t(&format!("generate-option-who-{who}")),
        match &card.label {
            Some(label) => lang.t_with("generate-option-label", &[("label", label.as_str().into())]),
            None => lang.t("generate-option-label-none"),
        },
    ];
    let ask = |key: &str, option| button(lang.t(key), Callback::Card(CardButton::Ask(draft, option)));
    let pick = |eligibility: Option<Eligibility>, key: &str| {
        let label = lang.t(key);
        let label = if card.eligibility == eligibility { format!("✓ {label}") } else { label };
        button(label, Callback::Card(CardButton::Who(draft, eligibility)))
    };
    Screen::new(lines.join("\n"))
        .row(vec![ask("button-option-uses", DraftOption::Uses), ask("button-option-prefix", DraftOption::Prefix)])
        .row(vec![ask("button-option-label", DraftOption::Label)])
        .row(vec![
            pick(None, "button-who-anyone"),
            pick(Some(Eligibility::New), "button-who-new"),
            pick(Some(Eligibility::Returning), "button-who-returning"),
        ])
        .row(vec![button(lang.t("button-back"), Callback::Card(CardButton::Back(draft)))])
}

/// The question for one option, with a way back to its default and Back to the options.
pub fn ask_option(lang: &Lang, draft: uuid::Uuid, option: DraftOption, problem: Option<String>) -> Screen {
    let (question, clear) = match option {
        DraftOption::Uses => ("generate-ask-uses", "button-option-one-use"),
        DraftOption::Prefix => ("generate-ask-prefix", "button-option-no-prefix"),
        DraftOption::Label => ("generate-ask-label", "button-option-no-label"),
    };
    let text = match problem {
        Some(problem) => format!("{problem}\n\n{}", lang.t(question)),
        None => lang.t(question),
    };
    Screen::new(text)
        .row(vec![button(lang.t(clear), Callback::Card(CardButton::Clear(draft, option)))])
        .row(vec![button(lang.t("button-back"), Callback::Card(CardButton::Options(draft)))])
}

/// Where a job stands, as its status message shows it.
pub enum Stage<'a> {
    Queued,
    Generating,
    Delivering {
        done: i64,
        total: i64,
        seconds_left: Option<i64>,
    },
    /// Telegram stopped answering mid-delivery; the job keeps trying.
    TelegramNotAnswering {
        done: i64,
        total: i64,
    },
    /// `count` codes went out; `revoked` were revoked before their turn and left out.
    Done {
        count: i64,
        revoked: i64,
    },
    Failed {
        reason: &'a str,
    },
}

/// "10 Gold codes", in the creator's words.
pub fn job_what(lang: &Lang, job: &JobLabel) -> String {
    lang.t_with("job-what", &[("quantity", job.quantity.into()), ("plan", job.plan_name.as_str().into())])
}

/// The job's status message: the card it replaced, edited as the job goes; its summary has buttons.
pub fn status_message(lang: &Lang, job: &JobLabel, stage: &Stage) -> Screen {
    let what: Arg = job_what(lang, job).into();
    let status = || button(lang.t("button-status"), Callback::Jobs(JobsButton::Show(job.id)));
    match stage {
        Stage::Queued => Screen::new(lang.t_with("job-status-queued", &[("what", what)])),
        Stage::Generating => Screen::new(lang.t_with("job-status-generating", &[("what", what)])),
        Stage::Delivering { done, total, seconds_left } => {
            let (bar, percent) = format::progress_bar(*done, *total);
            let mut text = lang.t_with(
                "job-status-delivering",
                &[
                    ("what", what),
                    ("bar", bar.into()),
                    ("percent", percent.into()),
                    ("done", (*done).into()),
                    ("total", (*total).into()),
                ],
            );
            if let Some(seconds) = seconds_left {
                text.push('\n');
                text.push_str(
                    &lang.t_with("job-status-eta", &[("duration", format::about_duration(lang, *seconds).into())]),
                );
            }
            Screen::new(text)
        }
        Stage::TelegramNotAnswering { done, total } => Screen::new(lang.t_with(
            "job-status-telegram-not-answering",
            &[("what", what), ("done", (*done).into()), ("total", (*total).into())],
        )),
        Stage::Done { count, revoked } => {
            let key = format!("job-status-done-{}", job.export_type);
            let args = [("count", Arg::from(*count)), ("plan", job.plan_name.as_str().into())];
            let mut text =
                if *count > 0 { lang.t_with(&key, &args) } else { lang.t_with("job-status-done-nothing", &args) };
            if *revoked > 0 {
                text.push('\n');
                text.push_str(&lang.t_with("job-status-left-out-revoked", &[("count", (*revoked).into())]));
            }
            Screen::new(text)
                .row(vec![status(), button(lang.t("button-generate-more"), Callback::Menu(MenuItem::Generate))])
        }
        Stage::Failed { reason } => {
            Screen::new(lang.t_with("job-status-failed", &[("what", what), ("reason", (*reason).into())])).row(vec![
                button(lang.t("button-retry-delivery"), Callback::Jobs(JobsButton::RetryDelivery(job.id))),
                status(),
            ])
        }
    }
}

/// The CSV of a batch: RFC 4180, CRLF line ends, cells that could start a formula neutralised.
pub fn csv_document(
    codes: &[AccessCode],
    plan_name: &str,
    expires_at: Option<DateTime<Utc>>,
    batch_public_id: &str,
    bot_username: &str,
) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let expires = expires_at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default();
    let plan = neutralise_formula(plan_name);
    writer.write_record(["code", "plan", "expires_at", "batch_id", "redeem_link"]).expect("writing to memory");
    for code in codes {
        writer
            .write_record([
                neutralise_formula(&code.display()).as_str(),
                plan.as_str(),
                expires.as_str(),
                batch_public_id,
                neutralise_formula(&code.redeem_link(bot_username)).as_str(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// OWASP's rule against CSV injection: a cell a spreadsheet could read as a formula (or as one after a tab
/// or a carriage return) starts with a `'` instead.
pub fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

/// The CSV's file name: the plan's name as a slug and the batch id.
pub fn csv_file_name(plan_name: &str, batch_public_id: &str) -> String {
    let slug: String = plan_name
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() { "plan".to_owned() } else { slug.chars().take(40).collect() };
    format!("{slug}-{batch_public_id}.csv")
}

pub fn csv_caption(lang: &Lang, count: i64, plan_name: &str, expires_at: Option<DateTime<Utc>>) -> String {
    let plan: Arg = plan_name.into();
    match expires_at {
        Some(at) => lang.t_with(
            "csv-caption-expiring",
            &[("count", count.into()), ("plan", plan), ("expires_at", format::time(lang, at).into())],
        ),
        None => lang.t_with("csv-caption-no-expiry", &[("count", count.into()), ("plan", plan)]),
    }
}

/// One code as its own message, the code in monospace.
pub fn code_message(lang: &Lang, code: &AccessCode, bot_username: &str) -> Screen {
    let shown = code.display();
    let text = lang
        .t_with("code-message", &[("code", shown.as_str().into()), ("link", code.redeem_link(bot_username).into())]);
    let copy =
        InlineKeyboardButton::copy_text_button(lang.t("button-copy-code"), CopyTextButton { text: shown.clone() });
    Screen::new(text).monospace(&shown).row(vec![copy])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise_formula("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise_formula("+1"), "'+1");
        assert_eq!(neutralise_formula("-1"), "'-1");
        assert_eq!(neutralise_formula("@cmd"), "'@cmd");
        assert_eq!(neutralise_formula("\tcmd"), "'\tcmd");
        assert_eq!(neutralise_formula("\r=1"), "'\r=1");
        assert_eq!(neutralise_formula("a=1"), "a=1");
        assert_eq!(neutralise_formula("VIP"), "VIP");
    }

    #[test]
    fn file_names_are_slugs_of_the_plan() {
        assert_eq!(csv_file_name("VIP Club 2027!", "btc_1"), "vip-club-2027-btc_1.csv");
        assert_eq!(csv_file_name("***", "btc_1"), "plan-btc_1.csv");
    }
}
