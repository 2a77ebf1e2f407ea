//! `/tokens` and `/newtoken`: API tokens for AI assistants, with toggle buttons for abilities.
use super::buttons::{Callback, TokenButton};
use super::{Screen, button, format, page_of, paged_header, paging_row};
use crate::domain::tokens::{Abilities, Ability, IssuedToken, TokenDraftView, TokenSummary};
use crate::i18n::Lang;

fn abilities_text(lang: &Lang, abilities: Abilities) -> String {
    if abilities.is_empty() {
        return lang.t("token-abilities-none");
    }
    abilities.iter().map(Ability::as_str).collect::<Vec<_>>().join(", ")
}

/// The toast after an ability was ticked or unticked: what the draft has now.
pub fn abilities_now(lang: &Lang, draft: &TokenDraftView) -> String {
    abilities_text(lang, draft.abilities)
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
                    Some(at) => format::time(lang, at),
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
            lang.t_with("button-revoke-token", &[("name", token.name.as_str().into())]),
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
        Ability::ViewWebhooks => "view-webhooks",
        Ability::ManageWebhooks => "manage-webhooks",
    }
}

pub fn draft(lang: &Lang, draft: &TokenDraftView) -> Screen {
    let toggles = Ability::ALL.iter().map(|ability| {
        let mark = if draft.abilities.contains(*ability) { "✅" } else { "⬜" };
        let label = format!("{mark} {} — {}", ability.as_str(), lang.t(&format!("ability-{}", ability_key(*ability))));
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
