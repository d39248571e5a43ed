//! Who is asking: `AuthUser` for routes that need a signed-in user, `Viewer` for routes that
//! public content opens to anyone. A bad token is always a 401, never anonymous, and so is a
//! good token whose account is gone: the account is looked up on every request.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use crate::db::users as user_rows;
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

/// The bearer token's user, `Ok(None)` without an Authorization header; the account must exist.
async fn bearer_user(req: HttpRequest) -> Result<Option<AuthUser>, ApiError> {
    let Some(user) = bearer_claim(&req)? else {
        return Ok(None);
    };
    let state = app_state(&req)?;
    let id = user.id;
    let exists = state
        .db
        .run(move |conn| Ok::<_, ApiError>(user_rows::exists(conn, id)?))
        .await?;
    if exists {
        Ok(Some(user))
    } else {
        Err(ApiError::unauthorized())
    }
}

fn app_state(req: &HttpRequest) -> Result<&web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state is not registered"))
}

/// Who the bearer token says it is, checked only for its signature and claims.
fn bearer_claim(req: &HttpRequest) -> Result<Option<AuthUser>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::unauthorized())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(ApiError::unauthorized)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::unauthorized());
    }
    let id = app_state(req)?
        .auth
        .tokens()
        .verify(token.trim())
        .map_err(|_| ApiError::unauthorized())?;
    Ok(Some(AuthUser { id }))
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { bearer_user(req).await?.ok_or_else(ApiError::unauthorized) })
    }
}

impl FromRequest for Viewer {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(bearer_user(req).await?.map_or(Self::Anonymous, Self::from)) })
    }
}
