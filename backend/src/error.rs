//! The HTTP boundary's one error type and its one mapping to `application/problem+json`
//! (RFC 9457). Causes go to the log, never to the client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::db::DbError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One rule a field broke: `{field, message}` in a 422's `errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// One item of a bulk request that did not go through: `{id, status, title}` in `failed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemFailure {
    pub id: uuid::Uuid,
    pub status: u16,
    pub title: String,
}

impl ItemFailure {
    pub fn new(id: uuid::Uuid, status: StatusCode) -> Self {
        Self {
            id,
            status: status.as_u16(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
        }
    }

    pub fn not_found(id: uuid::Uuid) -> Self {
        Self::new(id, StatusCode::NOT_FOUND)
    }
}

type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("the requested resource does not exist")]
    NotFound,
    /// The request body stopped arriving, or arrived too slowly.
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{detail}")]
    Conflict {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Unprocessable(String),
    /// The server's storage is full: nothing of the request was kept.
    #[error("{0}")]
    InsufficientStorage(String),
    #[error("too many attempts; retry in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("{detail}")]
    Unavailable {
        detail: String,
        retry_after_secs: u64,
        #[source]
        cause: Option<Cause>,
    },
    #[error("an unexpected error occurred")]
    Internal(#[source] Cause),
}

impl ApiError {
    pub fn validation(field: &str, message: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn unauthorized() -> Self {
        Self::Unauthorized("missing, malformed, expired or forged credentials".into())
    }

    pub fn internal(cause: impl Into<Cause>) -> Self {
        Self::Internal(cause.into())
    }

    pub fn unavailable(detail: &str, cause: impl Into<Cause>) -> Self {
        Self::Unavailable {
            detail: detail.into(),
            retry_after_secs: 5,
            cause: Some(cause.into()),
        }
    }

    /// Stable, machine-readable code; the problem `type` is built from it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad-request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound => "not-found",
            Self::RequestTimeout(_) => "request-timeout",
            Self::Conflict { .. } => "conflict",
            Self::PayloadTooLarge(_) => "payload-too-large",
            Self::UnsupportedMediaType(_) => "unsupported-media-type",
            Self::Validation(_) => "validation-failed",
            Self::Unprocessable(_) => "unprocessable",
            Self::InsufficientStorage(_) => "insufficient-storage",
            Self::TooManyRequests { .. } => "too-many-requests",
            Self::Unavailable { .. } => "service-unavailable",
            Self::Internal(_) => "internal",
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Validation(errors) | Self::Conflict { errors, .. } => errors,
            _ => &[],
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            Self::Unavailable {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation(_) | Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        log_cause(self);
        let mut response = problem_response(
            self.status_code(),
            self.code(),
            &self.to_string(),
            self.field_errors(),
        );
        if let Some(secs) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

/// A failure is logged once, here at the boundary, with its cause chain.
fn log_cause(error: &ApiError) {
    match error {
        ApiError::Internal(cause) => {
            tracing::error!(error.cause = %chain(cause.as_ref()), "request failed unexpectedly");
        }
        ApiError::Unavailable {
            cause: Some(cause), ..
        } => {
            tracing::warn!(error.cause = %chain(cause.as_ref()), "a dependency is unavailable");
        }
        _ => {}
    }
}

fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldError],
}

pub fn problem_type(code: &str) -> String {
    format!("urn:albumen:problem:{code}")
}

/// Builds every problem+json body the server sends, including the ones for errors actix raises
/// itself (see `http::problems`). Every 401 gets `WWW-Authenticate: Bearer`.
pub fn problem_response(
    status: StatusCode,
    code: &str,
    detail: &str,
    errors: &[FieldError],
) -> HttpResponse {
    let problem = Problem {
        kind: problem_type(code),
        title: status.canonical_reason().unwrap_or("Error"),
        status: status.as_u16(),
        detail,
        errors,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut builder = HttpResponse::build(status);
    builder.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
    if status == StatusCode::UNAUTHORIZED {
        builder.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"albumen\""));
    }
    builder.body(body)
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        if error.is_unavailable() {
            Self::unavailable("the database is unavailable; retry shortly", error)
        } else if error.is_not_found() {
            Self::NotFound
        } else {
            Self::internal(error)
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        DbError::from(error).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn body_of(error: ApiError) -> (StatusCode, serde_json::Value, HttpResponse<()>) {
        let response = error.error_response();
        let (head, body) = response.into_parts();
        let bytes = to_bytes(body).await.expect("body");
        let json = serde_json::from_slice(&bytes).expect("json");
        (head.status(), json, head)
    }

    #[actix_web::test]
    async fn validation_errors_carry_their_fields() {
        let (status, json, _) = body_of(ApiError::validation("name", "is required")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json["status"], 422);
        assert_eq!(json["type"], "urn:albumen:problem:validation-failed");
        assert_eq!(json["errors"][0]["field"], "name");
    }

    #[actix_web::test]
    async fn internal_errors_never_show_their_cause() {
        let cause = std::io::Error::other("SELECT secret FROM /var/lib/x");
        let (status, json, _) = body_of(ApiError::internal(cause)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!json.to_string().contains("secret"), "{json}");
    }

    #[actix_web::test]
    async fn a_401_challenges_for_a_bearer_token() {
        let (_, _, head) = body_of(ApiError::unauthorized()).await;
        let challenge = head
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .expect("header");
        assert!(challenge.to_str().expect("ascii").starts_with("Bearer"));
        assert_eq!(
            head.headers().get(header::CONTENT_TYPE).expect("type"),
            PROBLEM_JSON
        );
    }

    #[actix_web::test]
    async fn a_429_says_when_to_retry() {
        let (_, _, head) = body_of(ApiError::TooManyRequests {
            retry_after_secs: 42,
        })
        .await;
        assert_eq!(
            head.headers().get(header::RETRY_AFTER).expect("header"),
            "42"
        );
    }
}
