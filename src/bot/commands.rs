//! The slash commands the bot understands.
use teloxide::utils::command::BotCommands;

#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    Start(String),
    Help,
    Redeem(String),
    My,
    NewPlan(String),
    Plans,
    Generate(String),
    Status(String),
    Billing,
    Tokens,
    NewToken(String),
}

impl Command {
    /// The commands shown in Telegram's menu, in order; each has a `command-<name>` description.
    pub const MENU: &'static [&'static str] =
        &["start", "help", "redeem", "my", "generate", "newplan", "plans", "status", "billing", "tokens", "newtoken"];
}
