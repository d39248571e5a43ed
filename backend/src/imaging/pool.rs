//! The dedicated rayon pool that decodes and resizes, bridged to async with a oneshot.
//!
//! Work admitted to the pool is bounded by a budget of decoded memory: a job reserves its
//! estimated pixels before it is queued, waits for room up to `queue_timeout`, then gives up
//! with `Busy` (a 503 with Retry-After). A panic inside a job fails only that job: rayon would
//! abort the process on an uncaught one.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};

use super::ImagingError;

const MIB: u64 = 1 << 20;

pub struct ImagingPool {
    threads: rayon::ThreadPool,
    budget: Arc<Semaphore>,
    budget_mib: u32,
    queue_timeout: Duration,
    /// Jobs asked for but not yet started: waiting for memory or for a thread.
    waiting: Arc<AtomicUsize>,
}

/// Counts one job as waiting until dropped (when it starts, or gives up).
struct Waiting(Arc<AtomicUsize>);

impl Waiting {
    fn new(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Self(count.clone())
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl ImagingPool {
    pub fn new(
        threads: usize,
        budget_mib: u32,
        queue_timeout: Duration,
    ) -> Result<Self, rayon::ThreadPoolBuildError> {
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("albumen-imaging-{i}"))
            .build()?;
        Ok(Self {
            threads,
            budget: Arc::new(Semaphore::new(budget_mib as usize)),
            budget_mib,
            queue_timeout,
            waiting: Arc::new(AtomicUsize::new(0)),
        })
    }

    pub fn threads(&self) -> usize {
        self.threads.current_num_threads()
    }

    /// The live count of jobs waiting for memory or a thread (for `/metrics`).
    pub fn queue_depth(&self) -> Arc<AtomicUsize> {
        self.waiting.clone()
    }

    /// Memory a job that needs `bytes` reserves, in whole MiB, never above the whole budget (so
    /// the largest allowed image still runs, alone).
    fn cost_mib(&self, bytes: u64) -> u32 {
        let mib = bytes.div_ceil(MIB).max(1);
        u32::try_from(mib).unwrap_or(u32::MAX).min(self.budget_mib)
    }

    /// Runs `job` on the pool once the `bytes` it needs (see `Layout::decode_cost`) fit, and
    /// waits for its result.
    pub async fn run<T, F>(&self, bytes: u64, job: F) -> Result<T, ImagingError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ImagingError> + Send + 'static,
    {
        let cost = self.cost_mib(bytes);
        let waiting = Waiting::new(&self.waiting);
        let permit = tokio::time::timeout(
            self.queue_timeout,
            self.budget.clone().acquire_many_owned(cost),
        )
        .await
        .map_err(|_| ImagingError::Busy)?
        .map_err(|_| ImagingError::Busy)?;
        let (reply, result) = oneshot::channel();
        self.threads.spawn(move || {
            drop(waiting);
            let outcome = catch_unwind(AssertUnwindSafe(job)).unwrap_or_else(|_| {
                tracing::error!("an imaging job panicked; only its file fails");
                Err(ImagingError::Panicked)
            });
            drop(permit);
            let _ = reply.send(outcome);
        });
        result.await.unwrap_or(Err(ImagingError::Panicked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(budget_mib: u32, timeout_ms: u64) -> ImagingPool {
        ImagingPool::new(2, budget_mib, Duration::from_millis(timeout_ms)).expect("pool")
    }

    #[tokio::test]
    async fn a_job_runs_and_returns_its_result() {
        assert_eq!(pool(64, 1000).run(500, || Ok(42)).await, Ok(42));
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone() {
        let pool = pool(64, 1000);
        let panicked: Result<(), _> = pool.run(500, || panic!("decoder bug")).await;
        assert_eq!(panicked, Err(ImagingError::Panicked));
        assert_eq!(pool.run(500, || Ok("still alive")).await, Ok("still alive"));
    }

    #[tokio::test]
    async fn work_over_the_budget_waits_then_gets_busy() {
        let pool = Arc::new(pool(8, 100));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        // Fills the whole budget until told to finish.
        let blocker = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(500_000_000, move || {
                    let _ = hold.recv();
                    Ok(())
                })
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        let depth = pool.queue_depth();
        assert_eq!(depth.load(Ordering::Relaxed), 0, "the blocker is running");
        let waiter = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(500, || Ok(())).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(depth.load(Ordering::Relaxed), 1, "one job waits for memory");
        assert_eq!(waiter.await.expect("joined"), Err(ImagingError::Busy));
        assert_eq!(
            depth.load(Ordering::Relaxed),
            0,
            "a job that gave up waits no more"
        );
        release.send(()).expect("release");
        assert_eq!(blocker.await.expect("joined"), Ok(()));
        assert_eq!(pool.run(500, || Ok(())).await, Ok(()));
    }

    #[test]
    fn the_cost_of_a_huge_image_is_capped_at_the_budget() {
        let pool = pool(512, 10);
        assert_eq!(pool.cost_mib(5), 1);
        assert_eq!(pool.cost_mib(60_000 * 60_000 * 5), 512);
    }
}
