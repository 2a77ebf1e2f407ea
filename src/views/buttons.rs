//! The callback data of every button, one enum per family with one `encode` and one `decode`.
//! The data comes back from the client, so `decode` trusts nothing: whatever does not read back is `None`.
use crate::domain::access_code::Eligibility;
use crate::domain::generation::DraftOption;
use crate::domain::rollback::CodeAfterRollback;
use uuid::Uuid;

use crate::db::codes::CodeScope;
use crate::domain::code_listing::CodeFilter;
use crate::domain::conversations::FlowAction;
use crate::domain::expiry::CalendarUnit;
use crate::domain::ids;
use crate::domain::notices::RedemptionNotices;
use crate::domain::redemption_export::ExportScope;
use crate::domain::tokens::Ability;
use crate::i18n::LANGUAGES;

/// Telegram's limit on `callback_data`.
pub const MAX_DATA_LEN: usize = 64;

fn ulid(id: Uuid) -> String {
    ulid::Ulid::from(id).to_string()
}

/// A conversation's revision in base 36, so that even the largest fits the 64 bytes beside two ULIDs.
fn revision_text(revision: i32) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut left = revision.max(0) as u32;
    let mut text = Vec::new();
    loop {
        text.push(DIGITS[(left % 36) as usize]);
        left /= 36;
        if left == 0 {
            break;
        }
    }
    text.reverse();
    String::from_utf8(text).expect("ASCII digits")
}

fn id(part: &str) -> Option<Uuid> {
    ulid::Ulid::from_string(part).ok().map(Uuid::from)
}

/// Every button the bot sends, by family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// `w:<conversation>:<revision in base 36>:<action>`: checked against the open conversation on every tap.
    Flow { conversation: Uuid, revision: i32, action: FlowAction },
    /// `gen:<go|agree|cancel>:<draft>`: the confirmation card.
    Card(CardButton),
    /// `tok:…`: API tokens.
    Token(TokenButton),
    /// `pl:…`: the plan list.
    Plans(PlansButton),
    /// `st:…`: jobs.
    Jobs(JobsButton),
    /// `cd:…`: a plan's codes.
    Codes(CodesButton),
    /// `menu:<item>`: the creator's menu.
    Menu(MenuItem),
    /// `lang:<code>`: a language the bot speaks.
    Language(&'static str),
    /// `rm:…`: ending a person's access, after confirmation.
    Remove(RemoveButton),
    /// `wh:…`: webhook endpoints and their deliveries.
    Webhook(WebhookButton),
    /// `nt:<each|daily|off>`: how the creator hears of redemptions.
    Notify(RedemptionNotices),
    /// `my`: anyone's subscriptions, with their Join buttons.
    MySubscriptions,
    /// `rv:…`: revoking codes, after confirmation.
    Revoke(RevokeButton),
    /// `bt:…`: batches.
    Batches(BatchesButton),
    /// `ex:<b|p>:<id>`: a batch's or a plan's redemptions as a CSV document.
    Export(ExportScope),
    /// `rb:…`: rolling a redemption back, after confirmation.
    Rollback(RollbackButton),
}

