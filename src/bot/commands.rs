//! The slash commands the bot understands.
use teloxide::utils::command::BotCommands;

#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    Start(String),
    Help,
    Redeem(String),
    My,
    Language,
    Cancel,
    NewPlan(String),
    Plans,
    Generate(String),
    Status(String),
    Resend(String),
    Codes(String),
    Batches(String),
    Billing,
    Tokens,
    NewToken(String),
    Webhooks,
    AddWebhook(String),
    Members(String),
    Check(String),
    Remove(String),
    Revoke(String),
    Rollback(String),
    Notify,
}

impl Command {
    /// The menu everyone sees, in order; each has a `command-<name>` description.
    pub const SUBSCRIBER_MENU: &'static [&'static str] = &["start", "help", "redeem", "my", "language"];

    /// The menu in creators' chats: their commands first, then everyone's.
    pub const CREATOR_MENU: &'static [&'static str] = &[
        "start",
        "generate",
        "plans",
        "newplan",
        "codes",
        "batches",
        "revoke",
        "rollback",
        "status",
        "resend",
        "members",
        "check",
        "remove",
        "billing",
        "notify",
        "tokens",
        "newtoken",
        "webhooks",
        "addwebhook",
        "cancel",
        "redeem",
        "my",
        "language",
        "help",
    ];
}

#[cfg(test)]
mod tests {
    use super::Command;
    use crate::i18n::{LANGUAGES, Lang};

    #[test]
    fn the_reference_behind_more_lists_every_command_of_the_creators_menu() {
        for code in LANGUAGES {
            let reference = Lang::from_code(Some(code)).t("help-reference");
            for name in Command::CREATOR_MENU {
                assert!(reference.contains(&format!("/{name}")), "/{name} is missing from the {code} reference");
            }
        }
    }
}
