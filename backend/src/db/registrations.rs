use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::registrations;

pub fn record(conn: &mut PgConnection, client_addr: &str, at: DateTime<Utc>) -> QueryResult<()> {
    diesel::insert_into(registrations::table)
        .values((
            registrations::client_addr.eq(client_addr),
            registrations::registered_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// The newest `limit` sign-ups from one address since `since`, newest first.
pub fn recent_for_address(
    conn: &mut PgConnection,
    client_addr: &str,
    since: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<DateTime<Utc>>> {
    registrations::table
        .filter(registrations::client_addr.eq(client_addr))
        .filter(registrations::registered_at.gt(since))
        .order(registrations::registered_at.desc())
        .limit(limit)
        .select(registrations::registered_at)
        .load(conn)
}

/// Serialises sign-ups from one address until the transaction ends.
pub fn lock_address(conn: &mut PgConnection, client_addr: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 8))")
        .bind::<diesel::sql_types::Text, _>(client_addr)
        .execute(conn)
        .map(drop)
}

pub fn delete_older_than(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(registrations::table.filter(registrations::registered_at.lt(before)))
        .execute(conn)
}
