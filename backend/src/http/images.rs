use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::pagination::{Page, cursor_time, decode_cursor, parse_limit, split_page};
use super::query::{QueryParams, path_id};
use super::uploads;
use crate::albums::{self, Access};
use crate::auth::{AuthUser, Viewer};
use crate::db::images::{self as image_rows, ImageKey, ImageRow, Scope};
use crate::error::ApiError;
use crate::images::{self, removal};
use crate::state::AppState;
use crate::trash;

type State = web::Data<AppState>;

/// The image listings' cursor: the last image's time (µs) and id.
#[derive(Serialize, Deserialize)]
struct ImageCursor {
    t: i64,
    i: Uuid,
}

impl ImageCursor {
    fn of(row: &ImageRow) -> Self {
        Self {
            t: row.created_at.timestamp_micros(),
            i: row.id,
        }
    }

    fn key(self) -> Result<ImageKey, ApiError> {
        Ok(ImageKey {
            created_at: cursor_time(self.t)?,
            id: self.i,
        })
    }
}

struct Listing {
    limit: i64,
    after: Option<ImageKey>,
}

fn listing(req: &HttpRequest) -> Result<Listing, ApiError> {
    let query = QueryParams::parse(req.query_string())?;
    let limit = parse_limit(query.get("limit"))?;
    let after = query
        .get("cursor")
        .map(decode_cursor::<ImageCursor>)
        .transpose()?
        .map(ImageCursor::key)
        .transpose()?;
    Ok(Listing { limit, after })
}

/// A page of images; the viewer gets originals only of their own.
fn page(
    conn: &mut diesel::PgConnection,
    state: &AppState,
    scope: Scope,
    listing: &Listing,
    viewer: Viewer,
) -> Result<Page<images::Image>, ApiError> {
    let rows = image_rows::list(conn, scope, listing.after, listing.limit + 1)?;
    let (rows, next_cursor) = split_page(rows, listing.limit, ImageCursor::of);
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let variants = image_rows::variants_of(conn, &ids)?;
    let items = images::render(rows, variants, &state.images.signer, |row| {
        viewer.user_id() == Some(row.owner_id)
    });
    Ok(Page { items, next_cursor })
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
            let variants = image_rows::variants_of(conn, &[found.image.id])?;
            images::render(vec![found.image], variants, &shared.images.signer, |row| {
                viewer.user_id() == Some(row.owner_id)
            })
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
    let images = images::render(rows, variants, &state.images.signer, |_| true);
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
