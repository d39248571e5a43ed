//! What every handler can reach, built once at start-up.

use crate::auth::AuthService;
use crate::config::PublicUrl;
use crate::db::Db;

pub struct AppState {
    pub db: Db,
    pub auth: AuthService,
    pub public_url: PublicUrl,
    /// Take the client address from X-Forwarded-For.
    pub trust_proxy: bool,
}
