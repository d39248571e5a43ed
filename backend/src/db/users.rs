use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::images;
use super::schema::{albums, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: Uuid,
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
}

/// Names of the unique indexes, so a violation maps to the field that is taken.
pub const USERNAME_UNIQUE: &str = "users_username_key";
pub const EMAIL_UNIQUE: &str = "users_email_key";

pub fn insert(conn: &mut PgConnection, user: &NewUser<'_>) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values(user)
        .returning(UserRow::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the account still exists: a signed token outlives a deleted account.
pub fn exists(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.find(id))).get_result(conn)
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Looks a user up by username or, when the identifier holds an `@`, by e-mail; both
/// case-insensitively.
pub fn find_by_login(conn: &mut PgConnection, identifier: &str) -> QueryResult<Option<UserRow>> {
    let identifier = identifier.to_lowercase();
    let query = users::table.select(UserRow::as_select()).into_boxed();
    let query = if identifier.contains('@') {
        query.filter(lower(users::email).eq(identifier))
    } else {
        query.filter(users::username.eq(identifier))
    };
    query.first(conn).optional()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserStats {
    pub albums: i64,
    pub images: i64,
    pub bytes: i64,
}

pub fn stats(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<UserStats> {
    let albums = albums::table
        .filter(albums::owner_id.eq(user_id))
        .filter(albums::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let (images, bytes) = images::usage(conn, user_id)?;
    Ok(UserStats {
        albums,
        images,
        bytes,
    })
}
