//! An access code itself: 12 Crockford base32 symbols, shown as `XXXX-XXXX-XXXX`, after the creator's prefix
//! when they chose one (`VIP-XXXX-XXXX-XXXX`); what a typed message that means one looks like; and the
//! state a stored code is in.
use chrono::{DateTime, Utc};

use super::secret::random_bytes;
use super::stored::stored_enum;
use super::{DomainError, ValidationReason};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const CODE_LEN: usize = 12;
pub const PREFIX_LEN: std::ops::RangeInclusive<usize> = 2..=6;

/// A code in its normalised form: the prefix, if any, then 12 symbols; no dashes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccessCode {
    prefix: String,
    random: String,
}

impl std::fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AccessCode({})", self.masked())
    }
}

/// A prefix as the creator typed it, upper-cased: 2 to 6 letters A–Z or digits.
pub fn check_prefix(prefix: &str) -> Result<String, DomainError> {
    let prefix = prefix.trim().to_ascii_uppercase();
    let valid =
        PREFIX_LEN.contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if valid { Ok(prefix) } else { Err(DomainError::validation("prefix", ValidationReason::NotAPrefix)) }
}

impl AccessCode {
    /// Draws 60 bits from the operating system's CSPRNG, after `prefix` (checked with [`check_prefix`]).
    pub fn generate(prefix: Option<&str>) -> Self {
        let bits = u64::from_le_bytes(random_bytes::<8>()) >> 4;
        let random =
            (0..CODE_LEN).map(|i| ALPHABET[((bits >> (5 * (CODE_LEN - 1 - i))) & 0x1f) as usize] as char).collect();
        Self { prefix: prefix.unwrap_or_default().to_owned(), random }
    }

