//! Errors as people read them: plain for MCP and the command line, with a warning sign in a chat when the
//! person can fix what the error names.
use crate::domain::{DomainError, ValidationReason};
use crate::i18n::Lang;

/// The error in words, without decoration: what agents and operators read.
pub fn plain(lang: &Lang, error: &DomainError) -> String {
    match error {
        DomainError::Validation { field, reason } => lang.t_with(
            "error-validation",
            &[("field", lang.t(&format!("field-{field}")).into()), ("reason", validation_reason(lang, reason).into())],
        ),
        DomainError::NotFound { resource } => lang.t(&format!("error-not-found-{resource}")),
        DomainError::AuthenticationRequired => lang.t("error-authentication-required"),
        DomainError::TokenMissingAbility { ability } => {
            lang.t_with("error-token-missing-ability", &[("ability", (*ability).into())])
        }
        DomainError::RateLimited { retry_after_secs } => {
            lang.t_with("error-rate-limited", &[("seconds", (*retry_after_secs as i64).into())])
        }
        DomainError::Internal { reference } => {
            lang.t_with("error-internal", &[("reference", reference.as_str().into())])
        }
    }
}

/// The error as the bot says it in a chat: what to send or do instead, where the locale says it for the
/// field and reason (`ask-<field>-<reason>`) or for the reason (`ask-<reason>`).
pub fn chat(lang: &Lang, error: &DomainError) -> String {
    if let DomainError::Validation { field, reason } = error {
        let args = reason_args(reason);
        let key = reason.key();
        let said = lang
            .try_t_with(&format!("ask-{field}-{key}"), &args)
            .or_else(|| lang.try_t_with(&format!("ask-{key}"), &args));
        if let Some(message) = said {
            return lang.t_with("error-chat-warning", &[("message", message.into())]);
        }
    }
    let fixable = match error {
        DomainError::Validation { .. } => true,
        // A draft that is gone is a menu that expired, which is nothing to fix.
        DomainError::NotFound { resource } => *resource != "draft",
        _ => false,
    };
    let message = plain(lang, error);
    if fixable { lang.t_with("error-chat-warning", &[("message", message.into())]) } else { message }
}

/// The error as a message in a chat, with the buttons that lead on from it.
pub fn screen(lang: &Lang, error: &DomainError) -> super::Screen {
    use super::buttons::MenuItem;
    let screen = super::Screen::new(chat(lang, error));
    let to = |item: MenuItem| super::menu::menu_button(lang, item);
    match error {
        DomainError::NotFound { resource: "plan" } => screen.row(vec![to(MenuItem::Plans), to(MenuItem::NewPlan)]),
        DomainError::NotFound { resource: "job" } => screen.row(vec![to(MenuItem::Jobs)]),
        DomainError::NotFound { resource: "token" } => screen.row(vec![to(MenuItem::Tokens)]),
        DomainError::NotFound { resource: "code" | "batch" } => screen.row(vec![to(MenuItem::Codes)]),
        _ => screen,
    }
}

fn validation_reason(lang: &Lang, reason: &ValidationReason) -> String {
    lang.t_with(&format!("validation-{}", reason.key()), &reason_args(reason))
}

/// What a reason's messages may name.
fn reason_args(reason: &ValidationReason) -> Vec<(&'static str, crate::i18n::Arg)> {
    match reason {
        ValidationReason::OutOfRange { min, max } => vec![("min", (*min).into()), ("max", (*max).into())],
        ValidationReason::UnknownValue { allowed } => vec![("allowed", allowed.join(", ").into())],
        ValidationReason::TooFarAhead { max_years } => vec![("years", (*max_years).into())],
        ValidationReason::TooLong { max } => vec![("max", (*max).into())],
        ValidationReason::WrongType { expected } => vec![("expected", (*expected).into())],
        ValidationReason::OneOf { fields } => vec![("fields", fields.join(", ").into())],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chats_warn_about_what_the_person_can_fix_and_agents_read_plain_text() {
        let lang = Lang::default();
        let missing = DomainError::validation("abilities", ValidationReason::Required);
        assert_eq!(chat(&lang, &missing), "⚠️ Tick at least one thing the token may do.");
        assert_eq!(plain(&lang, &missing), "abilities: is required");
        let range = DomainError::validation("quantity", ValidationReason::OutOfRange { min: 1, max: 1000 });
        assert_eq!(chat(&lang, &range), "⚠️ Send a number from 1 to 1,000.");
        assert_eq!(chat(&lang, &DomainError::not_found("draft")), "This menu has expired.");
        let internal = DomainError::Internal { reference: "ABC".to_owned() };
        assert_eq!(chat(&lang, &internal), plain(&lang, &internal));
    }
}
