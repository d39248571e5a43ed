//! Operations endpoints, outside `/api/v1`: liveness, readiness. (`/metrics` is served by the
//! Prometheus middleware.)

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// 200 when the database and storage answer, else 503: load balancers stop sending traffic,
/// the process stays up and recovers on its own.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .db
        .ping()
        .await
        .map_err(|e| ApiError::unavailable("the database is unreachable", e))?;
    state
        .images
        .storage
        .ping()
        .await
        .map_err(|e| ApiError::unavailable("storage is unreachable", e))?;
    Ok(HttpResponse::Ok()
        .json(json!({"status": "ok", "checks": {"database": "ok", "storage": "ok"}})))
}
