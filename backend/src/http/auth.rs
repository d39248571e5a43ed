use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::body::{FieldReader, Fields, Patch};
use crate::auth::rules::{check_email, check_password, check_username, normalize_username};
use crate::auth::tokens::RefreshToken;
use crate::auth::{AuthUser, Credentials, Registration, TokenResponse};
use crate::error::ApiError;
use crate::state::AppState;
use crate::users;

type State = web::Data<AppState>;

pub async fn register(
    state: State,
    req: HttpRequest,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let registration = read_registration(fields)?;
    let client = super::client_addr(&req, state.trust_proxy);
    let session = state.auth.register(registration, client).await?;
    let mut created = HttpResponse::Created();
    created.insert_header((header::LOCATION, "/api/v1/users/me"));
    Ok(token_response(created, &session))
}

pub async fn login(
    state: State,
    req: HttpRequest,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let credentials = read_credentials(fields)?;
    let client = super::client_addr(&req, state.trust_proxy);
    let session = state.auth.login(credentials, client).await?;
    Ok(token_response(HttpResponse::Ok(), &session))
}

pub async fn refresh(state: State, fields: Fields) -> Result<HttpResponse, ApiError> {
    let token = read_refresh_token(fields)?;
    let session = state.auth.refresh(token).await?;
    Ok(token_response(HttpResponse::Ok(), &session))
}

pub async fn logout(state: State, fields: Fields) -> Result<HttpResponse, ApiError> {
    let token = read_refresh_token(fields)?;
    state.auth.logout(token).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn me(state: State, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let me = state.db.run(move |conn| users::me(conn, user.id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(me))
}

/// Tokens must never sit in a cache.
fn token_response(
    mut builder: actix_web::HttpResponseBuilder,
    session: &TokenResponse,
) -> HttpResponse {
    builder
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(session)
}

fn read_registration(fields: Fields) -> Result<Registration, ApiError> {
    let mut reader = FieldReader::new(fields);
    let username = reader
        .required_string("username")
        .map(|u| normalize_username(&u));
    if let Some(username) = &username {
        reader.check("username", check_username(username));
    }
    let email = reader.required_string("email");
    if let Some(email) = &email {
        reader.check("email", check_email(email));
    }
    let password = reader.required_string("password");
    if let Some(password) = &password {
        reader.check("password", check_password(password));
    }
    reader.finish()?;
    Ok(Registration {
        username: username.unwrap_or_default(),
        email: email.unwrap_or_default(),
        password: password.unwrap_or_default(),
    })
}

/// OAuth2 password-grant style: `grant_type`, when sent, must be `password`.
fn read_credentials(fields: Fields) -> Result<Credentials, ApiError> {
    let mut reader = FieldReader::new(fields);
    let identifier = reader.required_string("username");
    if identifier.as_deref() == Some("") {
        reader.error("username", "must not be empty");
    }
    let password = reader.required_string("password");
    if password.as_deref() == Some("") {
        reader.error("password", "must not be empty");
    }
    match reader.patch_string("grant_type") {
        Patch::Absent => {}
        Patch::Value(grant) if grant == "password" => {}
        Patch::Value(_) | Patch::Null => {
            reader.error("grant_type", "must be \"password\" when given");
        }
    }
    reader.finish()?;
    Ok(Credentials {
        identifier: identifier.unwrap_or_default().to_lowercase(),
        password: password.unwrap_or_default(),
    })
}

fn read_refresh_token(fields: Fields) -> Result<RefreshToken, ApiError> {
    let mut reader = FieldReader::new(fields);
    let token = reader.required_string("refresh_token");
    if token.as_deref() == Some("") {
        reader.error("refresh_token", "must not be empty");
    }
    reader.finish()?;
    Ok(RefreshToken::from_client(token.unwrap_or_default()))
}
