//! The one typed configuration. Every setting is read here, once, from a CLI flag or its
//! environment variable (the flag wins); nothing reads the environment later.

use std::fmt;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "albumen", version, about = "A self-hosted image store")]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for `serve`, which is also what a bare `albumen` runs.
    #[command(flatten)]
    pub settings: Settings,
    #[command(flatten)]
    pub log: LogSettings,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the API (and the SPA when built). The default command.
    Serve(Settings),
    /// Apply pending database migrations and exit.
    Migrate(Settings),
    /// List the background jobs still queued, running or failed; `jobs retry <id>` queues a
    /// failed one again.
    Jobs(Box<JobsArgs>),
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct JobsArgs {
    #[command(subcommand)]
    pub action: Option<JobsAction>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Subcommand, Debug)]
pub enum JobsAction {
    /// Queue a failed job again, due now, with all its attempts back.
    Retry {
        /// The job's id, as `albumen jobs` lists it.
        id: i64,
        #[command(flatten)]
        settings: Settings,
    },
}

#[derive(Args, Debug, Clone)]
pub struct Settings {
    /// Directory for everything Albumen keeps on disk: the embedded Postgres, stored images, secrets.
    #[arg(long, env = "ALBUMEN_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    #[command(flatten)]
    pub http: HttpSettings,
    #[command(flatten)]
    pub database: DatabaseSettings,
    #[command(flatten)]
    pub auth: AuthSettings,
    #[command(flatten)]
    pub images: ImageSettings,
    #[command(flatten)]
    pub storage: StorageSettings,
    #[command(flatten)]
    pub jobs: JobSettings,
}

#[derive(Args, Debug, Clone)]
pub struct JobSettings {
    /// Background job workers in this process (0: this replica takes no jobs).
    #[arg(long, env = "ALBUMEN_JOB_WORKERS", default_value_t = 2, value_parser = clap::value_parser!(u16).range(0..=256))]
    pub job_workers: u16,
    /// How long a taken job stays its worker's without a heartbeat (renewed every third of
    /// it); a job of a worker that died is taken again this long after its last heartbeat.
    #[arg(long, env = "ALBUMEN_JOB_LEASE", default_value = "30s", value_parser = parse_duration)]
    pub job_lease: Duration,
    /// How long an idle worker waits before looking for due jobs again.
    #[arg(long, env = "ALBUMEN_JOB_POLL_INTERVAL", default_value = "1s", value_parser = parse_duration)]
    pub job_poll_interval: Duration,
    /// The wait before a failed job's first retry; it doubles with each further failure (with
    /// jitter, at most 1h).
    #[arg(long, env = "ALBUMEN_JOB_RETRY_BASE", default_value = "10s", value_parser = parse_duration)]
    pub job_retry_base: Duration,
}

#[derive(Args, Debug, Clone)]
pub struct HttpSettings {
    /// Address the HTTP server listens on.
    #[arg(long, env = "ALBUMEN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Absolute URL clients reach the server at; used for image URLs. Default: http://<bind>.
    #[arg(long, env = "ALBUMEN_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<PublicUrl>,
    /// HTTP worker threads. Default: one per core.
    #[arg(long, env = "ALBUMEN_WORKERS")]
    pub workers: Option<NonZeroUsize>,
    /// The built SPA (`npm run build` output), served at `/` when the directory exists.
    #[arg(long, env = "ALBUMEN_STATIC_DIR", default_value = "./frontend/dist")]
    pub static_dir: PathBuf,
    /// Take the client address from X-Forwarded-For (only behind a trusted reverse proxy).
    #[arg(long, env = "ALBUMEN_TRUST_PROXY", default_value_t = false, action = clap::ArgAction::Set)]
    pub trust_proxy: bool,
    /// Longest wait for the next byte of a request body before it is given up (408).
    #[arg(long, env = "ALBUMEN_BODY_IDLE_TIMEOUT", default_value = "20s", value_parser = parse_duration)]
    pub body_idle_timeout: Duration,
    /// Bytes a second a request body must average once the grace below has passed (408).
    #[arg(long, env = "ALBUMEN_BODY_MIN_RATE", default_value = "1KiB", value_parser = parse_bytes)]
    pub body_min_rate: u64,
    /// How long a request body may arrive slower than the minimum rate.
    #[arg(long, env = "ALBUMEN_BODY_RATE_GRACE", default_value = "30s", value_parser = parse_duration)]
    pub body_rate_grace: Duration,
}

