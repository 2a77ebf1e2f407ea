//! `/tokens` and `/newtoken`: API tokens for AI assistants, with toggle buttons for abilities.
use super::buttons::{Callback, TokenButton};
use super::{Screen, button, format, page_of, paged_header, paging_row};
use crate::domain::tokens::{Abilities, Ability, IssuedToken, TokenDraftView, TokenSummary};
use crate::i18n::Lang;

/// What a token may do, in words: "Connect an AI assistant, Create codes".
fn abilities_text(lang: &Lang, abilities: Abilities) -> String {
    if abilities.is_empty() {
        return lang.t("token-abilities-none");
    }
    abilities.iter().map(|ability| ability_label(lang, ability)).collect::<Vec<_>>().join(", ")
}

fn ability_label(lang: &Lang, ability: Ability) -> String {
    lang.t(&format!("ability-{}", ability_key(ability)))
}

/// The toast after an ability was ticked or unticked: what the draft allows now, or what to do.
pub fn abilities_now(lang: &Lang, draft: &TokenDraftView) -> String {
    if draft.abilities.is_empty() {
        return lang.t("token-tick-one");
    }
    lang.t_with("token-may-now", &[("abilities", abilities_text(lang, draft.abilities).into())])
}

/// The name a token gets unless the creator types one: "AI assistant 2".
pub fn default_name(lang: &Lang, number: usize) -> String {
    lang.t_with("token-default-name", &[("number", number.to_string().into())])
}

/// A page of the creator's tokens, each with a Revoke button.
pub fn list(lang: &Lang, all: &[TokenSummary], page: u32) -> Screen {
    let (tokens, page, pages) = page_of(all, page);
    let text = if tokens.is_empty() {
        lang.t("tokens-empty")
    } else {
        let lines: Vec<String> = tokens
            .iter()
            .map(|token| {
                let last_used = match token.last_used_at {
                    Some(at) => lang.t_with("token-used-at", &[("at", format::time(lang, at).into())]),
                    None => lang.t("token-never-used"),
                };
                lang.t_with(
                    "token-line",
                    &[
                        ("name", token.name.as_str().into()),
                        ("abilities", abilities_text(lang, token.abilities).into()),
                        ("created_at", format::time(lang, token.created_at).into()),
                        ("last_used", last_used.into()),
                    ],
                )
            })
            .collect();
        let header = paged_header(lang, lang.t_with("tokens-header", &[("count", all.len().into())]), page, pages);
        format!("{header}\n\n{}", lines.join("\n"))
    };
    let revoke = tokens.iter().map(|token| {
        vec![button(
            lang.t_with("button-revoke-token", &[("name", format::short(&token.name, 20).into())]),
            Callback::Token(TokenButton::Revoke(token.id)),
        )]
    });
    Screen::new(text)
        .rows(revoke)
        .row(paging_row(lang, page, pages, |page| Callback::Token(TokenButton::Page(page))))
        .row(vec![button(lang.t("button-new-token"), Callback::Token(TokenButton::NewDraft))])
}

fn ability_key(ability: Ability) -> &'static str {
    match ability {
        Ability::McpFull => "mcp-full",
        Ability::CreateCodes => "create-codes",
        Ability::ViewCodes => "view-codes",
        Ability::RevokeCodes => "revoke-codes",
        Ability::ViewWebhooks => "view-webhooks",
        Ability::ManageWebhooks => "manage-webhooks",
    }
}

pub fn draft(lang: &Lang, draft: &TokenDraftView) -> Screen {
    let toggles = Ability::ALL.iter().map(|ability| {
        let mark = if draft.abilities.contains(*ability) { "✅" } else { "⬜" };
        let label = format!("{mark} {}", ability_label(lang, *ability));
        vec![button(label, Callback::Token(TokenButton::Toggle(draft.id, *ability)))]
    });
    Screen::new(lang.t_with("token-draft", &[("name", draft.name.as_str().into())])).rows(toggles).row(vec![
        button(lang.t("button-create-token"), Callback::Token(TokenButton::Create(draft.id))),
        button(lang.t("button-cancel"), Callback::Token(TokenButton::Cancel(draft.id))),
    ])
}

/// The new token, shown this one time, in monospace so it copies with a tap.
pub fn issued(lang: &Lang, issued: &IssuedToken) -> Screen {
    let text = lang.t_with(
        "token-created",
        &[
            ("name", issued.summary.name.as_str().into()),
            ("abilities", abilities_text(lang, issued.summary.abilities).into()),
            ("token", issued.plaintext.as_str().into()),
        ],
    );
    Screen::new(text).monospace(&issued.plaintext)
}
