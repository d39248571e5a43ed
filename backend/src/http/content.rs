//! `GET /images/{id}/content/{size}`: the bytes, with ETag/304 and single-range/206.

use std::ops::Range;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use uuid::Uuid;

use super::query::{QueryParams, path_id};
use crate::auth::Viewer;
use crate::db::images::{self as image_rows, VariantRow};
use crate::db::renditions::{self as rendition_rows, RenditionRow};
use crate::error::{ApiError, problem_response};
use crate::images::cache::{CachedObject, Epoch};
use crate::images::content::{self, Grant, Ranged, Signature};
use crate::imaging::{Rendition, Size};
use crate::renditions::negotiate::{self, Ask, Refused};
use crate::state::AppState;
use crate::storage::{Object, StorageError};

pub async fn content(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (id, size) = path.into_inner();
    let size: Size = size.parse().map_err(|()| ApiError::NotFound)?;
    let id = path_id(&id);
    let query = QueryParams::parse(req.query_string())?;
    let ask = negotiate::ask(size, query.get("format"), header_str(&req, header::ACCEPT)).map_err(
        |refused| match refused {
            Refused::UnknownFormat => ApiError::BadRequest(refused.to_string()),
            Refused::OriginalHasNoFormats => ApiError::NotFound,
        },
    )?;
    let signature = signature(&state, &query, id, size);
    let cache = &state.images.cache;
    let first_choice = Object {
        size,
        rendition: negotiate::first_choice(&ask, size),
    };
    if let (Some(id), Signature::Valid, None) = (id, signature, state.presigned_redirects)
        && let Some(object) = cache.get_vouched(id, first_choice)
        && negotiate::serves(&ask, &object.content_type)
    {
        return Ok(from_memory(&req, Grant::Signed, &object));
    }

    let epoch = cache.epoch();
    let Some(id) = id else {
        content::authorize(None, size, viewer, signature)?;
        return Err(ApiError::NotFound);
    };
    let wants_rendition = !matches!(ask, Ask::Best(ref list) if list.is_empty());
    let (found, variant, renditions) = state
        .db
        .run(move |conn| {
            let found = image_rows::find_in_album(conn, id)?;
            let variant = image_rows::variant(conn, id, size.as_str())?;
            let renditions = if wants_rendition && found.is_some() {
                rendition_rows::of_size(conn, id, size.as_str())?
            } else {
                Vec::new()
            };
            Ok::<_, ApiError>((found, variant, renditions))
        })
        .await?;
    let grant = content::authorize(found.as_ref(), size, viewer, signature)?;
    let variant = variant.ok_or(ApiError::NotFound)?;
    let chosen = Chosen::pick(&ask, variant, renditions).ok_or(ApiError::NotFound)?;
    match state.presigned_redirects {
        Some(lifetime) => redirect(&state, &req, grant, &chosen, lifetime).await,
        None => serve(&state, &req, grant, chosen, epoch).await,
    }
}

/// The one encoding of a size this answer serves.
struct Chosen {
    image_id: Uuid,
    object: Object,
    content_type: String,
    /// Unquoted.
    etag: String,
    bytes: i64,
}

impl Chosen {
    fn pick(ask: &Ask, variant: VariantRow, renditions: Vec<RenditionRow>) -> Option<Self> {
        let ready: Vec<Rendition> = renditions
            .iter()
            .filter_map(|r| r.format.parse().ok())
            .collect();
        let size: Size = variant.size.parse().ok()?;
        match negotiate::choose(ask, variant.content_type == "image/png", &ready)? {
            None => Some(Self {
                image_id: variant.image_id,
                object: Object::from(size),
                content_type: variant.content_type,
                etag: variant.etag,
                bytes: variant.bytes,
            }),
            Some(rendition) => {
                let row = renditions
                    .into_iter()
                    .find(|r| r.format == rendition.as_str())?;
                Some(Self {
                    image_id: row.image_id,
                    object: Object::rendition(size, rendition),
                    content_type: rendition.mime().to_owned(),
                    etag: row.etag,
                    bytes: row.bytes,
                })
            }
        }
    }
}

fn signature(state: &AppState, query: &QueryParams, id: Option<Uuid>, size: Size) -> Signature {
    match (id, query.get("exp"), query.get("sig")) {
        (_, None, None) => Signature::Absent,
        (Some(id), Some(exp), Some(sig)) => match exp.parse::<i64>() {
            Ok(exp) if state.images.signer.verify(id, size, exp, sig) => Signature::Valid,
            _ => Signature::Invalid,
        },
        _ => Signature::Invalid,
    }
}

/// The bytes, from memory when a copy is kept (and kept from now on when small enough),
/// else streamed from storage.
async fn serve(
    state: &AppState,
    req: &HttpRequest,
    grant: Grant,
    chosen: Chosen,
    epoch: Epoch,
) -> Result<HttpResponse, ApiError> {
    let cache = &state.images.cache;
    let image_id = chosen.image_id;
    if let Some(object) = cache.get(image_id, chosen.object) {
        return Ok(from_memory(req, grant, &object));
    }
    let etag = quoted_etag(&chosen);
    let length = u64::try_from(chosen.bytes).unwrap_or(0);
    if !cache.admits(length) || content::none_match(header_str(req, header::IF_NONE_MATCH), &etag) {
        return from_storage(state, req, grant, &chosen, &etag).await;
    }
    let body = state
        .images
        .storage
        .read_all(image_id, chosen.object)
        .await
        .map_err(|e| storage_failure(image_id, chosen.object, e))?;
    let object = Arc::new(CachedObject {
        content_type: chosen.content_type,
        etag,
        body,
    });
    cache.insert(epoch, image_id, chosen.object, object.clone());
    Ok(from_memory(req, grant, &object))
}

