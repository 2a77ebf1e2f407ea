//! Everything a person reads: texts rendered from the locale files, keyboards, progress bars, times and
//! durations. The bot, the worker, the MCP server and the command line all render through here.
pub mod access;
pub mod billing;
pub mod buttons;
pub mod codes;
pub mod errors;
pub mod format;
pub mod generate;
pub mod jobs;
pub mod menu;
pub mod plans;
pub mod subscriber;
pub mod tokens;

use teloxide::types::{InlineKeyboardButton, MessageEntity};

use buttons::Callback;

/// A message's text and inline buttons.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    pub text: String,
    pub rows: Vec<Vec<InlineKeyboardButton>>,
    pub entities: Vec<MessageEntity>,
}

impl Screen {
    pub fn new(text: String) -> Self {
        Self { text, ..Self::default() }
    }

    pub fn row(mut self, row: Vec<InlineKeyboardButton>) -> Self {
        if !row.is_empty() {
            self.rows.push(row);
        }
        self
    }

    pub fn rows(mut self, rows: impl IntoIterator<Item = Vec<InlineKeyboardButton>>) -> Self {
        for row in rows {
            self = self.row(row);
        }
        self
    }

    /// Shows `needle` in the text in monospace, so it can be copied with a tap.
    pub fn monospace(mut self, needle: &str) -> Self {
        self.entities = format::monospace(&self.text, needle);
        self
    }

    /// The same screen under `reason` (an error), as when a question is asked again.
    pub fn under(mut self, reason: String) -> Self {
        self.text = format!("{reason}\n\n{}", self.text);
        self
    }
}

/// A button that sends `callback` back when tapped.
pub fn button(label: impl Into<String>, callback: Callback) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, callback.encode())
}
