//! The HTTP surface: every route in one place, thin handlers per resource.

pub mod albums;
pub mod auth;
pub mod body;
pub mod body_guard;
pub mod bulk;
pub mod content;
pub mod docs;
pub mod downloads;
pub mod images;
pub mod ops;
pub mod pagination;
pub mod problems;
pub mod query;
pub mod security;
pub mod spa;
pub mod trash;
pub mod uploads;

use actix_web::{HttpRequest, web};

pub const API_PREFIX: &str = "/api/v1";

/// Declares every route once: `register` wires them up, `ROUTES` lists them as
/// (method, path) in openapi.yaml's spelling, so a test can hold the two to each other.
macro_rules! routes {
    ($( $path:literal => { $( $method:ident : $handler:path ),+ $(,)? } ),+ $(,)?) => {
        /// Every (method, path) the router answers.
        pub const ROUTES: &[(&str, &str)] = &[ $( $( (stringify!($method), $path), )+ )+ ];

        fn register(cfg: &mut web::ServiceConfig) {
            $( cfg.service(web::resource($path) $( .route(web::$method().to($handler)) )+ ); )+
        }
    };
}

routes! {
    "/api/v1/auth/register" => { post: auth::register },
    "/api/v1/auth/login" => { post: auth::login },
    "/api/v1/auth/refresh" => { post: auth::refresh },
    "/api/v1/auth/logout" => { post: auth::logout },
    "/api/v1/users/me" => { get: auth::me },
    "/api/v1/albums" => { get: albums::list, post: albums::create },
    "/api/v1/albums/{id}" => { get: albums::get, patch: albums::update, delete: albums::delete },
    "/api/v1/albums/{id}/images" => { get: images::list_album, post: images::upload },
    "/api/v1/albums/{id}/download" => { get: downloads::album },
    "/api/v1/images" => { get: images::list_mine },
    // Before /images/{id}: actix takes the first resource whose pattern matches.
    "/api/v1/images/move" => { post: bulk::move_images },
    "/api/v1/images/delete" => { post: bulk::delete_images },
    "/api/v1/images/{id}" => { get: images::get, delete: images::delete },
    "/api/v1/images/{id}/content/{size}" => { get: content::content, head: content::content },
    "/api/v1/trash" => { get: trash::list, delete: trash::empty },
    "/api/v1/trash/restore" => { post: trash::restore },
    "/api/v1/trash/{id}" => { delete: trash::purge },
    "/healthz" => { get: ops::healthz },
    "/readyz" => { get: ops::readyz },
    "/api/openapi.yaml" => { get: docs::openapi },
    "/api/docs" => { get: docs::page },
}

/// Served by the Prometheus middleware rather than the router.
pub const MIDDLEWARE_ROUTES: &[(&str, &str)] = &[("get", "/metrics")];

/// All routes. Anything else under `/api` is a problem+json 404 (never the SPA).
pub fn routes(cfg: &mut web::ServiceConfig) {
    register(cfg);
    // The middleware answers GET /metrics before routing; this gives every other method the
    // 405 with `Allow: GET` that any other resource gives, instead of a 404.
    cfg.service(web::resource("/metrics").route(web::get().to(problems::no_such_route)));
    cfg.service(web::scope("/api").default_service(web::to(problems::no_such_route)));
}

/// The client's address for throttling: the peer, or the proxy's X-Forwarded-For when trusted.
pub fn client_addr(req: &HttpRequest, trust_proxy: bool) -> String {
    if trust_proxy && let Some(forwarded) = req.connection_info().realip_remote_addr() {
        return forwarded.to_owned();
    }
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    const SPEC: &str = include_str!("../../../openapi.yaml");
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];

    fn spec_operations() -> BTreeSet<(String, String)> {
        let docs = yaml_rust2::YamlLoader::load_from_str(SPEC).expect("openapi.yaml parses");
        let paths = docs[0]["paths"].as_hash().expect("paths");
        paths
            .iter()
            .flat_map(|(path, item)| {
                let path = path.as_str().expect("path").to_owned();
                METHODS
                    .iter()
                    .filter(|m| !item[**m].is_badvalue())
                    .map(move |m| ((*m).to_owned(), path.clone()))
            })
            .collect()
    }

    #[test]
    fn openapi_describes_exactly_the_routes_the_server_answers() {
        let served: BTreeSet<(String, String)> = ROUTES
            .iter()
            .chain(MIDDLEWARE_ROUTES)
            .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
            .collect();
        let documented = spec_operations();
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty(),
            "served but not in openapi.yaml: {undocumented:?}"
        );
        assert!(
            unserved.is_empty(),
            "in openapi.yaml but not served: {unserved:?}"
        );
    }
}
