//! Signed content URLs: absolute, working in an `<img>` tag with no header, until they expire.
//!
//! The signature is an HMAC-SHA256 over image id, size and expiry, keyed by a key derived from
//! the server secret, so a `thumb` signature never opens `original`.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::config::{PublicUrl, Secret};
use crate::imaging::Size;

type HmacSha256 = Hmac<Sha256>;

/// Expiries are rounded down to the minute, so URLs handed out within one minute are equal and
/// browsers reuse their cached bytes.
const EXPIRY_GRANULARITY_SECS: i64 = 60;

pub struct UrlSigner {
    key: [u8; 32],
    base: String,
    ttl_secs: i64,
}

impl UrlSigner {
    pub fn new(secret: &Secret, public_url: &PublicUrl, ttl: Duration) -> Self {
        // A key of its own, so URL signatures and tokens never vouch for each other.
        let mut derive = hmac_with(secret.expose().as_bytes());
        derive.update(b"albumen/signed-content-urls/v1");
        Self {
            key: derive.finalize().into_bytes().into(),
            base: public_url.as_str().to_owned(),
            ttl_secs: i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX),
        }
    }

    /// The path of a content URL, without signature.
    pub fn path(image: Uuid, size: Size) -> String {
        format!("/api/v1/images/{image}/content/{size}")
    }

    pub fn url(&self, image: Uuid, size: Size) -> String {
        let now = Utc::now().timestamp();
        let exp = now - now.rem_euclid(EXPIRY_GRANULARITY_SECS) + self.ttl_secs;
        self.url_expiring_at(image, size, exp)
    }

    pub fn url_expiring_at(&self, image: Uuid, size: Size, exp: i64) -> String {
        format!(
            "{}{}?exp={exp}&sig={}",
            self.base,
            Self::path(image, size),
            self.signature(image, size, exp)
        )
    }

    fn signature(&self, image: Uuid, size: Size, exp: i64) -> String {
        let mut mac = hmac_with(&self.key);
        mac.update(format!("{image}:{size}:{exp}").as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// True for an unexpired signature over exactly this image and size.
    pub fn verify(&self, image: Uuid, size: Size, exp: i64, signature: &str) -> bool {
        if exp < Utc::now().timestamp() {
            return false;
        }
        let expected = self.signature(image, size, exp);
        expected.as_bytes().ct_eq(signature.as_bytes()).into()
    }
}

fn hmac_with(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; this cannot fail.
    <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(ttl_secs: u64) -> UrlSigner {
        let public = PublicUrl::for_tests("https://photos.example.com");
        UrlSigner::new(
            &Secret::new("k".repeat(32)),
            &public,
            Duration::from_secs(ttl_secs),
        )
    }

    fn parts(url: &str) -> (i64, String) {
        let query = url.split_once('?').expect("query").1;
        let mut exp = 0;
        let mut sig = String::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("exp", v)) => exp = v.parse().expect("exp"),
                Some(("sig", v)) => sig = v.to_owned(),
                _ => {}
            }
        }
        (exp, sig)
    }

    #[test]
    fn a_url_is_absolute_and_its_signature_verifies() {
        let signer = signer(3600);
        let image = Uuid::now_v7();
        let url = signer.url(image, Size::Thumb);
        assert!(url.starts_with(&format!(
            "https://photos.example.com/api/v1/images/{image}/content/thumb?exp="
        )));
        let (exp, sig) = parts(&url);
        let lifetime = exp - Utc::now().timestamp();
        assert!((3540..=3600).contains(&lifetime), "{lifetime}");
        assert!(signer.verify(image, Size::Thumb, exp, &sig));
    }

    #[test]
    fn a_signature_opens_only_its_own_size_and_image() {
        let signer = signer(3600);
        let image = Uuid::now_v7();
        let (exp, sig) = parts(&signer.url(image, Size::Thumb));
        assert!(!signer.verify(image, Size::Original, exp, &sig));
        assert!(!signer.verify(Uuid::now_v7(), Size::Thumb, exp, &sig));
        assert!(
            !signer.verify(image, Size::Thumb, exp + 1, &sig),
            "a longer expiry"
        );
    }

    #[test]
    fn an_expired_signature_fails() {
        let signer = signer(3600);
        let image = Uuid::now_v7();
        let exp = Utc::now().timestamp() - 1;
        let (_, sig) = parts(&signer.url_expiring_at(image, Size::Small, exp));
        assert!(!signer.verify(image, Size::Small, exp, &sig));
    }

    #[test]
    fn another_secret_signs_differently() {
        let image = Uuid::now_v7();
        let public = PublicUrl::for_tests("http://x");
        let other = UrlSigner::new(
            &Secret::new("z".repeat(32)),
            &public,
            Duration::from_secs(60),
        );
        let (exp, sig) = parts(&other.url(image, Size::Large));
        assert!(!signer(60).verify(image, Size::Large, exp, &sig));
    }
}