impl Callback {
    pub fn encode(&self) -> String {
        match self {
            Self::Flow { conversation, revision, action } => {
                format!("w:{}:{}:{}", ulid(*conversation), revision_text(*revision), encode_flow_action(action))
            }
            Self::Card(button) => button.encode(),
            Self::Token(button) => button.encode(),
            Self::Plans(button) => button.encode(),
            Self::Jobs(button) => button.encode(),
            Self::Codes(button) => button.encode(),
            Self::Menu(item) => format!("menu:{}", item.as_str()),
            Self::Language(code) => format!("lang:{code}"),
            Self::Remove(RemoveButton::Confirm(user)) => format!("rm:ok:{user}"),
            Self::Remove(RemoveButton::Cancel) => "rm:no".to_owned(),
            Self::Webhook(button) => button.encode(),
            Self::Notify(mode) => format!("nt:{}", mode.as_str()),
            Self::MySubscriptions => "my:".to_owned(),
            Self::Revoke(button) => button.encode(),
            Self::Batches(button) => button.encode(),
            Self::Export(ExportScope::Batch(batch)) => format!("ex:b:{}", ulid(*batch)),
            Self::Export(ExportScope::Plan(plan)) => format!("ex:p:{}", ulid(*plan)),
            Self::Rollback(RollbackButton::Preview(redemption)) => format!("rb:?:{}", ulid(*redemption)),
            Self::Rollback(RollbackButton::Confirm(redemption, CodeAfterRollback::Revoked)) => {
                format!("rb:r:{}", ulid(*redemption))
            }
            Self::Rollback(RollbackButton::Confirm(redemption, CodeAfterRollback::Redeemable)) => {
                format!("rb:o:{}", ulid(*redemption))
            }
            Self::Rollback(RollbackButton::Cancel) => "rb:no".to_owned(),
        }
    }

    pub fn decode(data: &str) -> Option<Self> {
        let (family, rest) = data.split_once(':')?;
        match family {
            "w" => {
                let mut parts = rest.splitn(3, ':');
                let conversation = ids::parse_public_id("", parts.next()?)?;
                let revision = i32::from_str_radix(parts.next()?, 36).ok().filter(|r| *r >= 0)?;
                let action = decode_flow_action(parts.next()?)?;
                Some(Self::Flow { conversation, revision, action })
            }
            "gen" => CardButton::decode(rest).map(Self::Card),
            "tok" => TokenButton::decode(rest).map(Self::Token),
            "pl" => PlansButton::decode(rest).map(Self::Plans),
            "st" => JobsButton::decode(rest).map(Self::Jobs),
            "cd" => CodesButton::decode(rest).map(Self::Codes),
            "wh" => WebhookButton::decode(rest).map(Self::Webhook),
            "nt" => rest.parse().ok().map(Self::Notify),
            "my" if rest.is_empty() => Some(Self::MySubscriptions),
            "rv" => RevokeButton::decode(rest).map(Self::Revoke),
            "bt" => BatchesButton::decode(rest).map(Self::Batches),
            "ex" => match rest.split_once(':')? {
                ("b", batch) => Some(Self::Export(ExportScope::Batch(id(batch)?))),
                ("p", plan) => Some(Self::Export(ExportScope::Plan(id(plan)?))),
                _ => None,
            },
            "rb" => Some(Self::Rollback(match rest.split_once(':') {
                Some(("?", redemption)) => RollbackButton::Preview(id(redemption)?),
                Some(("r", redemption)) => RollbackButton::Confirm(id(redemption)?, CodeAfterRollback::Revoked),
                Some(("o", redemption)) => RollbackButton::Confirm(id(redemption)?, CodeAfterRollback::Redeemable),
                None if rest == "no" => RollbackButton::Cancel,
                _ => return None,
            })),
            "menu" => MenuItem::decode(rest).map(Self::Menu),
            "lang" => LANGUAGES.iter().find(|code| **code == rest).map(|code| Self::Language(code)),
            "rm" => match rest.split_once(':') {
                Some(("ok", user)) => user.parse().ok().map(|user| Self::Remove(RemoveButton::Confirm(user))),
                None if rest == "no" => Some(Self::Remove(RemoveButton::Cancel)),
                _ => None,
            },
            _ => None,
        }
    }
}

fn encode_flow_action(action: &FlowAction) -> String {
    match action {
        FlowAction::Cancel => "x".to_owned(),
        FlowAction::Back => "b".to_owned(),
        FlowAction::NewPlan => "np".to_owned(),
        FlowAction::Page(page) => format!("pg:{page}"),
        FlowAction::Plan(plan) => format!("p:{}", ulid(*plan)),
        FlowAction::Quantity(quantity) => format!("q:{quantity}"),
        FlowAction::Delivery(export_type) => format!("d:{export_type}"),
        FlowAction::Expiry(preset) => format!("e:{preset}"),
        FlowAction::Unit(unit) => format!("u:{}", unit.as_str()),
        FlowAction::Duration(duration) => format!("du:{duration}"),
    }
}