#[derive(Args, Debug, Clone)]
pub struct DatabaseSettings {
    /// Postgres URL. When unset, a private Postgres is run from the installed server binaries
    /// with its data in <data dir>/postgres.
    #[arg(long, env = "DATABASE_URL", value_parser = parse_secret)]
    pub database_url: Option<Secret>,
    /// Connections in the pool.
    #[arg(long, env = "ALBUMEN_DB_POOL_SIZE", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,
    /// How long a request waits for a database connection before answering 503.
    #[arg(long, env = "ALBUMEN_DB_TIMEOUT", default_value = "5s", value_parser = parse_duration)]
    pub db_timeout: Duration,
}

#[derive(Args, Debug, Clone)]
pub struct AuthSettings {
    /// Secret that signs access tokens (at least 32 bytes). When unset, one is generated once and
    /// kept in <data dir>/jwt-secret with mode 0600.
    #[arg(long, env = "ALBUMEN_JWT_SECRET", value_parser = parse_jwt_secret)]
    pub jwt_secret: Option<Secret>,
    /// Lifetime of access tokens (seconds, or a duration such as 15m).
    #[arg(long, env = "ALBUMEN_ACCESS_TOKEN_TTL", default_value = "15m", value_parser = parse_duration)]
    pub access_token_ttl: Duration,
    /// Lifetime of refresh tokens (seconds, or a duration such as 30d).
    #[arg(long, env = "ALBUMEN_REFRESH_TOKEN_TTL", default_value = "30d", value_parser = parse_duration)]
    pub refresh_token_ttl: Duration,
    /// How long a spent refresh token presented again still gets the same successor pair (two
    /// tabs refreshing at once) before it counts as reuse and ends that login.
    /// 0 turns the grace off.
    #[arg(long, env = "ALBUMEN_REFRESH_REUSE_GRACE", default_value = "10s", value_parser = parse_duration_or_zero)]
    pub refresh_reuse_grace: Duration,
    /// Sign-ups allowed from one address: `<count>/<duration>`.
    #[arg(long, env = "ALBUMEN_REGISTRATION_LIMIT", default_value = "20/1h")]
    pub registration_limit: crate::auth::signup_limit::SignupLimit,
    /// bcrypt work factor for new password hashes (4-31).
    #[arg(long, env = "ALBUMEN_BCRYPT_COST", default_value_t = bcrypt::DEFAULT_COST, value_parser = clap::value_parser!(u32).range(4..=31))]
    pub bcrypt_cost: u32,
}

