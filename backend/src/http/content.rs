//! `GET /images/{id}/content/{size}`: the bytes, with ETag/304 and single-range/206.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};

use super::query::{QueryParams, path_id};
use crate::auth::Viewer;
use crate::db::images as image_rows;
use crate::error::{ApiError, problem_response};
use crate::images::content::{self, Ranged, Signature};
use crate::imaging::Size;
use crate::state::AppState;
use crate::storage::StorageError;

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
    let signature = match (id, query.get("exp"), query.get("sig")) {
        (_, None, None) => Signature::Absent,
        (Some(id), Some(exp), Some(sig)) => match exp.parse::<i64>() {
            Ok(exp) if state.images.signer.verify(id, size, exp, sig) => Signature::Valid,
            _ => Signature::Invalid,
        },
        _ => Signature::Invalid,
    };
    let (found, variant) = match id {
        Some(id) => {
            state
                .db
                .run(move |conn| {
                    let found = image_rows::find_in_album(conn, id)?;
                    let variant = image_rows::variant(conn, id, size.as_str())?;
                    Ok::<_, ApiError>((found, variant))
                })
                .await?
        }
        None => (None, None),
    };
    let grant = content::authorize(found.as_ref(), size, viewer, signature)?;
    let variant = variant.ok_or(ApiError::NotFound)?;
    let etag = format!("\"{}\"", variant.etag);
    let headers = req.headers();
    let header_str = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };

    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::CACHE_CONTROL, grant.cache_control()))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if content::none_match(header_str(header::IF_NONE_MATCH), &etag) {
        return Ok(response.status(StatusCode::NOT_MODIFIED).finish());
    }

    if let Some(lifetime) = state.presigned_redirects {
        return redirect(&state, variant.image_id, size, lifetime).await;
    }

    let length = u64::try_from(variant.bytes).unwrap_or(0);
    let ranged = if content::if_range_holds(header_str(header::IF_RANGE), &etag) {
        content::parse_range(header_str(header::RANGE), length)
    } else {
        Ranged::Full
    };
    let range = match ranged {
        Ranged::Full => None,
        Ranged::Partial(range) => {
            response.status(StatusCode::PARTIAL_CONTENT).insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{length}", range.start, range.end - 1),
            ));
            Some(range)
        }
        Ranged::Unsatisfiable => return Ok(unsatisfiable(length)),
    };
    let image_id = variant.image_id;
    let fetched = state
        .images
        .storage
        .get(image_id, size, range)
        .await
        .map_err(|e| match e {
            StorageError::NotFound => {
                tracing::error!(image.id = %image_id, %size, "a stored object is missing");
                ApiError::NotFound
            }
            other => ApiError::unavailable("storage is unavailable; retry shortly", other),
        })?;
    Ok(streamed(response, &variant.content_type, fetched))
}

/// 302 to the object store itself: the client fetches the bytes (with its Range, if any) from
/// there. The redirect is never cached beyond the presigned URL's own life.
async fn redirect(
    state: &AppState,
    image: uuid::Uuid,
    size: Size,
    lifetime: std::time::Duration,
) -> Result<HttpResponse, ApiError> {
    let url = state
        .images
        .storage
        .presigned_get(image, size, lifetime)
        .await
        .map_err(|e| ApiError::unavailable("storage is unavailable; retry shortly", e))?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, url.as_str()))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .finish())
}

fn streamed(
    mut response: HttpResponseBuilder,
    content_type: &str,
    fetched: crate::storage::Fetched,
) -> HttpResponse {
    response
        .content_type(content_type.to_owned())
        .no_chunking(fetched.length)
        .streaming(fetched.body)
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