fn decode_flow_action(action: &str) -> Option<FlowAction> {
    let parsed = match action.split_once(':') {
        None => match action {
            "x" => FlowAction::Cancel,
            "b" => FlowAction::Back,
            "np" => FlowAction::NewPlan,
            _ => return None,
        },
        Some(("pg", page)) => FlowAction::Page(page.parse().ok()?),
        Some(("p", plan)) => FlowAction::Plan(id(plan)?),
        Some(("q", quantity)) => FlowAction::Quantity(quantity.parse().ok()?),
        Some(("d", export_type)) => FlowAction::Delivery(export_type.parse().ok()?),
        Some(("e", preset)) if !preset.is_empty() && preset.len() <= 20 => FlowAction::Expiry(preset.to_owned()),
        Some(("u", unit)) => FlowAction::Unit(CalendarUnit::parse(unit).filter(|parsed| parsed.as_str() == unit)?),
        Some(("du", duration)) if !duration.is_empty() && duration.len() <= 20 => {
            FlowAction::Duration(duration.to_owned())
        }
        _ => return None,
    };
    Some(parsed)
}

/// A button of `/batches`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchesButton {
    /// A page of the team's batches, or of one plan's.
    Page {
        plan: Option<Uuid>,
        page: u32,
    },
    Open(Uuid),
}

impl BatchesButton {
    fn encode(self) -> String {
        match self {
            Self::Page { plan: None, page } => format!("bt:l:{page}"),
            Self::Page { plan: Some(plan), page } => format!("bt:l:{page}:{}", ulid(plan)),
            Self::Open(batch) => format!("bt:o:{}", ulid(batch)),
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        let parts: Vec<&str> = rest.split(':').collect();
        Some(match parts.as_slice() {
            ["l", page] => Self::Page { plan: None, page: page.parse().ok()? },
            ["l", page, plan] => Self::Page { plan: Some(id(plan)?), page: page.parse().ok()? },
            ["o", batch] => Self::Open(id(batch)?),
            _ => return None,
        })
    }
}

/// The confirmation of a revocation: what it reaches, by id (never the code itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeButton {
    /// Shows what revoking would do, with the count: from a screen's button.
    Preview(CodeScope),
    Confirm(CodeScope),
    Cancel,
}

impl RevokeButton {
    fn encode(self) -> String {
        let scope = |scope: CodeScope| match scope {
            CodeScope::Code(code) => format!("c:{}", ulid(code)),
            CodeScope::Batch(batch) => format!("b:{}", ulid(batch)),
            CodeScope::Plan(plan) => format!("p:{}", ulid(plan)),
        };
        match self {
            Self::Preview(target) => format!("rv:?:{}", scope(target)),
            Self::Confirm(target) => format!("rv:ok:{}", scope(target)),
            Self::Cancel => "rv:no".to_owned(),
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        let parts: Vec<&str> = rest.split(':').collect();
        let scope = |kind: &str, target: &str| {
            let target = id(target)?;
            Some(match kind {
                "c" => CodeScope::Code(target),
                "b" => CodeScope::Batch(target),
                "p" => CodeScope::Plan(target),
                _ => return None,
            })
        };
        Some(match parts.as_slice() {
            ["?", kind, target] => Self::Preview(scope(kind, target)?),
            ["ok", kind, target] => Self::Confirm(scope(kind, target)?),
            ["no"] => Self::Cancel,
            _ => return None,
        })
    }
}

/// Rolling a redemption back: what it would do, then the creator's pick of what becomes of the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollbackButton {
    Preview(Uuid),
    Confirm(Uuid, CodeAfterRollback),
    Cancel,
}