#[derive(Args, Debug, Clone)]
pub struct ImageSettings {
    /// Largest accepted file (bytes, or with a unit: 25MiB).
    #[arg(long, env = "ALBUMEN_MAX_FILE_SIZE", default_value = "25MiB", value_parser = parse_bytes)]
    pub max_file_size: u64,
    /// Most files in one upload request.
    #[arg(long, env = "ALBUMEN_MAX_FILES", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_files: u32,
    /// Most pixels (width × height) an image may have.
    #[arg(long, env = "ALBUMEN_MAX_PIXELS", default_value_t = 100_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_pixels: u64,
    /// Threads that decode and resize. Default: one per core.
    #[arg(long, env = "ALBUMEN_IMAGE_THREADS")]
    pub image_threads: Option<NonZeroUsize>,
    /// Upload bytes held in memory at once, across all requests; more readers wait.
    #[arg(long, env = "ALBUMEN_UPLOAD_BUFFER", default_value = "256MiB", value_parser = parse_bytes)]
    pub upload_buffer: u64,
    /// Upload bytes one user may hold in memory at once. Default: half the upload buffer.
    #[arg(long, env = "ALBUMEN_UPLOAD_BUFFER_PER_USER", value_parser = parse_bytes)]
    pub upload_buffer_per_user: Option<u64>,
    /// Largest request body. Default: the most files a request may carry, each at the file
    /// limit, plus 1 MiB for the multipart framing.
    #[arg(long, env = "ALBUMEN_MAX_REQUEST_SIZE", value_parser = parse_bytes)]
    pub max_request_size: Option<u64>,
    /// Decoded pixels (as memory) queued or in work on the imaging pool at once; more waits.
    #[arg(long, env = "ALBUMEN_DECODE_BUDGET", default_value = "512MiB", value_parser = parse_bytes)]
    pub decode_budget: u64,
    /// How long a file waits for memory before the answer is 503 with Retry-After.
    #[arg(long, env = "ALBUMEN_UPLOAD_QUEUE_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub upload_queue_timeout: Duration,
    /// Lifetime of signed image URLs.
    #[arg(long, env = "ALBUMEN_SIGNED_URL_TTL", default_value = "1h", value_parser = parse_duration)]
    pub signed_url_ttl: Duration,
    /// Recently served content kept in memory (0: none); objects over 1/32 of it are not kept.
    #[arg(long, env = "ALBUMEN_CONTENT_CACHE", default_value = "128MiB", value_parser = parse_bytes_or_zero)]
    pub content_cache: u64,
    /// How long deleted albums and images stay in the trash before they are purged.
    #[arg(long, env = "ALBUMEN_TRASH_RETENTION", default_value = "30d", value_parser = parse_duration)]
    pub trash_retention: Duration,
    /// Renditions made in the background for browsers that take them, comma-separated
    /// (`webp`, `avif`); empty for none (JPEG/PNG only).
    #[arg(long, env = "ALBUMEN_RENDITIONS", default_value = "webp,avif", value_parser = parse_renditions)]
    pub renditions: RenditionList,
}

/// The renditions to make, in the order they are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenditionList(pub Vec<crate::imaging::Rendition>);

fn parse_renditions(raw: &str) -> Result<RenditionList, String> {
    let mut list = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let rendition = name
            .parse()
            .map_err(|()| format!("unknown rendition {name:?} (use webp, avif)"))?;
        if !list.contains(&rendition) {
            list.push(rendition);
        }
    }
    Ok(RenditionList(list))
}

#[derive(Args, Debug, Clone)]
pub struct StorageSettings {
    /// Where stored images go: file:///absolute/path or s3://bucket[/prefix].
    /// Default: <data dir>/objects.
    #[arg(long, env = "ALBUMEN_STORAGE_URL")]
    pub storage_url: Option<String>,
    /// S3 endpoint for S3-compatible servers (MinIO, Garage): http(s)://host:port. Default: AWS.
    #[arg(long, env = "ALBUMEN_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    /// S3 region. Default: AWS_REGION, else us-east-1.
    #[arg(long, env = "ALBUMEN_S3_REGION")]
    pub s3_region: Option<String>,
    /// S3 access key id. Default: the AWS environment (AWS_ACCESS_KEY_ID, instance role, ...).
    #[arg(long, env = "ALBUMEN_S3_ACCESS_KEY_ID", value_parser = parse_optional_secret)]
    pub s3_access_key_id: Option<Secret>,
    /// S3 secret access key.
    #[arg(long, env = "ALBUMEN_S3_SECRET_ACCESS_KEY", value_parser = parse_optional_secret)]
    pub s3_secret_access_key: Option<Secret>,
    /// Path-style requests (endpoint/bucket/key), as MinIO-like servers want; else virtual-hosted.
    #[arg(long, env = "ALBUMEN_S3_PATH_STYLE", default_value_t = false, action = clap::ArgAction::Set)]
    pub s3_path_style: bool,
    /// How image bytes reach clients: `stream` them through the API, or `redirect` (302) to a
    /// short-lived presigned URL of the object store (S3 only), so bytes bypass the API.
    #[arg(long, env = "ALBUMEN_CONTENT_DELIVERY", value_enum, default_value_t = ContentDelivery::Stream)]
    pub content_delivery: ContentDelivery,
    /// Lifetime of the presigned URLs that `redirect` delivery answers with.
    #[arg(long, env = "ALBUMEN_PRESIGNED_URL_TTL", default_value = "5m", value_parser = parse_duration)]
    pub presigned_url_ttl: Duration,
}

