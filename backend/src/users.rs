//! The account as users see it: `User` with its usage stats.

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde::Serialize;
use uuid::Uuid;

use crate::db::trash::{self as trash_rows, TrashTotals};
use crate::db::users::{self as user_rows, UserRow};
use crate::error::ApiError;

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub stats: UserStats,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct UserStats {
    /// Every album the user owns, nested ones included.
    pub albums: i64,
    pub images: i64,
    /// Stored originals and variants.
    pub bytes: i64,
    /// What the trash holds until it is purged (not counted above).
    pub trash: TrashTotals,
}

pub fn describe(conn: &mut PgConnection, row: UserRow) -> Result<User, ApiError> {
    let stats = user_rows::stats(conn, row.id)?;
    Ok(User {
        id: row.id,
        username: row.username,
        email: row.email,
        created_at: row.created_at,
        stats: UserStats {
            albums: stats.albums,
            images: stats.images,
            bytes: stats.bytes,
            trash: trash_rows::totals(conn, row.id)?,
        },
    })
}

/// The signed-in user. A valid token for an account that no longer exists is a 401.
pub fn me(conn: &mut PgConnection, id: Uuid) -> Result<User, ApiError> {
    let row = user_rows::find(conn, id)?.ok_or_else(ApiError::unauthorized)?;
    describe(conn, row)
}