/// The confirmation of `/remove`: the Telegram user whose access ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveButton {
    Confirm(i64),
    Cancel,
}

/// A button of the confirmation card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardButton {
    Generate(Uuid),
    AgreeToMessages(Uuid),
    Cancel(Uuid),
    /// The card's options: uses, prefix, who may redeem and label.
    Options(Uuid),
    /// Asks for one option's value.
    Ask(Uuid, DraftOption),
    /// Takes one option back to its default.
    Clear(Uuid, DraftOption),
    Who(Uuid, Option<Eligibility>),
    /// From the options back to the card.
    Back(Uuid),
}

fn option_letter(option: DraftOption) -> char {
    match option {
        DraftOption::Uses => 'u',
        DraftOption::Prefix => 'p',
        DraftOption::Label => 'l',
    }
}

fn option_of(letter: &str) -> Option<DraftOption> {
    Some(match letter {
        "u" => DraftOption::Uses,
        "p" => DraftOption::Prefix,
        "l" => DraftOption::Label,
        _ => return None,
    })
}

impl CardButton {
    fn encode(self) -> String {
        match self {
            Self::Generate(draft) => format!("gen:go:{}", ulid(draft)),
            Self::AgreeToMessages(draft) => format!("gen:agree:{}", ulid(draft)),
            Self::Cancel(draft) => format!("gen:cancel:{}", ulid(draft)),
            Self::Options(draft) => format!("gen:opt:{}", ulid(draft)),
            Self::Ask(draft, option) => format!("gen:ask{}:{}", option_letter(option), ulid(draft)),
            Self::Clear(draft, option) => format!("gen:clr{}:{}", option_letter(option), ulid(draft)),
            Self::Who(draft, who) => {
                let letter = match who {
                    None => 'a',
                    Some(Eligibility::New) => 'n',
                    Some(Eligibility::Returning) => 'r',
                };
                format!("gen:who{letter}:{}", ulid(draft))
            }
            Self::Back(draft) => format!("gen:back:{}", ulid(draft)),
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        let (action, draft) = rest.split_once(':')?;
        let draft = ids::parse_public_id(ids::DRAFT, draft).filter(|_| !draft.contains(':'))?;
        Some(match action {
            "go" => Self::Generate(draft),
            "agree" => Self::AgreeToMessages(draft),
            "cancel" => Self::Cancel(draft),
            "opt" => Self::Options(draft),
            "back" => Self::Back(draft),
            "whoa" => Self::Who(draft, None),
            "whon" => Self::Who(draft, Some(Eligibility::New)),
            "whor" => Self::Who(draft, Some(Eligibility::Returning)),
            other => match (other.get(..3), other.get(3..)) {
                (Some("ask"), Some(letter)) => Self::Ask(draft, option_of(letter)?),
                (Some("clr"), Some(letter)) => Self::Clear(draft, option_of(letter)?),
                _ => return None,
            },
        })
    }
}

/// A button about API tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenButton {
    NewDraft,
    Page(u32),
    Toggle(Uuid, Ability),
    Create(Uuid),
    Cancel(Uuid),
    Revoke(Uuid),
}

