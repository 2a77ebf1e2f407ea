//! Everything a person reads: texts rendered from the locale files, keyboards, progress bars, times and
//! durations. The bot, the worker, the MCP server and the command line all render through here.
pub mod access;
pub mod batches;
pub mod billing;
pub mod buttons;
pub mod codes;
pub mod errors;
pub mod format;
pub mod generate;
pub mod jobs;
pub mod menu;
pub mod notices;
pub mod plans;
pub mod redemption_export;
pub mod revocation;
pub mod rollback;
pub mod subscriber;
pub mod tokens;
pub mod webhooks;

use teloxide::types::{InlineKeyboardButton, MessageEntity};

use buttons::Callback;

/// A message's text and inline buttons.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
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

/// How many plans or tokens one message lists, so that it stays within Telegram's 100 buttons and 4096
/// characters however long the names.
pub const PER_PAGE: usize = 8;
/// Telegram answers a callback query with at most this many characters.
pub const MAX_TOAST_CHARS: usize = 200;

/// Page `page` of `items` (the last one when there are fewer), which page that is, and how many there are.
pub fn page_of<T>(items: &[T], page: u32) -> (&[T], u32, u32) {
    let pages = items.len().div_ceil(PER_PAGE).max(1) as u32;
    let page = page.min(pages - 1);
    let start = page as usize * PER_PAGE;
    (&items[start..(start + PER_PAGE).min(items.len())], page, pages)
}

/// Previous and Next, where there are such pages.
pub fn paging_row(
    lang: &crate::i18n::Lang,
    page: u32,
    pages: u32,
    to: impl Fn(u32) -> Callback,
) -> Vec<InlineKeyboardButton> {
    let mut row = Vec::new();
    if page > 0 {
        row.push(button(lang.t("button-previous"), to(page - 1)));
    }
    if page + 1 < pages {
        row.push(button(lang.t("button-next"), to(page + 1)));
    }
    row
}

/// A list's heading, with the page when there are several.
pub fn paged_header(lang: &crate::i18n::Lang, header: String, page: u32, pages: u32) -> String {
    if pages <= 1 {
        return header;
    }
    format!(
        "{header} {}",
        lang.t_with("page-of", &[("page", i64::from(page + 1).into()), ("pages", i64::from(pages).into())])
    )
}

/// A button that sends `callback` back when tapped.
pub fn button(label: impl Into<String>, callback: Callback) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, callback.encode())
}
