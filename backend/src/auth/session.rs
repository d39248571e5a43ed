//! Sessions: register, log in, refresh (rotating, with reuse detection), log out.
//!
//! bcrypt runs on blocking threads and never while a database connection is held.

use std::time::Duration;

use chrono::Utc;
use diesel::{Connection, PgConnection};
use serde::Serialize;
use uuid::Uuid;

use super::password::{self, DecoyHash};
use super::signup_limit::{self, SignupLimit};
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
    /// How long a spent refresh token still gets its successor instead of ending the login: two
    /// tabs (or a retried request) refreshing at once are not an attack.
    reuse_grace: chrono::TimeDelta,
    signup_limit: SignupLimit,
    decoy: DecoyHash,
}

impl AuthService {
    pub fn new(
        db: Db,
        tokens: std::sync::Arc<TokenIssuer>,
        bcrypt_cost: u32,
        refresh_ttl: Duration,
        reuse_grace: Duration,
        signup_limit: SignupLimit,
    ) -> Result<Self, bcrypt::BcryptError> {
        Ok(Self {
            db,
            tokens,
            bcrypt_cost,
            refresh_ttl,
            reuse_grace: chrono::TimeDelta::from_std(reuse_grace)
                .unwrap_or(chrono::TimeDelta::zero()),
            signup_limit,
            decoy: DecoyHash::new(bcrypt_cost)?,
        })
    }

    pub async fn register(
        &self,
        registration: Registration,
        client_addr: String,
    ) -> Result<TokenResponse, ApiError> {
        let limit = self.signup_limit;
        self.db
            .run(move |conn| signup_limit::admit(conn, limit, &client_addr, Utc::now()))
            .await?;
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
                    start_session(conn, &tokens, refresh_ttl, user, SessionStep::first())
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
        let identifier = credentials.identifier;
        let (user, attempt) = self
            .db
            .run(move |conn| {
                let attempt = throttle::begin_attempt(conn, &identifier, &client_addr, now)?;
                Ok::<_, ApiError>((user_rows::find_by_login(conn, &identifier)?, attempt))
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
        self.db
            .run(move |conn| match user {
                Some(user) if matches => {
                    throttle::succeeded(conn, attempt)?;
                    start_session(conn, &tokens, refresh_ttl, user, SessionStep::first())
                }
                _ => Err(wrong_credentials()),
            })
            .await
    }

    /// Rotates: the presented token is spent and its successor returned. A spent token
    /// presented again within `reuse_grace` (two tabs refreshing at once) gets that same
    /// successor pair; later, it means the token leaked, so the whole family (that login) is
    /// revoked.
    pub async fn refresh(&self, presented: RefreshToken) -> Result<TokenResponse, ApiError> {
        let tokens = self.tokens.clone();
        let refresh_ttl = self.refresh_ttl;
        let grace = self.reuse_grace;
        self.db
            .run(move |conn| {
                let row = live_refresh_row(conn, &presented)?;
                let successor = tokens.successor(&presented);
                let rotated = conn.transaction(|conn| {
                    if row.spent_at.is_some() || !refresh_tokens::spend(conn, row.id)? {
                        return Ok(None);
                    }
                    let user =
                        user_rows::find(conn, row.user_id)?.ok_or_else(invalid_refresh_token)?;
                    let step = SessionStep::new(successor.clone(), row.family_id);
                    start_session(conn, &tokens, refresh_ttl, user, step).map(Some)
                })?;
                match rotated {
                    Some(answer) => Ok(answer),
                    None => repeat_refresh(conn, &tokens, grace, &presented, &successor),
                }
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

    pub fn signup_limit(&self) -> SignupLimit {
        self.signup_limit
    }

    pub fn tokens(&self) -> &TokenIssuer {
        &self.tokens
    }
}

/// A refresh repeated within the grace gets the successor its first use made; past the grace
/// (or when there is no successor) it is reuse, and the login ends.
fn repeat_refresh(
    conn: &mut PgConnection,
    tokens: &TokenIssuer,
    grace: chrono::TimeDelta,
    presented: &RefreshToken,
    successor: &RefreshToken,
) -> Result<TokenResponse, ApiError> {
    let row = live_refresh_row(conn, presented)?;
    let recent = row
        .spent_at
        .is_some_and(|spent| Utc::now() - spent <= grace);
    let next = refresh_tokens::find_by_hash(conn, &successor.hash())?;
    match next {
        Some(next) if recent && next.revoked_at.is_none() => {
            let user = user_rows::find(conn, next.user_id)?.ok_or_else(invalid_refresh_token)?;
            session_answer(conn, tokens, user, successor, next.id, next.created_at)
        }
        _ => {
            tracing::warn!(user.id = %row.user_id, "refresh token reused; revoking that login");
            refresh_tokens::revoke_family(conn, row.family_id)?;
            Err(invalid_refresh_token())
        }
    }
}

/// The stored row of a presented refresh token that is neither revoked nor expired.
fn live_refresh_row(
    conn: &mut PgConnection,
    presented: &RefreshToken,
) -> Result<refresh_tokens::RefreshTokenRow, ApiError> {
    let row =
        refresh_tokens::find_by_hash(conn, &presented.hash())?.ok_or_else(invalid_refresh_token)?;
    if row.revoked_at.is_some() || row.expires_at <= Utc::now() {
        return Err(invalid_refresh_token());
    }
    Ok(row)
}

/// One step of a login: the refresh token it hands out and the login (family) it belongs to.
struct SessionStep {
    refresh: RefreshToken,
    family_id: Uuid,
}

impl SessionStep {
    fn new(refresh: RefreshToken, family_id: Uuid) -> Self {
        Self { refresh, family_id }
    }

    fn first() -> Self {
        Self::new(RefreshToken::generate(), Uuid::now_v7())
    }
}

fn start_session(
    conn: &mut PgConnection,
    tokens: &TokenIssuer,
    refresh_ttl: Duration,
    user: UserRow,
    step: SessionStep,
) -> Result<TokenResponse, ApiError> {
    let ttl = chrono::TimeDelta::from_std(refresh_ttl).map_err(ApiError::internal)?;
    let id = Uuid::now_v7();
    let stored_at = refresh_tokens::insert(
        conn,
        &refresh_tokens::NewRefreshToken {
            id,
            family_id: step.family_id,
            user_id: user.id,
            token_hash: &step.refresh.hash(),
            expires_at: Utc::now() + ttl,
        },
    )?;
    session_answer(conn, tokens, user, &step.refresh, id, stored_at)
}

/// The answer for a stored refresh token: its access token is dated and named after its row,
/// so asking again gives the same pair.
fn session_answer(
    conn: &mut PgConnection,
    tokens: &TokenIssuer,
    user: UserRow,
    refresh: &RefreshToken,
    refresh_id: Uuid,
    stored_at: chrono::DateTime<Utc>,
) -> Result<TokenResponse, ApiError> {
    let access = tokens
        .issue_at(user.id, stored_at, refresh_id)
        .map_err(ApiError::internal)?;
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