/// The encoding's ETag as sent (a strong validator, quoted): one per rendition.
fn quoted_etag(chosen: &Chosen) -> String {
    format!("\"{}\"", chosen.etag)
}

/// The headers every answer about the bytes carries, whatever its status.
fn described(grant: Grant, etag: &str) -> HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::ETAG, etag.to_owned()))
        .insert_header((header::CACHE_CONTROL, grant.cache_control()))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        // The encoding served depends on Accept: caches must keep one copy per Accept.
        .insert_header((header::VARY, "Accept"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            super::security::CONTENT_CSP,
        ));
    response
}

fn header_str(req: &HttpRequest, name: header::HeaderName) -> Option<&str> {
    req.headers()
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
}

/// What the request's validators ask of an object of `length` bytes: everything, a range,
/// nothing new (304), or the impossible (416).
enum Answer {
    Whole(HttpResponseBuilder),
    Part(HttpResponseBuilder, Range<u64>),
    Done(HttpResponse),
}

fn answer(req: &HttpRequest, grant: Grant, etag: &str, length: u64) -> Answer {
    let mut response = described(grant, etag);
    if content::none_match(header_str(req, header::IF_NONE_MATCH), etag) {
        return Answer::Done(response.status(StatusCode::NOT_MODIFIED).finish());
    }
    let ranged = if content::if_range_holds(header_str(req, header::IF_RANGE), etag) {
        content::parse_range(header_str(req, header::RANGE), length)
    } else {
        Ranged::Full
    };
    match ranged {
        Ranged::Full => Answer::Whole(response),
        Ranged::Partial(range) => {
            response.status(StatusCode::PARTIAL_CONTENT).insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{length}", range.start, range.end - 1),
            ));
            Answer::Part(response, range)
        }
        Ranged::Unsatisfiable => Answer::Done(unsatisfiable(length)),
    }
}

fn from_memory(req: &HttpRequest, grant: Grant, object: &CachedObject) -> HttpResponse {
    let whole = &object.body;
    let (mut response, body) = match answer(req, grant, &object.etag, whole.len() as u64) {
        Answer::Whole(response) => (response, whole.clone()),
        Answer::Part(response, range) => {
            // Within the body: parse_range never goes past `length`.
            let part = usize::try_from(range.start).unwrap_or(0)
                ..usize::try_from(range.end).unwrap_or(whole.len());
            (response, whole.slice(part))
        }
        Answer::Done(response) => return response,
    };
    response
        .content_type(object.content_type.clone())
        .body(body)
}

async fn from_storage(
    state: &AppState,
    req: &HttpRequest,
    grant: Grant,
    chosen: &Chosen,
    etag: &str,
) -> Result<HttpResponse, ApiError> {
    let length = u64::try_from(chosen.bytes).unwrap_or(0);
    let (mut response, range) = match answer(req, grant, etag, length) {
        Answer::Whole(response) => (response, None),
        Answer::Part(response, range) => (response, Some(range)),
        Answer::Done(response) => return Ok(response),
    };
    let image_id = chosen.image_id;
    let fetched = state
        .images
        .storage
        .get(image_id, chosen.object, range)
        .await
        .map_err(|e| storage_failure(image_id, chosen.object, e))?;
    Ok(response
        .content_type(chosen.content_type.clone())
        .no_chunking(fetched.length)
        .streaming(fetched.body))
}

fn storage_failure(image: Uuid, object: Object, error: StorageError) -> ApiError {
    match error {
        StorageError::NotFound => {
            tracing::error!(image.id = %image, ?object, "a stored object is missing");
            ApiError::NotFound
        }
        other => ApiError::unavailable("storage is unavailable; retry shortly", other),
    }
}

/// 302 to the object store itself: the client fetches the bytes (with its Range, if any) from
/// there. The redirect is never cached beyond the presigned URL's own life.
async fn redirect(
    state: &AppState,
    req: &HttpRequest,
    grant: Grant,
    chosen: &Chosen,
    lifetime: std::time::Duration,
) -> Result<HttpResponse, ApiError> {
    let etag = quoted_etag(chosen);
    if content::none_match(header_str(req, header::IF_NONE_MATCH), &etag) {
        return Ok(described(grant, &etag)
            .status(StatusCode::NOT_MODIFIED)
            .finish());
    }
    let url = state
        .images
        .storage
        .presigned_get(chosen.image_id, chosen.object, lifetime)
        .await
        .map_err(|e| ApiError::unavailable("storage is unavailable; retry shortly", e))?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, url.as_str()))
        .insert_header((header::VARY, "Accept"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .finish())
}

fn unsatisfiable(length: u64) -> HttpResponse {
    let mut response = problem_response(
        StatusCode::RANGE_NOT_SATISFIABLE,
        "range-not-satisfiable",
        "the requested range is outside the content",
        &[],
    );
    if let Ok(value) = HeaderValue::from_str(&format!("bytes */{length}")) {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    response
}
