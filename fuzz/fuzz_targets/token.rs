//! Access tokens and signed URLs from a client: whatever the bytes, nothing the fuzzer makes
//! without the key is accepted, and parsing never panics.
#![no_main]

use std::time::Duration;

use albumen::auth::tokens::TokenIssuer;
use albumen::config::{Secret, parse_public_url};
use albumen::images::UrlSigner;
use albumen::imaging::Size;
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"fuzzing secret, at least 32 bytes long";

fuzz_target!(|raw: &str| {
    let issuer = TokenIssuer::new(SECRET, Duration::from_secs(900));
    assert!(issuer.verify(raw).is_err(), "a forged token was accepted: {raw:?}");
    let signer = UrlSigner::new(
        &Secret::new(String::from_utf8_lossy(SECRET).into_owned()),
        &parse_public_url("https://photos.example.com").expect("a valid URL"),
        Duration::from_secs(3600),
    );
    let image = uuid::Uuid::nil();
    assert!(!signer.verify(image, Size::Large, i64::MAX, raw));
});