    /// Reads what a person typed: any case, spaces and dashes; in the random part (the last 12 symbols) `O`
    /// for 0 and `I`/`L` for 1; whatever comes before them is the prefix, read as it is.
    pub fn parse(input: &str) -> Option<Self> {
        let symbols: String =
            input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        if !symbols.is_ascii() || symbols.len() < CODE_LEN {
            return None;
        }
        let (prefix, random) = symbols.split_at(symbols.len() - CODE_LEN);
        let random: String = random
            .chars()
            .map(|c| match c {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        let random_valid = random.bytes().all(|b| ALPHABET.contains(&b));
        let prefix_valid = prefix.is_empty() || check_prefix(prefix).is_ok();
        (random_valid && prefix_valid).then(|| Self { prefix: prefix.to_owned(), random })
    }

    pub fn normalised(&self) -> String {
        format!("{}{}", self.prefix, self.random)
    }

    fn with_prefix(&self, rest: String) -> String {
        if self.prefix.is_empty() { rest } else { format!("{}-{rest}", self.prefix) }
    }

    pub fn display(&self) -> String {
        let random = &self.random;
        self.with_prefix(format!("{}-{}-{}", &random[0..4], &random[4..8], &random[8..12]))
    }

    pub fn masked(&self) -> String {
        self.with_prefix(format!("****-****-{}", &self.random[8..12]))
    }

    pub fn redeem_link(&self, bot_username: &str) -> String {
        format!("https://t.me/{bot_username}?start={}", self.normalised())
    }
}

/// Whether a plain message is meant as a code: 8 to 18 letters and digits once spaces and dashes go.
/// Wider than a valid code, so that a mistyped code is answered "unknown code" (and counted against the
/// brute-force limit) rather than "I did not understand".
pub fn looks_like_code_attempt(text: &str) -> bool {
    let symbols: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (8..=CODE_LEN + PREFIX_LEN.end()).contains(&symbols.len()) && symbols.iter().all(char::is_ascii_alphanumeric)
}

stored_enum! {
    /// What the database says of a code.
    pub enum CodeStatus {
        Unredeemed = "unredeemed",
        Redeemed = "redeemed",
        Expired = "expired",
        Revoked = "revoked",
    }
}

stored_enum! {
    /// Who may redeem a batch's codes, besides anyone: people who never held a subscription on any of the
    /// team's plans, or people whose subscription on the code's plan has ended.
    pub enum Eligibility {
        New = "new",
        Returning = "returning",
    }
}

impl Eligibility {
    /// Whether a person may redeem: `held_any` says whether they ever held a subscription on one of the
    /// team's plans, `ended_on_plan` whether they hold one on the code's plan that has ended.
    pub fn admits(self, held_any: bool, ended_on_plan: bool) -> bool {
        match self {
            Self::New => !held_any,
            Self::Returning => ended_on_plan,
        }
    }
}

/// Who may redeem, as the creator or an agent says it: `new`, `returning`, or `anyone` (None).
pub fn parse_eligibility(input: &str) -> Result<Option<Eligibility>, DomainError> {
    match input.trim().to_ascii_lowercase().as_str() {
        "anyone" | "" => Ok(None),
        other => other.parse().map(Some).map_err(|_| {
            DomainError::validation("eligibility", ValidationReason::UnknownValue { allowed: ELIGIBILITIES })
        }),
    }
}

pub const ELIGIBILITIES: &[&str] = &["new", "returning", "anyone"];

/// Where a stored code stands at a moment: a code counts as expired from its expiry on, whether or not
/// the sweeper has marked it yet; a redeemed code never expires; a revoked one was never redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeState {
    Open,
    Expires(DateTime<Utc>),
    Expired(DateTime<Utc>),
    Redeemed(DateTime<Utc>),
    Revoked(DateTime<Utc>),
}

impl CodeState {
    pub fn at(
        redeemed_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
        expires_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        match (redeemed_at, expires_at) {
            (Some(redeemed), _) => Self::Redeemed(redeemed),
            (None, _) if let Some(revoked) = revoked_at => Self::Revoked(revoked),
            (None, Some(expires)) if expires <= now => Self::Expired(expires),
            (None, Some(expires)) => Self::Expires(expires),
            (None, None) => Self::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn new_means_never_subscribed_and_returning_means_ended_on_the_plan() {
        use super::Eligibility::{New, Returning};
        assert!(New.admits(false, false));
        assert!(!New.admits(true, false), "held a subscription on some plan of the team");
        assert!(!New.admits(true, true));
        assert!(Returning.admits(true, true));
        assert!(!Returning.admits(true, false), "still active, or only on another plan");
        assert!(!Returning.admits(false, false), "never subscribed");
    }

    use super::*;

    #[test]
    fn generated_codes_are_twelve_crockford_symbols() {
        for _ in 0..1000 {
            let code = AccessCode::generate(None);
            assert_eq!(code.normalised().len(), 12);
            assert!(code.normalised().bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(AccessCode::parse(&code.display()), Some(code));
        }
    }

    #[test]
    fn a_prefix_stays_as_it_is_and_only_the_random_part_reads_look_alikes() {
        let code = AccessCode::generate(Some("VIP"));
        let shown = code.display();
        assert!(shown.starts_with("VIP-") && shown.len() == 18, "{shown}");
        assert_eq!(AccessCode::parse(&shown.to_lowercase().replace('-', "")), Some(code.clone()));
        assert!(code.masked().starts_with("VIP-****-****-"));
        let typed = AccessCode::parse("vip-oooo-iiii-llll").unwrap();
        assert_eq!(typed.normalised(), "VIP000011111111", "VIP stays VIP; O, I and L read as 0 and 1 after it");
        assert_eq!(AccessCode::parse("LO-0000-1111-2222").unwrap().display(), "LO-0000-1111-2222");
        assert!(AccessCode::parse("V-0000-1111-2222").is_none(), "a one-letter prefix");
        assert!(AccessCode::parse("ABCDEFG-0000-1111-2222").is_none(), "a seven-letter prefix");
        assert!(AccessCode::parse("ÄB-0000-1111-2222").is_none());
        assert_eq!(check_prefix(" vip ").unwrap(), "VIP");
        assert!(check_prefix("V-P").is_err() && check_prefix("A").is_err() && check_prefix("ABCDEFG").is_err());
    }

    #[test]
    fn typed_codes_are_normalised() {
        let code = AccessCode::parse("abcd-efgh-jkmn").unwrap();
        assert_eq!(code.display(), "ABCD-EFGH-JKMN");
        assert_eq!(AccessCode::parse(" o1il 2345 6789 ").unwrap().normalised(), "011123456789");
        assert_eq!(code.masked(), "****-****-JKMN");
        assert!(AccessCode::parse("ABCD-EFGH-JKM").is_none());
        assert!(AccessCode::parse("ABCD-EFGH-JKMU").is_none());
    }

    #[test]
    fn messages_that_look_like_codes_are_redeemed_and_others_are_not() {
        assert!(looks_like_code_attempt("ABCD-EFGH-JKMN"));
        assert!(looks_like_code_attempt(" abcd efgh jkmn "));
        assert!(looks_like_code_attempt("ABCDEFGHJKM"));
        assert!(!looks_like_code_attempt("hello"));
        assert!(!looks_like_code_attempt("I would like a code please"));
    }

    #[test]
    fn a_code_is_expired_from_its_expiry_on_unless_redeemed() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let hour = chrono::Duration::hours(1);
        assert_eq!(CodeState::at(None, None, None, now), CodeState::Open);
        assert_eq!(CodeState::at(None, None, Some(now + hour), now), CodeState::Expires(now + hour));
        assert_eq!(CodeState::at(None, None, Some(now), now), CodeState::Expired(now));
        assert_eq!(CodeState::at(Some(now - hour), None, Some(now - hour), now), CodeState::Redeemed(now - hour));
        assert_eq!(CodeState::at(None, Some(now - hour), Some(now), now), CodeState::Revoked(now - hour));
    }
}
