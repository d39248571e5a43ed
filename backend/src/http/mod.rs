//! The HTTP surface: every route in one place, thin handlers per resource.

pub mod albums;
pub mod auth;
pub mod body;
pub mod content;
pub mod images;
pub mod ops;
pub mod pagination;
pub mod problems;
pub mod query;
pub mod spa;
pub mod uploads;

use actix_web::{HttpRequest, web};

pub const API_PREFIX: &str = "/api/v1";

/// All routes. Anything unmatched under the API is a problem+json 404.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope(API_PREFIX)
            .route("/auth/register", web::post().to(auth::register))
            .route("/auth/login", web::post().to(auth::login))
            .route("/auth/refresh", web::post().to(auth::refresh))
            .route("/auth/logout", web::post().to(auth::logout))
            .route("/users/me", web::get().to(auth::me))
            .service(
                web::resource("/albums")
                    .route(web::get().to(albums::list))
                    .route(web::post().to(albums::create)),
            )
            .service(
                web::resource("/albums/{id}")
                    .route(web::get().to(albums::get))
                    .route(web::patch().to(albums::update))
                    .route(web::delete().to(albums::delete)),
            )
            .service(
                web::resource("/albums/{id}/images")
                    .route(web::get().to(images::list_album))
                    .route(web::post().to(images::upload)),
            )
            .route("/images", web::get().to(images::list_mine))
            .service(
                web::resource("/images/{id}")
                    .route(web::get().to(images::get))
                    .route(web::delete().to(images::delete)),
            )
            .service(
                web::resource("/images/{id}/content/{size}")
                    .route(web::get().to(content::content))
                    .route(web::head().to(content::content)),
            )
            .default_service(web::to(problems::no_such_route)),
    )
    .route("/healthz", web::get().to(ops::healthz))
    .route("/readyz", web::get().to(ops::readyz));
}

/// The client's address for throttling: the peer, or the proxy's X-Forwarded-For when trusted.
pub fn client_addr(req: &HttpRequest, trust_proxy: bool) -> String {
    if trust_proxy && let Some(forwarded) = req.connection_info().realip_remote_addr() {
        return forwarded.to_owned();
    }
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string())
}
