//! Accounts and sessions: the field rules, bcrypt, tokens, login throttling, and the extractors
//! that tell handlers who is asking.

pub mod extractor;
pub mod password;
pub mod rules;
pub mod secret;
pub mod session;
pub mod signup_limit;
pub mod throttle;
pub mod tokens;

pub use extractor::{AuthUser, Viewer};
pub use session::{AuthService, Credentials, Registration, TokenResponse};
