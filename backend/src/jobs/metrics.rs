//! The queue on `/metrics`: queued and running jobs per kind (gauges refreshed from the table
//! every [`REFRESH_EVERY`]), jobs given up per kind (a counter of this process's), and the
//! imaging pool's waiting work (read when scraped).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry};

use crate::db::{Db, DbError, jobs as job_rows};

/// How often the gauges are read from the table (one grouped count).
pub const REFRESH_EVERY: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct JobMetrics {
    queued: IntGaugeVec,
    running: IntGaugeVec,
    failed: IntCounterVec,
}

impl JobMetrics {
    /// Registers the job metrics in `registry`, with every kind in `kinds` shown from the start.
    pub fn register(registry: &Registry, kinds: &[String]) -> Result<Self, prometheus::Error> {
        let queued = IntGaugeVec::new(
            Opts::new("albumen_jobs_queued", "Jobs waiting to run, per kind"),
            &["kind"],
        )?;
        let running = IntGaugeVec::new(
            Opts::new(
                "albumen_jobs_running",
                "Jobs running on any replica, per kind",
            ),
            &["kind"],
        )?;
        let failed = IntCounterVec::new(
            Opts::new(
                "albumen_jobs_failed_total",
                "Jobs given up after their last attempt (by this process), per kind",
            ),
            &["kind"],
        )?;
        registry.register(Box::new(queued.clone()))?;
        registry.register(Box::new(running.clone()))?;
        registry.register(Box::new(failed.clone()))?;
        for kind in kinds {
            queued.with_label_values(&[kind]).set(0);
            running.with_label_values(&[kind]).set(0);
            failed.with_label_values(&[kind]);
        }
        Ok(Self {
            queued,
            running,
            failed,
        })
    }

    pub fn count_failed(&self, kind: &str) {
        self.failed.with_label_values(&[kind]).inc();
    }

    /// Reads the gauges from the table once.
    pub async fn refresh(&self, db: &Db) -> Result<(), DbError> {
        let counts = db
            .run(|conn| job_rows::counts(conn).map_err(DbError::from))
            .await?;
        for gauge in [&self.queued, &self.running] {
            for metric in gauge.collect().iter().flat_map(|f| f.get_metric()) {
                if let Some(label) = metric.get_label().first() {
                    gauge.with_label_values(&[label.value()]).set(0);
                }
            }
        }
        for count in counts {
            let gauge = match count.state.as_str() {
                "running" => &self.running,
                _ => &self.queued,
            };
            gauge.with_label_values(&[&count.kind]).set(count.count);
        }
        Ok(())
    }

    /// Refreshes the gauges every [`REFRESH_EVERY`], for the life of the process.
    pub async fn run(self, db: Db) {
        let mut every = tokio::time::interval(REFRESH_EVERY);
        loop {
            every.tick().await;
            if let Err(e) = self.refresh(&db).await {
                tracing::warn!(error = %e, "could not read the job counts for /metrics");
            }
        }
    }
}

/// `albumen_imaging_queue_depth`: imaging work waiting for memory or a thread, read from the
/// pool's own count whenever `/metrics` is scraped.
pub struct ImagingQueueDepth {
    gauge: IntGauge,
    waiting: Arc<AtomicUsize>,
}

impl ImagingQueueDepth {
    pub fn register(
        registry: &Registry,
        waiting: Arc<AtomicUsize>,
    ) -> Result<(), prometheus::Error> {
        let gauge = IntGauge::new(
            "albumen_imaging_queue_depth",
            "Imaging work waiting for memory or a thread of the imaging pool",
        )?;
        registry.register(Box::new(Self { gauge, waiting }))
    }
}

impl Collector for ImagingQueueDepth {
    fn desc(&self) -> Vec<&Desc> {
        self.gauge.desc()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let waiting = self.waiting.load(Ordering::Relaxed);
        self.gauge.set(i64::try_from(waiting).unwrap_or(i64::MAX));
        self.gauge.collect()
    }
}
