//! Human-readable API docs: the spec itself at `/api/openapi.yaml`, and Redoc rendering it at
//! `/api/docs`.
//!
//! The spec is the repository's `openapi.yaml`, compiled in, so what is served can never drift
//! from what the drift test checks. Redoc's standalone bundle comes from npm (`tools/api`) and
//! is copied by the web app's build into `<static dir>/api-docs/`, where the SPA's file service
//! serves it at `/api-docs/redoc.standalone.js`; the page refers to it relatively, so it also
//! works behind a path prefix. Nothing is loaded from another origin, and the page's
//! Content-Security-Policy makes sure of it.

use actix_web::HttpResponse;
use actix_web::http::header;

/// The spec, byte for byte as committed.
pub const OPENAPI_YAML: &str = include_str!("../../../openapi.yaml");

/// Where the web app's build puts the Redoc bundle, relative to the static dir (and so the URL
/// path the SPA's file service answers it at).
pub const REDOC_BUNDLE: &str = "api-docs/redoc.standalone.js";

/// Only this origin; inline styles because Redoc (styled-components) injects them; blob workers
/// for its search index. Redoc's sidebar links a logo on a CDN: this refuses it.
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const DOCS_HTML: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Albumen API reference</title>
<style>
  body { margin: 0; }
  .fallback { font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }
</style>
</head>
<body>
<redoc spec-url="openapi.yaml" native-scrollbars="true">
  <div class="fallback">
    <h1>Albumen API reference</h1>
    <p>Loading the interactive reference&hellip;</p>
    <p>If it does not appear, this server has no Redoc bundle: it comes with the built web app
    (<code>scripts/run</code> builds it). The description itself is always at
    <a href="openapi.yaml">openapi.yaml</a>.</p>
  </div>
</redoc>
<script src="../api-docs/redoc.standalone.js"></script>
</body>
</html>
"#;

/// `GET /api/openapi.yaml`
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(OPENAPI_YAML)
}

/// `GET /api/docs`
pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, DOCS_CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(DOCS_HTML)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_the_bundle_and_the_spec_from_this_origin_only() {
        assert!(DOCS_HTML.contains(&format!(r#"src="../{REDOC_BUNDLE}""#)));
        assert!(DOCS_HTML.contains(r#"spec-url="openapi.yaml""#));
        assert!(
            !DOCS_HTML.contains("//"),
            "no absolute or protocol-relative URLs"
        );
        assert!(
            !DOCS_HTML.contains("<script>"),
            "no inline script (the CSP forbids it)"
        );
    }

    #[test]
    fn the_served_spec_is_the_committed_one() {
        assert!(OPENAPI_YAML.starts_with("openapi: 3.1"));
        assert!(OPENAPI_YAML.contains("/api/docs:"));
    }
}
