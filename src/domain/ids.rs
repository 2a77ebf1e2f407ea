//! Public ids: a UUIDv7 in the database, `<prefix><ULID>` outside.
use uuid::Uuid;

pub const PLAN: &str = "pln_";
pub const JOB: &str = "mjb_";
pub const BATCH: &str = "btc_";
pub const EVENT: &str = "evt_";
pub const DRAFT: &str = "gdr_";
pub const ACCESS_CODE: &str = "acc_";
pub const TEAM: &str = "team_";
pub const SUBSCRIPTION: &str = "sub_";
pub const USAGE_RECORD: &str = "ur_";
pub const REDEMPTION: &str = "rdm_";
pub const WEBHOOK_ENDPOINT: &str = "whe_";
pub const WEBHOOK_DELIVERY: &str = "whd_";

pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Spells `id` as its prefix followed by the ULID of the same 128 bits.
pub fn public_id(prefix: &str, id: Uuid) -> String {
    format!("{prefix}{}", ulid::Ulid::from(id))
}

/// Reads an id given with or without its prefix, as a ULID or as a UUID.
pub fn parse_public_id(prefix: &str, input: &str) -> Option<Uuid> {
    let input = input.trim();
    let bare = input.strip_prefix(prefix).unwrap_or(input);
    if let Ok(ulid) = ulid::Ulid::from_string(bare) {
        return Some(Uuid::from(ulid));
    }
    Uuid::parse_str(bare).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_id_reads_back_in_both_spellings() {
        let id = new_id();
        let public = public_id(PLAN, id);
        assert!(public.starts_with("pln_") && public.len() == 30);
        assert_eq!(parse_public_id(PLAN, &public), Some(id));
        assert_eq!(parse_public_id(PLAN, &public.to_lowercase().replacen("pln_", "", 1)), Some(id));
        assert_eq!(parse_public_id(PLAN, &id.to_string()), Some(id));
        assert_eq!(parse_public_id(PLAN, "pln_nonsense"), None);
    }
}
