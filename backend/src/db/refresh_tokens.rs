use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::refresh_tokens;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub spent_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub token_hash: &'a [u8],
    pub expires_at: DateTime<Utc>,
}

/// Stores a token; answers the moment it was stored (what its access token is dated).
pub fn insert(conn: &mut PgConnection, token: &NewRefreshToken<'_>) -> QueryResult<DateTime<Utc>> {
    diesel::insert_into(refresh_tokens::table)
        .values(token)
        .returning(refresh_tokens::created_at)
        .get_result(conn)
}

pub fn find_by_hash(conn: &mut PgConnection, hash: &[u8]) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a live token spent. Returns false when someone else spent (or revoked) it first, so
/// two concurrent refreshes with one token cannot both succeed.
pub fn spend(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    let updated = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::spent_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::spent_at.eq(diesel::dsl::now))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Ends a login: every token of the family stops working.
pub fn revoke_family(conn: &mut PgConnection, family_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
    .execute(conn)
}

/// Housekeeping: tokens past their expiry can never be used again.
pub fn delete_expired(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(before)))
        .execute(conn)
}
