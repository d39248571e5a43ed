//! Builds the application from `Settings`: pool, migrations, secrets, state, server.
//! Tests call `Application::build` with port 0 and read `port()`.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};

use crate::auth::secret::{self, SecretError};
use crate::auth::signup_limit::{self, SignupLimit};
use crate::auth::tokens::TokenIssuer;
use crate::auth::{AuthService, throttle};
use std::num::NonZeroUsize;

use uuid::Uuid;

use crate::config::{ContentDelivery, PublicUrl, Secret, Settings, StorageSettings};
use crate::db::{self, Db, DbError, refresh_tokens};
use crate::http;
use crate::images::cache::ContentCache;
use crate::images::gc::{self, Liveness};
use crate::images::removal;
use crate::images::service::UploadLimits;
use crate::images::{ImageService, UrlSigner};
use crate::imaging::ImagingPool;
use crate::imaging::RenditionSettings;
use crate::jobs::metrics::{ImagingQueueDepth, JobMetrics};
use crate::jobs::{Handlers, WorkerConfig, Workers};
use crate::state::AppState;
use crate::storage::{Storage, StorageError};
use crate::telemetry;
use crate::uploads::memory::UploadMemory;
use crate::{renditions, trash};

const DATABASE_WAIT: Duration = Duration::from_secs(30);
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(600);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] DbError),
    #[error("secret: {0}")]
    Secret(#[from] SecretError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("metrics: {0}")]
    Metrics(String),
    #[error("password hashing: {0}")]
    Bcrypt(#[from] bcrypt::BcryptError),
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error("imaging pool: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
}

pub struct Application {
    port: u16,
    public_url: PublicUrl,
    server: Server,
    workers: Workers,
}

impl Application {
    pub async fn build(settings: &Settings, database_url: &str) -> Result<Self, StartupError> {
        Self::build_with_storage(settings, database_url, None).await
    }

    /// As `build`, with the object store given instead of configured (tests inject faults).
    pub async fn build_with_storage(
        settings: &Settings,
        database_url: &str,
        storage: Option<Storage>,
    ) -> Result<Self, StartupError> {
        let db = Db::connect(
            database_url,
            settings.database.db_pool_size,
            settings.database.db_timeout,
        )?;
        migrate_when_reachable(&db).await?;

        let secret = secret::load_or_create(settings.auth.jwt_secret.as_ref(), &settings.data_dir)?;
        let tokens = Arc::new(TokenIssuer::new(
            secret.expose().as_bytes(),
            settings.auth.access_token_ttl,
        ));
        let auth = AuthService::new(
            db.clone(),
            tokens,
            settings.auth.bcrypt_cost,
            settings.auth.refresh_token_ttl,
            settings.auth.refresh_reuse_grace,
            settings.auth.registration_limit,
        )?;

        let bind = settings.http.bind;
        let listener = TcpListener::bind(bind).map_err(|source| StartupError::Bind {
            addr: bind.to_string(),
            source,
        })?;
        let local = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: bind.to_string(),
            source,
        })?;
        let public_url = settings.public_url(local);
        let storage = match storage {
            Some(storage) => storage,
            None => Storage::from_settings(&settings.storage, &settings.data_dir)?,
        };
        let presigned_redirects = presigned_redirects(&settings.storage, &storage)?;
        let images = Arc::new(image_service(
            settings,
            db.clone(),
            storage,
            &secret,
            &public_url,
            database_url,
        )?);
        // Whatever a crash left half-written is cleaned before the first request.
        if let Err(e) = gc::sweep(&images).await {
            tracing::warn!(error = %e, "the start-up sweep failed; the periodic one will retry");
        }
        tokio::spawn(gc::run(images.clone()));
        let registry = prometheus::Registry::new();
        let workers = start_jobs(settings, &db, &images, &registry)?;
        let state = web::Data::new(AppState {
            db: db.clone(),
            auth,
            images,
            public_url: public_url.clone(),
            trust_proxy: settings.http.trust_proxy,
            presigned_redirects,
        });
        let metrics = metrics(registry)?;
        let spa_dir =
            Some(settings.http.static_dir.clone()).filter(|d| d.join("index.html").is_file());
        match &spa_dir {
            Some(dir) => tracing::info!(spa.dir = %dir.display(), "serving the SPA"),
            None => tracing::info!("no built SPA found; serving the API only"),
        }
        let body_limits = http::body_guard::BodyLimits {
            max_bytes: settings.images.max_request_size(),
            idle: settings.http.body_idle_timeout,
            min_rate: settings.http.body_min_rate,
            grace: settings.http.body_rate_grace,
        };
        let app_csp = http::security::app_csp(&image_origins(
            &public_url,
            &settings.storage,
            presigned_redirects.is_some(),
        ));
        let mut server = HttpServer::new(move || {
            let app = App::new()
                .wrap(http::security::defaults())
                .wrap(from_fn(move |req, next| {
                    http::body_guard::guard(body_limits, req, next)
                }))
                .wrap(ErrorHandlers::new().default_handler(http::problems::problemize))
                .wrap(metrics.clone())
                .wrap(from_fn(telemetry::trace_requests))
                .app_data(state.clone())
                .configure(http::routes);
            match &spa_dir {
                Some(dir) => app.service(
                    web::scope("")
                        .wrap(from_fn({
                            let csp = app_csp.clone();
                            move |req, next| http::spa::set_page_headers(csp.clone(), req, next)
                        }))
                        .service(http::spa::files(dir)),
                ),
                None => app.default_service(web::to(http::problems::no_such_route)),
            }
        });
        // A streamed body leaves in several writes after its headers; with Nagle's algorithm
        // each small last segment waited for the client's delayed ACK (40 ms per response).
        server = server.tcp_nodelay(true);
        if let Some(workers) = settings.http.workers {
            server = server.workers(workers.get());
        }
        let server = server
            .listen(listener)
            .map_err(|source| StartupError::Bind {
                addr: bind.to_string(),
                source,
            })?
            .run();
        tokio::spawn(housekeeping(db, settings.auth.registration_limit));
        Ok(Self {
            port: local.port(),
            public_url,
            server,
            workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn public_url(&self) -> &PublicUrl {
        &self.public_url
    }

    /// Serves until SIGINT/SIGTERM, then finishes in-flight requests and running jobs.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        self.workers.stop().await;
        served
    }
}

fn image_service(
    settings: &Settings,
    db: Db,
    storage: Storage,
    secret: &Secret,
    public_url: &PublicUrl,
    database_url: &str,
) -> Result<ImageService, StartupError> {
    let config = &settings.images;
    let threads = config
        .image_threads
        .map(NonZeroUsize::get)
        .or_else(|| {
            std::thread::available_parallelism()
                .ok()
                .map(NonZeroUsize::get)
        })
        .unwrap_or(2);
    let budget_mib = u32::try_from(config.decode_budget.div_ceil(1 << 20)).unwrap_or(u32::MAX);
    let instance = Uuid::new_v4();
    let cache = ContentCache::new(config.content_cache, !storage.is_shared());
    Ok(ImageService {
        db,
        storage,
        pool: ImagingPool::new(threads, budget_mib, config.upload_queue_timeout)?,
        signer: UrlSigner::new(secret, public_url, config.signed_url_ttl),
        limits: UploadLimits {
            max_file_bytes: config.max_file_size,
            max_files: usize::try_from(config.max_files).unwrap_or(usize::MAX),
            max_pixels: config.max_pixels,
        },
        buffers: UploadMemory::new(
            config.upload_buffer,
            config.upload_buffer_per_user(),
            config.upload_queue_timeout,
        ),
        instance,
        liveness: Arc::new(Liveness::start(database_url, instance)?),
        cache,
        // Past what chrono holds is "keep for a century": far enough to mean "never".
        trash_retention: chrono::TimeDelta::from_std(config.trash_retention)
            .unwrap_or(chrono::TimeDelta::days(36_500))
            .min(chrono::TimeDelta::days(36_500)),
        renditions: config.renditions.0.clone(),
        rendition_settings: RenditionSettings::default(),
    })
}

/// The handler of every job kind this build knows.
fn job_handlers(images: &Arc<ImageService>) -> Handlers {
    let mut handlers = Handlers::new();
    let service = images.clone();
    handlers.register(removal::DELETE_OBJECTS, move |job| {
        let service = service.clone();
        async move { removal::run_deletion_job(&service, job).await }
    });
    let service = images.clone();
    handlers.register(trash::PURGE_DUE, move |job| {
        let service = service.clone();
        async move { trash::run_purge_job(&service, job).await }
    });
    let service = images.clone();
    handlers.register(renditions::MAKE_RENDITIONS, move |job| {
        let service = service.clone();
        async move { renditions::run_job(&service, job).await }
    });
    handlers
}

/// This process's job workers, and the queue's metrics in `registry`.
fn start_jobs(
    settings: &Settings,
    db: &Db,
    images: &Arc<ImageService>,
    registry: &prometheus::Registry,
) -> Result<Workers, StartupError> {
    let handlers = job_handlers(images);
    let metric_error = |e: prometheus::Error| StartupError::Metrics(e.to_string());
    let job_metrics = JobMetrics::register(registry, &handlers.kinds()).map_err(metric_error)?;
    ImagingQueueDepth::register(registry, images.pool.queue_depth()).map_err(metric_error)?;
    tokio::spawn(job_metrics.clone().run(db.clone()));
    let config = WorkerConfig {
        workers: usize::from(settings.jobs.job_workers),
        lease: settings.jobs.job_lease,
        poll_interval: settings.jobs.job_poll_interval,
        retry_base: settings.jobs.job_retry_base,
    };
    Ok(Workers::start(
        db.clone(),
        handlers,
        config,
        Some(job_metrics),
    ))
}

fn metrics(registry: prometheus::Registry) -> Result<PrometheusMetrics, StartupError> {
    PrometheusMetricsBuilder::new("albumen")
        .registry(registry)
        .endpoint("/metrics")
        .mask_unmatched_patterns("UNMATCHED")
        .build()
        .map_err(|e| StartupError::Metrics(e.to_string()))
}

/// A database that is still starting (compose, a restarting server) is waited for, briefly.
async fn migrate_when_reachable(db: &Db) -> Result<(), DbError> {
    let started = std::time::Instant::now();
    loop {
        let attempt = db.run(db::run_migrations).await;
        match attempt {
            Ok(applied) => {
                if applied > 0 {
                    tracing::info!(migrations.applied = applied, "database migrated");
                }
                return Ok(());
            }
            Err(e) if e.is_unavailable() && started.elapsed() < DATABASE_WAIT => {
                tracing::warn!(error = %e, "waiting for the database");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Forgets what can never matter again: old login failures and sign-ups, expired refresh tokens.
async fn housekeeping(db: Db, signup_limit: SignupLimit) {
    let mut every = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        every.tick().await;
        let outcome = db
            .run(move |conn| {
                let now = chrono::Utc::now();
                throttle::forget_old_failures(conn, now)?;
                signup_limit::forget_old(conn, signup_limit, now)?;
                refresh_tokens::delete_expired(conn, now)?;
                Ok::<_, crate::ApiError>(())
            })
            .await;
        if let Err(e) = outcome {
            tracing::warn!(error = %e, "housekeeping failed; will retry");
        }
    }
}

/// Where the SPA's `<img>` URLs lead: the public URL, and with redirect delivery the object
/// store (its endpoint, or any HTTPS host for AWS, whose bucket hosts vary).
fn image_origins(
    public_url: &PublicUrl,
    storage: &StorageSettings,
    redirects: bool,
) -> Vec<String> {
    let mut origins = vec![public_url.as_str().to_owned()];
    if redirects {
        origins.push(storage.s3_endpoint().unwrap_or("https:").to_owned());
    }
    origins
}

/// Redirect delivery needs a store that presigns its own URLs; asking for it on local files is
/// a configuration mistake, reported at start rather than as failing requests.
fn presigned_redirects(
    settings: &StorageSettings,
    storage: &Storage,
) -> Result<Option<Duration>, StorageError> {
    match settings.content_delivery {
        ContentDelivery::Stream => Ok(None),
        ContentDelivery::Redirect if storage.can_presign() => Ok(Some(settings.presigned_url_ttl)),
        ContentDelivery::Redirect => Err(StorageError::Config(
            "ALBUMEN_CONTENT_DELIVERY=redirect needs S3 storage (ALBUMEN_STORAGE_URL=s3://...)"
                .into(),
        )),
    }
}
