//! bcrypt, called only from blocking threads.
//!
//! bcrypt reads at most 72 bytes, so passwords are first reduced to a fixed 44-byte SHA-256
//! digest: two long passwords sharing a prefix never collide.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

fn prehash(password: &str) -> String {
    STANDARD.encode(Sha256::digest(password.as_bytes()))
}

pub fn hash(password: &str, cost: u32) -> Result<String, bcrypt::BcryptError> {
    bcrypt::hash(prehash(password), cost)
}

/// False for a wrong password and for a malformed stored hash alike.
pub fn verify(password: &str, hash: &str) -> bool {
    bcrypt::verify(prehash(password), hash).unwrap_or(false)
}

/// A hash of a password nobody has, checked when the user does not exist so that an unknown
/// user costs the same bcrypt time as a wrong password.
#[derive(Clone)]
pub struct DecoyHash(String);

impl DecoyHash {
    pub fn new(cost: u32) -> Result<Self, bcrypt::BcryptError> {
        let random: [u8; 16] = rand::random();
        hash(&STANDARD.encode(random), cost).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let stored = hash("correct horse", 4).expect("hash");
        assert!(verify("correct horse", &stored));
        assert!(!verify("correct horsf", &stored));
    }

    #[test]
    fn passwords_longer_than_72_bytes_are_not_truncated() {
        let prefix = "p".repeat(80);
        let stored = hash(&format!("{prefix}1"), 4).expect("hash");
        assert!(!verify(&format!("{prefix}2"), &stored));
    }

    #[test]
    fn a_malformed_stored_hash_never_verifies() {
        assert!(!verify("anything", "not a bcrypt hash"));
    }

    #[test]
    fn the_decoy_costs_what_a_real_hash_costs() {
        let decoy = DecoyHash::new(5).expect("decoy");
        assert!(decoy.as_str().starts_with("$2b$05$"), "{}", decoy.as_str());
    }
}
