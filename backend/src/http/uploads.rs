//! Reading a bulk upload: `multipart/form-data` with one or more `file` parts, streamed.
//!
//! Each part is read into memory only up to the per-file limit, taking memory from the shared
//! and the per-user upload budgets as its bytes arrive (`uploads::memory`), then handed to its own task (so the files of one request are processed in parallel on the
//! imaging pool, and each finishes even if the client goes away). Over-limit parts are read to
//! their end and dropped, so the client always gets its answer before the connection closes.

use std::sync::Arc;

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::ResponseError;
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use futures_util::StreamExt;
use serde::Serialize;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::body_guard;
use crate::error::{ApiError, FieldError};
use crate::images::ImageService;
use crate::images::filename;
use crate::images::ingest::{self, Stored, Upload};
use crate::images::removal;
use crate::uploads::memory::{self, Held};

pub const FILE_FIELD: &str = "file";
/// After refusing a request, at most this much more of its body is read (and dropped) so the
/// client sees the answer; beyond it the connection is simply closed.
const DRAIN_LIMIT: u64 = 256 << 20;

/// One file that was not stored, in the upload answer's `rejected` list.
#[derive(Debug, Serialize)]
pub struct Rejected {
    pub filename: String,
    pub status: u16,
    pub title: String,
    pub detail: String,
}

pub struct Received {
    pub stored: Vec<Stored>,
    pub rejected: Vec<Rejected>,
    /// The first file's problem: the whole answer when nothing was stored.
    pub first_problem: Option<ApiError>,
}

enum Pending {
    Running(JoinHandle<Result<Stored, ApiError>>),
    Failed(ApiError),
}

pub async fn receive(
    service: Arc<ImageService>,
    owner: Uuid,
    album: Uuid,
    mut multipart: Multipart,
) -> Result<Received, ApiError> {
    let limits = service.limits;
    let mut pending: Vec<(String, Pending)> = Vec::new();
    let mut files = 0usize;
    while let Some(field) = multipart.next().await {
        let field = match field {
            Ok(field) => field,
            Err(e) => return Err(abandon(&service, pending, malformed(e)).await),
        };
        if field.name() != Some(FILE_FIELD) {
            if let Err(e) = drain(field).await {
                return Err(abandon(&service, pending, malformed(e)).await);
            }
            continue;
        }
        files += 1;
        if files > limits.max_files {
            drain_rest(field, &mut multipart).await;
            let too_many = ApiError::PayloadTooLarge(format!(
                "at most {} files may be sent in one request",
                limits.max_files
            ));
            return Err(abandon(&service, pending, too_many).await);
        }
        let name = filename::sanitize(field.content_disposition().and_then(|cd| cd.get_filename()));
        let outcome = match read_file(&service, owner, field, limits.max_file_bytes).await {
            Ok(Read::File(bytes, buffer)) => {
                let upload = Upload {
                    filename: name.clone(),
                    bytes,
                    buffer,
                };
                Pending::Running(tokio::spawn(ingest::ingest(
                    service.clone(),
                    owner,
                    album,
                    upload,
                )))
            }
            Ok(Read::Refused(problem)) => Pending::Failed(problem),
            Err(e) => return Err(abandon(&service, pending, malformed(e)).await),
        };
        pending.push((name, outcome));
    }
    if files == 0 {
        return Err(ApiError::Validation(vec![FieldError::new(
            FILE_FIELD,
            "at least one part named \"file\" is required",
        )]));
    }
    Ok(settle(pending).await)
}

enum Read {
    File(bytes::Bytes, Held),
    Refused(ApiError),
}

/// Reads one part into memory, taking memory as its bytes arrive, or refuses it: too large
/// (read on, up to `DRAIN_LIMIT`, so the answer reaches the client), or no memory to be had in
/// time. A part that is still going past the drain limit ends the whole request.
async fn read_file(
    service: &ImageService,
    owner: Uuid,
    mut field: Field,
    max_bytes: u64,
) -> Result<Read, MultipartError> {
    let mut held = service.buffers.hold_for(owner);
    let mut bytes: Vec<u8> = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk?;
        let needed = bytes.len() + chunk.len();
        if needed as u64 > max_bytes {
            drop((bytes, held));
            return over_the_limit(field, max_bytes).await;
        }
        if needed > bytes.capacity() {
            // Doubling keeps the copies linear; memory is counted as capacity, not length.
            let capacity = needed
                .max(bytes.capacity().saturating_mul(2).min(to_usize(max_bytes)))
                .max(to_usize(memory::STEP));
            if let Err(busy) = service.buffers.grow(&mut held, capacity as u64).await {
                drop((bytes, held));
                drain(field).await?;
                return Ok(Read::Refused(ApiError::Unavailable {
                    detail: busy.to_string(),
                    retry_after_secs: 5,
                    cause: None,
                }));
            }
            bytes.reserve_exact(capacity - bytes.len());
        }
        bytes.extend_from_slice(&chunk);
    }
    bytes.shrink_to_fit();
    held.shrink_to(bytes.len() as u64);
    Ok(Read::File(bytes::Bytes::from(bytes), held))
}

