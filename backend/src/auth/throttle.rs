//! Login throttling, as the contract puts it: 10 failures in 15 minutes for one identifier from
//! one address block that pair; 100 failures from one address block the address. Failures live
//! in Postgres, so every replica sees the same counts.
//!
//! An attempt is counted as a failure *before* the password is checked, under a lock on the
//! address, and taken back when it succeeds: parallel guesses cannot all pass the check before
//! any of them is counted.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::{Connection, PgConnection};

use crate::db::login_failures;
use crate::error::ApiError;

pub const WINDOW: TimeDelta = TimeDelta::minutes(15);
pub const PAIR_LIMIT: usize = 10;
pub const ADDRESS_LIMIT: usize = 100;

/// When a block lifts, given the newest failures (newest first): the moment the `limit`-th
/// newest leaves the window. `None` when fewer than `limit` failures are in the window.
pub fn blocked_until(newest_first: &[DateTime<Utc>], limit: usize) -> Option<DateTime<Utc>> {
    block_end(newest_first, limit, WINDOW)
}

/// `blocked_until` for any window: when the `limit`-th newest event leaves it.
pub fn block_end(
    newest_first: &[DateTime<Utc>],
    limit: usize,
    window: TimeDelta,
) -> Option<DateTime<Utc>> {
    newest_first.get(limit.checked_sub(1)?).map(|t| *t + window)
}

pub(crate) fn limit_i64(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// 429 with `Retry-After` when the pair or the address is blocked.
fn check(
    conn: &mut PgConnection,
    identifier: &str,
    client_addr: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let since = now - WINDOW;
    let pair = login_failures::recent_for_pair(
        conn,
        identifier,
        client_addr,
        since,
        limit_i64(PAIR_LIMIT),
    )?;
    let address =
        login_failures::recent_for_address(conn, client_addr, since, limit_i64(ADDRESS_LIMIT))?;
    let until = [
        blocked_until(&pair, PAIR_LIMIT),
        blocked_until(&address, ADDRESS_LIMIT),
    ]
    .into_iter()
    .flatten()
    .max();
    match until {
        Some(until) if until > now => Err(ApiError::TooManyRequests {
            retry_after_secs: seconds_until(now, until),
        }),
        _ => Ok(()),
    }
}

/// Whole seconds, rounded up so a client that waits exactly that long is let in.
pub(crate) fn seconds_until(now: DateTime<Utc>, until: DateTime<Utc>) -> u64 {
    let millis = u64::try_from((until - now).num_milliseconds()).unwrap_or(0);
    millis.div_ceil(1000).max(1)
}

/// An attempt counted against the limits until it is known to have succeeded.
#[must_use]
pub struct Attempt(i64);

/// Checks the limits and counts this attempt, atomically per address.
pub fn begin_attempt(
    conn: &mut PgConnection,
    identifier: &str,
    client_addr: &str,
    now: DateTime<Utc>,
) -> Result<Attempt, ApiError> {
    conn.transaction(|conn| {
        login_failures::lock_address(conn, client_addr)?;
        check(conn, identifier, client_addr, now)?;
        Ok(Attempt(login_failures::record(
            conn,
            identifier,
            client_addr,
            now,
        )?))
    })
}

/// The attempt was right: it no longer counts.
pub fn succeeded(conn: &mut PgConnection, attempt: Attempt) -> Result<(), ApiError> {
    login_failures::forget(conn, attempt.0)?;
    Ok(())
}

/// Housekeeping: failures older than the window no longer count.
pub fn forget_old_failures(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize, ApiError> {
    Ok(login_failures::delete_older_than(conn, now - WINDOW)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes_ago(now: DateTime<Utc>, minutes: &[i64]) -> Vec<DateTime<Utc>> {
        minutes
            .iter()
            .map(|m| now - TimeDelta::minutes(*m))
            .collect()
    }

    #[test]
    fn fewer_failures_than_the_limit_block_nothing() {
        let now = Utc::now();
        assert_eq!(blocked_until(&minutes_ago(now, &[1, 2, 3]), 4), None);
    }

    #[test]
    fn the_block_lifts_when_the_limit_th_newest_failure_leaves_the_window() {
        let now = Utc::now();
        let failures = minutes_ago(now, &[1, 2, 3, 4]);
        assert_eq!(
            blocked_until(&failures, 4),
            Some(now - TimeDelta::minutes(4) + WINDOW)
        );
        assert_eq!(
            blocked_until(&failures, 3),
            Some(now - TimeDelta::minutes(3) + WINDOW)
        );
    }

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        let now = Utc::now();
        assert_eq!(seconds_until(now, now + TimeDelta::milliseconds(1500)), 2);
        assert_eq!(seconds_until(now, now), 1);
    }
}
