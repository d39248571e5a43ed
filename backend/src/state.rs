//! What every handler can reach, built once at start-up.

use std::sync::Arc;
use std::time::Duration;

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
    /// When set, content answers with a redirect to a presigned object-store URL that lives
    /// this long, instead of streaming the bytes.
    pub presigned_redirects: Option<Duration>,
}
