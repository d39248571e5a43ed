//! Upload bytes held in memory, bounded twice: across all requests, and per user.
//!
//! A file takes memory in small steps as its bytes arrive, never its whole limit up front, so a
//! socket that sends a part header and then nothing holds (almost) nothing, and ten of them
//! cannot make anyone else wait. One user can hold at most their share, so one client's bulk
//! uploads cannot starve everyone else either. A reader that cannot get its next step within
//! the wait is refused with 503 (`Busy`); waiting readers back their TCP streams up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

/// Memory is counted in units of this many bytes.
const UNIT: u64 = 64 << 10;
/// A reader asks for this much more at a time.
pub const STEP: u64 = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the server is busy with other uploads; retry shortly")]
pub struct Busy;

pub struct UploadMemory {
    total: Arc<Semaphore>,
    per_user_units: u32,
    users: Mutex<HashMap<Uuid, Weak<Semaphore>>>,
    wait: Duration,
}

/// What one reader holds: a share of the total and of its user's allowance, always equal.
pub struct Held {
    total: Option<OwnedSemaphorePermit>,
    user: Option<OwnedSemaphorePermit>,
    user_semaphore: Arc<Semaphore>,
}

fn units(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(UNIT)).unwrap_or(u32::MAX)
}

impl UploadMemory {
    /// `total_bytes` across all requests, `per_user_bytes` for one user (at most the total).
    pub fn new(total_bytes: u64, per_user_bytes: u64, wait: Duration) -> Self {
        let total_units = units(total_bytes).max(units(STEP));
        let per_user_units = units(per_user_bytes).clamp(units(STEP), total_units);
        Self {
            total: Arc::new(Semaphore::new(total_units as usize)),
            per_user_units,
            users: Mutex::new(HashMap::new()),
            wait,
        }
    }

    /// An empty holding for one of `user`'s readers.
    pub fn hold_for(&self, user: Uuid) -> Held {
        Held {
            total: None,
            user: None,
            user_semaphore: self.user_semaphore(user),
        }
    }

    fn user_semaphore(&self, user: Uuid) -> Arc<Semaphore> {
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = users.get(&user).and_then(Weak::upgrade) {
            return existing;
        }
        // Users with nothing in flight are forgotten now and then, so the map stays the size
        // of the uploads in flight rather than of every user ever seen.
        if users.len() >= 1024 {
            users.retain(|_, semaphore| semaphore.strong_count() > 0);
        }
        let fresh = Arc::new(Semaphore::new(self.per_user_units as usize));
        users.insert(user, Arc::downgrade(&fresh));
        fresh
    }

    /// Grows `held` so it covers `bytes`, in whole steps; waits at most the configured time.
    pub async fn grow(&self, held: &mut Held, bytes: u64) -> Result<(), Busy> {
        let wanted = units(bytes.div_ceil(STEP).saturating_mul(STEP));
        let have = held.units();
        if wanted <= have {
            return Ok(());
        }
        let more = wanted - have;
        let acquire = async {
            // The user's allowance first: a user at their cap waits without holding any of the
            // shared memory others could use.
            let user = held
                .user_semaphore
                .clone()
                .acquire_many_owned(more)
                .await
                .map_err(|_| Busy)?;
            let total = self
                .total
                .clone()
                .acquire_many_owned(more)
                .await
                .map_err(|_| Busy)?;
            Ok::<_, Busy>((user, total))
        };
        let (user, total) = tokio::time::timeout(self.wait, acquire)
            .await
            .map_err(|_| Busy)??;
        merge(&mut held.user, user);
        merge(&mut held.total, total);
        Ok(())
    }

    /// Units free across all requests (for tests and metrics).
    pub fn available_bytes(&self) -> u64 {
        self.total.available_permits() as u64 * UNIT
    }
}

fn merge(slot: &mut Option<OwnedSemaphorePermit>, more: OwnedSemaphorePermit) {
    match slot {
        Some(permit) => permit.merge(more),
        None => *slot = Some(more),
    }
}

