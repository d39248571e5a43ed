//! Who is asking: `AuthUser` for routes that need a signed-in user, `Viewer` for routes that
//! public content opens to anyone. A bad token is always a 401, never anonymous.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthUser {
    pub id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Anonymous,
    User(Uuid),
}

impl Viewer {
    pub fn user_id(self) -> Option<Uuid> {
        match self {
            Self::Anonymous => None,
            Self::User(id) => Some(id),
        }
    }
}

impl From<AuthUser> for Viewer {
    fn from(user: AuthUser) -> Self {
        Self::User(user.id)
    }
}

/// The bearer token's user, `Ok(None)` without an Authorization header.
fn bearer_user(req: &HttpRequest) -> Result<Option<AuthUser>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::unauthorized())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(ApiError::unauthorized)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::unauthorized());
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state is not registered"))?;
    let id = state
        .auth
        .tokens()
        .verify(token.trim())
        .map_err(|_| ApiError::unauthorized())?;
    Ok(Some(AuthUser { id }))
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer_user(req).and_then(|user| user.ok_or_else(ApiError::unauthorized)))
    }
}

impl FromRequest for Viewer {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer_user(req).map(|user| user.map_or(Self::Anonymous, Self::from)))
    }
}