impl TokenButton {
    fn encode(self) -> String {
        match self {
            Self::NewDraft => "tok:new".to_owned(),
            Self::Page(page) => format!("tok:pg:{page}"),
            Self::Toggle(draft, ability) => {
                let index = Ability::ALL.iter().position(|a| *a == ability).unwrap_or_default();
                format!("tok:ab:{}:{index}", ulid(draft))
            }
            Self::Create(draft) => format!("tok:mk:{}", ulid(draft)),
            Self::Cancel(draft) => format!("tok:cx:{}", ulid(draft)),
            Self::Revoke(token) => format!("tok:rv:{}", ulid(token)),
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        let parts: Vec<&str> = rest.split(':').collect();
        Some(match parts.as_slice() {
            ["new"] => Self::NewDraft,
            ["pg", page] => Self::Page(page.parse().ok()?),
            ["ab", draft, index] => Self::Toggle(id(draft)?, *Ability::ALL.get(index.parse::<usize>().ok()?)?),
            ["mk", draft] => Self::Create(id(draft)?),
            ["cx", draft] => Self::Cancel(id(draft)?),
            ["rv", token] => Self::Revoke(id(token)?),
            _ => return None,
        })
    }
}

/// A button about webhook endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookButton {
    List,
    /// How to add one: the URL is typed with /addwebhook.
    Add,
    Open(Uuid),
    /// Ticks or unticks an event type (by its place in `EVENT_TYPES`), or `None` for all of them.
    Toggle(Uuid, Option<usize>),
    Test(Uuid),
    Pause(Uuid),
    Resume(Uuid),
    Rotate(Uuid),
    Delete(Uuid),
    ConfirmDelete(Uuid),
    Deliveries(Uuid),
    Redeliver(Uuid),
}

impl WebhookButton {
    fn encode(self) -> String {
        match self {
            Self::List => "wh:ls".to_owned(),
            Self::Add => "wh:add".to_owned(),
            Self::Open(endpoint) => format!("wh:op:{}", ulid(endpoint)),
            Self::Toggle(endpoint, Some(index)) => format!("wh:ev:{}:{index}", ulid(endpoint)),
            Self::Toggle(endpoint, None) => format!("wh:ev:{}:all", ulid(endpoint)),
            Self::Test(endpoint) => format!("wh:ts:{}", ulid(endpoint)),
            Self::Pause(endpoint) => format!("wh:ps:{}", ulid(endpoint)),
            Self::Resume(endpoint) => format!("wh:rs:{}", ulid(endpoint)),
            Self::Rotate(endpoint) => format!("wh:rt:{}", ulid(endpoint)),
            Self::Delete(endpoint) => format!("wh:dl:{}", ulid(endpoint)),
            Self::ConfirmDelete(endpoint) => format!("wh:dy:{}", ulid(endpoint)),
            Self::Deliveries(endpoint) => format!("wh:dv:{}", ulid(endpoint)),
            Self::Redeliver(delivery) => format!("wh:rd:{}", ulid(delivery)),
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        let parts: Vec<&str> = rest.split(':').collect();
        Some(match parts.as_slice() {
            ["ls"] => Self::List,
            ["add"] => Self::Add,
            ["op", endpoint] => Self::Open(id(endpoint)?),
            ["ev", endpoint, "all"] => Self::Toggle(id(endpoint)?, None),
            ["ev", endpoint, index] => {
                let index = index.parse::<usize>().ok().filter(|i| *i < crate::domain::webhooks::EVENT_TYPES.len())?;
                Self::Toggle(id(endpoint)?, Some(index))
            }
            ["ts", endpoint] => Self::Test(id(endpoint)?),
            ["ps", endpoint] => Self::Pause(id(endpoint)?),
            ["rs", endpoint] => Self::Resume(id(endpoint)?),
            ["rt", endpoint] => Self::Rotate(id(endpoint)?),
            ["dl", endpoint] => Self::Delete(id(endpoint)?),
            ["dy", endpoint] => Self::ConfirmDelete(id(endpoint)?),
            ["dv", endpoint] => Self::Deliveries(id(endpoint)?),
            ["rd", delivery] => Self::Redeliver(id(delivery)?),
            _ => return None,
        })
    }
}

/// A button of the plan list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlansButton {
    NewPlan,
    Archive(Uuid),
    Reactivate(Uuid),
    Rename(Uuid),
    /// A page of the list.
    Page(u32),
    /// The chats the plan unlocks.
    Chats(Uuid),
    LinkChat(Uuid),
    Unlink(Uuid, i64),
}

