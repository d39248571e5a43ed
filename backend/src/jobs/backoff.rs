//! When a failed attempt is tried again: exponential backoff with jitter.
//!
//! Attempt `n` (from 1) failing waits `base × 2^(n-1)`, capped at [`MAX_BACKOFF`], of which
//! the upper half is random ("equal jitter"): retries of jobs that failed together spread out,
//! and no retry comes sooner than half its step.

use std::time::Duration;

/// No retry waits longer than this.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// The wait before the attempt after failed attempt `attempt`, with `jitter` in `[0, 1)`.
pub fn delay(base: Duration, attempt: u32, jitter: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(31);
    let step = base
        .checked_mul(1u32 << doublings)
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF);
    let half = step / 2;
    half + half.mul_f64(jitter.clamp(0.0, 1.0))
}

/// [`delay`] with a fresh random jitter.
pub fn delay_with_random_jitter(base: Duration, attempt: u32) -> Duration {
    delay(base, attempt, rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(2);

    #[test]
    fn each_attempt_doubles_the_step() {
        assert_eq!(delay(BASE, 1, 1.0), Duration::from_secs(2));
        assert_eq!(delay(BASE, 2, 1.0), Duration::from_secs(4));
        assert_eq!(delay(BASE, 3, 1.0), Duration::from_secs(8));
    }

    #[test]
    fn jitter_spreads_over_the_upper_half_of_the_step() {
        assert_eq!(delay(BASE, 3, 0.0), Duration::from_secs(4));
        assert_eq!(delay(BASE, 3, 0.5), Duration::from_secs(6));
        for _ in 0..100 {
            let d = delay_with_random_jitter(BASE, 3);
            assert!(
                d >= Duration::from_secs(4) && d <= Duration::from_secs(8),
                "{d:?}"
            );
        }
    }

    #[test]
    fn the_step_is_capped() {
        assert_eq!(delay(BASE, 20, 1.0), MAX_BACKOFF);
        assert_eq!(delay(BASE, u32::MAX, 1.0), MAX_BACKOFF);
        assert_eq!(delay(Duration::MAX, 2, 1.0), MAX_BACKOFF);
    }

    #[test]
    fn attempt_zero_counts_as_the_first() {
        assert_eq!(delay(BASE, 0, 1.0), delay(BASE, 1, 1.0));
    }
}
