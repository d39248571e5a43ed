//! Access tokens (HS256 JWTs, validated strictly) and refresh tokens (random, stored hashed).

use std::fmt;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

const ISSUER: &str = "albumen";
const AUDIENCE: &str = "albumen-api";
/// A token issued this far in the future is forged or from a badly skewed clock.
const MAX_CLOCK_SKEW_SECS: i64 = 30;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    exp: i64,
    iat: i64,
    jti: Uuid,
    iss: String,
    aud: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token is not valid: {0}")]
    Invalid(String),
    #[error("the token could not be signed")]
    Signing,
}

pub struct AccessToken {
    pub token: String,
    pub expires_in: u64,
}

/// Signs and verifies access tokens. Only HS256 is accepted: `alg: none`, other algorithms,
/// bad signatures, expired tokens and tokens missing `exp`/`iat`/`sub`/`jti` are all refused.
pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl: Duration,
}

impl TokenIssuer {
    pub fn new(secret: &[u8], access_ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // The server that checks a token is the one (or a replica of the one) that issued it,
        // so there is no client clock to forgive.
        validation.leeway = 0;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
        }
    }

    pub fn issue(&self, user_id: Uuid) -> Result<AccessToken, TokenError> {
        let now = Utc::now().timestamp();
        let ttl = self.access_ttl.as_secs();
        let claims = Claims {
            sub: user_id,
            iat: now,
            exp: now.saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX)),
            jti: Uuid::new_v4(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| TokenError::Signing)?;
        Ok(AccessToken {
            token,
            expires_in: ttl,
        })
    }

    /// The user id of a valid token.
    pub fn verify(&self, token: &str) -> Result<Uuid, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| TokenError::Invalid(e.to_string()))?;
        if data.claims.iat > Utc::now().timestamp() + MAX_CLOCK_SKEW_SECS {
            return Err(TokenError::Invalid("issued in the future".into()));
        }
        Ok(data.claims.sub)
    }
}

/// An opaque refresh token as handed to the client. Only its SHA-256 is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(String);

impl RefreshToken {
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::random();
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn from_client(value: String) -> Self {
        Self(value)
    }

    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn issuer() -> TokenIssuer {
        TokenIssuer::new(SECRET, Duration::from_secs(900))
    }

    fn sign(claims: serde_json::Value, alg: Algorithm, secret: &[u8]) -> String {
        jsonwebtoken::encode(
            &Header::new(alg),
            &claims,
            &EncodingKey::from_secret(secret),
        )
        .expect("sign")
    }

    fn claims(exp_offset: i64) -> serde_json::Value {
        let now = Utc::now().timestamp();
        json!({"sub": Uuid::new_v4(), "iat": now, "exp": now + exp_offset,
               "jti": Uuid::new_v4(), "iss": ISSUER, "aud": AUDIENCE})
    }

    #[test]
    fn an_issued_token_verifies_to_its_user() {
        let user = Uuid::now_v7();
        let token = issuer().issue(user).expect("issue");
        assert_eq!(token.expires_in, 900);
        assert_eq!(issuer().verify(&token.token), Ok(user));
    }

    #[test]
    fn an_expired_token_is_refused() {
        let token = sign(claims(-1), Algorithm::HS256, SECRET);
        assert!(issuer().verify(&token).is_err());
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let token = sign(
            claims(600),
            Algorithm::HS256,
            b"another secret, also 32 bytes long!",
        );
        assert!(issuer().verify(&token).is_err());
    }

    #[test]
    fn other_algorithms_are_refused() {
        let token = sign(claims(600), Algorithm::HS512, SECRET);
        assert!(issuer().verify(&token).is_err());
    }

    #[test]
    fn alg_none_is_refused() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(claims(600).to_string());
        assert!(issuer().verify(&format!("{header}.{payload}.")).is_err());
    }

    #[test]
    fn missing_or_wrongly_typed_claims_are_refused() {
        for remove in ["exp", "iat", "sub", "jti"] {
            let mut c = claims(600);
            c.as_object_mut().expect("object").remove(remove);
            let token = sign(c, Algorithm::HS256, SECRET);
            assert!(issuer().verify(&token).is_err(), "without {remove}");
        }
        let mut c = claims(600);
        c["exp"] = json!("99999999999");
        assert!(
            issuer().verify(&sign(c, Algorithm::HS256, SECRET)).is_err(),
            "string exp"
        );
    }

    #[test]
    fn a_token_from_the_future_is_refused() {
        let mut c = claims(3600);
        c["iat"] = json!(Utc::now().timestamp() + 600);
        assert!(issuer().verify(&sign(c, Algorithm::HS256, SECRET)).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_hash_stably() {
        let a = RefreshToken::generate();
        let b = RefreshToken::generate();
        assert_ne!(a, b);
        assert_eq!(
            a.hash(),
            RefreshToken::from_client(a.expose().into()).hash()
        );
        assert!(!format!("{a:?}").contains(a.expose()));
    }
}
