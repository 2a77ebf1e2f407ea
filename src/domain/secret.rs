//! The instance secret: the key of every stored hash and sealed code.
use std::fmt;
use std::io::Write;
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct InstanceSecret {
    key: Vec<u8>,
}

impl fmt::Debug for InstanceSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InstanceSecret([redacted])")
    }
}

#[derive(Debug)]
pub enum SecretError {
    TooShort,
    Io(std::io::Error),
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort => f.write_str("ACCESSBOT_SECRET must be at least 32 characters long"),
            Self::Io(error) => write!(f, "cannot read or create the instance secret file: {error}"),
        }
    }
}

impl InstanceSecret {
    pub fn from_value(value: &str) -> Result<Self, SecretError> {
        if value.trim().len() < 32 {
            return Err(SecretError::TooShort);
        }
        Ok(Self { key: value.trim().as_bytes().to_vec() })
    }

    /// Reads the secret kept in `path`, or creates it there (mode 0600) on first start.
    pub fn load_or_create(path: &Path) -> Result<Self, SecretError> {
        match std::fs::read_to_string(path) {
            Ok(value) => Self::from_value(&value),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let value = hex(&random_bytes::<32>());
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(path).map_err(SecretError::Io)?;
                file.write_all(value.as_bytes()).map_err(SecretError::Io)?;
                file.sync_all().map_err(SecretError::Io)?;
                log::warn!(
                    "generated a new instance secret in {}: back this file up, codes and tokens cannot be checked without it",
                    path.display()
                );
                Self::from_value(&value)
            }
            Err(error) => Err(SecretError::Io(error)),
        }
    }

    fn mac(&self, domain: &[u8], message: &[u8]) -> [u8; 32] {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(domain);
        mac.update(&[0]);
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// The keyed hash under which a normalised access code is stored.
    pub fn hash_code(&self, normalised_code: &str) -> String {
        hex(&self.mac(b"access-code", normalised_code.as_bytes()))
    }

    /// The keyed hash under which a token's secret part is stored.
    pub fn hash_token(&self, token: &str) -> String {
        hex(&self.mac(b"token", token.as_bytes()))
    }

    /// Whether `token` hashes to `stored_hash`, compared in constant time.
    pub fn verify_token(&self, token: &str, stored_hash: &str) -> bool {
        constant_time_eq(&self.hash_token(token), stored_hash)
    }

    /// The keystream for `nonce`: HMAC(secret, nonce), then HMAC(secret, nonce ‖ n) for every further 32 bytes.
    fn keystream(&self, nonce: &[u8], len: usize) -> Vec<u8> {
        let mut stream = self.mac(b"seal", nonce).to_vec();
        for block in 1u8..=u8::MAX {
            if stream.len() >= len {
                break;
            }
            stream.extend(self.mac(b"seal", &[nonce, &[block]].concat()));
        }
        stream
    }

    /// Encrypts a code for the short time between generation and delivery.
    /// The keystream depends on the nonce alone, so each nonce must be used once: the code's own id.
    pub fn seal(&self, nonce: &[u8], plaintext: &str) -> String {
        let bytes = plaintext.as_bytes();
        let stream = self.keystream(nonce, bytes.len());
        assert!(bytes.len() <= stream.len(), "sealed values are at most 8 KB");
        hex(&bytes.iter().zip(stream).map(|(b, k)| b ^ k).collect::<Vec<u8>>())
    }

    pub fn unseal(&self, nonce: &[u8], sealed: &str) -> Option<String> {
        let bytes = unhex(sealed)?;
        let stream = self.keystream(nonce, bytes.len());
        if bytes.len() > stream.len() {
            return None;
        }
        String::from_utf8(bytes.iter().zip(stream).map(|(b, k)| b ^ k).collect()).ok()
    }

    /// Encrypts a value that is kept (a webhook's signing secret) under a fresh random nonce stored with it.
    pub fn seal_stored(&self, plaintext: &str) -> String {
        let nonce = random_bytes::<16>();
        format!("{}.{}", hex(&nonce), self.seal(&nonce, plaintext))
    }

    pub fn unseal_stored(&self, stored: &str) -> Option<String> {
        let (nonce, sealed) = stored.split_once('.')?;
        self.unseal(&unhex(nonce)?, sealed)
    }
}

/// Whether two strings are equal, in a time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    bytes
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_code_opens_only_with_its_nonce() {
        let secret = InstanceSecret::from_value(&"k".repeat(40)).unwrap();
        let sealed = secret.seal(b"nonce-1", "ABCD1234WXYZ");
        assert_ne!(sealed, hex(b"ABCD1234WXYZ"));
        assert_eq!(secret.unseal(b"nonce-1", &sealed).as_deref(), Some("ABCD1234WXYZ"));
        assert_ne!(secret.unseal(b"nonce-2", &sealed).as_deref(), Some("ABCD1234WXYZ"));
    }

    #[test]
    fn a_kept_value_longer_than_one_block_opens_again_and_codes_seal_as_before() {
        let secret = InstanceSecret::from_value(&"k".repeat(40)).unwrap();
        let value = format!("whsec_{}", "ab".repeat(24));
        let stored = secret.seal_stored(&value);
        assert!(!stored.contains("abab"));
        assert_eq!(secret.unseal_stored(&stored).as_deref(), Some(value.as_str()));
        assert_ne!(secret.seal_stored(&value), stored, "a fresh nonce each time");
        let block = secret.mac(b"seal", b"nonce-1");
        assert_eq!(secret.seal(b"nonce-1", "A"), hex(&[b'A' ^ block[0]]), "short values keep their first block");
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert!(InstanceSecret::from_value("short").is_err());
    }
}
