use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::login_failures;

/// Records an attempt as a failure; the id lets a successful attempt take it back.
pub fn record(
    conn: &mut PgConnection,
    identifier: &str,
    client_addr: &str,
    at: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::identifier.eq(identifier),
            login_failures::client_addr.eq(client_addr),
            login_failures::failed_at.eq(at),
        ))
        .returning(login_failures::id)
        .get_result(conn)
}

pub fn forget(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::delete(login_failures::table.find(id))
        .execute(conn)
        .map(drop)
}

/// Serialises the attempts from one address until the transaction ends, so that checking the
/// counts and adding an attempt to them is one step.
pub fn lock_address(conn: &mut PgConnection, client_addr: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))")
        .bind::<diesel::sql_types::Text, _>(client_addr)
        .execute(conn)
        .map(drop)
}

/// The newest `limit` failures since `since` for one identifier from one address, newest first.
pub fn recent_for_pair(
    conn: &mut PgConnection,
    identifier: &str,
    client_addr: &str,
    since: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<DateTime<Utc>>> {
    login_failures::table
        .filter(login_failures::identifier.eq(identifier))
        .filter(login_failures::client_addr.eq(client_addr))
        .filter(login_failures::failed_at.gt(since))
        .order(login_failures::failed_at.desc())
        .limit(limit)
        .select(login_failures::failed_at)
        .load(conn)
}

/// The newest `limit` failures since `since` from one address, newest first.
pub fn recent_for_address(
    conn: &mut PgConnection,
    client_addr: &str,
    since: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<DateTime<Utc>>> {
    login_failures::table
        .filter(login_failures::client_addr.eq(client_addr))
        .filter(login_failures::failed_at.gt(since))
        .order(login_failures::failed_at.desc())
        .limit(limit)
        .select(login_failures::failed_at)
        .load(conn)
}

pub fn delete_older_than(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(before))).execute(conn)
}