/// The S3 settings as given, with empty values (`ALBUMEN_S3_ENDPOINT=` in an env file) read as
/// unset, so a deployment template can leave them blank to mean "the AWS default".
impl ImageSettings {
    pub fn upload_buffer_per_user(&self) -> u64 {
        self.upload_buffer_per_user
            .unwrap_or(self.upload_buffer / 2)
            .min(self.upload_buffer)
    }

    pub fn max_request_size(&self) -> u64 {
        self.max_request_size.unwrap_or_else(|| {
            self.max_file_size
                .saturating_mul(u64::from(self.max_files))
                .saturating_add(1 << 20)
        })
    }
}

impl StorageSettings {
    pub fn s3_endpoint(&self) -> Option<&str> {
        given(self.s3_endpoint.as_deref())
    }

    pub fn s3_region(&self) -> Option<&str> {
        given(self.s3_region.as_deref())
    }

    pub fn s3_access_key_id(&self) -> Option<&str> {
        given(self.s3_access_key_id.as_ref().map(Secret::expose))
    }

    pub fn s3_secret_access_key(&self) -> Option<&str> {
        given(self.s3_secret_access_key.as_ref().map(Secret::expose))
    }
}

fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentDelivery {
    Stream,
    Redirect,
}

#[derive(Args, Debug, Clone)]
pub struct LogSettings {
    /// Log filter in tracing's env-filter syntax.
    #[arg(long, env = "ALBUMEN_LOG", default_value = "info", global = true)]
    pub log: String,
    /// Log format: text or json.
    #[arg(long, env = "ALBUMEN_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"], global = true)]
    pub log_format: String,
}

impl Settings {
    /// The URL clients use to reach this server, without a trailing slash.
    pub fn public_url(&self, bound: SocketAddr) -> PublicUrl {
        self.http.public_url.clone().unwrap_or_else(|| {
            let mut addr = bound;
            // 0.0.0.0 is where we listen, not where anyone can reach us.
            if addr.ip().is_unspecified() {
                addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            PublicUrl(format!("http://{addr}"))
        })
    }
}

/// A base URL such as `https://photos.example.com`, never with a trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For unit tests elsewhere in the crate; real values come from `Settings`.
    #[cfg(test)]
    pub fn for_tests(url: &str) -> Self {
        Self(url.to_owned())
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A string that never shows up in logs or `Debug` output.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

pub const MIN_JWT_SECRET_BYTES: usize = 32;

pub fn parse_public_url(value: &str) -> Result<PublicUrl, String> {
    let trimmed = value.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"))
        .ok_or("must start with http:// or https://")?;
    if rest.is_empty() || rest.contains(char::is_whitespace) || rest.contains(['?', '#']) {
        return Err("must be an absolute URL such as https://photos.example.com".into());
    }
    Ok(PublicUrl(trimmed.to_owned()))
}

/// A secret that may be left empty (meaning: not given).
fn parse_optional_secret(value: &str) -> Result<Secret, String> {
    Ok(Secret::new(value))
}

fn parse_secret(value: &str) -> Result<Secret, String> {
    if value.trim().is_empty() {
        return Err("must not be empty".into());
    }
    Ok(Secret::new(value))
}

fn parse_jwt_secret(value: &str) -> Result<Secret, String> {
    if value.len() < MIN_JWT_SECRET_BYTES {
        return Err(format!("must be at least {MIN_JWT_SECRET_BYTES} bytes"));
    }
    Ok(Secret::new(value))
}

/// Whole seconds (`900`) or a humane duration (`15m`, `30d`); never zero.
pub fn parse_duration(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let duration = if value.bytes().all(|b| b.is_ascii_digit()) && !value.is_empty() {
        value
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|e| e.to_string())?
    } else {
        humantime::parse_duration(value).map_err(|e| format!("{e} (try 900 or 15m)"))?
    };
    if duration.is_zero() {
        return Err("must be longer than zero".into());
    }
    Ok(duration)
}

/// A duration where 0 is allowed and means "none".
pub fn parse_duration_or_zero(value: &str) -> Result<Duration, String> {
    if value.trim() == "0" {
        return Ok(Duration::ZERO);
    }
    parse_duration(value)
}

/// Bytes, plain or with a binary or decimal unit: `26214400`, `25MiB`, `25MB`, `512KiB`.
/// A size in bytes, where 0 means "none".
pub fn parse_bytes_or_zero(value: &str) -> Result<u64, String> {
    let value = value.trim();
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{value:?} is not a size (try 25MiB)"))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        other => return Err(format!("unknown unit {other:?} (try 25MiB)")),
    };
    number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("{value:?} is too large"))
}