impl PlansButton {
    fn encode(self) -> String {
        match self {
            Self::NewPlan => "pl:new".to_owned(),
            Self::Page(page) => format!("pl:pg:{page}"),
            Self::Archive(plan) => format!("pl:ar:{}", ulid(plan)),
            Self::Reactivate(plan) => format!("pl:re:{}", ulid(plan)),
            Self::Rename(plan) => format!("pl:rn:{}", ulid(plan)),
            Self::LinkChat(plan) => format!("pl:ln:{}", ulid(plan)),
            Self::Chats(plan) => format!("pl:ch:{}", ulid(plan)),
            Self::Unlink(plan, chat) => format!("pl:ul:{}:{chat}", ulid(plan)),
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        if rest == "new" {
            return Some(Self::NewPlan);
        }
        if let Some(page) = rest.strip_prefix("pg:") {
            return Some(Self::Page(page.parse().ok()?));
        }
        if let Some(unlink) = rest.strip_prefix("ul:") {
            let (plan, chat) = unlink.split_once(':')?;
            return Some(Self::Unlink(id(plan)?, chat.parse().ok()?));
        }
        let (action, plan) = rest.split_once(':')?;
        let plan = id(plan)?;
        Some(match action {
            "ch" => Self::Chats(plan),
            "ar" => Self::Archive(plan),
            "re" => Self::Reactivate(plan),
            "rn" => Self::Rename(plan),
            "ln" => Self::LinkChat(plan),
            _ => return None,
        })
    }
}

/// A button about generation jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobsButton {
    List,
    Show(Uuid),
    RetryDelivery(Uuid),
}

impl JobsButton {
    fn encode(self) -> String {
        match self {
            Self::List => "st:l".to_owned(),
            Self::Show(job) => format!("st:j:{}", ulid(job)),
            Self::RetryDelivery(job) => format!("st:r:{}", ulid(job)),
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        if rest == "l" {
            return Some(Self::List);
        }
        let (action, job) = rest.split_once(':')?;
        let job = id(job)?;
        Some(match action {
            "j" => Self::Show(job),
            "r" => Self::RetryDelivery(job),
            _ => return None,
        })
    }
}

/// A button of `/codes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodesButton {
    /// A page of the plan picker.
    PickPlan(u32),
    /// A page of one batch's codes.
    BatchPage {
        batch: Uuid,
        filter: CodeFilter,
        page: i64,
    },
    Page {
        plan: Uuid,
        filter: CodeFilter,
        page: i64,
    },
}

impl CodesButton {
    fn encode(self) -> String {
        match self {
            Self::PickPlan(0) => "cd:l".to_owned(),
            Self::PickPlan(page) => format!("cd:l:{page}"),
            Self::Page { plan, filter, page } => format!("cd:{}:{}:{page}", ulid(plan), filter_letter(filter)),
            Self::BatchPage { batch, filter, page } => format!("cd:b:{}:{}:{page}", ulid(batch), filter_letter(filter)),
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        let parts: Vec<&str> = rest.split(':').collect();
        Some(match parts.as_slice() {
            ["l"] => Self::PickPlan(0),
            ["l", page] => Self::PickPlan(page.parse().ok()?),
            ["b", batch, letter, page] => {
                let filter = *CodeFilter::ALL.iter().find(|filter| filter_letter(**filter) == *letter)?;
                Self::BatchPage { batch: id(batch)?, filter, page: page.parse().ok()? }
            }
            [plan, letter, page] => {
                let filter = *CodeFilter::ALL.iter().find(|filter| filter_letter(**filter) == *letter)?;
                Self::Page { plan: id(plan)?, filter, page: page.parse().ok()? }
            }
            _ => return None,
        })
    }
}

fn filter_letter(filter: CodeFilter) -> &'static str {
    match filter {
        CodeFilter::Unredeemed => "u",
        CodeFilter::Redeemed => "r",
        CodeFilter::Expired => "e",
        CodeFilter::Revoked => "x",
        CodeFilter::All => "a",
    }
}

/// An item of the creator's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItem {
    Generate,
    Plans,
    Jobs,
    Codes,
    Members,
    Billing,
    Webhooks,
    Tokens,
    Notify,
    Language,
    NewPlan,
    HowItWorks,
    /// Every command, with its syntax: the reference.
    More,
    Help,
}

