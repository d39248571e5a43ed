//! Sign-ups per address: at most `count` in any `window` (`ALBUMEN_REGISTRATION_LIMIT`, e.g.
//! `20/1h`), counted in Postgres under a lock on the address so parallel sign-ups cannot race
//! past it and every replica counts alike.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use diesel::{Connection, PgConnection};

use super::throttle::{block_end, limit_i64, seconds_until};
use crate::db::registrations;
use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignupLimit {
    pub count: usize,
    pub window: Duration,
}

impl FromStr for SignupLimit {
    type Err = String;

    /// `<count>/<duration>`, e.g. `20/1h` or `5/10m`.
    fn from_str(value: &str) -> Result<Self, String> {
        let (count, window) = value
            .split_once('/')
            .ok_or("expected <count>/<duration>, e.g. 20/1h")?;
        let count: usize = count.trim().parse().map_err(|e| format!("count: {e}"))?;
        if count == 0 {
            return Err("the count must be at least 1".into());
        }
        let window = crate::config::parse_duration(window)?;
        Ok(Self { count, window })
    }
}

impl SignupLimit {
    fn window(&self) -> TimeDelta {
        TimeDelta::from_std(self.window).unwrap_or(TimeDelta::MAX)
    }
}

/// Counts a sign-up from `client_addr`, or refuses it with 429 and `Retry-After`.
pub fn admit(
    conn: &mut PgConnection,
    limit: SignupLimit,
    client_addr: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        registrations::lock_address(conn, client_addr)?;
        let since = now - limit.window();
        let recent =
            registrations::recent_for_address(conn, client_addr, since, limit_i64(limit.count))?;
        if let Some(until) = block_end(&recent, limit.count, limit.window())
            && until > now
        {
            return Err(ApiError::TooManyRequests {
                retry_after_secs: seconds_until(now, until),
            });
        }
        registrations::record(conn, client_addr, now)?;
        Ok(())
    })
}

/// Housekeeping: sign-ups older than the window no longer count.
pub fn forget_old(
    conn: &mut PgConnection,
    limit: SignupLimit,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    Ok(registrations::delete_older_than(
        conn,
        now - limit.window(),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_reads_as_count_per_duration() {
        assert_eq!(
            "20/1h".parse(),
            Ok(SignupLimit {
                count: 20,
                window: Duration::from_secs(3600)
            })
        );
        assert_eq!(
            "5/90".parse::<SignupLimit>().map(|l| l.window),
            Ok(Duration::from_secs(90))
        );
    }

    #[test]
    fn malformed_limits_are_refused() {
        for bad in ["20", "0/1h", "x/1h", "20/", "20/0"] {
            assert!(bad.parse::<SignupLimit>().is_err(), "{bad}");
        }
    }
}
