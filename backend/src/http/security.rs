//! The security headers every response carries, and the two content security policies: a
//! strict one for the SPA's pages, and a sandbox for stored bytes, so a polyglot upload opened
//! directly can never run as a page of our origin.

use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::DefaultHeaders;

/// Stored bytes: no scripts, no plugins, no requests, a unique origin.
pub const CONTENT_CSP: &str = "sandbox; default-src 'none'";
/// JSON answers: nothing in them is ever a page.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Headers set on every response that did not set its own.
pub fn defaults() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Share links carry their secret in the path; no page should tell another site.
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::CONTENT_SECURITY_POLICY, API_CSP))
}

/// The SPA's policy: its own scripts and styles only, images from itself (and from where image
/// URLs point: the public URL, and the object store when content is delivered by redirect),
/// never framed.
pub fn app_csp(image_origins: &[String]) -> HeaderValue {
    let images: String = image_origins
        .iter()
        .map(|o| format!(" {}", o.trim_end_matches('/')))
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; \
         img-src 'self' data: blob:{images}; media-src 'self' blob:{images}; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static(FALLBACK_APP_CSP))
}

const FALLBACK_APP_CSP: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_policy_forbids_framing_and_foreign_scripts() {
        let policy = app_csp(&["https://photos.example.com/".to_owned()]);
        let policy = policy.to_str().expect("ascii");
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("script-src 'self';"));
        assert!(policy.contains("img-src 'self' data: blob: https://photos.example.com;"));
        assert!(!policy.contains("unsafe"));
    }

    #[test]
    fn an_origin_that_is_not_a_header_value_falls_back_to_the_strict_policy() {
        let policy = app_csp(&["bad\nvalue".to_owned()]);
        assert_eq!(policy, FALLBACK_APP_CSP);
    }
}
