//! The server secret: from `ALBUMEN_JWT_SECRET`, or generated once into the data directory.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::config::{MIN_JWT_SECRET_BYTES, Secret};

pub const SECRET_FILE: &str = "jwt-secret";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read or create the secret file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the secret file {0} holds fewer than 32 bytes; delete it to have a new one made")]
    TooShort(String),
}

pub fn load_or_create(configured: Option<&Secret>, data_dir: &Path) -> Result<Secret, SecretError> {
    if let Some(secret) = configured {
        return Ok(secret.clone());
    }
    let path = data_dir.join(SECRET_FILE);
    let io = |source| SecretError::Io {
        path: path.display().to_string(),
        source,
    };
    fs::create_dir_all(data_dir).map_err(io)?;
    let fresh = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    // create_new: when two processes race, one writes and both read the same secret.
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
    {
        Ok(mut file) => {
            file.write_all(fresh.as_bytes()).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(e)),
    }
    let stored = fs::read_to_string(&path).map_err(io)?;
    let stored = stored.trim();
    if stored.len() < MIN_JWT_SECRET_BYTES {
        return Err(SecretError::TooShort(path.display().to_string()));
    }
    Ok(Secret::new(stored))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_generated_secret_is_kept_with_mode_0600_and_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = load_or_create(None, dir.path()).expect("created");
        let second = load_or_create(None, dir.path()).expect("reused");
        assert_eq!(first.expose(), second.expose());
        let mode = fs::metadata(dir.path().join(SECRET_FILE))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_configured_secret_wins_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let configured = Secret::new("c".repeat(40));
        let secret = load_or_create(Some(&configured), dir.path()).expect("configured");
        assert_eq!(secret.expose(), configured.expose());
        assert!(!dir.path().join(SECRET_FILE).exists());
    }
}
