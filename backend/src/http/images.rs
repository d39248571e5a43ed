use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::pagination::{Page, cursor_time, decode_cursor, parse_limit, split_page};
use super::query::{QueryParams, path_id};
use super::uploads;
use crate::albums::{self, Access};
use crate::auth::{AuthUser, Viewer};
use crate::db::images::{self as image_rows, ImageKey, ImageQuery, ImageRow, Scope, SortBy};
use crate::db::renditions as rendition_rows;
use crate::error::ApiError;
use crate::images::{self, removal};
use crate::state::AppState;
use crate::trash;

type State = web::Data<AppState>;

/// The image listings' cursor: the last image's sort time (µs; none in the undated tail) and
/// id, with the order and filters the first page was asked with, which every later page keeps.
#[derive(Serialize, Deserialize)]
struct ImageCursor {
    t: Option<i64>,
    i: Uuid,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    taken: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    after: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    before: Option<i64>,
}

impl ImageCursor {
    fn of(row: &ImageRow, query: &ImageQuery) -> Self {
        let key = row.key(query.sort);
        Self {
            t: key.time.map(|t| t.timestamp_micros()),
            i: key.id,
            taken: query.sort == SortBy::TakenAt,
            q: query.filename.clone(),
            after: query.taken_after.map(|t| t.timestamp_micros()),
            before: query.taken_before.map(|t| t.timestamp_micros()),
        }
    }

    fn into_query(self) -> Result<ImageQuery, ApiError> {
        let time = |micros: Option<i64>| micros.map(cursor_time).transpose();
        Ok(ImageQuery {
            sort: if self.taken {
                SortBy::TakenAt
            } else {
                SortBy::CreatedAt
            },
            filename: self.q,
            taken_after: time(self.after)?,
            taken_before: time(self.before)?,
            after: Some(ImageKey {
                time: time(self.t)?,
                id: self.i,
            }),
        })
    }
}

struct Listing {
    limit: i64,
    query: ImageQuery,
}

/// `limit`, `sort`, `q`, `taken_after` and `taken_before`; with a cursor, the order and filters
/// it carries (those of its first page) win over the parameters, which are still checked.
fn listing(req: &HttpRequest) -> Result<Listing, ApiError> {
    let params = QueryParams::parse(req.query_string())?;
    let limit = parse_limit(params.get("limit"))?;
    let asked = ImageQuery {
        sort: sort_param(params.get("sort"))?,
        filename: filename_param(params.get("q"))?,
        taken_after: time_param("taken_after", params.get("taken_after"))?,
        taken_before: time_param("taken_before", params.get("taken_before"))?,
        after: None,
    };
    let Some(cursor) = params.get("cursor") else {
        return Ok(Listing {
            limit,
            query: asked,
        });
    };
    let query = decode_cursor::<ImageCursor>(cursor)?.into_query()?;
    Ok(Listing { limit, query })
}

fn sort_param(raw: Option<&str>) -> Result<SortBy, ApiError> {
    match raw {
        None | Some("created_at") => Ok(SortBy::CreatedAt),
        Some("taken_at") => Ok(SortBy::TakenAt),
        Some(other) => Err(ApiError::BadRequest(format!(
            "sort must be created_at or taken_at, not {other:?}"
        ))),
    }
}

/// Longest `q`: a filename's own limit.
const MAX_QUERY_CHARS: usize = 255;

fn filename_param(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(text) = raw.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_QUERY_CHARS || text.contains('\0') {
        return Err(ApiError::BadRequest(format!(
            "q must be at most {MAX_QUERY_CHARS} characters of text"
        )));
    }
    Ok(Some(text.to_owned()))
}

fn time_param(name: &str, raw: Option<&str>) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let parsed = DateTime::parse_from_rfc3339(raw.trim())
        .map_err(|_| ApiError::BadRequest(format!("{name} must be an RFC 3339 date-time")))?;
    Ok(Some(parsed.with_timezone(&Utc)))
}

