//! Access codes: 12 Crockford base32 symbols, shown as `XXXX-XXXX-XXXX`.
use super::secret::random_bytes;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const CODE_LEN: usize = 12;

/// A code in its normalised form: 12 symbols, no dashes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccessCode(String);

impl std::fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AccessCode({})", self.masked())
    }
}

impl AccessCode {
    /// Draws 60 bits from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let bits = u64::from_le_bytes(random_bytes::<8>()) >> 4;
        let symbols =
            (0..CODE_LEN).map(|i| ALPHABET[((bits >> (5 * (CODE_LEN - 1 - i))) & 0x1f) as usize] as char).collect();
        Self(symbols)
    }

    /// Reads what a person typed: any case, spaces and dashes, `O` for 0 and `I`/`L` for 1.
    pub fn parse(input: &str) -> Option<Self> {
        let symbols: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        let valid = symbols.len() == CODE_LEN && symbols.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(Self(symbols))
    }

    pub fn normalised(&self) -> &str {
        &self.0
    }

    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[0..4], &self.0[4..8], &self.0[8..12])
    }

    pub fn masked(&self) -> String {
        format!("****-****-{}", &self.0[8..12])
    }

    pub fn redeem_link(&self, bot_username: &str) -> String {
        format!("https://t.me/{bot_username}?start={}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_are_twelve_crockford_symbols() {
        for _ in 0..1000 {
            let code = AccessCode::generate();
            assert_eq!(code.normalised().len(), 12);
            assert!(code.normalised().bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(AccessCode::parse(&code.display()), Some(code));
        }
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
}
