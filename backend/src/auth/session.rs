//! Sessions: register, log in, refresh (rotating, with reuse detection), log out.
//!
//! bcrypt runs on blocking threads and never while a database connection is held.

use std::time::Duration;

use chrono::Utc;
use diesel::{Connection, PgConnection};
use serde::Serialize;
use uuid::Uuid;

use super::password::{self, DecoyHash};
use super::throttle;
use super::tokens::{RefreshToken, TokenIssuer};
use crate::db::users::{self as user_rows, EMAIL_UNIQUE, NewUser, USERNAME_UNIQUE, UserRow};
use crate::db::{Db, refresh_tokens, violated_unique_constraint};
use crate::error::{ApiError, FieldError};
use crate::users::{self, User};

#[derive(Debug, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
    pub refresh_token: String,
    pub user: User,
}

/// A new account's fields, already checked against the rules.
pub struct Registration {
    pub username: String,
    pub email: String,
    pub password: String,
}

/// A login attempt: `identifier` is a username or an e-mail, lowercased.
pub struct Credentials {
    pub identifier: String,
    pub password: String,
}

pub struct AuthService {
    db: Db,
    tokens: std::sync::Arc<TokenIssuer>,
    bcrypt_cost: u32,
    refresh_ttl: Duration,
    decoy: DecoyHash,
}

impl AuthService {
    pub fn new(
        db: Db,
        tokens: std::sync::Arc<TokenIssuer>,
        bcrypt_cost: u32,
        refresh_ttl: Duration,
    ) -> Result<Self, bcrypt::BcryptError> {
        Ok(Self {
            db,
            tokens,
            bcrypt_cost,
            refresh_ttl,
            decoy: DecoyHash::new(bcrypt_cost)?,
        })
    }

    pub async fn register(&self, registration: Registration) -> Result<TokenResponse, ApiError> {
        let cost = self.bcrypt_cost;
        let password = registration.password;
        let hash = blocking(move || password::hash(&password, cost))
            .await?
            .map_err(ApiError::internal)?;
        let tokens = self.tokens.clone();
        let refresh_ttl = self.refresh_ttl;
        self.db
            .run(move |conn| {
                conn.transaction(|conn| {
                    let user = user_rows::insert(
                        conn,
                        &NewUser {
                            id: Uuid::now_v7(),
                            username: &registration.username,
                            email: &registration.email,
                            password_hash: &hash,
                        },
                    )
                    .map_err(taken_or_other)?;
                    start_session(conn, &tokens, refresh_ttl, user, Uuid::now_v7())
                })
            })
            .await
    }

    pub async fn login(
        &self,
        credentials: Credentials,
        client_addr: String,
    ) -> Result<TokenResponse, ApiError> {
        let now = Utc::now();
        let identifier = credentials.identifier.clone();
        let addr = client_addr.clone();
        let user = self
            .db
            .run(move |conn| {
                throttle::check(conn, &identifier, &addr, now)?;
                Ok::<_, ApiError>(user_rows::find_by_login(conn, &identifier)?)
            })
            .await?;

        let stored_hash = user.as_ref().map_or_else(
            || self.decoy.as_str().to_owned(),
            |u| u.password_hash.clone(),
        );
        let password = credentials.password;
        let matches = blocking(move || password::verify(&password, &stored_hash)).await?;

        let tokens = self.tokens.clone();
        let refresh_ttl = self.refresh_ttl;
        let identifier = credentials.identifier;
        self.db
            .run(move |conn| match user {
                Some(user) if matches => {
                    start_session(conn, &tokens, refresh_ttl, user, Uuid::now_v7())
                }
                _ => {
                    throttle::record_failure(conn, &identifier, &client_addr, now)?;
                    Err(wrong_credentials())
                }
            })
            .await
    }

    /// Rotates: the presented token is spent and a new one of the same family returned. A spent
    /// token presented again means it leaked, so the whole family (that login) is revoked.
    pub async fn refresh(&self, presented: RefreshToken) -> Result<TokenResponse, ApiError> {
        let tokens = self.tokens.clone();
        let refresh_ttl = self.refresh_ttl;
        self.db
            .run(move |conn| {
                let row = refresh_tokens::find_by_hash(conn, &presented.hash())?
                    .ok_or_else(invalid_refresh_token)?;
                if row.revoked_at.is_some() || row.expires_at <= Utc::now() {
                    return Err(invalid_refresh_token());
                }
                let rotated = conn.transaction(|conn| {
                    if row.spent_at.is_some() || !refresh_tokens::spend(conn, row.id)? {
                        return Ok(None);
                    }
                    let user =
                        user_rows::find(conn, row.user_id)?.ok_or_else(invalid_refresh_token)?;
                    start_session(conn, &tokens, refresh_ttl, user, row.family_id).map(Some)
                })?;
                rotated.ok_or_else(|| {
                    tracing::warn!(user.id = %row.user_id, "refresh token reused; revoking that login");
                    match refresh_tokens::revoke_family(conn, row.family_id) {
                        Ok(_) => invalid_refresh_token(),
                        Err(e) => e.into(),
                    }
                })
            })
            .await
    }

    /// Ends the login the token belongs to. Unknown or spent tokens are fine: the login is over
    /// either way.
    pub async fn logout(&self, presented: RefreshToken) -> Result<(), ApiError> {
        self.db
            .run(move |conn| {
                if let Some(row) = refresh_tokens::find_by_hash(conn, &presented.hash())? {
                    refresh_tokens::revoke_family(conn, row.family_id)?;
                }
                Ok(())
            })
            .await
    }

    pub fn tokens(&self) -> &TokenIssuer {
        &self.tokens
    }
}

fn start_session(
    conn: &mut PgConnection,
    tokens: &TokenIssuer,
    refresh_ttl: Duration,
    user: UserRow,
    family_id: Uuid,
) -> Result<TokenResponse, ApiError> {
    let refresh = RefreshToken::generate();
    let ttl = chrono::TimeDelta::from_std(refresh_ttl).map_err(ApiError::internal)?;
    refresh_tokens::insert(
        conn,
        &refresh_tokens::NewRefreshToken {
            id: Uuid::now_v7(),
            family_id,
            user_id: user.id,
            token_hash: &refresh.hash(),
            expires_at: Utc::now() + ttl,
        },
    )?;
    let access = tokens.issue(user.id).map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token: access.token,
        token_type: "Bearer",
        expires_in: access.expires_in,
        refresh_token: refresh.expose().to_owned(),
        user: users::describe(conn, user)?,
    })
}

fn taken_or_other(error: diesel::result::Error) -> ApiError {
    let field = match violated_unique_constraint(&error) {
        Some(USERNAME_UNIQUE) => "username",
        Some(EMAIL_UNIQUE) => "email",
        _ => return error.into(),
    };
    ApiError::Conflict {
        detail: format!("that {field} is already taken"),
        errors: vec![FieldError::new(field, "is already taken")],
    }
}

/// The same answer whether the user exists or the password is wrong.
fn wrong_credentials() -> ApiError {
    ApiError::Unauthorized("the username or password is wrong".into())
}

fn invalid_refresh_token() -> ApiError {
    ApiError::Unauthorized("the refresh token is invalid, expired or already used".into())
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ApiError::internal)
}