fn to_usize(bytes: u64) -> usize {
    usize::try_from(bytes).unwrap_or(usize::MAX)
}

async fn over_the_limit(field: Field, max_bytes: u64) -> Result<Read, MultipartError> {
    let problem =
        ApiError::PayloadTooLarge(format!("the file is over the limit of {max_bytes} bytes"));
    if drain_at_most(field, DRAIN_LIMIT).await? {
        Ok(Read::Refused(problem))
    } else {
        Err(MultipartError::Payload(PayloadError::Overflow))
    }
}

async fn drain(field: Field) -> Result<(), MultipartError> {
    drain_at_most(field, u64::MAX).await.map(drop)
}

/// Reads a part to its end and drops it; `false` when it went on past `limit`.
async fn drain_at_most(mut field: Field, limit: u64) -> Result<bool, MultipartError> {
    let mut drained = 0u64;
    while let Some(chunk) = field.next().await {
        drained += chunk?.len() as u64;
        if drained > limit {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Reads what is left of a refused request, up to `DRAIN_LIMIT`.
async fn drain_rest(field: Field, multipart: &mut Multipart) {
    let mut drained = 0u64;
    let mut current = Some(field);
    while let Some(mut field) = current.take() {
        while let Some(Ok(chunk)) = field.next().await {
            drained += chunk.len() as u64;
            if drained > DRAIN_LIMIT {
                return;
            }
        }
        // The multipart stream yields the next part only once this one is dropped.
        drop(field);
        current = match multipart.next().await {
            Some(Ok(next)) => Some(next),
            _ => None,
        };
    }
}

/// What a multipart failure means for the client. A part declaring itself `multipart/*` is a
/// nested body, which nothing here reads: like any other non-image, a 415.
fn malformed(error: MultipartError) -> ApiError {
    match error {
        MultipartError::Payload(payload) => body_guard::problem(&payload),
        MultipartError::Nested => ApiError::UnsupportedMediaType(
            "a part holds a nested multipart body, not an image; send each file as its own part"
                .into(),
        ),
        other => ApiError::BadRequest(format!("the multipart body is malformed: {other}")),
    }
}

/// The request failed as a whole: files stored so far are removed again, nothing is kept.
async fn abandon(
    service: &ImageService,
    pending: Vec<(String, Pending)>,
    problem: ApiError,
) -> ApiError {
    let received = settle(pending).await;
    let ids: Vec<Uuid> = received.stored.iter().map(|s| s.image.id).collect();
    if !ids.is_empty()
        && let Err(e) = removal::delete_stored(service, ids).await
    {
        tracing::error!(error = %e, "could not remove the files of a refused upload");
    }
    problem
}

/// Waits for every file's task, in the order the files came.
async fn settle(pending: Vec<(String, Pending)>) -> Received {
    let mut received = Received {
        stored: Vec::new(),
        rejected: Vec::new(),
        first_problem: None,
    };
    for (filename, outcome) in pending {
        let result = match outcome {
            Pending::Running(task) => task.await.unwrap_or_else(|e| Err(ApiError::internal(e))),
            Pending::Failed(problem) => Err(problem),
        };
        match result {
            Ok(stored) => received.stored.push(stored),
            Err(problem) => {
                let status = problem.status_code();
                if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
                    tracing::error!(file = %filename, error = ?problem, "a file failed to upload");
                }
                received.rejected.push(Rejected {
                    filename,
                    status: status.as_u16(),
                    title: status.canonical_reason().unwrap_or("Error").to_owned(),
                    detail: problem.to_string(),
                });
                received.first_problem.get_or_insert(problem);
            }
        }
    }
    received
}