pub fn parse_bytes(value: &str) -> Result<u64, String> {
    match parse_bytes_or_zero(value)? {
        0 => Err("must be more than zero".into()),
        bytes => Ok(bytes),
    }
}

/// Turns clap's multi-line error into one line naming the environment variable, then exits.
/// Help and version requests go through clap's own printing.
pub fn exit_for_parse_error(err: clap::Error) -> ExitCode {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit();
    }
    eprintln!("albumen: {}", one_line_error(&err));
    ExitCode::from(2)
}

pub fn one_line_error(err: &clap::Error) -> String {
    let arg = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => Some(arg.clone()),
        _ => None,
    };
    let value = match err.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(value)) => Some(value.clone()),
        _ => None,
    };
    let reason = std::error::Error::source(err)
        .map(|source| source.to_string())
        .unwrap_or_else(|| {
            err.render()
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ")
                .to_owned()
        });
    match (arg, value) {
        (Some(arg), Some(value)) => {
            let name = env_name_for(&arg).unwrap_or(arg);
            format!("invalid value {value:?} for {name}: {reason}")
        }
        (Some(arg), None) => {
            let name = env_name_for(&arg).unwrap_or(arg);
            format!("{name}: {reason}")
        }
        _ => reason,
    }
}

/// `--bind <BIND>` → `ALBUMEN_BIND (--bind)`.
fn env_name_for(arg_display: &str) -> Option<String> {
    let long = arg_display
        .split_whitespace()
        .next()?
        .trim_start_matches("--");
    let command = Cli::command();
    let mut commands = vec![&command];
    commands.extend(command.get_subcommands());
    commands
        .into_iter()
        .flat_map(|c| c.get_arguments())
        .find(|a| a.get_long() == Some(long))
        .and_then(|a| a.get_env())
        .map(|env| format!("{} (--{long})", env.to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("albumen").chain(args.iter().copied()))
    }

    #[test]
    fn defaults_match_the_readme() {
        let cli = parse(&[]).expect("defaults parse");
        let s = cli.settings;
        assert_eq!(s.http.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.data_dir, PathBuf::from("./data"));
        assert_eq!(s.auth.access_token_ttl, Duration::from_secs(900));
        assert_eq!(
            s.auth.refresh_token_ttl,
            Duration::from_secs(30 * 24 * 3600)
        );
        assert!(s.database.database_url.is_none());
    }

    #[test]
    fn blank_s3_settings_read_as_unset() {
        let cli = parse(&[
            "--s3-endpoint",
            "",
            "--s3-region",
            " ",
            "--s3-access-key-id",
            "",
            "--s3-secret-access-key",
            "",
        ])
        .expect("blank values parse");
        let storage = cli.settings.storage;
        assert_eq!(storage.s3_endpoint(), None);
        assert_eq!(storage.s3_region(), None);
        assert_eq!(storage.s3_access_key_id(), None);
        assert_eq!(storage.s3_secret_access_key(), None);
    }

    #[test]
    fn public_url_defaults_to_the_bound_address() {
        let cli = parse(&["--bind", "0.0.0.0:9000"]).expect("parses");
        let url = cli
            .settings
            .public_url("0.0.0.0:9000".parse().expect("addr"));
        assert_eq!(url.as_str(), "http://127.0.0.1:9000");
    }

    #[test]
    fn public_url_loses_its_trailing_slash() {
        let cli = parse(&["--public-url", "https://photos.example.com/"]).expect("parses");
        let url = cli
            .settings
            .public_url("127.0.0.1:1".parse().expect("addr"));
        assert_eq!(url.as_str(), "https://photos.example.com");
    }

    #[test]
    fn durations_accept_seconds_and_units() {
        assert_eq!(parse_duration("900"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(2_592_000)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn a_bad_value_names_the_environment_variable_on_one_line() {
        let err = parse(&["--bind", "nowhere"]).expect_err("bad address");
        let line = one_line_error(&err);
        assert!(line.contains("ALBUMEN_BIND"), "{line}");
        assert!(!line.contains('\n'), "{line}");
    }

    #[test]
    fn a_short_jwt_secret_is_refused() {
        let err = parse(&["--jwt-secret", "short"]).expect_err("too short");
        let line = one_line_error(&err);
        assert!(line.contains("ALBUMEN_JWT_SECRET"), "{line}");
        assert!(line.contains("32 bytes"), "{line}");
    }

    #[test]
    fn sizes_accept_units() {
        assert_eq!(parse_bytes("25MiB"), Ok(25 * 1024 * 1024));
        assert_eq!(parse_bytes("1000"), Ok(1000));
        assert_eq!(parse_bytes("2 GB"), Ok(2_000_000_000));
        assert!(parse_bytes("0").is_err());
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("5 parsecs").is_err());
        assert_eq!(parse_bytes_or_zero("0"), Ok(0), "where 0 means none");
        assert_eq!(parse_bytes_or_zero("1KiB"), Ok(1024));
    }

    #[test]
    fn image_limits_default_to_the_contract() {
        let s = parse(&[]).expect("defaults").settings.images;
        assert_eq!(s.max_file_size, 25 * 1024 * 1024);
        assert_eq!(s.max_files, 100);
        assert_eq!(s.max_pixels, 100_000_000);
        assert_eq!(s.signed_url_ttl, Duration::from_secs(3600));
        assert_eq!(s.content_cache, 128 * 1024 * 1024);
    }

    #[test]
    fn bcrypt_cost_is_bounded() {
        assert!(parse(&["--bcrypt-cost", "3"]).is_err());
        assert!(parse(&["--bcrypt-cost", "4"]).is_ok());
    }

    #[test]
    fn public_url_must_be_http() {
        let err = parse(&["--public-url", "ftp://x"]).expect_err("not http");
        assert!(one_line_error(&err).contains("ALBUMEN_PUBLIC_URL"));
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let cli = parse(&["--jwt-secret", &"s".repeat(40)]).expect("parses");
        let shown = format!("{:?}", cli.settings.auth);
        assert!(!shown.contains("ssss"), "{shown}");
    }

    #[test]
    fn serve_and_migrate_take_the_same_settings() {
        let cli = parse(&["migrate", "--data-dir", "/tmp/x"]).expect("parses");
        match cli.command {
            Some(Command::Migrate(s)) => assert_eq!(s.data_dir, PathBuf::from("/tmp/x")),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn jobs_lists_and_retry_names_a_job() {
        match parse(&["jobs", "--data-dir", "/tmp/x"])
            .expect("parses")
            .command
        {
            Some(Command::Jobs(args)) if args.action.is_none() => {
                assert_eq!(args.settings.data_dir, PathBuf::from("/tmp/x"));
            }
            other => panic!("unexpected {other:?}"),
        }
        match parse(&["jobs", "retry", "42", "--data-dir", "/tmp/y"])
            .expect("parses")
            .command
        {
            Some(Command::Jobs(args)) => match args.action {
                Some(JobsAction::Retry { id, settings }) => {
                    assert_eq!(id, 42);
                    assert_eq!(settings.data_dir, PathBuf::from("/tmp/y"));
                }
                None => panic!("retry was asked for"),
            },
            other => panic!("unexpected {other:?}"),
        }
        assert!(parse(&["jobs", "retry", "soon"]).is_err());
    }

    #[test]
    fn job_settings_default_to_two_workers() {
        let jobs = parse(&[]).expect("defaults").settings.jobs;
        assert_eq!(jobs.job_workers, 2);
        assert_eq!(jobs.job_lease, Duration::from_secs(30));
        assert!(parse(&["--job-workers", "0"]).is_ok());
    }
}