impl MenuItem {
    pub const ALL: [Self; 14] = [
        Self::Generate,
        Self::Plans,
        Self::Jobs,
        Self::Codes,
        Self::Members,
        Self::Billing,
        Self::Webhooks,
        Self::Tokens,
        Self::Notify,
        Self::Language,
        Self::NewPlan,
        Self::HowItWorks,
        Self::More,
        Self::Help,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Generate => "generate",
            Self::Plans => "plans",
            Self::Jobs => "jobs",
            Self::Codes => "codes",
            Self::Members => "members",
            Self::Billing => "billing",
            Self::Webhooks => "webhooks",
            Self::Tokens => "tokens",
            Self::Notify => "notify",
            Self::Language => "language",
            Self::NewPlan => "newplan",
            Self::HowItWorks => "how",
            Self::More => "more",
            Self::Help => "help",
        }
    }

    fn decode(rest: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|item| item.as_str() == rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::generation::ExportType;

    fn every_variant() -> Vec<Callback> {
        let id = ids::new_id();
        let mut all = vec![
            Callback::Card(CardButton::Generate(id)),
            Callback::Card(CardButton::AgreeToMessages(id)),
            Callback::Card(CardButton::Cancel(id)),
            Callback::Card(CardButton::Options(id)),
            Callback::Card(CardButton::Back(id)),
            Callback::Card(CardButton::Who(id, None)),
            Callback::Card(CardButton::Who(id, Some(Eligibility::New))),
            Callback::Card(CardButton::Who(id, Some(Eligibility::Returning))),
            Callback::Card(CardButton::Ask(id, DraftOption::Uses)),
            Callback::Card(CardButton::Ask(id, DraftOption::Prefix)),
            Callback::Card(CardButton::Ask(id, DraftOption::Label)),
            Callback::Card(CardButton::Clear(id, DraftOption::Uses)),
            Callback::Card(CardButton::Clear(id, DraftOption::Prefix)),
            Callback::Card(CardButton::Clear(id, DraftOption::Label)),
            Callback::Token(TokenButton::NewDraft),
            Callback::Token(TokenButton::Create(id)),
            Callback::Token(TokenButton::Cancel(id)),
            Callback::Token(TokenButton::Revoke(id)),
            Callback::Plans(PlansButton::NewPlan),
            Callback::Plans(PlansButton::Archive(id)),
            Callback::Plans(PlansButton::Reactivate(id)),
            Callback::Plans(PlansButton::Rename(id)),
            Callback::Plans(PlansButton::LinkChat(id)),
            Callback::Plans(PlansButton::Chats(id)),
            Callback::Plans(PlansButton::Unlink(id, i64::MIN)),
            Callback::Remove(RemoveButton::Confirm(i64::MAX)),
            Callback::Remove(RemoveButton::Cancel),
            Callback::Jobs(JobsButton::List),
            Callback::Jobs(JobsButton::Show(id)),
            Callback::Jobs(JobsButton::RetryDelivery(id)),
            Callback::Codes(CodesButton::PickPlan(0)),
            Callback::Codes(CodesButton::PickPlan(u32::MAX)),
            Callback::Plans(PlansButton::Page(u32::MAX)),
            Callback::Token(TokenButton::Page(u32::MAX)),
        ];
        all.extend(Ability::ALL.map(|ability| Callback::Token(TokenButton::Toggle(id, ability))));
        all.extend([WebhookButton::List, WebhookButton::Add].map(Callback::Webhook));
        all.extend(
            [
                WebhookButton::Open,
                WebhookButton::Test,
                WebhookButton::Pause,
                WebhookButton::Resume,
                WebhookButton::Rotate,
                WebhookButton::Delete,
                WebhookButton::ConfirmDelete,
                WebhookButton::Deliveries,
                WebhookButton::Redeliver,
            ]
            .map(|button| Callback::Webhook(button(id))),
        );
        all.push(Callback::Webhook(WebhookButton::Toggle(id, None)));
        all.extend(
            (0..crate::domain::webhooks::EVENT_TYPES.len())
                .map(|index| Callback::Webhook(WebhookButton::Toggle(id, Some(index)))),
        );
        all.extend(
            CodeFilter::ALL.iter().map(|&filter| Callback::Codes(CodesButton::Page { plan: id, filter, page: 9999 })),
        );
        all.extend(
            CodeFilter::ALL
                .iter()
                .map(|&filter| Callback::Codes(CodesButton::BatchPage { batch: id, filter, page: 999_999 })),
        );
        all.extend(MenuItem::ALL.map(Callback::Menu));
        all.push(Callback::MySubscriptions);
        for scope in [CodeScope::Code(id), CodeScope::Batch(id), CodeScope::Plan(id)] {
            all.extend([RevokeButton::Preview(scope), RevokeButton::Confirm(scope)].map(Callback::Revoke));
        }
        all.push(Callback::Revoke(RevokeButton::Cancel));
        all.extend(
            [
                BatchesButton::Page { plan: None, page: u32::MAX },
                BatchesButton::Page { plan: Some(id), page: u32::MAX },
                BatchesButton::Open(id),
            ]
            .map(Callback::Batches),
        );
        all.extend([ExportScope::Batch(id), ExportScope::Plan(id)].map(Callback::Export));
        all.extend(
            [
                RollbackButton::Preview(id),
                RollbackButton::Confirm(id, CodeAfterRollback::Revoked),
                RollbackButton::Confirm(id, CodeAfterRollback::Redeemable),
                RollbackButton::Cancel,
            ]
            .map(Callback::Rollback),
        );
        all.extend(RedemptionNotices::ALL.iter().map(|mode| Callback::Notify(*mode)));
        all.extend(LANGUAGES.iter().map(|code| Callback::Language(code)));
        let actions = [
            FlowAction::Cancel,
            FlowAction::Back,
            FlowAction::NewPlan,
            FlowAction::Page(u32::MAX),
            FlowAction::Plan(id),
            FlowAction::Quantity(i64::MAX),
            FlowAction::Delivery(ExportType::Messages),
            FlowAction::Expiry("no_expiry".to_owned()),
            FlowAction::Expiry("custom".to_owned()),
            FlowAction::Unit(CalendarUnit::Months),
            FlowAction::Duration("lifetime".to_owned()),
            FlowAction::Duration("custom".to_owned()),
        ];
        all.extend(actions.into_iter().map(|action| Callback::Flow { conversation: id, revision: i32::MAX, action }));
        all
    }

    #[test]
    fn every_button_reads_back_and_fits_telegram() {
        for callback in every_variant() {
            let data = callback.encode();
            assert!(data.len() <= MAX_DATA_LEN, "{} bytes: {data}", data.len());
            assert_eq!(Callback::decode(&data), Some(callback), "{data}");
        }
    }

    #[test]
    fn forged_and_unknown_data_reads_as_nothing() {
        for forged in [
            "",
            "gen:go",
            "gen:launch:01J0000000000000000000000",
            "gen:go:not-a-draft",
            "w:nonsense:1:q:10",
            "w:01J0000000000000000000000:1:teleport",
            "tok:ab:01J0000000000000000000000:7",
            "tok:rv",
            "st:x:01J0000000000000000000000",
            "cd:01J0000000000000000000000:z:1",
            "rv:ok:z:01J0000000000000000000000",
            "rv:ok:c:ABCD-EFGH-JKMN",
            "menu:settings",
            "lang:de",
            "nothing",
        ] {
            assert_eq!(Callback::decode(forged), None, "{forged}");
        }
        let draft = ids::new_id();
        let extra = format!("{}:extra", Callback::Card(CardButton::Generate(draft)).encode());
        assert_eq!(Callback::decode(&extra), None);
    }
}