/// A page of images; the viewer gets originals and locations only of their own.
fn page(
    conn: &mut diesel::PgConnection,
    state: &AppState,
    scope: Scope,
    listing: &Listing,
    viewer: Viewer,
) -> Result<Page<images::Image>, ApiError> {
    let rows = image_rows::list(conn, scope, &listing.query, listing.limit + 1)?;
    let (rows, next_cursor) = split_page(rows, listing.limit, |row| {
        ImageCursor::of(row, &listing.query)
    });
    let items = shown(conn, state, rows, viewer)?;
    Ok(Page { items, next_cursor })
}

/// Rows as the API shows them to `viewer`.
fn shown(
    conn: &mut diesel::PgConnection,
    state: &AppState,
    rows: Vec<ImageRow>,
    viewer: Viewer,
) -> Result<Vec<images::Image>, ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let variants = image_rows::variants_of(conn, &ids)?;
    let ready = rendition_rows::formats_of(conn, &ids)?;
    Ok(images::render(
        rows,
        variants,
        &ready,
        &state.images.signer,
        |row| viewer.user_id() == Some(row.owner_id),
    ))
}

pub async fn list_mine(
    state: State,
    user: AuthUser,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let listing = listing(&req)?;
    let shared = state.clone();
    let page = state
        .db
        .run(move |conn| page(conn, &shared, Scope::Owner(user.id), &listing, user.into()))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

pub async fn list_album(
    state: State,
    viewer: Viewer,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id);
    let listing = listing(&req)?;
    let shared = state.clone();
    let page = state
        .db
        .run(move |conn| {
            let album = albums::load(conn, viewer, id, Access::Read)?;
            page(conn, &shared, Scope::Album(album.id), &listing, viewer)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

pub async fn get(
    state: State,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id);
    let shared = state.clone();
    let image = state
        .db
        .run(move |conn| {
            let found = match id {
                Some(id) => image_rows::find_in_album(conn, id)?,
                None => None,
            };
            albums::authorize_image(found.as_ref(), viewer, Access::Read)?;
            let found = found.ok_or(ApiError::NotFound)?;
            shown(conn, &shared, vec![found.image], viewer)?
                .pop()
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Ok().json(image))
}

/// To the trash; with `?permanent=true`, for good.
pub async fn delete(
    state: State,
    user: AuthUser,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let permanent = QueryParams::parse(req.query_string())?.flag("permanent")?;
    let id = path_id(&id).ok_or(ApiError::NotFound)?;
    if permanent {
        removal::delete_image(&state.images, user.id, id).await?;
    } else {
        trash::trash_image(&state.images, user.id, id).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

pub async fn upload(
    state: State,
    user: AuthUser,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id).ok_or(ApiError::NotFound)?;
    require_multipart(&req)?;
    let album = state
        .db
        .run(move |conn| albums::load(conn, user.into(), Some(id), Access::Write))
        .await?;
    let multipart = Multipart::new(req.headers(), payload);
    let received = uploads::receive(state.images.clone(), user.id, album.id, multipart).await?;
    if received.stored.is_empty() {
        return Err(received.first_problem.unwrap_or_else(|| {
            ApiError::internal("an upload stored nothing and reported nothing")
        }));
    }
    let (rows, variants): (Vec<_>, Vec<_>) = received
        .stored
        .into_iter()
        .map(|stored| (stored.image, stored.variants))
        .unzip();
    let variants = variants.into_iter().flatten().fold(
        std::collections::HashMap::<Uuid, Vec<_>>::new(),
        |mut map, v| {
            map.entry(v.image_id).or_default().push(v);
            map
        },
    );
    // Renditions come later, from a job: none is ready in the upload's answer.
    let none_ready = images::ReadyRenditions::new();
    let images = images::render(rows, variants, &none_ready, &state.images.signer, |_| true);
    Ok(HttpResponse::Created().json(json!({
        "images": images,
        "rejected": received.rejected,
    })))
}

/// Anything but `multipart/form-data` is a 415.
fn require_multipart(req: &HttpRequest) -> Result<(), ApiError> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    if is_multipart {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(
            "send the files as multipart/form-data, one part named \"file\" per file".into(),
        ))
    }
}
