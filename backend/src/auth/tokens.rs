//! Access tokens (HS256 JWTs, validated strictly) and refresh tokens (random, stored hashed).

use std::fmt;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
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
    /// Keys the successor of a refresh token, so a repeated refresh can be given the same one.
    successor_key: Vec<u8>,
}

impl TokenIssuer {
    pub fn new(secret: &[u8], access_ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // The server that checks a token is the one (or a replica of the one) that issued it,
        // so there is no client clock to forgive.
        validation.leeway = 0;
        // Our tokens carry no `nbf`, but one that does (forged with a leaked key, or from a
        // future issuer) must not be taken before its time.
        validation.validate_nbf = true;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
            successor_key: secret.to_vec(),
        }
    }

    /// The access token of one session step: the same `(user, issued_at, jti)` always signs to
    /// the same token, which is what lets a repeated refresh be answered with the same pair.
    pub fn issue_at(
        &self,
        user_id: Uuid,
        issued_at: DateTime<Utc>,
        jti: Uuid,
    ) -> Result<AccessToken, TokenError> {
        let iat = issued_at.timestamp();
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX);
        let exp = iat.saturating_add(ttl);
        let claims = Claims {
            sub: user_id,
            iat,
            exp,
            jti,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| TokenError::Signing)?;
        let left = exp.saturating_sub(Utc::now().timestamp()).max(0);
        Ok(AccessToken {
            token,
            expires_in: u64::try_from(left).unwrap_or(0),
        })
    }

    /// The refresh token that replaces `presented`: derived from it with a server key, so it is
    /// unguessable without the key yet the same every time it is asked for.
    pub fn successor(&self, presented: &RefreshToken) -> RefreshToken {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.successor_key)
            .expect("HMAC takes a key of any length");
        mac.update(b"albumen refresh successor\0");
        mac.update(presented.0.as_bytes());
        RefreshToken(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
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
        let token = issuer()
            .issue_at(user, Utc::now(), Uuid::now_v7())
            .expect("issue");
        assert!((899..=900).contains(&token.expires_in));
        assert_eq!(issuer().verify(&token.token), Ok(user));
    }

    #[test]
    fn one_session_step_always_signs_to_the_same_access_token() {
        let (user, at, jti) = (Uuid::now_v7(), Utc::now(), Uuid::now_v7());
        let first = issuer().issue_at(user, at, jti).expect("issue");
        let again = issuer().issue_at(user, at, jti).expect("issue");
        assert_eq!(first.token, again.token);
    }

    #[test]
    fn a_refresh_tokens_successor_is_stable_and_keyed() {
        let presented = RefreshToken::generate();
        let successor = issuer().successor(&presented);
        assert_eq!(successor, issuer().successor(&presented));
        assert_ne!(successor, presented);
        let other = TokenIssuer::new(
            b"another secret, also 32 bytes long!",
            Duration::from_secs(900),
        );
        assert_ne!(other.successor(&presented), successor);
        assert_ne!(issuer().successor(&RefreshToken::generate()), successor);
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
    fn a_token_not_valid_before_a_future_time_is_refused() {
        let mut c = claims(3600);
        c["nbf"] = json!(Utc::now().timestamp() + 600);
        assert!(issuer().verify(&sign(c, Algorithm::HS256, SECRET)).is_err());
    }

    #[test]
    fn a_token_whose_not_before_has_passed_is_taken() {
        let mut c = claims(3600);
        c["nbf"] = json!(Utc::now().timestamp() - 5);
        assert!(issuer().verify(&sign(c, Algorithm::HS256, SECRET)).is_ok());
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
