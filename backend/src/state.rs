//! What every handler can reach, built once at start-up.

use std::sync::Arc;

use crate::auth::AuthService;
use crate::config::PublicUrl;
use crate::db::Db;
use crate::images::ImageService;

pub struct AppState {
    pub db: Db,
    pub auth: AuthService,
    pub images: Arc<ImageService>,
    pub public_url: PublicUrl,
    /// Take the client address from X-Forwarded-For.
    pub trust_proxy: bool,
}
