//! The single-page app from `frontend/dist`, at the same origin as the API.
//!
//! Vite's hashed files under `/assets/` never change, so they are cached for a year; everything
//! else (`index.html` above all) is revalidated on every load so a new release shows at once.
//! Paths the router does not know are the SPA's own routes: they get `index.html`.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};

use crate::error::ApiError;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub fn files(dir: &Path) -> Files {
    let index = dir.join("index.html");
    Files::new("/", dir)
        .index_file("index.html")
        .use_etag(true)
        .use_last_modified(true)
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move { serve_index(req, &index).await }
        }))
}

async fn serve_index(req: ServiceRequest, index: &PathBuf) -> actix_web::Result<ServiceResponse> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::NotFound.into());
    }
    let (req, _) = req.into_parts();
    let file = NamedFile::open_async(index)
        .await
        .map_err(|_| ApiError::NotFound)?;
    let mut response = file.into_response(&req);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    Ok(ServiceResponse::new(req, response))
}

/// The caching policy for a static path.
pub fn cache_control(path: &str) -> &'static str {
    if path.starts_with("/assets/") {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// The caching policy for the path, and the app's content security policy (`csp`).
pub async fn set_page_headers(
    csp: HeaderValue,
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> actix_web::Result<ServiceResponse<impl actix_web::body::MessageBody>> {
    let policy = cache_control(req.path());
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_immutable_and_the_rest_revalidates() {
        assert_eq!(cache_control("/assets/index-3f9a1c.js"), IMMUTABLE);
        assert_eq!(cache_control("/index.html"), REVALIDATE);
        assert_eq!(cache_control("/albums/123"), REVALIDATE);
    }
}
