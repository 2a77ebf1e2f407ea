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

/// The error as the bot says it in a chat.
pub fn chat(lang: &Lang, error: &DomainError) -> String {
    let fixable = match error {
        DomainError::Validation { .. } => true,
        // A draft that is gone is a menu that expired, which is nothing to fix.
        DomainError::NotFound { resource } => *resource != "draft",
        _ => false,
    };
    let message = plain(lang, error);
    if fixable { lang.t_with("error-chat-warning", &[("message", message.into())]) } else { message }
}

fn validation_reason(lang: &Lang, reason: &ValidationReason) -> String {
    let key = format!("validation-{}", reason.key());
    match reason {
        ValidationReason::OutOfRange { min, max } => {
            lang.t_with(&key, &[("min", (*min).into()), ("max", (*max).into())])
        }
        ValidationReason::UnknownValue { allowed } => lang.t_with(&key, &[("allowed", allowed.join(", ").into())]),
        ValidationReason::TooFarAhead { max_years } => lang.t_with(&key, &[("years", (*max_years).into())]),
        ValidationReason::TooLong { max } => lang.t_with(&key, &[("max", (*max).into())]),
        ValidationReason::WrongType { expected } => lang.t_with(&key, &[("expected", (*expected).into())]),
        _ => lang.t(&key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chats_warn_about_what_the_person_can_fix_and_agents_read_plain_text() {
        let lang = Lang::default();
        let missing = DomainError::validation("abilities", ValidationReason::Required);
        assert_eq!(chat(&lang, &missing), "⚠️ abilities: is required");
        assert_eq!(plain(&lang, &missing), "abilities: is required");
        assert_eq!(chat(&lang, &DomainError::not_found("draft")), "This menu has expired.");
        let internal = DomainError::Internal { reference: "ABC".to_owned() };
        assert_eq!(chat(&lang, &internal), plain(&lang, &internal));
    }
}
