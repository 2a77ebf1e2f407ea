//! What creators are told by the notifier: redemptions, one or merged, and messages prepared when written.
use crate::domain::DomainError;
use crate::domain::notices::{CodeRedeemed, Outgoing, RedemptionNotices, named_once};
use crate::i18n::Lang;
use crate::views::Screen;
use crate::views::buttons::Callback;
use crate::views::subscriber::{SubscriberName, creator_told_of_redemption_text};

/// At most this many people are named in a merged notice; the rest are counted.
const MOST_NAMED: usize = 5;

/// The message for what goes into a creator's chat.
pub fn render(lang: &Lang, outgoing: &Outgoing) -> Result<Screen, DomainError> {
    match outgoing {
        Outgoing::Prepared(json) => {
            serde_json::from_str(json).map_err(|error| DomainError::internal("reading a prepared notice", error))
        }
        Outgoing::Redemptions { redeemed, daily } => Ok(Screen::new(redemptions(lang, redeemed, *daily))),
    }
}

/// `/notify`: the choice, with the current one ticked.
pub fn notify_card(lang: &Lang, current: RedemptionNotices) -> Screen {
    let rows = RedemptionNotices::ALL.iter().map(|mode| {
        let label = lang.t(mode_key(*mode));
        let label = if *mode == current { format!("✅ {label}") } else { label };
        vec![crate::views::button(label, Callback::Notify(*mode))]
    });
    Screen::new(lang.t_with("notify-card", &[("current", lang.t(mode_key(current)).into())])).rows(rows)
}

/// The toast after a choice.
pub fn notify_chosen(lang: &Lang, mode: RedemptionNotices) -> String {
    lang.t_with("notify-chosen", &[("mode", lang.t(mode_key(mode)).into())])
}

fn mode_key(mode: RedemptionNotices) -> &'static str {
    match mode {
        RedemptionNotices::Each => "notify-each",
        RedemptionNotices::Daily => "notify-daily",
        RedemptionNotices::Off => "notify-off",
    }
}

/// A prepared notice, as it is stored.
pub fn prepared(screen: &Screen) -> String {
    serde_json::to_string(screen).unwrap_or_default()
}

fn redemptions(lang: &Lang, redeemed: &[CodeRedeemed], daily: bool) -> String {
    let (Some(newest), false) = (redeemed.last(), daily && redeemed.is_empty()) else { return String::new() };
    if let [one] = redeemed
        && !daily
    {
        let who =
            SubscriberName { full_name: one.name.clone(), username: one.username.as_deref(), id: one.subscriber_id };
        return creator_told_of_redemption_text(
            lang,
            &who,
            &one.code,
            &one.plan,
            one.free_left,
            one.allotment,
            one.overage,
        );
    }
    let (named, more) = named_once(redeemed, MOST_NAMED);
    let names: Vec<String> = named
        .iter()
        .map(|one| match &one.username {
            Some(username) => format!("@{username}"),
            None => one.name.clone(),
        })
        .collect();
    let mut who = names.join(", ");
    if more > 0 {
        who = lang.t_with("notice-and-more", &[("names", who.into()), ("more", (more as i64).into())]);
    }
    let mut plans: Vec<&str> = Vec::new();
    for one in redeemed {
        if !plans.contains(&one.plan.as_str()) {
            plans.push(&one.plan);
        }
    }
    let key = if daily { "notice-redemptions-daily" } else { "notice-redemptions" };
    let count = redeemed.len() as i64;
    let mut text =
        lang.t_with(key, &[("count", count.into()), ("plans", plans.join(", ").into()), ("who", who.into())]);
    text.push('\n');
    text.push_str(&lang.t_with(
        "notice-redemptions-left",
        &[("left", newest.free_left.into()), ("allotment", newest.allotment.into())],
    ));
    let overage = redeemed.iter().filter(|one| one.overage).count() as i64;
    if overage > 0 {
        text.push('\n');
        text.push_str(&lang.t_with("notice-redemptions-overage", &[("count", overage.into())]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redeemed(subscriber_id: i64, username: Option<&str>, plan: &str) -> CodeRedeemed {
        CodeRedeemed {
            subscriber_id,
            name: format!("Sub {subscriber_id}"),
            username: username.map(str::to_owned),
            plan: plan.to_owned(),
            code: "****-****-ABCD".to_owned(),
            free_left: 0,
            allotment: 5,
            overage: subscriber_id > 2,
        }
    }

    #[test]
    fn merged_redemptions_name_each_person_once_with_the_count_in_both_languages() {
        let all: Vec<CodeRedeemed> = (1..=12)
            .map(|n| redeemed(n, (n % 2 == 0).then_some("sam"), if n < 3 { "Gold" } else { "Silver" }))
            .chain([redeemed(1, None, "Gold")])
            .collect();
        let english = redemptions(&Lang::from_code(Some("en")), &all, false);
        assert!(english.starts_with("🎟 13 codes redeemed (Gold, Silver): Sub 1, @sam, Sub 3,"), "{english}");
        assert!(english.contains("and 7 more"), "{english}");
        assert!(english.contains("10 of them are beyond your allotment"), "{english}");
        let russian = redemptions(&Lang::from_code(Some("ru")), &all, false);
        assert!(russian.starts_with("🎟 Активировано 13 кодов (Gold, Silver): Sub 1, @sam,"), "{russian}");
        assert!(russian.contains("и ещё 7"), "{russian}");
        let two = redemptions(&Lang::from_code(Some("ru")), &all[..2], false);
        assert!(two.starts_with("🎟 Активировано 2 кода (Gold)"), "{two}");
        let daily = redemptions(&Lang::from_code(Some("en")), &all[..1], true);
        assert!(daily.starts_with("🗓 In the last day, 1 code was redeemed (Gold): Sub 1."), "{daily}");
    }

    #[test]
    fn one_redemption_reads_as_before() {
        let one = redemptions(&Lang::from_code(Some("en")), &[redeemed(1, Some("ann"), "Gold")], false);
        assert!(one.starts_with("🎟 Code ****-****-ABCD was redeemed by Sub 1 (@ann, id 1) on Gold."), "{one}");
    }
}