impl Held {
    fn units(&self) -> u32 {
        self.total
            .as_ref()
            .map_or(0, |p| u32::try_from(p.num_permits()).unwrap_or(u32::MAX))
    }

    /// Bytes this holding covers.
    pub fn bytes(&self) -> u64 {
        u64::from(self.units()) * UNIT
    }

    /// Keeps only what `bytes` needs (once a file's size is known).
    pub fn shrink_to(&mut self, bytes: u64) {
        let keep = units(bytes).max(1) as usize;
        for permit in [&mut self.total, &mut self.user].into_iter().flatten() {
            if let Some(excess) = permit.num_permits().checked_sub(keep)
                && excess > 0
            {
                drop(permit.split(excess));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    fn memory(total_mib: u64, per_user_mib: u64) -> UploadMemory {
        UploadMemory::new(
            total_mib * MIB,
            per_user_mib * MIB,
            Duration::from_millis(50),
        )
    }

    #[tokio::test]
    async fn a_reader_holds_nothing_until_bytes_arrive() {
        let memory = memory(8, 8);
        let _held = memory.hold_for(Uuid::now_v7());
        assert_eq!(memory.available_bytes(), 8 * MIB);
    }

    #[tokio::test]
    async fn memory_is_taken_in_steps_as_bytes_arrive() {
        let memory = memory(8, 8);
        let mut held = memory.hold_for(Uuid::now_v7());
        memory.grow(&mut held, 10).await.expect("first step");
        assert_eq!(held.bytes(), STEP);
        memory.grow(&mut held, STEP + 1).await.expect("second step");
        assert_eq!(held.bytes(), 2 * STEP);
        assert_eq!(memory.available_bytes(), 6 * MIB);
    }

    #[tokio::test]
    async fn many_stalled_readers_leave_room_for_another_user() {
        let memory = memory(16, 8);
        let attacker = Uuid::now_v7();
        let mut stalled: Vec<Held> = Vec::new();
        for _ in 0..10 {
            let mut held = memory.hold_for(attacker);
            // each stalled part has sent a few bytes at most
            let _ = memory.grow(&mut held, 100).await;
            stalled.push(held);
        }
        let mut other = memory.hold_for(Uuid::now_v7());
        memory
            .grow(&mut other, 1024)
            .await
            .expect("another user's small file gets memory at once");
    }

    #[tokio::test]
    async fn one_user_cannot_take_more_than_their_share() {
        let memory = memory(16, 4);
        let user = Uuid::now_v7();
        let mut first = memory.hold_for(user);
        memory.grow(&mut first, 4 * MIB).await.expect("the share");
        let mut second = memory.hold_for(user);
        assert_eq!(memory.grow(&mut second, 1).await, Err(Busy));
        let mut someone_else = memory.hold_for(Uuid::now_v7());
        memory
            .grow(&mut someone_else, 4 * MIB)
            .await
            .expect("others are not held back by that user");
    }

    #[tokio::test]
    async fn shrinking_gives_back_what_a_file_does_not_need() {
        let memory = memory(8, 8);
        let mut held = memory.hold_for(Uuid::now_v7());
        memory.grow(&mut held, 3 * MIB).await.expect("grow");
        held.shrink_to(100 << 10);
        assert_eq!(held.bytes(), 2 * UNIT);
        assert_eq!(memory.available_bytes(), 8 * MIB - 2 * UNIT);
    }

    #[tokio::test]
    async fn dropping_a_holding_returns_everything() {
        let memory = memory(8, 2);
        let user = Uuid::now_v7();
        let mut held = memory.hold_for(user);
        memory.grow(&mut held, 2 * MIB).await.expect("grow");
        drop(held);
        assert_eq!(memory.available_bytes(), 8 * MIB);
        let mut again = memory.hold_for(user);
        memory
            .grow(&mut again, 2 * MIB)
            .await
            .expect("the user's share is back");
    }
}
